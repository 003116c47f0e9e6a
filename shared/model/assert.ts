/** Exhaustiveness check for closed unions: a new member that a switch forgets fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
