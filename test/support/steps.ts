/**
 * Minimal typed steps for hand-built test paths (graph, evidence, renderer fixtures), so fixtures
 * do not depend on the engine. Names come from the last segment of the ID.
 */
import type { Flow, Step, TerminalReason } from '../../shared/egress/steps';
import type { Verdict, Via, ViaKind } from '../../shared/egress/types';

const FLOW: Flow = { destination: 'the internet (0.0.0.0/0)', protocol: 'Tcp', port: 443 };

function named(id: string): { id: string; name: string } {
  return { id, name: id.split('/').pop() ?? id };
}

export type FixtureStepKind = Exclude<Step['kind'], 'terminal'> | 'internet' | 'on-premises';

/** A plausible step of this kind about this resource. */
export function stepOf(kind: FixtureStepKind, id: string): Step {
  switch (kind) {
    case 'source': return { kind: 'source', origin: 'subnet', subnet: named(id), addressPrefixes: ['10.0.0.0/24'] };
    case 'nsg': return { kind: 'nsg', nsg: named(id), attachedTo: 'subnet', direction: 'Outbound', access: 'Allow', rules: [{ name: 'AllowInternetOutBound', priority: 65001, access: 'Allow', isDefault: true }], defaultsAssumed: false, allowed: [], note: null, flow: FLOW };
    case 'route': return {
      kind: 'route', subnet: named(id), route: { source: 'User', origin: 'udr', name: 'default', addressPrefix: '0.0.0.0/0', nextHop: { kind: 'known', type: 'VirtualAppliance' }, nextHopIpAddress: '10.0.1.4', resourceId: id },
      overridden: [], capturedFromNicId: null, routeTableId: null, flow: FLOW,
    };
    case 'azure-firewall': return { kind: 'azure-firewall', firewall: named(id), skuName: 'AZFW_VNet', skuTier: 'Standard', forcedTunnel: false, hub: null };
    case 'firewall-rule': return { kind: 'firewall-rule', firewall: named(id), policyId: null, decision: { kind: 'default-deny' }, flow: FLOW };
    case 'virtual-appliance': return { kind: 'virtual-appliance', nic: named(id), privateIp: '10.0.1.4' };
    case 'internal-load-balancer': return { kind: 'internal-load-balancer', loadBalancer: named(id), frontend: '10.0.1.10', rule: null, memberCount: 1, firstMember: 'nva-nic', flow: FLOW };
    case 'virtual-network-gateway': return { kind: 'virtual-network-gateway', use: 'forced-tunnel', gateway: named(id), expressRoute: false, how: 'bgp', routePrefix: '0.0.0.0/0', transit: false, learned: true };
    case 'virtual-hub': return { kind: 'virtual-hub', hub: named(id), routingIntent: 'internet', udr: false, subnetId: id };
    case 'nat-gateway': return { kind: 'nat-gateway', natGateway: named(id), egressIps: ['20.0.0.2'], snatPorts: 64512, sharedBySubnets: 1, ownPublicIpInboundOnly: false };
    case 'public-ip': return { kind: 'public-ip', owner: 'instance', resourceId: id, ownerId: id, ownerName: named(id).name, publicIpName: named(id).name, egressIps: ['20.0.0.3'] };
    case 'load-balancer': return { kind: 'load-balancer', method: 'outbound-rule', loadBalancer: named(id), ruleName: 'outbound', poolName: 'pool', egressIps: ['20.0.0.4'], snatPorts: 1024, portsFromRule: null };
    case 'default-outbound': return { kind: 'default-outbound', subnet: named(id), defaultOutboundAccess: null, reason: 'allowed' };
    case 'dns': return { kind: 'dns', name: 'api.example.com', resolution: 'public', vnet: named(id), zone: null, link: null, record: null, addresses: [], chain: ['api.example.com'], note: null };
    case 'internet': return terminalFor('internet');
    case 'on-premises': return terminalFor('on-premises');
  }
}

/** A terminal step whose reason gives this verdict. */
export function terminalFor(verdict: Verdict, id = '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/s'): Step {
  const reasons: Record<Verdict, TerminalReason> = {
    internet: { kind: 'egress', exit: 'nat-gateway', egressIps: [], egressText: 'unknown addresses', restrictedTo: null },
    private: { kind: 'delivered-in-vnet', vnet: named(id), addressPrefix: '10.0.0.0/16' },
    'on-premises': { kind: 'forced-tunnel', gateway: null, expressRoute: false },
    dropped: { kind: 'no-route', subnet: named(id) },
    denied: { kind: 'firewall-deny', firewall: named(id), rule: null },
    'no-outbound': { kind: 'no-outbound-method', subnet: named(id), reason: 'the subnet is private' },
    unknown: { kind: 'not-evaluated', subnet: named(id), reason: 'test' },
  };
  return { kind: 'terminal', reason: reasons[verdict] };
}

/** A `via` entry typed from the resource type in its ID (test fixtures only; the engine knows the kind). */
export function viaOf(id: string): Via {
  const lower = id.toLowerCase();
  const kind: ViaKind = lower.includes('/azurefirewalls/') ? 'azure-firewall' : lower.includes('/loadbalancers/') ? 'internal-load-balancer' : 'nva';
  return { kind, id };
}
