import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchedArray, prettyJsonChunks, writeChunksToFile, writePrettyJson } from '../../../electron/cli/json-stream';
import { runCli } from '../../../electron/cli/main';
import type { CliIo } from '../../../electron/cli/command';
import { normalizeArm } from '../../../shared/arm/index';
import { resolveEgress } from '../../../shared/egress/index';
import { toResolveJson } from '../../../shared/egress/explain';
import { DEMO_ESTATES, generateSyntheticEstate } from '../../../shared/demo/index';
import { demoSnapshot } from '../../../electron/cli/estate';

function streamed(value: unknown): { text: string; chunks: number } {
  const chunks: string[] = [];
  writePrettyJson(value, (c) => chunks.push(c));
  return { text: chunks.join(''), chunks: chunks.length };
}

const SMALL_ESTATE = { subscriptions: 3, virtualNetworks: 18, subnets: 150, networkInterfaces: 600, seed: 7 } as const;

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-json-stream-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePrettyJson', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes', () => {
    const cases: unknown[] = [
      {}, [], null, 3, 'x', { a: [] }, { a: [1, undefined, () => 1, { b: [{}] }], c: undefined, d: 'q"\n', e: { f: [1, 2] } },
      { nested: { deep: [[1, [2]], { x: null }] }, empty: {}, list: ['a', 'b'] },
      { date: new Date(0) }, { withToJson: { toJSON: () => 'j' } },
      { only: undefined }, { 'a "quoted"\nkey': 1, 'é → ü': ['ß'], '': [] },
    ];
    for (const value of cases) expect(streamed(value).text).toBe(JSON.stringify(value, null, 2));
  });

  it('matches JSON.stringify for large arrays whatever their elements (holes, undefined, toJSON, nesting)', () => {
    const elements = Array.from({ length: 1000 }, (_, i): unknown => {
      if (i % 97 === 0) return undefined;
      if (i % 89 === 0) return () => i;
      if (i % 83 === 0) return { toJSON: () => ({ converted: i }) };
      if (i % 7 === 0) return [i, { deep: [i, 'x\u2192y'] }];
      return { i, text: `element ${i} \u2192 "quoted"`, list: [], empty: {} };
    });
    const sparse: unknown[] = [];
    sparse[300] = 'last';
    const withToJson = Object.assign([1, 2, 3], { toJSON: () => 'the array said so' });
    const value = { first: 'a', elements, sparse, withToJson, last: elements.slice(0, 70) };
    expect(streamed(value).text).toBe(JSON.stringify(value, null, 2));
    // A key that is an Object.prototype accessor elsewhere is still an ordinary member here.
    const proto = JSON.parse(`{"__proto__": ${JSON.stringify(elements.slice(0, 200))}, "x": 1}`) as unknown;
    expect(streamed(proto).text).toBe(JSON.stringify(proto, null, 2));
  });

  it('matches JSON.stringify on every demo estate resolve result', () => {
    for (const demo of DEMO_ESTATES) {
      const json = toResolveJson(resolveEgress(demoSnapshot(demo, new Date(0)), {}));
      expect(streamed(json).text).toBe(JSON.stringify(json, null, 2));
    }
  });

  it('matches JSON.stringify on a synthetic estate resolve result', () => {
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'synthetic.json', json: generateSyntheticEstate(SMALL_ESTATE) }]);
    const json = toResolveJson(resolveEgress({ model, effectiveRoutes, gaps, metrics: [] }, {}));
    // Enough paths for several batches of elements.
    expect(json.paths.length).toBeGreaterThan(200);
    const { text, chunks } = streamed(json);
    expect(text).toBe(JSON.stringify(json, null, 2));
    expect(chunks).toBeGreaterThan(3);
  });

  it('writes a large array in pieces, none holding the whole document', () => {
    const value = { paths: Array.from({ length: 20_000 }, (_, i) => ({ id: `/subscriptions/s/x/${i}`, hops: ['a'.repeat(100)] })) };
    const pieces = [...prettyJsonChunks(value)];
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    expect(pieces.length).toBeGreaterThan(100);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(100_000);
  });
});

describe('BatchedArray', () => {
  it('elements whose size jumps (tiny, then 100,000 characters, then tiny) are written whole and in order, in pieces sized to them', () => {
    // Pieces are sized from the previous piece's length (to stay under V8's large-object size):
    // a jump either way must neither split an element nor drop or repeat one.
    const all = Array.from({ length: 400 }, (_, i) => ({ i, text: (i >= 100 && i < 110 ? 'x\u2192'.repeat(50_000) : `e${i}`) }));
    const pieces = [...prettyJsonChunks({ list: new BatchedArray(all.length, (start, end) => all.slice(start, end)) })];
    expect(pieces.join('')).toBe(JSON.stringify({ list: all }, null, 2));
    // After the large elements, small ones are again gathered into pieces of many elements.
    const lastPieces = pieces.slice(-10).filter((p) => p.length > 10);
    expect(lastPieces.every((p) => p.length < 70_000)).toBe(true);
    expect(Math.max(...pieces.slice(0, 4).map((p) => p.length))).toBeLessThan(70_000);
  });

  it('is written as its whole array, each batch made only when it is written', () => {
    const all = Array.from({ length: 1000 }, (_, i) => ({ i, text: `element ${i} \u2192` }));
    const asked: [number, number][] = [];
    const lazy = new BatchedArray(all.length, (start, end) => {
      asked.push([start, end]);
      return all.slice(start, end);
    });
    const pieces = prettyJsonChunks({ head: 'x', list: lazy, small: new BatchedArray(2, () => ['a', 'b']), tail: [] });
    const first = pieces.next();
    expect(first.value).toBe('{\n  "head": "x",\n  "list": [\n');
    expect(asked).toEqual([]);
    const rest = [...pieces].join('');
    expect(first.value + rest).toBe(JSON.stringify({ head: 'x', list: all, small: ['a', 'b'], tail: [] }, null, 2));
    expect(asked.length).toBeGreaterThan(10);
    expect(asked.every(([start, end]) => end - start <= 64)).toBe(true);
    expect(asked.map(([start]) => start)).toEqual(asked.map((_, i) => i * 64));
  });
});

describe('writeChunksToFile', () => {
  it('writes the pieces as UTF-8, in order, growing its buffers for larger pieces', async () => {
    const pieces = ['{', 'é → ü'.repeat(10), 'x'.repeat(70_000), '\u{1F600}'.repeat(5_000), '', 'a', '→'.repeat(200_000), '}\n'];
    const path = join(dir, 'pieces.json');
    await writeFile(path, 'an older, longer file that must be truncated'.repeat(100_000));
    await writeChunksToFile(path, pieces);
    const expected = Buffer.from(pieces.join(''), 'utf8');
    const written = await readFile(path);
    expect(written.length).toBe(expected.length);
    expect(written.equals(expected)).toBe(true);
  });

  it('closes the file and rethrows when producing a piece fails', async () => {
    const path = join(dir, 'failing.json');
    function* failing(): Generator<string> {
      yield 'partial';
      throw new Error('no more');
    }
    await expect(writeChunksToFile(path, failing())).rejects.toThrow('no more');
  });
});

describe('resolve --format json --out', () => {
  it('writes the same bytes as JSON.stringify(result, null, 2) for an ARM export', async () => {
    const estate = generateSyntheticEstate(SMALL_ESTATE);
    await writeFile(join(dir, 'synthetic.json'), JSON.stringify(estate));
    let stderr = '';
    const io: CliIo = { stdout: () => undefined, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: {} };
    expect(await runCli(['resolve', 'synthetic.json', '--format', 'json', '--out', 'out.json'], io)).toBe(0);
    expect(stderr).toBe('wrote out.json\n');
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'synthetic.json', json: estate }]);
    const expected = `${JSON.stringify(toResolveJson(resolveEgress({ model, effectiveRoutes, gaps, metrics: [] }, {})), null, 2)}\n`;
    expect(await readFile(join(dir, 'out.json'), 'utf8')).toBe(expected);
  });
});
