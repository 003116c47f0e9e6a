/**
 * Snapshot files: canonical hashing, round trip, tamper detection, shape validation, and loading
 * mixed inputs (snapshots + ARM / az JSON, files and directories).
 */
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSnapshot, canonicalJson, decodeText, formatSnapshot, isSnapshotJson, loadInputs, parseSnapshotText, readSnapshotFile, sha256Hex,
  snapshotFromTexts, TOOL_VERSION, writeSnapshot,
} from '../../../electron/snapshot';
import { normalizeArm } from '../../../shared/arm';
import { InputError } from '../../../shared/model/errors';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../shared/model/snapshot';
import { INPUTS_DIR, inputText } from '../../shared/arm/helpers';

const NOW = () => new Date('2026-11-26T06:00:00.000Z');
const OPTIONS = { toolVersion: '9.9.9-test', now: NOW };
const FIREWALL_ID = '/subscriptions/22222222-2222-2222-2222-222222222222/resourcegroups/rg-hub/providers/microsoft.network/azurefirewalls/fw-hub';

function hubSnapshot(): Snapshot {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'arm-list-firewall.json', json: JSON.parse(inputText('arm-list-firewall.json')) }]);
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt: '2026-11-20T10:00:00.000Z', source: 'live-pull', origin: ['alice@contoso.com'], capturedBy: 'alice@contoso.com',
      scope: { tenantId: 'tenant-1', subscriptionIds: ['22222222-2222-2222-2222-222222222222'], managementGroupId: null, cloud: 'AzurePublicCloud' },
      toolVersion: '0.1.0',
    },
    model,
    effectiveRoutes,
    metrics: [{
      resourceId: FIREWALL_ID as Snapshot['metrics'][number]['resourceId'], metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum',
      windowStart: '2026-11-19T10:00:00Z', windowEnd: '2026-11-20T10:00:00Z', value: 42, unit: 'Percent',
    }],
    gaps: [...gaps, { code: 'access-denied', scope: '/subscriptions/33333333-3333-3333-3333-333333333333', message: 'No read access.' }],
  });
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

async function rejectionOf(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('canonical JSON and hashing', () => {
  it('sorts keys at every depth, keeps array order, drops undefined, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1, { z: 'x', y: null }], c: undefined }, 'é': true }))
      .toBe('{"a":{"d":[2,1,{"y":null,"z":"x"}]},"b":1,"é":true}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('sha256Hex is standard SHA-256 of UTF-8', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('buildSnapshot hashes everything but sha256, independent of key order', () => {
    const snapshot = hubSnapshot();
    // contentSha256 is left out of sha256: it is derived from the content and checked on its own (trust.test.ts).
    const { sha256, contentSha256: _contentSha256, ...content } = snapshot;
    expect(sha256).toBe(sha256Hex(canonicalJson(content)));
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    expect(buildSnapshot(reordered).sha256).toBe(sha256);
    const [metric] = content.metrics;
    expect(buildSnapshot({ ...content, metrics: metric === undefined ? [] : [{ ...metric, value: 43 }] }).sha256).not.toBe(sha256);
  });
});

describe('snapshot files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egress-atlas-snapshot-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round trip: write → read gives the same snapshot and hash; the file is pretty JSON with a trailing newline', async () => {
    const snapshot = hubSnapshot();
    const path = join(dir, 'hub.snapshot.json');
    await writeSnapshot(path, snapshot);
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "format": "egress-atlas/snapshot@1"');
    const read = await readSnapshotFile(path);
    expect(read.sha256).toBe(snapshot.sha256);
    expect(read).toEqual(snapshot);
  });

  it('a write cancelled half-way (Ctrl+C) rejects and leaves neither the snapshot nor `<out>.<pid>.tmp` behind', async () => {
    // The CLI kept no SIGINT handler through the write, so Ctrl+C left the temporary file (the
    // estate's whole topology) behind. Cancelled here from the write itself: no timing involved.
    const sub = await mkdtemp(join(dir, 'cancelled-'));
    const path = join(sub, 'hub.snapshot.json');
    const controller = new AbortController();
    const seen: string[][] = [];
    const writing = writeSnapshot(path, hubSnapshot(), {
      signal: controller.signal,
      onProgress: () => {
        seen.push(readdirSync(sub));
        controller.abort();
      },
    });
    await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen[0], 'the temporary file existed when the write was cancelled').toEqual([`hub.snapshot.json.${process.pid}.tmp`]);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('a write cancelled before it starts writes nothing', async () => {
    const sub = await mkdtemp(join(dir, 'cancelled-before-'));
    const controller = new AbortController();
    controller.abort();
    await expect(writeSnapshot(join(sub, 'hub.snapshot.json'), hubSnapshot(), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(sub)).toEqual([]);
  });

  it('a file edited after capture is rejected: the hash no longer matches', () => {
    const text = formatSnapshot(hubSnapshot()).replace('"10.0.1.4"', '"10.0.1.5"');
    const error = inputErrorOf(() => parseSnapshotText(text, 'hub.snapshot.json'));
    expect(error.file).toBe('hub.snapshot.json');
    expect(error.path).toBe('$.sha256');
    expect(error.expected).toContain('the file was modified since capture');
  });

  it.each([
    ['another format', (s: Record<string, unknown>) => ({ ...s, format: 'egress-atlas/snapshot@2' }), '$.format', '"egress-atlas/snapshot@1"'],
    ['a missing model list', (s: Record<string, unknown>) => ({ ...s, model: { ...(s.model as object), subnets: undefined } }), '$.model.subnets', 'an array'],
    ['a non-canonical resource ID', (s: Record<string, unknown>) => {
      const model = s.model as Snapshot['model'];
      const [fw] = model.azureFirewalls;
      return { ...s, model: { ...model, azureFirewalls: [{ ...fw, id: FIREWALL_ID.toUpperCase() }] } };
    }, '$.model.azureFirewalls[0].id', 'a canonical (lower-case) ARM resource ID'],
    ['a bad firewall rule action', (s: Record<string, unknown>) => {
      const model = s.model as Snapshot['model'];
      const [policy] = model.firewallPolicies;
      return { ...s, model: { ...model, firewallPolicies: [{ ...policy, rules: [{ ...policy?.rules[0], action: 'Maybe' }] }] } };
    }, '$.model.firewallPolicies[0].rules[0].action', '"Allow" or "Deny"'],
    ['an unknown gap code', (s: Record<string, unknown>) => ({ ...s, gaps: [{ code: 'oops', scope: 'x', message: 'y' }] }), '$.gaps[0].code', '"access-denied"'],
    ['a metric value that is not a number', (s: Record<string, unknown>) => ({ ...s, metrics: [{ ...(s.metrics as object[])[0], value: 'high' }] }),
      '$.metrics[0].value', 'a number'],
    ['a sha256 that is not hex', (s: Record<string, unknown>) => ({ ...s, sha256: 'abc' }), '$.sha256', '64-digit'],
  ])('validates the shape: %s', (_label, edit, path, expected) => {
    const edited = edit(hubSnapshot() as unknown as Record<string, unknown>);
    const error = inputErrorOf(() => parseSnapshotText(JSON.stringify(edited), 'edited.json'));
    expect(error.file).toBe('edited.json');
    expect(error.path).toBe(path);
    expect(error.expected).toContain(expected);
  });

  it('any single edited value is reported as an InputError (shape or hash), never a crash', () => {
    const original = JSON.parse(formatSnapshot(hubSnapshot())) as unknown;
    const leaves: (readonly (string | number)[])[] = [];
    const walk = (value: unknown, path: readonly (string | number)[]): void => {
      leaves.push(path);
      if (Array.isArray(value)) value.forEach((v: unknown, i) => walk(v, [...path, i]));
      else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(original, []);
    const replaceAt = (value: unknown, path: readonly (string | number)[], junk: unknown): unknown => {
      const [head, ...rest] = path;
      if (head === undefined) return junk;
      if (Array.isArray(value)) return value.map((v: unknown, i) => (i === head ? replaceAt(v, rest, junk) : v));
      const record = value as Record<string, unknown>;
      return { ...record, [head]: replaceAt(record[head], rest, junk) };
    };
    fc.assert(fc.property(fc.constantFrom(...leaves), fc.jsonValue({ maxDepth: 2 }), (path, junk) => {
      const edited = replaceAt(original, path, junk);
      fc.pre(JSON.stringify(edited) !== JSON.stringify(original));
      expect(() => parseSnapshotText(JSON.stringify(edited), 'edited.json')).toThrow(InputError);
    }), { numRuns: 300 });
  });

  it('recognises snapshot JSON of any version, and nothing else', () => {
    expect(isSnapshotJson(hubSnapshot())).toBe(true);
    expect(isSnapshotJson({ format: 'egress-atlas/snapshot@2' })).toBe(true);
    expect(isSnapshotJson({ value: [] })).toBe(false);
    expect(isSnapshotJson([{ format: SNAPSHOT_FORMAT }])).toBe(false);
  });

  it('TOOL_VERSION is the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});

describe('loading inputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egress-atlas-inputs-'));
    await mkdir(join(dir, 'export', 'hub'), { recursive: true });
    await writeFile(join(dir, 'export', 'spoke.json'), inputText('bundle-spoke.json'));
    await writeFile(join(dir, 'export', 'README.txt'), 'not JSON, skipped');
    await writeFile(join(dir, 'export', '._spoke.json'), Buffer.from([0, 5, 22, 7]));
    await writeFile(join(dir, 'export', 'hub', 'vnets.json'), inputText('az-vnet-list.json'));
    // Windows PowerShell `az ... > file` writes UTF-16LE with a BOM.
    await writeFile(join(dir, 'export', 'hub', 'firewall.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(inputText('arm-list-firewall.json'), 'utf16le')]));
    await writeFile(join(dir, 'hub.snapshot.json'), formatSnapshot(hubSnapshot()));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a directory (sorted, one level deep; non-JSON files skipped with a gap, hidden files ignored) into an import snapshot', async () => {
    const snapshot = await loadInputs([join(dir, 'export')], OPTIONS);
    expect(snapshot.metadata).toEqual({
      capturedAt: '2026-11-26T06:00:00.000Z',
      source: 'import',
      origin: ['export/hub/firewall.json', 'export/hub/vnets.json', 'export/spoke.json'],
      capturedBy: null,
      scope: { tenantId: null, subscriptionIds: ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'], managementGroupId: null, cloud: null },
      toolVersion: '9.9.9-test',
      // Names, sizes and hashes of the files read: trust.test.ts checks them.
      inputs: expect.any(Array) as unknown,
    });
    // `scope` and `inputs` are computed when first read, yet written in the snapshot's member order.
    expect(Object.keys(JSON.parse(formatSnapshot(snapshot)).metadata as object)).toEqual(['capturedAt', 'source', 'origin', 'capturedBy', 'scope', 'toolVersion', 'inputs']);
    expect(snapshot.model.virtualNetworks.map((v) => v.name)).toEqual(['vnet-spoke', 'vnet-hub']);
    expect(snapshot.model.azureFirewalls).toHaveLength(1);
    expect(snapshot.effectiveRoutes).toHaveLength(1);
    // The spoke's file lists no peering while the hub's `hub-to-spoke` says Connected, which Azure
    // shows only while both sides exist: the spoke's side was not exported, and a gap says so.
    expect(snapshot.gaps.map((g) => g.scope)).toEqual([
      '/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-spoke/providers/microsoft.network/virtualnetworks/vnet-spoke/virtualnetworkpeerings/not-exported-pair-of-hub-to-spoke',
      'export/README.txt',
      'microsoft.compute/disks', 'microsoft.storage/storageaccounts',
    ]);
    expect(snapshot.gaps.find((g) => g.scope === 'export/README.txt')).toMatchObject({ code: 'skipped-input', message: expect.stringMatching(/^export\/README\.txt: .*expected valid JSON.*The file was skipped\.$/) });
    // The result is a valid, verifiable snapshot.
    expect(parseSnapshotText(formatSnapshot(snapshot), 'out.json').sha256).toBe(snapshot.sha256);
  });

  it('returns a snapshot given alone unchanged', async () => {
    const snapshot = await loadInputs([join(dir, 'hub.snapshot.json')], OPTIONS);
    expect(snapshot).toEqual(hubSnapshot());
    expect(snapshot.metadata.source).toBe('live-pull');
  });

  it('merges a snapshot with ARM files: model, effective routes, metrics, gaps', async () => {
    const snapshot = await loadInputs([join(dir, 'hub.snapshot.json'), join(dir, 'export', 'spoke.json')], OPTIONS);
    expect(snapshot.metadata).toMatchObject({ source: 'import', origin: ['hub.snapshot.json', 'spoke.json'] });
    expect(snapshot.metadata.scope).toMatchObject({ tenantId: 'tenant-1', cloud: 'AzurePublicCloud' });
    expect(snapshot.model.azureFirewalls.map((f) => f.name)).toEqual(['fw-hub']);
    expect(snapshot.model.virtualNetworks.map((v) => v.name)).toEqual(['vnet-spoke']);
    expect(snapshot.effectiveRoutes).toHaveLength(1);
    expect(snapshot.metrics.map((m) => m.metricName)).toEqual(['SNATPortUtilization']);
    expect(snapshot.gaps.map((g) => g.code)).toEqual(['access-denied', 'unsupported-resource-type', 'unsupported-resource-type']);
  });

  it('snapshotFromTexts: JSON syntax errors name the file, line and column', () => {
    const error = inputErrorOf(() => snapshotFromTexts([{ name: 'broken-syntax.json', text: inputText('broken-syntax.json') }], OPTIONS));
    expect(error.file).toBe('broken-syntax.json');
    expect(error.path).toMatch(/^line 3, column \d+$/);
    expect(error.expected).toBe('valid JSON');
  });

  it('snapshotFromTexts: a malformed resource is left out with a gap naming its file and path; the rest is read', () => {
    const snapshot = snapshotFromTexts([
      { name: 'ok.json', text: inputText('az-vnet-list.json') },
      { name: 'bad-cidr.json', text: inputText('bad-cidr.json') },
    ], OPTIONS);
    expect(snapshot.model.virtualNetworks.length).toBeGreaterThan(0);
    const skipped = snapshot.gaps.filter((g) => g.code === 'skipped-input');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.message).toContain('bad-cidr.json: $.resources[3].properties.subnets[0].properties.addressPrefix: expected a CIDR');
  });

  it('a missing path is an InputError, not a stack trace', async () => {
    const error = await rejectionOf(loadInputs([join(INPUTS_DIR, 'does-not-exist.json')], OPTIONS));
    expect(error.expected).toBe('a readable file or directory');
    expect(error.found).toBe('ENOENT');
  });

  it('decodes UTF-8 with BOM and UTF-16 (LE and BE) with BOM', () => {
    expect(decodeText(Buffer.from('\uFEFF{"a":1}', 'utf8'))).toBe('{"a":1}');
    // ASCII, and UTF-8 beyond it (multi-byte characters decoded, not read byte by byte).
    expect(decodeText(Buffer.from('{"a":"plain"}', 'utf8'))).toBe('{"a":"plain"}');
    expect(decodeText(Buffer.from('{"a":"é → ü \u{1F600}"}', 'utf8'))).toBe('{"a":"é → ü \u{1F600}"}');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]))).toBe('{"a":1}');
    const be = Buffer.from('{"a":1}', 'utf16le').swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe('{"a":1}');
  });
});
