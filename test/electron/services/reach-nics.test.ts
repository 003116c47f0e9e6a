/**
 * The app's "Can reach" for a subnet comes with its NICs that follow the subnet's path but reach
 * more on other ports (nic-jump: an ASG rule opens TCP 22): they have no path of their own to be
 * selected by, so the subnet's answer is where the app can show them. Real wiring: import a
 * snapshot file, ask `reach` as the renderer does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultServices } from '../../../electron/services/default-services';
import type { MainServices } from '../../../electron/services/main-services';
import { jumpHostSnapshotText } from '../../support/jump-host';

let dataDir: string;
let api: MainServices;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'egress-atlas-reach-nics-'));
  api = createDefaultServices({ dataDir });
});
afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

describe('reach for a subnet in the app', () => {
  it('answers for the subnet and the NICs that follow it with reach of their own, not for the other NICs', async () => {
    const opened = await api.importFiles({ files: [{ name: 'jump-host.snapshot.json', text: jumpHostSnapshotText() }] });
    if (!opened.ok) throw new Error(opened.error.message);
    const app = opened.value.snapshot.model.subnets.find((s) => s.name === 'app');
    if (!app) throw new Error('no subnet app');
    const reach = await api.reach({ estateId: opened.value.summary.estateId, sourceId: app.id.toUpperCase() });
    if (!reach.ok) throw new Error(reach.error.message);
    expect(reach.value.sources.map((s) => [s.source.name, s.followsSubnet ?? false, s.unrestricted])).toEqual([['app', false, false], ['nic-jump', true, true]]);
    expect(reach.value.sources[1]?.allowed.map((e) => [e.kind, e.ports, e.verdict])).toContainEqual(['any', ['22'], 'internet']);
  });
});
