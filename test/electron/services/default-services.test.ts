/** The real wiring: demos → normalizeArm → snapshot → resolver → snapshot file → evidence PDF. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultServices } from '../../../electron/services/default-services';
import type { MainServices } from '../../../electron/services/main-services';

let dataDir: string;
let api: MainServices;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'egress-atlas-default-'));
  api = createDefaultServices({ dataDir });
});
afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

async function openBank() {
  const opened = await api.openDemo({ name: 'bank' });
  if (!opened.ok) throw new Error(`openDemo failed: ${opened.error.message}`);
  return opened.value;
}

describe('default services', () => {
  it('lists the bundled demos, bank first', async () => {
    const demos = await api.listDemos({});
    expect(demos.ok && demos.value[0]?.name).toBe('bank');
  });

  it('opens the bank demo and resolves every subnet and NIC for the default route', async () => {
    const estate = await openBank();
    expect(estate.summary.subnetCount).toBeGreaterThan(0);
    expect(estate.snapshot.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(estate.snapshot.metadata.source).toBe('demo');
    const resolved = await api.resolve({ estateId: estate.summary.estateId, destination: null });
    if (!resolved.ok) throw new Error(resolved.error.message);
    expect(resolved.value.destination).toBe('0.0.0.0/0');
    expect(resolved.value.paths.length).toBeGreaterThanOrEqual(estate.summary.subnetCount);
  });

  it('answers reach for one bank subnet by its ID (any letter case) with the rule that allows each entry', async () => {
    const estate = await openBank();
    const subnet = estate.snapshot.model.subnets.find((s) => s.name === 'snet-payments-api');
    if (!subnet) throw new Error('bank demo has no snet-payments-api');
    const reach = await api.reach({ estateId: estate.summary.estateId, sourceId: subnet.id.toUpperCase() });
    if (!reach.ok) throw new Error(reach.error.message);
    expect(reach.value.schema).toBe('egress-atlas/reach@1');
    expect(reach.value.sources).toHaveLength(1);
    const stripe = reach.value.sources[0]?.allowed.find((e) => e.value === 'api.stripe.com');
    expect(stripe).toMatchObject({ kind: 'fqdn', verdict: 'internet' });
    expect(stripe?.rule).toMatch(/\/stripe$/);
  });

  it('resolves a destinations list through the real parser and engine', async () => {
    const estate = await openBank();
    const matrix = await api.matrix({ estateId: estate.summary.estateId, destinations: 'api.stripe.com\nexfil.example.net\n', fileName: 'l.txt' });
    if (!matrix.ok) throw new Error(matrix.error.message);
    expect(matrix.value.schema).toBe('egress-atlas/matrix@1');
    const row = matrix.value.rows.find((r) => r.source.name === 'snet-payments-api');
    expect(row?.results.map((c) => c.verdict)).toEqual(['internet', 'denied']);
    const bad = await api.matrix({ estateId: estate.summary.estateId, destinations: '[1]', fileName: 'l.json' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'input-error', file: 'l.json', path: '$[0]' } });
  });

  it('checks the bank starter policy through the real parser and engine', async () => {
    const estate = await openBank();
    const policy = await readFile(join(process.cwd(), 'shared/policy/starters/bank.yaml'), 'utf8');
    const check = await api.check({ estateId: estate.summary.estateId, policy, fileName: 'bank.yaml' });
    if (!check.ok) throw new Error(check.error.message);
    expect(check.value.schema).toBe('egress-atlas/check@1');
    const noDefault = check.value.controls.find((c) => c.id === 'no-default-outbound');
    expect(noDefault?.status).toBe('fail');
    expect(noDefault?.violations.map((v) => v.source.name)).toEqual(['snet-payments-reporting']);
    expect(check.value.controls.some((c) => c.status === 'pass')).toBe(true);
    const bad = await api.check({ estateId: estate.summary.estateId, policy: 'version: 1\ncontrols: []\n', fileName: 'empty.yaml' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'input-error', file: 'empty.yaml' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/^empty\.yaml:2: controls: /);
  });

  it('saves a snapshot that imports back to the same content hash', async () => {
    const estate = await openBank();
    const saved = await api.saveSnapshot({ estateId: estate.summary.estateId });
    if (!saved.ok) throw new Error(saved.error.message);
    const imported = await api.importFiles({ files: [{ name: saved.value.fileName, text: saved.value.text }] });
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.snapshot.sha256).toBe(estate.snapshot.sha256);
    expect(imported.value.summary.subnetCount).toBe(estate.summary.subnetCount);
  });

  it('a snapshot edited after capture is refused in plain language, without the hash that would make it load', async () => {
    const estate = await openBank();
    const saved = await api.saveSnapshot({ estateId: estate.summary.estateId });
    if (!saved.ok) throw new Error(saved.error.message);
    const edited = saved.value.text.replace('"snet-payments-reporting"', '"snet-payments-reportinh"');
    expect(edited).not.toBe(saved.value.text);
    const result = await api.importFiles({ files: [{ name: 'evidence.json', text: edited }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'integrity-error', file: 'evidence.json', path: '$.sha256' } });
    if (result.ok) return;
    expect(result.error.message).toBe('evidence.json was changed after it was captured, or damaged: its content no longer matches the SHA-256 '
      + 'recorded in it, so it cannot be shown as evidence. Open the original file, export the snapshot again, or rebuild it from its input files.');
    expect(result.error.message).not.toMatch(/[0-9a-f]{64}/);
  });

  it('reports malformed imported JSON as input-error naming the file', async () => {
    const result = await api.importFiles({ files: [{ name: 'broken.json', text: '{"value": [' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'input-error', file: 'broken.json' } });
  });

  it('exports an evidence PDF for a selected subnet', async () => {
    const estate = await openBank();
    const subnet = estate.snapshot.model.subnets[0];
    if (!subnet) throw new Error('bank demo has no subnet');
    const pdf = await api.exportEvidence({ estateId: estate.summary.estateId, destination: null, sourceIds: [subnet.id] });
    if (!pdf.ok) throw new Error(pdf.error.message);
    expect(Buffer.from(pdf.value.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.value.fileName).toMatch(/\.pdf$/);
  });
});
