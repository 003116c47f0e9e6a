/**
 * A resource (or a child) missing from an otherwise valid export while the rest of the input still
 * references it by ID: the next hop it may own, or the load balancer outbound it decides, is
 * `unknown` naming the missing resource and what references it, never "no owner, dropped" or "no
 * outbound" (classes A and B). Controls: the same deletion with nothing referencing what is
 * missing, or a missing resource that cannot hold the address, keeps the confident answer. Class E:
 * such a resource counts only in the VNets it can be in (a VM's NICs share one VNet; a public
 * load balancer frontend holds no private address), and a missing frontend of the other IP version
 * does not make a flow unknown, or every honest estate with a partial export turns unknown.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import { demoBundle, demoEstate as estate, resourceNamed as resource, type MutableJson as Json } from '../../support/demo-bundle';

type EstateName = 'manufacturer' | 'training';

const dropResource = (name: string) => (j: Json): void => {
  const before = (j.resources as Json[]).length;
  j.resources = (j.resources as Json[]).filter((r) => r.name !== name);
  if (j.resources.length !== before - 1) throw new Error(`no single resource ${name}`);
};

const dropChild = (resourceName: string, key: string, child: string) => (j: Json): void => {
  const props = resource(j, resourceName).properties;
  const before = (props[key] as Json[]).length;
  props[key] = (props[key] as Json[]).filter((c) => c.name !== child);
  if (props[key].length !== before - 1) throw new Error(`no single child ${resourceName}.${key}/${child}`);
};

const both = (...steps: ((j: Json) => void)[]) => (j: Json): void => { for (const step of steps) step(j); };

/** `verdict/exit :: last hop rule :: explanation` for `source` (a subnet, or a NIC that has its own path). */
function said(name: EstateName, mutate: (j: Json) => void, source: string, destination: string | null = null): string {
  const json = demoBundle(name);
  mutate(json);
  const normalized = normalizeArm([{ fileName: `${name}.json`, json }]);
  const result = resolveEgress({
    model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps, serviceTags: estate(name).serviceTags,
  }, { destination });
  const path = result.paths.find((p) => p.source.id.endsWith(`/${source.toLowerCase()}`));
  if (path === undefined) throw new Error(`no path for ${source}`);
  const hop = explainPath(path).at(-1);
  return `${path.verdict}/${path.exit ?? '-'} :: ${hop?.rule ?? ''} :: ${hop?.explanation ?? ''}`;
}

/**
 * The training estate with lesson 09's UDR pointing at 10.60.9.200, an address inside snet-09 that
 * no NIC, firewall or load balancer owns (a decommissioned NVA): dropped. A resource the input
 * references but lacks makes it unknown only where that resource can be.
 */
const unownedNextHop = (j: Json): void => {
  for (const route of resource(j, 'rt-lesson09-deleted-appliance').properties.routes as Json[]) {
    if (route.properties.nextHopIpAddress) route.properties.nextHopIpAddress = '10.60.9.200';
  }
};
const scopeOf = (j: Json): string => (resource(j, 'vnet-training-lessons').id as string).split('/providers/')[0] ?? '';
const branchSubnetOf = (j: Json): string => (resource(j, 'vnet-training-branch').properties.subnets as Json[]).find((s) => s.name === 'snet-14-vpn-forced-tunnel')?.id as string;
const nicIn = (id: string, subnetId: string, extra: Json = {}): Json => ({
  id, name: id.split('/').pop(), type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
  properties: {
    provisioningState: 'Succeeded', enableIPForwarding: false, primary: true, ...extra,
    ipConfigurations: [{ id: `${id}/ipConfigurations/ipconfig1`, name: 'ipconfig1', properties: { provisioningState: 'Succeeded', privateIPAddress: '10.61.1.10', privateIPAllocationMethod: 'Dynamic', privateIPAddressVersion: 'IPv4', primary: true, subnet: { id: subnetId } } }],
  },
});
const publicIp = (id: string, ipConfigurationId: string, version = 'IPv4', address = '20.50.1.1'): Json => ({
  id, name: id.split('/').pop(), type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard', tier: 'Regional' },
  properties: { provisioningState: 'Succeeded', ipAddress: address, publicIPAddressVersion: version, publicIPAllocationMethod: 'Static', idleTimeoutInMinutes: 4, ipConfiguration: { id: ipConfigurationId } },
});
const DROPPED_UNOWNED = /^dropped\/- :: Next hop 10\.60\.9\.200 has no owner/;

describe('E. a referenced-but-missing owner counts only in the VNets it can be in', () => {
  it('control: the decommissioned-NVA shape is dropped', () => {
    expect(said('training', unownedNextHop, 'snet-09-udr-unowned-appliance')).toMatch(DROPPED_UNOWNED);
  });

  /*
   * A VM in vnet-training-branch (its NIC in the input) lists a data NIC the export lacks. That NIC
   * is in the branch VNet: "While network interfaces in the same VM can be connected to different
   * subnets within a virtual network, the network interfaces must all be connected to the same
   * virtual network" (https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface-vm#constraints),
   * so it cannot own 10.60.9.200 in vnet-training-lessons (it was counted in every VNet of the
   * subscription, turning lesson 09 unknown). In the branch VNet it still may.
   */
  const withVm = (j: Json): void => {
    unownedNextHop(j);
    const sub = scopeOf(j);
    const nic = (name: string): string => `${sub}/providers/Microsoft.Network/networkInterfaces/${name}`;
    const vm = `${sub}/providers/Microsoft.Compute/virtualMachines/vm-branch-01`;
    (j.resources as Json[]).push(
      nicIn(nic('nic-vm-branch-01'), branchSubnetOf(j), { virtualMachine: { id: vm } }),
      { id: vm, name: 'vm-branch-01', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope',
        properties: { networkProfile: { networkInterfaces: [{ id: nic('nic-vm-branch-01'), properties: { primary: true } }, { id: nic('nic-vm-branch-01-data'), properties: { primary: false } }] } } },
    );
  };

  it("a VM's missing second NIC is in its first NIC's VNet, not in every VNet of the subscription", () => {
    expect(said('training', withVm, 'snet-09-udr-unowned-appliance')).toMatch(DROPPED_UNOWNED);
  });

  it("control: a next hop nothing owns in the VM's own VNet is unknown, naming the missing NIC", () => {
    const answer = said('training', (j) => {
      withVm(j);
      for (const route of resource(j, 'rt-lesson09-deleted-appliance').properties.routes as Json[]) {
        if (route.properties.nextHopIpAddress) route.properties.nextHopIpAddress = '10.61.1.200';
      }
      const table = resource(j, 'rt-lesson09-deleted-appliance').id as string;
      (resource(j, 'vnet-training-branch').properties.subnets as Json[]).find((s) => s.name === 'snet-14-vpn-forced-tunnel').properties.routeTable = { id: table };
    }, 'snet-14-vpn-forced-tunnel');
    expect(answer).toMatch(/^unknown\/- :: Not in the snapshot: /);
    expect(answer).toMatch(/nic-vm-branch-01-data/);
  });

  /*
   * A public IP whose ipConfiguration is a frontend of a load balancer in another subscription (not
   * exported). That frontend holds the public IP, and a frontend holds a subnet address or a public
   * IP, never both (ARM: FrontendIPConfigHasBothSubnetAndPublicIP; New-AzLoadBalancerFrontendIpConfig
   * takes a subnet or a public IP, in separate parameter sets): nothing places the load balancer
   * in vnet-training-lessons, so it does not make lesson 09 unknown.
   */
  it("a public IP naming a public load balancer's frontend elsewhere does not make an unrelated next hop unknown", () => {
    expect(said('training', (j) => {
      unownedNextHop(j);
      (j.resources as Json[]).push(publicIp(`${scopeOf(j)}/providers/Microsoft.Network/publicIPAddresses/pip-lbe-edge`,
        '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-edge/providers/Microsoft.Network/loadBalancers/lbe-edge/frontendIPConfigurations/fe-public'));
    }, 'snet-09-udr-unowned-appliance')).toMatch(DROPPED_UNOWNED);
  });

  /*
   * An AKS-style node public IP naming the NIC of a Uniform scale set instance the export lacks,
   * while the input holds another instance's NIC in vnet-training-branch: every instance is a VM of
   * the scale set's one network profile, and a VM's NICs share one VNet, so the missing NIC is in
   * the branch VNet and does not make lesson 09 unknown.
   */
  const scaleSet = (j: Json): string => `${scopeOf(j)}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodes-vmss`;
  const withScaleSetIp = (j: Json): void => {
    unownedNextHop(j);
    (j.resources as Json[]).push(publicIp(`${scopeOf(j)}/providers/Microsoft.Network/publicIPAddresses/pip-node-1`,
      `${scaleSet(j)}/virtualMachines/1/networkInterfaces/aks-nodes-vmss/ipConfigurations/ipconfig1`));
  };

  it('a missing scale set NIC is in the VNet of the scale set NICs the input holds', () => {
    expect(said('training', (j) => {
      withScaleSetIp(j);
      (j.resources as Json[]).push(nicIn(`${scaleSet(j)}/virtualMachines/0/networkInterfaces/aks-nodes-vmss`, branchSubnetOf(j)));
    }, 'snet-09-udr-unowned-appliance')).toMatch(DROPPED_UNOWNED);
  });

  it('control: with no NIC of the scale set in the input, the missing NIC may be in any VNet of its subscription: unknown', () => {
    expect(said('training', withScaleSetIp, 'snet-09-udr-unowned-appliance')).toMatch(/^unknown\/- :: Not in the snapshot: .*aks-nodes-vmss/);
  });
});

describe('A. a next-hop owner not in the input but referenced by it', () => {
  it.each([
    ['training', 'snet-12-firewall-with-nat', null, 'afw-training', /Azure Firewall afw-training \(referenced by the ipConfiguration of public IP pip-afw-training; it may hold next hop 10\.60\.254\.4 in subnet AzureFirewallSubnet/],
    ['training', 'snet-13-nat-bypassed-by-udr', 'api.stripe.com', 'afw-training', /Azure Firewall afw-training \(referenced by the ipConfiguration of public IP pip-afw-training/],
    ['manufacturer', 'snet-aca-builds', null, 'afw-mfg-hub-neu', /Azure Firewall afw-mfg-hub-neu \(referenced by the ipConfiguration of public IP pip-afw-mfg-hub-neu/],
    ['manufacturer', 'snet-aca-builds', 'api.stripe.com', 'afw-mfg-hub-neu', /Azure Firewall afw-mfg-hub-neu \(referenced by/],
    ['training', 'snet-11-nva-with-forwarding', null, 'nic-vm-nva-forward-01', /NIC nic-vm-nva-forward-01 \(referenced by the ipConfiguration of public IP pip-vm-nva-forward-01; it may hold next hop 10\.60\.201\.4 in subnet snet-nva-forwarding/],
    ['manufacturer', 'snet-aca-jobs', null, 'lbi-nva-neu', /load balancer lbi-nva-neu \(referenced by the backend pools of IP configuration ipconfig1 of NIC nic-vm-nva-fw-01; it may hold next hop 10\.200\.0\.10 in subnet snet-nva/],
  ] as const)('%s %s (%s) without %s: unknown, naming it and what references it', (name, source, destination, deleted, naming) => {
    const answer = said(name, dropResource(deleted), source, destination);
    expect(answer).toMatch(/^unknown\/- :: Not in the snapshot: /);
    expect(answer).toMatch(naming);
  });

  it('control: the same deletion with nothing referencing the firewall stays dropped', () => {
    const unreferenced = both(dropResource('afw-training'), (j) => { resource(j, 'pip-afw-training').properties.ipConfiguration = undefined; });
    expect(said('training', unreferenced, 'snet-12-firewall-with-nat')).toMatch(/^dropped\/- :: Next hop 10\.60\.254\.4 has no owner/);
  });

  it('control: lesson 09 (an appliance nobody owns) stays dropped, with or without a referenced firewall missing (a firewall holds addresses only in AzureFirewallSubnet)', () => {
    expect(said('training', () => undefined, 'snet-09-udr-unowned-appliance')).toMatch(/^dropped\/- :: Next hop 10\.60\.99\.4 has no owner/);
    expect(said('training', dropResource('afw-training'), 'snet-09-udr-unowned-appliance')).toMatch(/^dropped\/- :: Next hop 10\.60\.99\.4 has no owner/);
  });

  it('control: the unmutated estates keep their confident answers', () => {
    const none = (): void => undefined;
    expect(said('training', none, 'snet-12-firewall-with-nat')).toMatch(/^internet\/nat-gateway/);
    expect(said('training', none, 'snet-11-nva-with-forwarding')).toMatch(/^internet\/public-ip/);
    expect(said('manufacturer', none, 'snet-aca-jobs')).toMatch(/^internet\/nat-gateway/);
    expect(said('manufacturer', none, 'snet-aca-builds')).toMatch(/^internet\/nat-gateway/);
  });
});

describe('B. a child removed while others still reference it', () => {
  it.each([
    ['training', 'snet-12-firewall-with-nat', dropChild('vnet-training-lessons', 'subnets', 'AzureFirewallSubnet'), /subnet azurefirewallsubnet \(referenced by IP configuration ipconfig1 of Azure Firewall afw-training; it may hold next hop 10\.60\.254\.4 in virtual network vnet-training-lessons/],
    ['manufacturer', 'snet-aca-builds', dropChild('vnet-mfg-hub-neu', 'subnets', 'AzureFirewallSubnet'), /subnet azurefirewallsubnet \(referenced by IP configuration ipconfig1 of Azure Firewall afw-mfg-hub-neu/],
    ['manufacturer', 'snet-aca-jobs', dropChild('vnet-mfg-hub-neu', 'subnets', 'snet-nva'), /subnet snet-nva \(referenced by .*; it may hold next hop 10\.200\.0\.10 in virtual network vnet-mfg-hub-neu/],
    ['training', 'snet-11-nva-with-forwarding', dropChild('vnet-training-lessons', 'subnets', 'snet-nva-forwarding'), /subnet snet-nva-forwarding \(referenced by IP configuration ipconfig1 of NIC nic-vm-nva-forward-01/],
    ['training', 'snet-12-firewall-with-nat', dropChild('afw-training', 'ipConfigurations', 'ipconfig1'), /IP configuration ipconfig1 of Azure Firewall afw-training \(referenced by the ipConfiguration of public IP pip-afw-training; it may hold next hop 10\.60\.254\.4 in subnet AzureFirewallSubnet/],
    ['training', 'snet-11-nva-with-forwarding', dropChild('nic-vm-nva-forward-01', 'ipConfigurations', 'ipconfig1'), /IP configuration ipconfig1 of NIC nic-vm-nva-forward-01 \(referenced by the ipConfiguration of public IP pip-vm-nva-forward-01/],
    ['manufacturer', 'snet-aca-jobs', dropChild('lbi-nva-neu', 'frontendIPConfigurations', 'fe-nva'), /frontend fe-nva of load balancer lbi-nva-neu \(referenced by load-balancing rule ha-ports of load balancer lbi-nva-neu; it may hold next hop 10\.200\.0\.10 in subnet snet-nva/],
  ] as const)('%s %s: unknown, naming the missing child and what references it', (name, source, mutate, naming) => {
    const answer = said(name, mutate, source);
    expect(answer).toMatch(/^unknown\/- :: Not in the snapshot: /);
    expect(answer).toMatch(naming);
  });

  it('a firewall with no IP configuration at all, nothing referencing one: unknown (Azure has no such firewall in a virtual network)', () => {
    const bare = both(dropChild('afw-training', 'ipConfigurations', 'ipconfig1'), (j) => { resource(j, 'pip-afw-training').properties.ipConfiguration = undefined; });
    expect(said('training', bare, 'snet-12-firewall-with-nat')).toMatch(/^unknown\/- :: Not in the snapshot: the IP configurations of Azure Firewall afw-training \(none is in the input, and a firewall in a virtual network has at least one/);
  });

  it('a NIC with no IP configuration at all, nothing referencing one: unknown', () => {
    const bare = both(dropChild('nic-vm-nva-forward-01', 'ipConfigurations', 'ipconfig1'), (j) => { resource(j, 'pip-vm-nva-forward-01').properties.ipConfiguration = undefined; });
    expect(said('training', bare, 'snet-11-nva-with-forwarding')).toMatch(/^unknown\/- :: Not in the snapshot: the IP configurations of NIC nic-vm-nva-forward-01 \(none is in the input, and a NIC has at least one/);
  });

  it('a public load balancer frontend its outbound rule still uses: unknown for the pool member, naming the frontend', () => {
    const answer = said('training', dropChild('lbe-training-outbound-rule', 'frontendIPConfigurations', 'fe-public'), 'nic-vm-lesson05-01');
    expect(answer).toMatch(/^unknown\/- :: Unknown: outbound rule outbound-lesson05 of load balancer lbe-training-outbound-rule: frontend fe-public not in the input/);
  });

  it('control: the frontend and every rule and public IP that named it removed: no outbound, as before', () => {
    const gone = both(dropChild('lbe-training-outbound-rule', 'frontendIPConfigurations', 'fe-public'), dropChild('lbe-training-outbound-rule', 'outboundRules', 'outbound-lesson05'),
      (j) => { resource(j, 'pip-lbe-training-outbound-rule').properties.ipConfiguration = undefined; });
    expect(said('training', gone, 'nic-vm-lesson05-01')).toMatch(/^no-outbound\/- :: No outbound method/);
    expect(said('training', () => undefined, 'nic-vm-lesson05-01')).toMatch(/^internet\/load-balancer/);
  });

  /*
   * The outbound rule also names a second frontend, fe-v6, that the load balancer in the input does
   * not list, and the input's public IP attached to it is IPv6. An IPv6 frontend SNATs IPv6 flows
   * only, so for an IPv4 flow the missing frontend changes nothing: the answer stays the rule's
   * IPv4 frontend, not unknown. Control: the same public IP IPv4 (or none) leaves it unknown.
   */
  const withFrontend = (version: string) => (j: Json): void => {
    const lb = resource(j, 'lbe-training-outbound-rule');
    const frontend = `${lb.id as string}/frontendIPConfigurations/fe-v6`;
    ((lb.properties.outboundRules as Json[])[0].properties.frontendIPConfigurations as Json[]).push({ id: frontend });
    const sub = (lb.id as string).split('/providers/')[0];
    (j.resources as Json[]).push(publicIp(`${sub}/providers/Microsoft.Network/publicIPAddresses/pip-lbe-v6`, frontend, version, version === 'IPv6' ? '2603:1020::1' : '20.50.1.2'));
  };

  it('an outbound rule frontend the input lacks, shown IPv6 by its public IP, does not make an IPv4 flow unknown', () => {
    expect(said('training', withFrontend('IPv6'), 'nic-vm-lesson05-01')).toMatch(/^internet\/load-balancer/);
  });

  it('control: the same frontend shown IPv4 leaves the IPv4 flow unknown, naming it', () => {
    expect(said('training', withFrontend('IPv4'), 'nic-vm-lesson05-01')).toMatch(/^unknown\/- :: Unknown: outbound rule outbound-lesson05 of load balancer lbe-training-outbound-rule: frontend fe-v6 not in the input/);
  });
});
