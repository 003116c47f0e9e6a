import { describe, expect, it } from 'vitest';
import { writePrettyJson } from '../../../electron/cli/json-stream';
import { resolveEgress } from '../../../shared/egress/index';
import { toResolveJson } from '../../../shared/egress/explain';
import { DEMO_ESTATES } from '../../../shared/demo/index';
import { demoSnapshot } from '../../../electron/cli/estate';

function streamed(value: unknown): { text: string; chunks: number } {
  const chunks: string[] = [];
  writePrettyJson(value, (c) => chunks.push(c));
  return { text: chunks.join(''), chunks: chunks.length };
}

describe('writePrettyJson', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes', () => {
    const cases: unknown[] = [
      {}, [], null, 3, 'x', { a: [] }, { a: [1, undefined, () => 1, { b: [{}] }], c: undefined, d: 'q"\n', e: { f: [1, 2] } },
      { nested: { deep: [[1, [2]], { x: null }] }, empty: {}, list: ['a', 'b'] },
      { date: new Date(0) }, { withToJson: { toJSON: () => 'j' } },
    ];
    for (const value of cases) expect(streamed(value).text).toBe(JSON.stringify(value, null, 2));
  });

  it('matches JSON.stringify on every demo estate resolve result', () => {
    for (const demo of DEMO_ESTATES) {
      const json = toResolveJson(resolveEgress(demoSnapshot(demo, new Date(0)), {}));
      expect(streamed(json).text).toBe(JSON.stringify(json, null, 2));
    }
  });

  it('writes a large array in pieces of about a megabyte', () => {
    const value = { paths: Array.from({ length: 20_000 }, (_, i) => ({ id: `/subscriptions/s/x/${i}`, hops: ['a'.repeat(100)] })) };
    const { text, chunks } = streamed(value);
    expect(text).toBe(JSON.stringify(value, null, 2));
    expect(chunks).toBeGreaterThan(2);
  });
});
