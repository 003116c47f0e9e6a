/**
 * Snapshots written before IP groups, SNAT auto-learn and rule-collection-group capture were
 * modelled still load, with the old reading of their firewall policies.
 */
import { describe, expect, it } from 'vitest';
import { buildSnapshot, parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import { SNAPSHOT_FORMAT, type SnapshotContent } from '../../../shared/model/snapshot';
import type { ResourceId } from '../../../shared/model/ids';
import { ModelBuilder, networkRule } from '../../support/model-builder';

/** The model as an older version wrote it: the new keys removed everywhere. */
function olderModel(): unknown {
  const b = new ModelBuilder();
  const rcg = '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.network/firewallpolicies/p/rulecollectiongroups/g' as ResourceId;
  b.firewallPolicy('p', [networkRule('all')], { ruleCollectionGroupIds: [rcg] });
  b.firewallPolicy('not-merged', [], { ruleCollectionGroupIds: [rcg] });
  const v = b.vnet('hub', ['10.0.0.0/16']);
  b.firewall('fw', { subnetId: b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26'), privateIp: '10.0.0.4', rules: [networkRule('classic')] });
  const dropped = new Set(['ipGroups', 'sourceIpGroupIds', 'destinationIpGroupIds', 'snatAutoLearnPrivateRanges', 'loadedRuleCollectionGroupIds']);
  return JSON.parse(JSON.stringify(b.build(), (key, value: unknown) => (dropped.has(key) ? undefined : value))) as unknown;
}

describe('older snapshots and the firewall fields', () => {
  // Snapshot files are user input kept across versions; the hash covers the file as written.
  it('load with IP groups empty, rules without IP groups, and policies read as before', () => {
    const content = {
      format: SNAPSHOT_FORMAT,
      metadata: { capturedAt: '2026-01-01T00:00:00.000Z', source: 'import', origin: ['old.json'], capturedBy: null,
        scope: { tenantId: null, subscriptionIds: [], managementGroupId: null, cloud: null }, toolVersion: '0.1.0' },
      model: olderModel(), effectiveRoutes: [], metrics: [], gaps: [],
    } as unknown as SnapshotContent;
    const snapshot = parseSnapshotJson(JSON.parse(JSON.stringify(buildSnapshot(content))) as unknown, 'old.snapshot.json');
    expect(snapshot.model.ipGroups).toEqual([]);
    expect(snapshot.model.azureFirewalls[0]?.rules[0]).toMatchObject({ sourceIpGroupIds: [], destinationIpGroupIds: [] });
    expect(snapshot.model.azureFirewalls[0]).toMatchObject({ snatAutoLearnPrivateRanges: false });
    const [merged, notMerged] = snapshot.model.firewallPolicies;
    // A policy whose rules were merged had its groups captured; one without rules had none.
    expect(merged?.loadedRuleCollectionGroupIds).toEqual(merged?.ruleCollectionGroupIds);
    expect(notMerged?.loadedRuleCollectionGroupIds).toEqual([]);
  });
});
