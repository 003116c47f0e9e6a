/**
 * The least any `resolve FILE --format json` can cost, run as a child of the CLI bench:
 * read + JSON.parse of the input, then writing the resolve output (parsed beforehand, not timed)
 * through the CLI's own streaming writer. What is left of the CLI's time after this is
 * normalizing and resolving. Prints the two timed parts, in ms, as JSON on stdout.
 *
 * Usage: node --max-semi-space-size=32 --import tsx test/bench/cli-floor.ts INPUT RESOLVED OUT
 */
import { readFileSync } from 'node:fs';
import { BatchedArray, prettyJsonChunks, writeChunksToFile } from '../../electron/cli/json-stream';

const [input, resolved, out] = process.argv.slice(2);
if (input === undefined || resolved === undefined || out === undefined) throw new Error('usage: cli-floor.ts INPUT RESOLVED OUT');

const result = JSON.parse(readFileSync(resolved, 'utf8')) as { readonly paths: readonly unknown[] } & Record<string, unknown>;
const start = performance.now();
JSON.parse(readFileSync(input, 'utf8'));
const parsed = performance.now();
function* withNewline(value: unknown): Generator<string, void, undefined> {
  yield* prettyJsonChunks(value);
  yield '\n';
}
const paths = result.paths;
await writeChunksToFile(out, withNewline({ ...result, paths: new BatchedArray(paths.length, (from, to) => paths.slice(from, to)) }));
const written = performance.now();
process.stdout.write(`${JSON.stringify({ parseMs: parsed - start, writeMs: written - parsed })}\n`);
