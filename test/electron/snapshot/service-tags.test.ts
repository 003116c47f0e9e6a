/**
 * Service tag data in snapshots: stored with its change number, covered by the hash, validated on
 * load; `--service-tags` files read through the same InputError reporting; demos ship an excerpt.
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDemoSnapshot, buildSnapshot, formatSnapshot, loadInputs, parseServiceTagsText, parseSnapshotText, readServiceTagsFile, snapshotHash,
  withServiceTags,
} from '../../../electron/snapshot';
import { findDemo, DEMO_SERVICE_TAGS_EXCERPT, type DemoEstate } from '../../../shared/demo';
import { InputError } from '../../../shared/model/errors';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../shared/model/snapshot';

const TAGS: ServiceTagSet = {
  changeNumber: 376,
  cloud: 'Public',
  tags: [
    { name: 'Storage.WestEurope', region: 'westeurope', systemService: 'AzureStorage', addressPrefixes: ['13.69.40.0/24', '2603:1020:201::/48'], networkFeatures: ['API', 'NSG', 'UDR', 'FW', 'VSE'] },
    { name: 'ApiManagement', region: '', systemService: 'AzureApiManagement', addressPrefixes: ['13.64.39.16/32'], networkFeatures: null },
  ],
};

const DOWNLOAD_TEXT = JSON.stringify({
  changeNumber: 377, cloud: 'Public',
  values: [{ name: 'Sql', id: 'Sql', properties: { changeNumber: 3, region: '', regionId: 0, platform: 'Azure', systemService: 'AzureSQL', addressPrefixes: ['13.69.105.0/27'], networkFeatures: ['API', 'NSG', 'UDR', 'FW'] } }],
});

function emptySnapshot(serviceTags?: ServiceTagSet): Snapshot {
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt: '2026-11-20T10:00:00.000Z', source: 'import', origin: ['x.json'], capturedBy: null,
      scope: { tenantId: null, subscriptionIds: [], managementGroupId: null, cloud: null }, toolVersion: '0.1.0',
    },
    model: (buildDemoSnapshot(findDemo('bank') as DemoEstate)).model,
    effectiveRoutes: [],
    metrics: [],
    gaps: [],
    ...(serviceTags ? { serviceTags } : {}),
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

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-tags-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot serviceTags', () => {
  it('round-trips with its change number; the hash covers it', () => {
    const snapshot = emptySnapshot(TAGS);
    const read = parseSnapshotText(formatSnapshot(snapshot), 'snap.json');
    expect(read.serviceTags).toEqual(TAGS);
    expect(read.sha256).toBe(snapshot.sha256);
    expect(emptySnapshot().sha256).not.toBe(snapshot.sha256);
    expect(emptySnapshot({ ...TAGS, changeNumber: 377 }).sha256).not.toBe(snapshot.sha256);
  });

  it('loads snapshots without the field (older files) unchanged', () => {
    const read = parseSnapshotText(formatSnapshot(emptySnapshot()), 'old.json');
    expect('serviceTags' in read).toBe(false);
  });

  it('detects an edited tag list through the hash', () => {
    const json = JSON.parse(formatSnapshot(emptySnapshot(TAGS))) as Record<string, unknown> & { serviceTags: { tags: { addressPrefixes: string[] }[] } };
    json.serviceTags.tags[0]?.addressPrefixes.push('8.8.8.0/24');
    expect(inputErrorOf(() => parseSnapshotText(JSON.stringify(json), 'edited.json')).path).toBe('$.sha256');
  });

  it('validates the stored shape and names the JSON path under $.serviceTags', () => {
    const json = JSON.parse(formatSnapshot(emptySnapshot(TAGS))) as Record<string, unknown>;
    const bad = { ...json, serviceTags: { changeNumber: 376, cloud: 'Public', tags: [{ name: 'Storage', region: '', systemService: '', addressPrefixes: ['not-a-cidr'], networkFeatures: null }] } };
    const rehashed = { ...bad, sha256: snapshotHash(bad) };
    const error = inputErrorOf(() => parseSnapshotText(JSON.stringify(rehashed), 'bad.json'));
    expect([error.file, error.path]).toEqual(['bad.json', '$.serviceTags.tags[0].addressPrefixes[0]']);
    const wrongType = { ...json, serviceTags: [] };
    expect(inputErrorOf(() => parseSnapshotText(JSON.stringify({ ...wrongType, sha256: snapshotHash(wrongType) }), 'bad.json')).path).toBe('$.serviceTags');
  });

  it('withServiceTags replaces the data and re-hashes', () => {
    const before = emptySnapshot(TAGS);
    const after = withServiceTags(before, DEMO_SERVICE_TAGS_EXCERPT);
    expect(after.serviceTags).toBe(DEMO_SERVICE_TAGS_EXCERPT);
    expect(after.sha256).not.toBe(before.sha256);
    expect(parseSnapshotText(formatSnapshot(after), 'a.json').sha256).toBe(after.sha256);
  });

  it('loadInputs stores the given service tags (a single snapshot is re-hashed); merging keeps the newest data', async () => {
    const withTags = join(dir, 'with-tags.json');
    const plain = join(dir, 'plain.json');
    await writeFile(withTags, formatSnapshot(emptySnapshot(TAGS)));
    await writeFile(plain, formatSnapshot(emptySnapshot()));
    const options = { toolVersion: '9.9.9-test', now: () => new Date('2026-11-26T06:00:00.000Z') };
    const replaced = await loadInputs([withTags], { ...options, serviceTags: DEMO_SERVICE_TAGS_EXCERPT });
    expect(replaced.serviceTags).toEqual(DEMO_SERVICE_TAGS_EXCERPT);
    const merged = await loadInputs([plain, withTags], options);
    expect(merged.serviceTags).toEqual(TAGS);
    expect((await loadInputs([plain], options)).serviceTags).toBeUndefined();
  });

  it('demo snapshots carry the labelled excerpt', () => {
    const demo = buildDemoSnapshot(findDemo('training') as DemoEstate);
    expect(demo.serviceTags?.tags.map((t) => t.name)).toEqual(['AzureCloud.WestEurope', 'AzureMonitor', 'Sql', 'Storage', 'Storage.WestEurope']);
    expect(parseSnapshotText(formatSnapshot(demo), 'demo.json').serviceTags).toEqual(demo.serviceTags);
  });
});

describe('service tag files', () => {
  it('reads the download file shape (UTF-8 BOM tolerated)', async () => {
    const path = join(dir, 'ServiceTags_Public_20251116.json');
    await writeFile(path, `\ufeff${DOWNLOAD_TEXT}`);
    const set = await readServiceTagsFile(path);
    expect([set.changeNumber, set.tags[0]?.name]).toEqual([377, 'Sql']);
  });

  it('reports a missing file, bad JSON and a wrong shape as InputErrors naming the file', async () => {
    await expect(readServiceTagsFile(join(dir, 'nope.json'))).rejects.toMatchObject({ name: 'InputError', file: 'nope.json', path: '$' });
    expect(inputErrorOf(() => parseServiceTagsText('{ "values": [', 'broken.json'))).toMatchObject({ file: 'broken.json', expected: 'valid JSON' });
    expect(inputErrorOf(() => parseServiceTagsText('{ "resources": [] }', 'arm.json'))).toMatchObject({ file: 'arm.json', path: '$.values' });
  });
});
