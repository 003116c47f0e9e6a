/**
 * SNAT capacity as each exit documents it:
 *   - a NAT gateway: 64,512 ports per IPv4 public IP; ARM lists a StandardV2 gateway's IPv4 and IPv6
 *     addresses apart (publicIpAddresses "V4", publicIpAddressesV6 "V6": Microsoft.Network/natGateways
 *     REST schema, 2025-01-01; articles/nat-gateway/nat-gateway-resource.md);
 *   - an instance-level public IP: "SNAT isn't used", "a stateless 1:1 NAT", "the instance has all
 *     ephemeral ports available" (articles/load-balancer/load-balancer-outbound-connections.md);
 *   - an Azure Firewall: "2,496 SNAT ports per public IP address configured per backend virtual
 *     machine scale set instance (Minimum of two instances)" (articles/firewall/integrate-with-nat-gateway.md),
 *     and it scales out (articles/firewall/firewall-performance.md): the count is a minimum.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import {
  armId, azureFirewall, defaultRouteTo, firewallPolicy, natGateway, networkInterface, publicIp, routeTable, ruleCollectionGroup, subnetId,
  virtualNetwork, vnetId,
} from '../../../shared/demo/arm-builders';
import type { ArmResource, Scope } from '../../../shared/demo/arm-builders';
import { resolveEgress } from '../../../shared/egress/index';
import type { EgressPath, ResolveInput } from '../../../shared/egress/index';
import { chooseOutboundMethod, methodEgress, snatCapacityOf, snatPortsText } from '../../../shared/egress/outbound';
import { terminalOf } from '../../../shared/egress/steps';
import { buildModelIndex } from '../../../shared/model/model-index';
import { ModelBuilder } from '../../support/model-builder';
import { demoInput } from '../policy/support';
import { pathOf, resolve } from './support';

const SCOPE: Scope = { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-snat', location: 'eastus', tags: { owner: 'netops' } };

function input(resources: readonly ArmResource[]): ResolveInput {
  return { ...normalizeArm([{ fileName: 'snat.json', json: { resources } }]), metrics: [], serviceTags: undefined };
}

function pathNamed(result: { readonly paths: readonly EgressPath[] }, name: string): EgressPath {
  const path = result.paths.find((p) => p.source.name === name);
  if (!path) throw new Error(`no path ${name}`);
  return path;
}

/** A StandardV2 NAT gateway with one IPv4 public IP in the input and one IPv6 public IP listed in publicIpAddressesV6 only. */
function standardV2Estate(): ResolveInput {
  const pip4 = publicIp(SCOPE, 'pip-nat-v4', { ipAddress: '20.1.1.10', sku: 'StandardV2' });
  const nat = natGateway(SCOPE, 'ng-v2', { publicIps: [pip4] });
  const natV2: ArmResource = {
    ...nat, sku: { name: 'StandardV2' },
    properties: { ...nat.properties, publicIpAddressesV6: [{ id: armId(SCOPE, 'Microsoft.Network/publicIPAddresses', 'pip-nat-v6') }] },
  };
  const vnet = virtualNetwork(SCOPE, 'vnet-a', ['10.0.0.0/16'], [{ name: 'snet-nat', addressPrefix: '10.0.1.0/24', natGateway: natV2 }]);
  return input([pip4, natV2, vnet]);
}

describe('NAT gateway: IPv4 and IPv6 public IPs kept apart', () => {
  it('keeps publicIpAddressesV6 in the model as the gateway\'s IPv6 addresses, beside the IPv4 ones', () => {
    const nat = standardV2Estate().model.natGateways[0];
    expect(nat?.publicIpAddressIds.map((id) => id.split('/').pop())).toEqual(['pip-nat-v4', 'pip-nat-v6']);
    expect(nat?.publicIpAddressV6Ids?.map((id) => id.split('/').pop())).toEqual(['pip-nat-v6']);
  });

  it('gives an IPv4 flow the IPv4 address and its 64,512 ports only, not a V6-listed address the input lacks', () => {
    const path = pathNamed(resolveEgress(standardV2Estate()), 'snet-nat');
    expect(path.exit).toBe('nat-gateway');
    expect(path.egressIps).toEqual(['20.1.1.10']);
    expect(path.snatPorts).toBe(64_512);
  });

  it('gives an IPv6 flow the V6-listed address (named, as it is not in the input), and claims no port count', () => {
    const inp = standardV2Estate();
    const index = buildModelIndex(inp.model);
    const subnet = inp.model.subnets.find((s) => s.name === 'snet-nat');
    if (!subnet) throw new Error('no subnet');
    const method = chooseOutboundMethod(index, subnet, { kind: 'subnet' }, 'Tcp', 'IPv6');
    expect(method.kind).toBe('nat-gateway');
    expect(methodEgress(index, method, 'IPv6')).toEqual({ egressIps: ['pip-nat-v6'], snatPorts: null });
  });

  it('does not send IPv6 through a NAT gateway whose SKU is not in the input and whose addresses are IPv4: unknown, naming the SKU', () => {
    // Standard is IPv4-only (IPv6 takes the next method); StandardV2 with no IPv6 address is not documented.
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-v4', '20.1.1.1')], sku: 'Unknown' });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const model = b.build();
    const index = buildModelIndex(model);
    const subnet = model.subnets.find((x) => x.id === s);
    if (!subnet) throw new Error('no subnet');
    const method = chooseOutboundMethod(index, subnet, { kind: 'subnet' }, 'Tcp', 'IPv6');
    expect(method.kind).toBe('undecided');
    expect(method.kind === 'undecided' ? method.missingFact : '').toMatch(/SKU \(sku\.name\) is not in the input/);
    // An IPv4 flow leaves from it whatever the SKU.
    expect(resolve(model).paths.find((p) => p.source.id === s)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', snatPorts: 64_512 });
  });
});

describe('instance-level public IP: no SNAT', () => {
  it('claims no SNAT port count, and the table, PDF and app say why', () => {
    const pip = publicIp(SCOPE, 'pip-vm', { ipAddress: '20.1.1.1' });
    const vnet = virtualNetwork(SCOPE, 'vnet-a', ['10.0.0.0/16'], [{ name: 'snet-vm', addressPrefix: '10.0.1.0/24' }]);
    const nic = networkInterface(SCOPE, 'nic-vm', { subnetId: subnetId(vnetId(SCOPE, 'vnet-a'), 'snet-vm'), privateIp: '10.0.1.4', publicIp: pip, vmName: 'vm1' });
    const path = pathNamed(resolveEgress(input([pip, vnet, nic])), 'nic-vm');
    expect(path.exit).toBe('public-ip');
    expect(path.egressIps).toEqual(['20.1.1.1']);
    expect(path.snatPorts).toBeNull();
    expect(snatCapacityOf(path)).toEqual({ kind: 'no-snat' });
    expect(snatPortsText(path, 'not known')).toBe('no SNAT (instance public IP)');
  });
});

/** A hub VNet with AzureFirewallSubnet and `spokes` workload subnets whose 0.0.0.0/0 goes to the firewall (one public IP, no NAT gateway). */
function firewallEstate(spokes: number): ResolveInput {
  const vnet = vnetId(SCOPE, 'vnet-hub');
  const pip = publicIp(SCOPE, 'pip-afw', { ipAddress: '20.2.2.2' });
  const policy = firewallPolicy(SCOPE, 'afwp', ['rcg']);
  const rcg = ruleCollectionGroup(SCOPE, 'afwp', 'rcg', 100, [{ name: 'allow-all', priority: 100, action: 'Allow', rules: [
    { kind: 'network', name: 'any', ipProtocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'] },
  ] }]);
  const fw = azureFirewall(SCOPE, 'afw', { tier: 'Standard', subnetId: subnetId(vnet, 'AzureFirewallSubnet'), privateIp: '10.0.0.4', publicIps: [pip], policy });
  const rt = routeTable(SCOPE, 'rt-to-afw', [defaultRouteTo('10.0.0.4')]);
  const subnets = [{ name: 'AzureFirewallSubnet', addressPrefix: '10.0.0.0/26' },
    ...Array.from({ length: spokes }, (_, i) => ({ name: `snet-${i + 1}`, addressPrefix: `10.0.${i + 1}.0/24`, routeTable: rt }))];
  return input([pip, policy, rcg, fw, rt, virtualNetwork(SCOPE, 'vnet-hub', ['10.0.0.0/16'], subnets)]);
}

describe('Azure Firewall: SNAT ports are a minimum', () => {
  it('states the shared ports of a firewall with one public IP and many subnets as "at least 4,992"', () => {
    const finding = resolveEgress(firewallEstate(11)).findings.find((f) => f.code === 'snat-capacity');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toMatch(/they share at least 4,992 SNAT ports \(2,496 per instance, 2 instances at minimum; more as the firewall scales out/);
  });

  it('keeps the threshold: no capacity finding at 10 subnets, one at 11', () => {
    expect(resolveEgress(firewallEstate(10)).findings.some((f) => f.code === 'snat-capacity')).toBe(false);
    expect(resolveEgress(firewallEstate(11)).findings.some((f) => f.code === 'snat-capacity')).toBe(true);
  });

  it('keeps the floor (2 × 2,496 per public IP) as the path\'s count and marks it "at least" where it is shown', () => {
    const path = pathNamed(resolveEgress(firewallEstate(1)), 'snet-1');
    expect(path).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['20.2.2.2'], snatPorts: 4_992 });
    expect(snatCapacityOf(path)).toEqual({ kind: 'ports', ports: 4_992, atLeast: true });
    expect(snatPortsText(path, '-')).toBe('at least 4,992');
  });

  it('marks a secured-hub firewall\'s ports "at least" too', () => {
    // training: snet-15-vwan-routing-intent leaves through secured-hub firewall afw-vhub-training's two public IPs.
    const path = pathNamed(resolveEgress(demoInput('training')), 'snet-15-vwan-routing-intent');
    expect(path).toMatchObject({ verdict: 'internet', exit: 'public-ip', snatPorts: 2 * 2 * 2_496 });
    expect(snatPortsText(path, '-')).toBe('at least 9,984');
  });

  it('leaves NAT gateway and load balancer counts exact, and an unknown count unknown', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const lone = b.subnet(b.vnet('w', ['10.1.0.0/16']), 'lone', '10.1.1.0/24', { defaultOutboundAccess: false });
    const result = resolve(b.build());
    expect(snatPortsText(pathOf(result, s), '-')).toBe('64,512');
    expect(snatCapacityOf(pathOf(result, lone))).toEqual({ kind: 'unknown' });
    expect(terminalOf(pathOf(result, lone).steps).reason.kind).not.toBe('egress');
  });
});
