/**
 * Outbound NSG evaluation and its interplay with the path (shared/egress/nsg.ts, the nsg and
 * firewall steps in engine.ts, samePath / sameWalk in resolve.ts, shared/arm/normalize.ts).
 * Each of these once gave a confident verdict (internet / denied / private, or a list of allowed
 * destinations) where Azure does otherwise, or where the input lacks the deciding fact and the
 * answer must be `unknown` (moved here from test/audit/nsg-semantics.test.ts once fixed).
 *
 * [NSG]    https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 * [NSGHOW] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 * [TAG]    https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 * [ASG]    https://learn.microsoft.com/azure/virtual-network/application-security-groups
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import { verdictColumn, verdictSources } from '../../../shared/egress/resolve';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import { ModelBuilder, networkId, networkRule, securityRule } from '../../support/model-builder';
import { hubSpokeFirewall, resolve } from './support';

/** The terminal step's egress restriction (null: unrestricted or not an egress terminal). */
function restrictionOf(path: EgressPath): readonly string[] | null {
  const last = path.steps[path.steps.length - 1];
  if (!last || last.kind !== 'terminal' || last.reason.kind !== 'egress') return null;
  return last.reason.restrictedTo;
}

/** A NIC's own entry, or (when resolveEgress judged it the same) the subnet entry that speaks for it. */
function pathFor(result: ResolveResult, nicId: string, subnetId: string): EgressPath {
  const own = result.paths.find((p) => p.source.id === nicId);
  if (own) return own;
  const subnet = result.paths.find((p) => p.source.id === subnetId);
  if (!subnet) throw new Error(`no path for ${nicId} nor ${subnetId}`);
  return subnet;
}

function subnetPath(result: ResolveResult, subnetId: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === subnetId);
  if (!path) throw new Error(`no path for ${subnetId}; have ${result.paths.map((p) => p.source.id).join(', ')}`);
  return path;
}

const ASG_DB = networkId('applicationsecuritygroups', 'asg-db');

/** Subnet app behind a NAT gateway (20.0.0.1), whose NSG denies the Storage tag before the default rules. */
function denyStorageEstate() {
  const b = new ModelBuilder();
  const vnet = b.vnet('spoke', ['10.1.0.0/16']);
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
  const nsg = b.nsg('nsg-app', [securityRule('deny-storage', 100, 'Deny', 'Storage')]);
  const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: nsg });
  return { b, app };
}

/** Subnet app (10.1.1.0/24), whose NSG denies traffic to members of asg-db first, and subnet db (10.1.2.0/24), in VNet spoke. */
function denyDbEstate() {
  const b = new ModelBuilder();
  const vnet = b.vnet('spoke', ['10.1.0.0/16']);
  const nsg = b.nsg('nsg-app', [{ ...securityRule('deny-db', 100, 'Deny', '*', { destinationApplicationSecurityGroupIds: [ASG_DB] }), destinationAddressPrefixes: [] }]);
  const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: nsg });
  const db = b.subnet(vnet, 'db', '10.1.2.0/24');
  return { b, app, db };
}

describe('NSG verdicts combined along the path', () => {
  // [NSG] "Once traffic matches a rule, processing stops": with `Deny Storage` (100) before
  // AllowInternetOutBound (65001), every address of the Storage tag is denied [TAG]. nsg.ts knows
  // it (Partial with exceptServiceTags: ['Storage']), but engine.ts builds the path restriction
  // from allowedPrefixes + allowedServiceTags only, so the path reads "only these destinations are
  // allowed: <all public IPv4 space>; everything else is denied", i.e. Storage addresses allowed.
  it('a deny on a service tag without prefix data is kept in the path restriction (not "all public space allowed")', () => {
    const { b, app } = denyStorageEstate();
    const path = subnetPath(resolve(b.build()), app);
    expect(path.verdict).toBe('internet');
    // Whatever the wording, the restriction must say that the Storage tag is excepted.
    expect(JSON.stringify(restrictionOf(path) ?? [])).toMatch(/storage/i);
  });

  // [NSGHOW] outbound: the NIC's NSG, then the subnet's; traffic passes only if both allow it.
  // NIC NSG allows only 20.0.0.0/8, subnet NSG allows only 30.0.0.0/8 (both deny Internet after):
  // no internet address passes both. The engine intersects the two restrictions to [] and still
  // reports verdict `internet` ("Only these destinations are allowed by the rules on the path: .").
  it('NIC NSG and subnet NSG allowing disjoint prefixes: nothing gets out (denied, not internet with an empty list)', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nicNsg = b.nsg('nsg-nic', [securityRule('allow-20', 100, 'Allow', '20.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const subnetNsg = b.nsg('nsg-subnet', [securityRule('allow-30', 100, 'Allow', '30.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: subnetNsg });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: nicNsg, publicIpId: b.publicIp('vm-pip', '52.0.0.9') });
    const path = pathFor(resolve(b.build()), nic, app);
    expect(path.verdict).toBe('denied');
  });

  // Same NSGs, but the subnet has a NAT gateway, so the NIC's walk has the same verdict/exit as the
  // subnet's. resolve.ts samePath() compares verdict, exit, via, IPs and findings but not the
  // restriction, so the NIC gets no entry of its own and the subnet entry ("internet, restricted to
  // 30.0.0.0/8") speaks for it. Azure: the NIC's NSG denies 30.0.0.0/8 [NSGHOW]; nothing gets out.
  it('a NIC whose NSG narrows the subnet\'s restriction keeps an entry of its own (samePath ignores restrictedTo)', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const nicNsg = b.nsg('nsg-nic', [securityRule('allow-20', 100, 'Allow', '20.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const subnetNsg = b.nsg('nsg-subnet', [securityRule('allow-30', 100, 'Allow', '30.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: subnetNsg });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: nicNsg });
    const result = resolve(b.build());
    const path = pathFor(result, nic, app);
    expect(path.source.id).toBe(nic);
    expect(path.verdict).toBe('denied');
  });

  // [NSGHOW] both NSGs must allow: NIC NSG allows only the Storage tag, subnet NSG only 20.0.0.0/8.
  // What passes is Storage ∩ 20.0.0.0/8 (unknown without tag data). engine.ts intersectRestrictions
  // keeps b's prefixes whole when a has none ("a.isEmpty() ? b"), and lists the tag next to them:
  // the path claims all of 20.0.0.0/8 is allowed, though the NIC NSG denies every non-Storage address.
  it('a tag-only restriction followed by a prefix restriction does not widen to the whole prefix', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nicNsg = b.nsg('nsg-nic', [securityRule('allow-storage', 100, 'Allow', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const subnetNsg = b.nsg('nsg-subnet', [securityRule('allow-20', 100, 'Allow', '20.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: subnetNsg });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: nicNsg, publicIpId: b.publicIp('vm-pip', '52.0.0.9') });
    const path = pathFor(resolve(b.build()), nic, app);
    const claimsWhole20 = path.verdict === 'internet' && (restrictionOf(path) ?? []).includes('20.0.0.0/8');
    expect(claimsWhole20, `verdict ${path.verdict}, restricted to ${JSON.stringify(restrictionOf(path))}`).toBe(false);
  });

  // [NSG] NSGs see the original destination before any translation, so the source subnet's NSG
  // still applies to traffic routed to a firewall. NSG allows only 198.51.100.0/24 (deny Internet
  // after); the firewall allows only 203.0.113.0/24. No address passes both: denied. engine.ts
  // firewallRules() assigns trail.restrictedTo = <firewall's prefixes>, overwriting the NSG's
  // restriction: the path reads "internet, only 203.0.113.0/24", which the NSG denies.
  it('a firewall partial allow does not overwrite the source NSG\'s restriction', () => {
    const { b, app } = hubSpokeFirewall([networkRule('allow-203', { destinationAddresses: ['203.0.113.0/24'] })]);
    const nsg = b.nsg('nsg-app', [securityRule('allow-partner', 100, 'Allow', '198.51.100.0/24'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    b.updateSubnet(app, { networkSecurityGroupId: nsg });
    const path = subnetPath(resolve(b.build()), app);
    expect(path.verdict, `restricted to ${JSON.stringify(restrictionOf(path))}`).toBe('denied');
  });
});

describe('application security groups on the destination side', () => {
  // [ASG] "you can use an application security group as a source or destination in a security
  // rule"; the rule applies to the member NICs. nsg.ts hasDestinationAsgs() skips every rule with a
  // destination ASG ("never match an internet address"), also when the destination is a private
  // address: here 10.1.2.4 is the NIC of a member of asg-db, in the same VNet. Azure: deny-db (100)
  // matches first, the traffic is dropped. Engine: "AllowVnetOutBound allows Tcp 1433 to 10.1.2.4",
  // verdict private (delivered in the VNet).
  it('a deny to a destination ASG applies to a private destination whose NIC is a member', () => {
    const { b, app, db } = denyDbEstate();
    b.nic(db, 'db-nic', '10.1.2.4', { asgIds: [ASG_DB] });
    const path = subnetPath(resolve(b.build(), { destination: '10.1.2.4:1433' }), app);
    expect(path.verdict).toBe('denied');
  });

  // Same rule, but no NIC with 10.1.2.4 is in the input: whether the address belongs to asg-db (and
  // so whether deny-db drops the traffic) is not known. Must be `unknown`, naming the ASG membership;
  // the engine answers `private` (allowed by AllowVnetOutBound).
  it('a deny to a destination ASG whose members are not in the input makes a private destination unknown', () => {
    const { b, app } = denyDbEstate();
    const path = subnetPath(resolve(b.build(), { destination: '10.1.2.4:1433' }), app);
    expect(path.verdict).toBe('unknown');
  });
});

describe('NSG exports that lack the rules', () => {
  // A projection of the NSG without `properties` (Resource Graph `project id, name, type, location`,
  // or an `--query` that keeps the identity fields only): its custom rules were never captured. The
  // normalizer finalizes it with securityRules: [] and no gap, so the engine reads "NSG with only
  // Azure's default rules" and answers internet via AllowInternetOutBound. The NSG's real rules may
  // deny the internet ([NSG] custom rules 100-4096 are processed before the defaults): unknown.
  // (The `"properties": null` shape of `az resource list` is handled; this projection is not.)
  it('an NSG copy without properties is not read as an NSG with only the default rules', () => {
    const RGP = '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/RG-App/providers/Microsoft.Network';
    const nsgId = `${RGP}/networkSecurityGroups/nsg-app`;
    const subnetId = `${RGP}/virtualNetworks/vnet/subnets/app`;
    const vnet = {
      name: 'vnet', id: `${RGP}/virtualNetworks/vnet`, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [
        { name: 'app', id: subnetId, properties: { addressPrefix: '10.1.1.0/24', networkSecurityGroup: { id: nsgId } } },
      ] },
    };
    const projection = { id: nsgId, name: 'nsg-app', type: 'Microsoft.Network/networkSecurityGroups', location: 'westeurope', resourceGroup: 'RG-App' };
    const normalized = normalizeArm([{ fileName: 'vnets.json', json: [vnet] }, { fileName: 'graph.json', json: [projection] }]);
    const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps });
    const path = subnetPath(result, subnetId.toLowerCase() as ResourceId);
    expect(path.verdict).not.toBe('internet');
    expect(result.gaps.some((g) => g.scope.toLowerCase() === nsgId.toLowerCase())).toBe(true);
  });
});

describe('NSG and firewall restrictions combined (what the fixes keep)', () => {
  it('a deny on a service tag reads "every destination except service tag Storage" in the explanation', () => {
    const { b, app } = denyStorageEstate();
    const path = subnetPath(resolve(b.build()), app);
    expect(restrictionOf(path)).toEqual(['every destination except service tag Storage']);
    expect(explainPath(path).at(-1)?.explanation).toContain('The rules on the path allow every destination except service tag Storage.');
  });

  it('NIC NSG and subnet NSG allowing overlapping prefixes: the intersection', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nicNsg = b.nsg('nsg-nic', [securityRule('allow-20', 100, 'Allow', '20.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const subnetNsg = b.nsg('nsg-subnet', [securityRule('allow-20-1', 100, 'Allow', '20.1.0.0/16'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: subnetNsg });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: nicNsg, publicIpId: b.publicIp('vm-pip', '52.0.0.9') });
    const path = pathFor(resolve(b.build()), nic, app);
    expect(path.verdict).toBe('internet');
    expect(restrictionOf(path)).toEqual(['20.1.0.0/16']);
  });

  it('the same service tag on both NSGs stays allowed (no unknown where nothing is open)', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const storageOnly = (name: string): ResourceId => b.nsg(name, [securityRule('allow-storage', 100, 'Allow', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: storageOnly('nsg-subnet') });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: storageOnly('nsg-nic'), publicIpId: b.publicIp('vm-pip', '52.0.0.9') });
    const path = pathFor(resolve(b.build()), nic, app);
    expect(path.verdict).toBe('internet');
    expect(restrictionOf(path)).toEqual(['service tag Storage']);
  });

  it('a tag-only restriction after a prefix restriction is unknown, naming both sides', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nicNsg = b.nsg('nsg-nic', [securityRule('allow-storage', 100, 'Allow', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const subnetNsg = b.nsg('nsg-subnet', [securityRule('allow-20', 100, 'Allow', '20.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: subnetNsg });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: nicNsg, publicIpId: b.publicIp('vm-pip', '52.0.0.9') });
    const path = pathFor(resolve(b.build()), nic, app);
    expect(path.verdict).toBe('unknown');
    const words = explainPath(path).at(-1)?.explanation ?? '';
    expect(words).toContain('service tag Storage');
    expect(words).toContain('20.0.0.0/8');
  });

  it('a firewall partial allow within the NSG\'s restriction: the intersection, internet', () => {
    const { b, app } = hubSpokeFirewall([networkRule('allow-198-51', { destinationAddresses: ['198.51.0.0/16'] })]);
    const nsg = b.nsg('nsg-app', [securityRule('allow-partner', 100, 'Allow', '198.51.100.0/24'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    b.updateSubnet(app, { networkSecurityGroupId: nsg });
    const path = subnetPath(resolve(b.build()), app);
    expect(path.verdict).toBe('internet');
    expect(restrictionOf(path)).toEqual(['198.51.100.0/24']);
  });

  it('a NIC whose NSG narrows the subnet\'s restriction (same verdict and exit) has its own entry, in resolveEgress and in the matrix', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const nicNsg = b.nsg('nsg-nic', [securityRule('allow-30-1', 100, 'Allow', '30.1.0.0/16'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const subnetNsg = b.nsg('nsg-subnet', [securityRule('allow-30', 100, 'Allow', '30.0.0.0/8'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: subnetNsg });
    const nic = b.nic(app, 'vm-nic', '10.1.1.4', { nsgId: nicNsg });
    const model = b.build();
    const result = resolve(model);
    const own = result.paths.find((p) => p.source.id === nic);
    expect(own?.verdict).toBe('internet');
    expect(own && restrictionOf(own)).toEqual(['30.1.0.0/16']);
    expect(restrictionOf(subnetPath(result, app))).toEqual(['30.0.0.0/8']);
    // The matrix (sameWalk) agrees: the NIC answers on its own, as resolveEgress gives it an entry.
    const input = { model, effectiveRoutes: [], metrics: [], gaps: [] };
    const sources = verdictSources(input);
    const column = verdictColumn(input, { destination: null }, sources);
    const row = sources.sources.findIndex((s) => s.id === nic);
    expect(row).toBeGreaterThanOrEqual(0);
    expect(column.own[row]).toBe(true);
    expect(column.verdicts[row]?.verdict).toBe('internet');
  });
});

describe('destination ASGs (what the fixes keep)', () => {
  it('a deny to a destination ASG does not apply to a private destination whose NIC is not a member', () => {
    const { b, app, db } = denyDbEstate();
    b.nic(db, 'other-nic', '10.1.2.4');
    const path = subnetPath(resolve(b.build(), { destination: '10.1.2.4:1433' }), app);
    expect(path.verdict).toBe('private');
  });

  it('the unknown names the ASG whose membership is missing', () => {
    const { b, app } = denyDbEstate();
    const path = subnetPath(resolve(b.build(), { destination: '10.1.2.4:1433' }), app);
    expect(explainPath(path).at(-1)?.explanation).toContain('application security group asg-db');
  });

  it('a destination ASG rule never touches the internet path (default route)', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const nsg = b.nsg('nsg-app', [{ ...securityRule('deny-db', 100, 'Deny', '*', { destinationApplicationSecurityGroupIds: [ASG_DB] }), destinationAddressPrefixes: [] }]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: nsg });
    const path = subnetPath(resolve(b.build()), app);
    expect(path.verdict).toBe('internet');
    expect(restrictionOf(path)).toBeNull();
  });
});
