/** One measured number of a bench module (`npm run bench`). */
export interface BenchLine {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Upper bound the value must stay at or under, when there is one. */
  readonly target?: number;
  /** Whether the target was met (computed by run.ts as value <= target when omitted). */
  readonly pass?: boolean;
  readonly note?: string;
}

/** What every bench module (`test/bench/<name>.ts`) exports. */
export type BenchModule = { readonly bench: () => Promise<readonly BenchLine[]> };
