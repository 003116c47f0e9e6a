/**
 * A resource the normalizer left out as malformed (a `skipped-input` gap naming its ID) while a
 * verdict found it by address or by "is there one" (a next hop's owner, a VNet's gateway): the
 * verdict is `unknown`, naming it, never what its absence alone would give. The same estate with
 * nothing left out, or with a resource left out that could not have been it, keeps its answer.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import type { EgressPath } from '../../../shared/egress/types';
import { demoBundle, demoEstate, resourceNamed, type MutableJson as Json } from '../../support/demo-bundle';
import type { Gap } from '../../../shared/model/gaps';
import type { NetworkModel } from '../../../shared/model/topology';
import { buildSnapshot, parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import { importedContent } from '../../support/snapshot-files';
import { ModelBuilder, networkId } from '../../support/model-builder';

const training = demoEstate('training');

function bundle(mutate: (resource: (name: string) => Json) => void = () => undefined): Json {
  const json = demoBundle('training');
  mutate((name) => resourceNamed(json, name));
  return json;
}

/** Left out by the normalizer whatever its type: a tag value must be a string. */
const leaveOut = (resource: Json): void => { resource.tags = { owner: {} }; };

function pathOf(paths: readonly EgressPath[], source: string): EgressPath {
  const path = paths.find((p) => p.source.id.endsWith(`/${source.toLowerCase()}`));
  if (path === undefined) throw new Error(`no path for ${source}`);
  return path;
}

interface Said {
  readonly said: string;
  /** The last hop, in words. */
  readonly last: string;
  readonly leftOut: readonly string[];
}

function said(path: EgressPath, gaps: readonly Gap[]): Said {
  const hop = explainPath(path).at(-1);
  return {
    said: `${path.verdict}/${path.exit ?? '-'}`, last: `${hop?.rule ?? ''} :: ${hop?.explanation ?? ''}`,
    leftOut: gaps.filter((g) => g.code === 'skipped-input').map((g) => g.scope.slice(g.scope.lastIndexOf('/') + 1)),
  };
}

/** The demo bundle (mutated) as the CLI reads an export: normalized, then resolved with the normalizer's gaps. */
function resolveTraining(source: string, mutate?: (resource: (name: string) => Json) => void): Said {
  const normalized = normalizeArm([{ fileName: 'training.json', json: bundle(mutate) }]);
  const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps, serviceTags: training.serviceTags }, {});
  return said(pathOf(result.paths, source), normalized.gaps);
}

/** An unknown that names the left-out resource and says why it is missing. */
function expectLeftOutUnknown(answer: Said, name: string): void {
  expect(answer.leftOut).toContain(name);
  expect(answer.said).toBe('unknown/-');
  expect(answer.last).toContain(`Unknown: `);
  expect(answer.last).toContain(name);
  expect(answer.last).toMatch(/left out because malformed \(see the skipped-input gap\)/);
}

describe('a next hop whose owner may be a left-out resource', () => {
  it('an Azure Firewall left out (sku "junk"): the spoke routed to its private IP is unknown, naming it', () => {
    expect(resolveTraining('snet-12-firewall-with-nat').said).toBe('internet/nat-gateway');
    expectLeftOutUnknown(resolveTraining('snet-12-firewall-with-nat', (r) => { r('afw-training').properties.sku = 'junk'; }), 'afw-training');
  });

  it('an NVA NIC left out (enableIPForwarding "yes"): the subnet routed to its IP is unknown, naming it', () => {
    expect(resolveTraining('snet-11-nva-with-forwarding').said).toBe('internet/public-ip');
    expectLeftOutUnknown(resolveTraining('snet-11-nva-with-forwarding', (r) => { r('nic-vm-nva-forward-01').properties.enableIPForwarding = 'yes'; }), 'nic-vm-nva-forward-01');
  });

  it('keeps the answer when what was left out could not own the next hop', () => {
    // A firewall lives only in AzureFirewallSubnet: the NVA's address is in another subnet.
    const firewallOut = resolveTraining('snet-11-nva-with-forwarding', (r) => leaveOut(r('afw-training')));
    expect(firewallOut.leftOut).toContain('afw-training');
    expect(firewallOut.said).toBe('internet/public-ip');
    // An NSG owns no address.
    const nsgOut = resolveTraining('snet-12-firewall-with-nat', (r) => leaveOut(r('nsg-lesson17-deny-internet')));
    expect(nsgOut.leftOut).toContain('nsg-lesson17-deny-internet');
    expect(nsgOut.said).toBe('internet/nat-gateway');
  });

  it('keeps "dropped" for a next hop in no subnet, whatever was left out', () => {
    expect(resolveTraining('snet-09-udr-unowned-appliance').said).toBe('dropped/-');
    const nicOut = resolveTraining('snet-09-udr-unowned-appliance', (r) => leaveOut(r('nic-vm-nva-forward-01')));
    expect(nicOut.leftOut).toContain('nic-vm-nva-forward-01');
    expect(nicOut.said).toBe('dropped/-');
  });
});

describe('a VNet whose gateway may be a left-out one', () => {
  it('a VPN gateway left out (a tag value {}): the forced-tunnel subnet is unknown, naming it', () => {
    expect(resolveTraining('snet-14-vpn-forced-tunnel').said).toBe('on-premises/-');
    expectLeftOutUnknown(resolveTraining('snet-14-vpn-forced-tunnel', (r) => leaveOut(r('vgw-training-branch'))), 'vgw-training-branch');
  });

  it('keeps the answer of a VNet without a GatewaySubnet, where no gateway can be', () => {
    expect(resolveTraining('snet-01-default-outbound').said).toBe('internet/default-outbound');
    const gatewayOut = resolveTraining('snet-01-default-outbound', (r) => leaveOut(r('vgw-training-branch')));
    expect(gatewayOut.leftOut).toContain('vgw-training-branch');
    expect(gatewayOut.said).toBe('internet/default-outbound');
  });

  it('keeps on-premises when what was left out is not a gateway', () => {
    const nsgOut = resolveTraining('snet-14-vpn-forced-tunnel', (r) => leaveOut(r('nsg-lesson17-deny-internet')));
    expect(nsgOut.leftOut).toContain('nsg-lesson17-deny-internet');
    expect(nsgOut.said).toBe('on-premises/-');
  });

  /** A VNet with GatewaySubnet (or not) and no gateway in the model, its subnet `app` routing 0.0.0.0/0 to VirtualNetworkGateway. */
  function udrToGateway(withGatewaySubnet: boolean): { readonly model: NetworkModel; readonly app: string } {
    const b = new ModelBuilder();
    const vnet = b.vnet('branch', ['10.5.0.0/16']);
    if (withGatewaySubnet) b.subnet(vnet, 'GatewaySubnet', '10.5.255.0/27');
    const rt = b.routeTable('rt-tunnel', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    const app = b.subnet(vnet, 'app', '10.5.1.0/24', { routeTableId: rt });
    return { model: b.build(), app };
  }

  const gatewayGap: Gap = {
    code: 'skipped-input', scope: networkId('virtualnetworkgateways', 'vgw-branch'),
    message: 'branch.json: $.resources[3].properties.gatewayType: expected one of Vpn, ExpressRoute, LocalGateway, found "junk". This resource was left out; the rest of the input was read.',
  };
  const routeTableGap: Gap = { ...gatewayGap, scope: networkId('routetables', 'rt-other') };

  it('a UDR to VirtualNetworkGateway with the VNet\'s gateway left out is unknown, not "no gateway, dropped"', () => {
    const { model, app } = udrToGateway(true);
    const resolveWith = (gaps: readonly Gap[]): Said => said(pathOf(resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps }, {}).paths, app.slice(app.lastIndexOf('/') + 1)), gaps);
    expect(resolveWith([]).said).toBe('dropped/-');
    expect(resolveWith([routeTableGap]).said).toBe('dropped/-');
    expectLeftOutUnknown(resolveWith([gatewayGap]), 'vgw-branch');
  });

  it('keeps "no gateway, dropped" in a VNet without a GatewaySubnet', () => {
    const { model, app } = udrToGateway(false);
    const path = pathOf(resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [gatewayGap] }, {}).paths, app.slice(app.lastIndexOf('/') + 1));
    expect(path.verdict).toBe('dropped');
  });
});

/**
 * Review of 791ef47: a left-out resource counts only where Azure lets it be. A NIC is only in a VNet
 * of its own subscription ("You can assign a network interface only to a virtual network in the
 * same subscription and location as the network interface", virtual-network-network-interface); a
 * load balancer's internal frontend may be in another subscription's VNet (cross-subscription-overview);
 * a gateway is in its VNet's subscription ("Your virtual network gateway must be in the same
 * subscription, Azure region, and resource group as the virtual network", storage-files-configure-s2s-vpn)
 * and in the GatewaySubnet that lists its IP configurations. Each control keeps the honest estate's
 * verdict with an unrelated resource left out; each other case shows the narrowed rule still says unknown.
 */
describe('a left-out resource counts only where it could be', () => {
  const OTHER_SUBSCRIPTION = '/subscriptions/00000000-0000-0000-0000-000000000002/resourcegroups/rg-other/providers/microsoft.network';
  const leftOutGap = (scope: string): Gap => ({
    code: 'skipped-input', scope,
    message: 'other.json: $.resources[0].tags.owner: expected a string, found {}. This resource was left out; the rest of the input was read.',
  });

  /** Subnet `app` routes 0.0.0.0/0 to 10.5.2.99 in subnet `nva`, which holds a NIC at .4 and nothing at .99: "dropped" with nothing left out. */
  function unownedNextHop(): { readonly resolveWith: (gaps: readonly Gap[]) => Said } {
    const b = new ModelBuilder();
    const vnet = b.vnet('hub', ['10.5.0.0/16']);
    const nva = b.subnet(vnet, 'nva', '10.5.2.0/24');
    b.nic(nva, 'nic-nva', '10.5.2.4');
    const rt = b.routeTable('rt-app', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.5.2.99' }]);
    b.subnet(vnet, 'app', '10.5.1.0/24', { routeTableId: rt });
    const model = b.build();
    return { resolveWith: (gaps) => said(pathOf(resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps }, {}).paths, 'app'), gaps) };
  }

  it('keeps "dropped" with a NIC left out in another subscription: it cannot be in the VNet', () => {
    const { resolveWith } = unownedNextHop();
    expect(resolveWith([]).said).toBe('dropped/-');
    const answer = resolveWith([leftOutGap(`${OTHER_SUBSCRIPTION}/networkinterfaces/nic-other`)]);
    expect(answer.leftOut).toEqual(['nic-other']);
    expect(answer.said).toBe('dropped/-');
  });

  it('a NIC left out in the VNet\'s subscription may own the next hop: unknown, naming it', () => {
    expectLeftOutUnknown(unownedNextHop().resolveWith([leftOutGap(networkId('networkinterfaces', 'nic-spare'))]), 'nic-spare');
  });

  it('a load balancer left out in another subscription may still own it (cross-subscription frontends): unknown, naming it', () => {
    expectLeftOutUnknown(unownedNextHop().resolveWith([leftOutGap(`${OTHER_SUBSCRIPTION}/loadbalancers/ilb-other`)]), 'ilb-other');
  });

  /**
   * VNet `branch`: a GatewaySubnet and no gateway; `app` routes 0.0.0.0/0 to VirtualNetworkGateway
   * ("no gateway, dropped"), `web` has no route table (default outbound). VNet `other`: a
   * GatewaySubnet whose record lists vgw-other's IP configuration when `placed`.
   */
  function branchEstate(opts: { readonly placed?: boolean; readonly branchLists?: 'held' | 'left-out' } = {}): { readonly resolveWith: (source: string, gaps: readonly Gap[]) => Said } {
    const b = new ModelBuilder();
    const branch = b.vnet('branch', ['10.5.0.0/16']);
    const gatewaySubnet = b.subnet(branch, 'GatewaySubnet', '10.5.255.0/27');
    const rt = b.routeTable('rt-tunnel', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    b.subnet(branch, 'app', '10.5.1.0/24', { routeTableId: rt });
    b.subnet(branch, 'web', '10.5.3.0/24');
    const other = b.vnet('other', ['10.6.0.0/16']);
    const otherGatewaySubnet = b.subnet(other, 'GatewaySubnet', '10.6.255.0/27');
    if (opts.placed) b.updateSubnet(otherGatewaySubnet, { attachedGatewayIds: [networkId('virtualnetworkgateways', 'vgw-other')] } as never);
    if (opts.branchLists === 'held') b.updateSubnet(gatewaySubnet, { attachedGatewayIds: [b.gateway('vgw-branch', branch, { type: 'ExpressRoute' })] } as never);
    if (opts.branchLists === 'left-out') b.updateSubnet(gatewaySubnet, { attachedGatewayIds: [networkId('virtualnetworkgateways', 'vgw-other')] } as never);
    const model = b.build();
    return { resolveWith: (source, gaps) => said(pathOf(resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps }, {}).paths, source), gaps) };
  }

  const vgwOther = networkId('virtualnetworkgateways', 'vgw-other');

  it('keeps "no gateway, dropped" and default outbound when the left-out gateway is attached to another VNet\'s GatewaySubnet', () => {
    const { resolveWith } = branchEstate({ placed: true });
    for (const source of ['app', 'web']) {
      const honest = resolveWith(source, []).said;
      expect(honest).not.toBe('unknown/-');
      expect(resolveWith(source, [leftOutGap(vgwOther)]).said).toBe(honest);
    }
    expect(resolveWith('app', []).said).toBe('dropped/-');
  });

  it('keeps them when the left-out gateway is of another subscription (a gateway is in its VNet\'s)', () => {
    const { resolveWith } = branchEstate();
    const otherSubscriptionGateway = leftOutGap(`${OTHER_SUBSCRIPTION}/virtualnetworkgateways/vgw-far`);
    expect(resolveWith('app', [otherSubscriptionGateway]).said).toBe('dropped/-');
    expect(resolveWith('web', [otherSubscriptionGateway]).said).toBe(resolveWith('web', []).said);
  });

  it('keeps them when the VNet\'s own GatewaySubnet lists another gateway (the input says which is there)', () => {
    const { resolveWith } = branchEstate({ branchLists: 'held' });
    for (const source of ['app', 'web']) expect(resolveWith(source, [leftOutGap(vgwOther)]).said).toBe(resolveWith(source, []).said);
  });

  it('a left-out gateway of the VNet\'s subscription that nothing places elsewhere may be branch\'s: both subnets unknown, naming it', () => {
    const { resolveWith } = branchEstate();
    expectLeftOutUnknown(resolveWith('app', [leftOutGap(vgwOther)]), 'vgw-other');
    expectLeftOutUnknown(resolveWith('web', [leftOutGap(vgwOther)]), 'vgw-other');
  });

  it('a left-out gateway that branch\'s own GatewaySubnet lists is not "no gateway"', () => {
    const { resolveWith } = branchEstate({ branchLists: 'left-out' });
    expect(resolveWith('app', [leftOutGap(vgwOther)]).said).toBe('unknown/-');
    expect(resolveWith('web', [leftOutGap(vgwOther)]).said).toBe('unknown/-');
  });
});

describe('the left-out resources reach every entry point', () => {
  it('a snapshot written and read again gives the same unknown (its gaps carry the left-out resources)', () => {
    const normalized = normalizeArm([{ fileName: 'training.json', json: bundle((r) => { r('afw-training').properties.sku = 'junk'; }) }]);
    const content = { ...importedContent(normalized.model, 'training.json'), effectiveRoutes: normalized.effectiveRoutes, gaps: normalized.gaps };
    const snapshot = parseSnapshotJson(JSON.parse(JSON.stringify(buildSnapshot(content))), 'training.snapshot.json');
    const path = pathOf(resolveEgress(snapshot, {}).paths, 'snet-12-firewall-with-nat');
    expectLeftOutUnknown(said(path, snapshot.gaps), 'afw-training');
  });

  it('a resource named by a gap but held by the model (a copy kept, effective routes set aside) is not left out', () => {
    const normalized = normalizeArm([{ fileName: 'training.json', json: bundle() }]);
    const firewall = normalized.model.azureFirewalls.find((f) => f.name === 'afw-training');
    const gaps: Gap[] = [{ code: 'skipped-input', scope: firewall?.id ?? '', message: 'a.json and b.json hold different copies: those of b.json are used.' }];
    const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps, serviceTags: training.serviceTags }, {});
    expect(said(pathOf(result.paths, 'snet-12-firewall-with-nat'), gaps).said).toBe('internet/nat-gateway');
  });
});

describe('a hub whose only address owner was left out (the bank demo\'s firewall)', () => {
  it('the spokes name the left-out firewall, not "none is in the input"', () => {
    const bank = demoEstate('bank');
    const json = demoBundle('bank');
    resourceNamed(json, 'afw-hub-weu').properties.sku = 'junk';
    const normalized = normalizeArm([{ fileName: 'bank.json', json }]);
    const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps, serviceTags: bank.serviceTags }, {});
    const spoke = said(pathOf(result.paths, 'snet-card-auth'), normalized.gaps);
    expect(spoke.said).toBe('unknown/-');
    expect(spoke.leftOut).toContain('afw-hub-weu');
    expect(spoke.last).toContain('afw-hub-weu');
    expect(spoke.last).not.toContain('none is in the input');
    expect(result.gaps.map((g) => g.message).join('\n')).not.toContain('none is in the input');
  });
});
