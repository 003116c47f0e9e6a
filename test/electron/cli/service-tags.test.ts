/**
 * `--service-tags FILE` on resolve, report and snapshot: the file's data goes into the snapshot
 * (with its change number); bad or missing files exit 2 naming the file.
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import { parseSnapshotText } from '../../../electron/snapshot';

let dir = '';

function cli(args: readonly string[]): Promise<CliRun> {
  return runCliIn(dir, args);
}

/** A downloaded `ServiceTags_Public_*.json` excerpt. */
const DOWNLOAD = {
  changeNumber: 377, cloud: 'Public',
  values: [
    { name: 'Storage.WestEurope', id: 'Storage.WestEurope', properties: { changeNumber: 42, region: 'westeurope', regionId: 18, platform: 'Azure', systemService: 'AzureStorage', addressPrefixes: ['13.69.40.0/24'], networkFeatures: ['API', 'NSG', 'UDR', 'FW', 'VSE'] } },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-cli-tags-'));
  await writeFile(join(dir, 'ServiceTags_Public_20251116.json'), JSON.stringify(DOWNLOAD));
  await writeFile(join(dir, 'bad-tags.json'), JSON.stringify({ changeNumber: 1, values: [{ name: 'Storage', properties: { addressPrefixes: ['13.69.40.0/33'] } }] }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writtenSnapshot(name: string) {
  return parseSnapshotText(await readFile(join(dir, name), 'utf8'), name);
}

describe('--service-tags', () => {
  it('snapshot stores the file\'s tags with their change number (replacing a demo\'s excerpt)', async () => {
    const run = await cli(['snapshot', '--demo', 'bank', '--service-tags', 'ServiceTags_Public_20251116.json', '--out', 'with-tags.json']);
    expect([run.code, run.stdout]).toEqual([0, '']);
    expect(run.stderr).toMatch(/^wrote with-tags\.json/);
    const snapshot = await writtenSnapshot('with-tags.json');
    expect(snapshot.serviceTags?.changeNumber).toBe(377);
    expect(snapshot.serviceTags?.tags.map((t) => t.name)).toEqual(['Storage.WestEurope']);
  });

  it('without the option a demo snapshot carries the demo excerpt', async () => {
    expect((await cli(['snapshot', '--demo', 'bank', '--out', 'demo.json'])).code).toBe(0);
    expect((await writtenSnapshot('demo.json')).serviceTags?.tags.length).toBe(5);
  });

  it('snapshot of a snapshot file plus --service-tags re-hashes it with the new data', async () => {
    const run = await cli(['snapshot', 'demo.json', '--service-tags', join(dir, 'ServiceTags_Public_20251116.json'), '--out', 'again.json']);
    expect(run.code).toBe(0);
    const before = await writtenSnapshot('demo.json');
    const after = await writtenSnapshot('again.json');
    expect(after.serviceTags?.changeNumber).toBe(377);
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.model).toEqual(before.model);
  });

  it('resolve accepts it (table and JSON)', async () => {
    expect((await cli(['resolve', '--demo', 'bank', '--service-tags', 'ServiceTags_Public_20251116.json'])).code).toBe(0);
    const json = await cli(['resolve', 'with-tags.json', '--service-tags', 'ServiceTags_Public_20251116.json', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(() => JSON.parse(json.stdout) as unknown).not.toThrow();
  });

  it.each([
    ['resolve', ['resolve', '--demo', 'bank']],
    ['snapshot', ['snapshot', '--demo', 'bank', '--out', 'x.json']],
    ['report', ['report', '--demo', 'bank', '--out', 'x.pdf']],
  ])('%s: a missing file exits 2 naming it', async (_name, args) => {
    const run = await cli([...args, '--service-tags', 'no-such-tags.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no-such-tags\.json: \$: expected a readable service tags JSON file/);
  });

  it.each([
    ['resolve', ['resolve', '--demo', 'bank']],
    ['report', ['report', '--demo', 'bank', '--out', 'x.pdf']],
  ])('%s: a malformed file exits 2 naming the file, the JSON path and what was expected', async (_name, args) => {
    const run = await cli([...args, '--service-tags', 'bad-tags.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: bad-tags.json: $.values[0].properties.addressPrefixes[0]: expected an IPv4 or IPv6 CIDR prefix');
  });

  it('needs a value, and is documented in each command\'s help', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--service-tags']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--service-tags needs a value');
    for (const command of ['resolve', 'report', 'snapshot']) expect((await cli([command, '--help'])).stdout).toContain('--service-tags');
  });
});
