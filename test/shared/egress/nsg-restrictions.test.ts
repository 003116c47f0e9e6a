/**
 * Restrictions of NSGs and firewalls on one path, with service tag data loaded: an NSG allowing
 * Storage and a firewall allowing the Storage tag intersect as the tag's addresses (internet, not
 * unknown), and a NIC whose NSG allows the same tags as its subnet's, in another rule order, needs
 * no entry of its own. Found in a review of the restriction rewrite.
 *
 * [NSGHOW] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 * [TAG]    https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
import { describe, expect, it } from 'vitest';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import type { NetworkModel } from '../../../shared/model/topology';
import { ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { hubSpokeFirewall, resolve } from './support';

function restrictionOf(path: EgressPath): readonly string[] | null {
  const last = path.steps[path.steps.length - 1];
  if (!last || last.kind !== 'terminal' || last.reason.kind !== 'egress') return null;
  return last.reason.restrictedTo;
}
function pathOf(result: ResolveResult, id: string): EgressPath {
  const p = result.paths.find((x) => x.source.id === id);
  if (!p) throw new Error(`no path for ${id}`);
  return p;
}
const TAGS: ServiceTagSet = {
  changeNumber: 7, cloud: 'Public',
  tags: [
    { name: 'Storage', region: '', systemService: 'AzureStorage', addressPrefixes: ['20.60.0.0/16', '20.150.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
    { name: 'AzureCloud', region: '', systemService: '', addressPrefixes: ['20.0.0.0/8', '40.0.0.0/8'], networkFeatures: ['NSG', 'UDR', 'FW'] },
  ],
};
function withTags(model: NetworkModel, serviceTags: ServiceTagSet = TAGS): ResolveResult {
  return resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [], serviceTags }, {});
}
const last = (p: EgressPath): string => explainPath(p).at(-1)?.explanation ?? '';

describe('NSG + firewall with service tag data loaded (--service-tags)', () => {
  // NSG: allow Storage, deny Internet; firewall network rule: allow service tag Storage. Both allow
  // exactly the Storage prefixes [NSGHOW]. Without tag data the engine answers internet
  // ["service tag Storage"]; with the data loaded the NSG side becomes prefixes, the firewall side
  // stays the name "service tag Storage", and intersectRestrictions calls it unknown, claiming the
  // tag's addresses "are not in the snapshot" (they are).
  it('NSG allowing Storage and a firewall allowing service tag Storage is internet, not unknown', () => {
    const { b, app } = hubSpokeFirewall([networkRule('allow-storage', { destinationAddresses: ['Storage'] })]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('allow-storage', 100, 'Allow', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]) });
    const path = pathOf(withTags(b.build()), app);
    expect(path.verdict, last(path)).toBe('internet');
  });

  // NSG allows AzureCloud (20/8, 40/8 in the data), firewall allows service tag Storage (20.60/16,
  // 20.150/16, inside AzureCloud): Storage passes both. Engine: unknown.
  it('NSG allowing AzureCloud and a firewall allowing service tag Storage (a subset, per the data) is internet', () => {
    const { b, app } = hubSpokeFirewall([networkRule('allow-storage', { destinationAddresses: ['Storage'] })]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('allow-ac', 100, 'Allow', 'AzureCloud'), securityRule('deny-internet', 200, 'Deny', 'Internet')]) });
    const path = pathOf(withTags(b.build()), app);
    expect(path.verdict, last(path)).toBe('internet');
  });

  it('an unknown never says service tag addresses are "not in the snapshot" when service tag data is loaded', () => {
    const { b, app } = hubSpokeFirewall([networkRule('allow-storage', { destinationAddresses: ['Storage'] })]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('allow-storage', 100, 'Allow', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]) });
    const path = pathOf(withTags(b.build()), app);
    expect(last(path)).not.toMatch(/addresses of service tags \/ names are not in the snapshot/);
  });
});

describe('NIC and subnet restrictions compared as sets', () => {
  // NIC NSG and subnet NSG allow the same two tags (rules in another priority order): both allow
  // exactly {Sql, Storage}, the NIC's path is the subnet's. sameList is order-sensitive, so the NIC
  // gets an entry "because its path differs from its subnet's" that differs in list order only.
  it('a NIC NSG allowing the same service tags as the subnet NSG, in another order, gets no entry of its own', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const nicNsg = b.nsg('nsg-nic', [securityRule('a-sql', 100, 'Allow', 'Sql'), securityRule('a-st', 110, 'Allow', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const subNsg = b.nsg('nsg-sub', [securityRule('a-st', 100, 'Allow', 'Storage'), securityRule('a-sql', 110, 'Allow', 'Sql'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: subNsg });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: nicNsg });
    const result = resolve(b.build());
    const own = result.paths.find((p) => p.source.id === nic);
    expect(own && restrictionOf(own), 'NIC entry differs from the subnet entry in order only').toBeUndefined();
  });
});
