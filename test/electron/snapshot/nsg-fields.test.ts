/**
 * NSG rules with and without `sourcePortRanges` (kept since source ports are evaluated): snapshots
 * written before the field existed still load, and new ones keep it.
 */
import { describe, expect, it } from 'vitest';
import { parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import type { NetworkModel } from '../../../shared/model/topology';
import { writtenSnapshot } from '../../support/snapshot-files';
import { ModelBuilder, securityRule } from '../../support/model-builder';

function roundTrip(model: NetworkModel): NetworkModel {
  return parseSnapshotJson(writtenSnapshot(model, 'nsg.json'), 'nsg.snapshot.json').model;
}

describe('snapshots and NSG rule source ports', () => {
  it('a rule with source ports keeps them; a rule without (older snapshots) loads as before', () => {
    const b = new ModelBuilder();
    b.nsg('nsg', [
      { ...securityRule('deny-srcport-80', 100, 'Deny', 'Internet'), sourcePortRanges: ['80'] },
      securityRule('allow-all', 200, 'Allow', '*'),
    ]);
    const rules = roundTrip(b.build()).networkSecurityGroups[0]?.securityRules ?? [];
    expect(rules.find((r) => r.name === 'deny-srcport-80')?.sourcePortRanges).toEqual(['80']);
    expect(rules.find((r) => r.name === 'allow-all')).not.toHaveProperty('sourcePortRanges');
  });
});
