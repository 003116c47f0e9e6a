/**
 * Evidence you can trust: input file hashes (`metadata.inputs`), the capture-time-independent
 * `contentSha256`, tamper refusal that does not print the forging hash, and `__proto__` members
 * that are hashed like any other (and pollute nothing).
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSnapshot, canonicalJson, contentHash, formatSnapshot, loadInputs, parseSnapshotText, sha256Hex, snapshotFromTexts, snapshotHash, snapshotHashes,
} from '../../../electron/snapshot';
import { canonicalMembers, sha256OfMembers } from '../../../electron/snapshot/canonical';
import { InputError } from '../../../shared/model/errors';
import { toResourceId } from '../../../shared/model/ids';
import type { ResourceMetric } from '../../../shared/model/snapshot';
import { inputText } from '../../shared/arm/helpers';

const OPTIONS = { toolVersion: '9.9.9-test', now: () => new Date('2026-11-26T06:00:00.000Z') };
const LATER = { ...OPTIONS, now: () => new Date('2027-02-01T12:34:56.000Z') };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function inputErrorOf(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

let dir = '';
let vnets: Buffer;
let firewallUtf16: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-trust-'));
  await mkdir(join(dir, 'export'));
  vnets = Buffer.from(inputText('az-vnet-list.json'), 'utf8');
  // Windows PowerShell `az ... > file` writes UTF-16LE with a BOM: the recorded hash is of these bytes, not the decoded text.
  firewallUtf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(inputText('arm-list-firewall.json'), 'utf16le')]);
  await writeFile(join(dir, 'export', 'vnets.json'), vnets);
  await writeFile(join(dir, 'export', 'firewall.json'), firewallUtf16);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('metadata.inputs', () => {
  it('records each file read: name, size in bytes and SHA-256 of the raw bytes', async () => {
    const snapshot = await loadInputs([join(dir, 'export')], OPTIONS);
    expect(snapshot.metadata.inputs).toEqual([
      { name: 'export/firewall.json', size: firewallUtf16.length, sha256: sha256(firewallUtf16) },
      { name: 'export/vnets.json', size: vnets.length, sha256: sha256(vnets) },
    ]);
    // Stored in the file and read back.
    expect(parseSnapshotText(formatSnapshot(snapshot), 's.json').metadata.inputs).toEqual(snapshot.metadata.inputs);
  });

  it('text-only imports (the app) hash the UTF-8 encoding of the text', () => {
    const text = inputText('az-vnet-list.json');
    const snapshot = snapshotFromTexts([{ name: 'vnets.json', text }], OPTIONS);
    expect(snapshot.metadata.inputs).toEqual([{ name: 'vnets.json', size: Buffer.byteLength(text, 'utf8'), sha256: sha256(Buffer.from(text, 'utf8')) }]);
  });

  it('a malformed inputs entry is refused with its JSON path', () => {
    const snapshot = snapshotFromTexts([{ name: 'vnets.json', text: inputText('az-vnet-list.json') }], OPTIONS);
    const { sha256: _s, contentSha256: _c, ...content } = snapshot;
    const bad = { ...content, metadata: { ...content.metadata, inputs: [{ name: 'x.json', size: -1, sha256: 'f'.repeat(64) }] } };
    const error = inputErrorOf(() => parseSnapshotText(JSON.stringify({ ...bad, sha256: snapshotHash(bad) }), 'bad.json'));
    expect(error.path).toBe('$.metadata.inputs[0].size');
  });
});

const METRIC: ResourceMetric = {
  resourceId: toResourceId('/subscriptions/22222222-2222-2222-2222-222222222222/resourcegroups/rg-hub/providers/microsoft.network/azurefirewalls/fw-hub'),
  metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum', windowStart: '2026-11-19T10:00:00Z', windowEnd: '2026-11-20T10:00:00Z',
  value: 42, unit: 'Percent',
};

describe('contentSha256', () => {
  it('the same inputs at different times: different sha256, equal contentSha256', async () => {
    const first = await loadInputs([join(dir, 'export')], OPTIONS);
    const second = await loadInputs([join(dir, 'export')], LATER);
    expect(first.metadata.capturedAt).not.toBe(second.metadata.capturedAt);
    expect(first.sha256).not.toBe(second.sha256);
    expect(first.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.contentSha256).toBe(second.contentSha256);
  });

  it('covers the model, effective routes, metrics and service tags alone, as canonical JSON', async () => {
    const snapshot = await loadInputs([join(dir, 'export')], OPTIONS);
    const { model, effectiveRoutes, metrics, serviceTags } = snapshot;
    expect(snapshot.contentSha256).toBe(sha256Hex(canonicalJson({ model, effectiveRoutes, metrics, serviceTags })));
    // Any change of the content changes it; a change of the gaps or metadata does not.
    const { sha256: _s, contentSha256: _c, ...content } = snapshot;
    expect(buildSnapshot({ ...content, metrics: [{ ...METRIC }] }).contentSha256).not.toBe(snapshot.contentSha256);
    expect(buildSnapshot({ ...content, gaps: [] }).contentSha256).toBe(snapshot.contentSha256);
  });

  it('is written next to sha256, at the end of the file, and checked on load', async () => {
    const snapshot = await loadInputs([join(dir, 'export')], OPTIONS);
    const text = formatSnapshot(snapshot);
    expect(text).toMatch(/"contentSha256": "[0-9a-f]{64}",\n {2}"sha256": "[0-9a-f]{64}"\n\}\n$/);
    // A stale contentSha256 is refused even when sha256 was recomputed over the rest.
    const json = JSON.parse(text) as Record<string, unknown>;
    const forged = { ...json, contentSha256: 'a'.repeat(64) };
    const error = inputErrorOf(() => parseSnapshotText(JSON.stringify({ ...forged, sha256: snapshotHash(forged) }), 'forged.json'));
    expect(error.path).toBe('$.contentSha256');
    expect(error.message).not.toContain(snapshot.contentSha256);
    expect(inputErrorOf(() => parseSnapshotText(JSON.stringify({ ...json, contentSha256: 'not hex' }), 'x.json')).path).toBe('$.contentSha256');
  });

  it('older snapshots without it still load, and get it computed', async () => {
    const snapshot = await loadInputs([join(dir, 'export')], OPTIONS);
    const { contentSha256, ...older } = snapshot;
    const loaded = parseSnapshotText(JSON.stringify(older), 'old.json');
    expect(loaded.sha256).toBe(snapshot.sha256);
    expect(loaded.contentSha256).toBe(contentSha256);
    // Saved again (the app's Save snapshot), it loads: sha256 does not cover contentSha256.
    expect(parseSnapshotText(formatSnapshot(loaded), 'resaved.json').sha256).toBe(snapshot.sha256);
  });
});

describe('tampered snapshots', () => {
  it('are refused without printing the hash that would make the edit load', async () => {
    const text = formatSnapshot(await loadInputs([join(dir, 'export')], OPTIONS));
    const edited = text.replace('"10.0.1.4"', '"10.0.1.5"');
    expect(edited).not.toBe(text);
    const forgingHash = snapshotHash(JSON.parse(edited) as Record<string, unknown>);
    const error = inputErrorOf(() => parseSnapshotText(edited, 'hub.snapshot.json'));
    expect(error.path).toBe('$.sha256');
    expect(error.message).toContain('modified since capture');
    expect(error.message).not.toContain(forgingHash);
    expect(error.message).not.toContain(forgingHash.slice(0, 12));
  });

  describe('a "__proto__" member', () => {
    /** A valid snapshot file text with extra `__proto__` members at the top and inside metadata, hashed as written. */
    async function withProtoMembers(): Promise<string> {
      const snapshot = await loadInputs([join(dir, 'export')], OPTIONS);
      const text = formatSnapshot(snapshot)
        .replace('{\n  "format"', '{\n  "__proto__": { "polluted": "top" },\n  "format"')
        .replace('"metadata": {', '"metadata": {\n    "__proto__": { "polluted": "nested" },');
      // JSON.parse makes `__proto__` an own member, as any JSON reader does; the hash must cover it.
      const json = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(json)).toContain('__proto__');
      return text.replace(snapshot.sha256, snapshotHash(json)).replace(snapshot.contentSha256 ?? '', contentHash(json));
    }

    it('is part of the hash: the file loads as written, and editing the member breaks the hash', async () => {
      const text = await withProtoMembers();
      const loaded = parseSnapshotText(text, 'proto.json');
      expect(Object.keys(loaded)).toContain('__proto__');
      // Written back unchanged, it still verifies.
      expect(parseSnapshotText(formatSnapshot(loaded), 'again.json').sha256).toBe(loaded.sha256);
      const edited = text.replace('"polluted": "top"', '"polluted": "edited"');
      expect(inputErrorOf(() => parseSnapshotText(edited, 'proto.json')).path).toBe('$.sha256');
      const editedNested = text.replace('"polluted": "nested"', '"polluted": "edited"');
      expect(inputErrorOf(() => parseSnapshotText(editedNested, 'proto.json')).path).toBe('$.sha256');
      const removed = text.replace('  "__proto__": { "polluted": "top" },\n', '');
      expect(inputErrorOf(() => parseSnapshotText(removed, 'proto.json')).path).toBe('$.sha256');
    });

    it('pollutes no prototype', async () => {
      const loaded = parseSnapshotText(await withProtoMembers(), 'proto.json');
      const plain: Record<string, unknown> = {};
      expect(plain.polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(loaded.metadata)).toBe(Object.prototype);
      expect((loaded as unknown as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('canonical JSON writes it like any other key', () => {
      expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"z":1,"a":2}}'))).toBe('{"__proto__":{"a":2,"z":1},"b":1}');
    });
  });
});

describe('member-wise hashing', () => {
  const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'sha256', 'model', '10', '9', 'constructor'));
  const record = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }).map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);

  it('equals sha256Hex(canonicalJson(subset)) for any object and any subset of its members', () => {
    fc.assert(fc.property(record, fc.func(fc.boolean()), (value, pick) => {
      const include = (k: string): boolean => pick(k);
      const subset = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(value)) if (include(k)) subset[k] = value[k];
      expect(sha256OfMembers(canonicalMembers(value), include)).toBe(sha256Hex(canonicalJson(subset)));
    }));
  });

  it('snapshotHashes gives the same sha256 as the plain canonical hash of every member but the two hashes', () => {
    const json = JSON.parse(inputText('az-vnet-list.json')) as unknown;
    const value = { format: 'x', model: json, sha256: 'ignored', contentSha256: 'ignored', '7': 1, extra: [1, 'two'] };
    const { sha256: _s, contentSha256: _c, ...rest } = value;
    expect(snapshotHashes(value).sha256).toBe(sha256Hex(canonicalJson(rest)));
  });
});

describe('canonical JSON key order', () => {
  /**
   * The canonical form as the README states it, written independently: members in sorted key
   * order (UTF-16 code units, as `jq -S` and RFC 8785 sort), no whitespace. What an auditor
   * recomputes the hash with.
   */
  const sortedJson = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : sortedJson(v))).join(',')}]`;
    const record = value as Readonly<Record<string, unknown>>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(record[k])}`).join(',')}}`;
  };

  /**
   * The form earlier versions hashed: JSON.stringify over objects rebuilt with sorted keys, which
   * JavaScript lists with integer-like keys ("9", "10") first in numeric order.
   */
  const integerKeysFirstJson = (value: unknown): string => JSON.stringify(value, (_key: string, member: unknown): unknown => {
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    const record = member as Readonly<Record<string, unknown>>;
    const copy = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(record).sort()) copy[k] = record[k];
    return copy;
  });

  it('writes integer-like keys in sorted order too ("10" before "9", "-x" before "1")', () => {
    expect(canonicalJson({ 9: 'nine', 10: 'ten', '-x': 1, a: { 2: true, 10: false } })).toBe('{"-x":1,"10":"ten","9":"nine","a":{"10":false,"2":true}}');
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('9', '10', '0', '4294967294', '-1', '$t', '__proto__'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 0 }), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
    })).node.map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(fc.property(value, (v) => { expect(canonicalJson(v)).toBe(sortedJson(v)); }));
  });

  it('a snapshot with tags "9" and "10": its sha256 and contentSha256 are SHA-256 of its JSON with keys sorted', async () => {
    const { sha256: _s, contentSha256: _c, ...content } = await loadInputs([join(dir, 'export')], OPTIONS);
    const [first, ...others] = content.model.subnets;
    if (first === undefined) throw new Error('the export has a subnet');
    const model = { ...content.model, subnets: [{ ...first, tags: { ...first.tags, 9: 'nine', 10: 'ten' } }, ...others] };
    const snapshot = buildSnapshot({ ...content, model });
    expect(snapshot.sha256).toBe(sha256Hex(sortedJson({ ...content, model })));
    const { effectiveRoutes, metrics, serviceTags } = content;
    expect(snapshot.contentSha256).toBe(sha256Hex(sortedJson({ model, effectiveRoutes, metrics, serviceTags })));
    expect(parseSnapshotText(formatSnapshot(snapshot), 'tags.json').sha256).toBe(snapshot.sha256);
  });

  it('a snapshot hashed by an earlier version (integer-like keys first) still loads, with the hashes it records; an edit of it is refused', async () => {
    const { sha256: _s, contentSha256: _c, ...content } = await loadInputs([join(dir, 'export')], OPTIONS);
    const [first, ...others] = content.model.subnets;
    if (first === undefined) throw new Error('the export has a subnet');
    const model = { ...content.model, subnets: [{ ...first, tags: { ...first.tags, 9: 'nine', 10: 'ten' } }, ...others] };
    const { effectiveRoutes, metrics, serviceTags } = content;
    const sha256 = sha256Hex(integerKeysFirstJson({ ...content, model }));
    const contentSha256 = sha256Hex(integerKeysFirstJson({ model, effectiveRoutes, metrics, serviceTags }));
    // The two forms differ for this content: the file is one that only the earlier form verifies.
    expect(sha256).not.toBe(sha256Hex(sortedJson({ ...content, model })));
    const text = JSON.stringify({ ...content, model, contentSha256, sha256 }, null, 2);
    const loaded = parseSnapshotText(text, 'earlier.json');
    expect(loaded.sha256).toBe(sha256);
    expect(loaded.contentSha256).toBe(contentSha256);
    expect(inputErrorOf(() => parseSnapshotText(text.replace('"nine"', '"eight"'), 'earlier.json')).path).toBe('$.sha256');
    const staleContent = JSON.stringify({ ...content, model, contentSha256: 'a'.repeat(64), sha256 }, null, 2);
    expect(inputErrorOf(() => parseSnapshotText(staleContent, 'earlier.json')).path).toBe('$.contentSha256');
  });
});
