/**
 * App "Add logs": the renderer sends File.name, the base name (renderer/util.ts readFilesAsText), and
 * every hourly flow-log blob is PT1H.json (destinations.md §2.1: .../h=HH/m=00/macAddress=.../PT1H.json),
 * so the file order the main side gets says nothing of time. analyseLogs must count a connection
 * once whatever the order (shared/traffic/flow-logs.ts flowCount). From the review of fb71013.
 */
import { describe, expect, it } from 'vitest';
import { analyseLogs } from '../../../electron/services/default-services';
import { resolveEgress } from '../../../shared/egress';
import type { ImportedFile } from '../../../shared/ipc/contract';
import { snapshotOfModel } from '../../support/jump-host';
import { natEstate, observedTo, vnetBlob } from '../../shared/traffic/support';

describe('analyseLogs over hourly blobs all named PT1H.json', () => {
  const hour10: ImportedFile = { name: 'PT1H.json', text: vnetBlob(['1714557590000,10.0.1.4,203.0.113.8,40001,443,6,O,B,NX,0,0,0,0']) };
  const hour11: ImportedFile = { name: 'PT1H.json', text: vnetBlob(['1714561260000,10.0.1.4,203.0.113.8,40001,443,6,O,E,NX,2,300,2,400']) };

  it.each([['hour 10 first', [hour10, hour11]], ['hour 11 first (E before B)', [hour11, hour10]]])('%s: one connection is one flow with its bytes', (_order, files) => {
    const { input } = natEstate();
    const snapshot = snapshotOfModel(input.model);
    const answer = analyseLogs(snapshot, resolveEgress(snapshot), files);
    expect(observedTo(answer.traffic, '203.0.113.8').map((o) => [o.flows, o.bytes])).toEqual([[1, 700]]);
    expect(answer.traffic.gaps.map((g) => g.message).join(' ')).not.toMatch(/counted twice/);
  });
});
