/**
 * The words. Turns the engine's typed steps into hops: the rule that decided, a plain-words
 * explanation, the Microsoft Learn page and a read-only `az` command. The CLI, the UI and the
 * evidence PDF all call this module, so a path reads the same everywhere.
 */
import { isPrivateLinkZoneName } from '../dns/zones';
import { assertNever } from '../model/assert';
import { describeRoute, nextHopLabel } from '../routing/route';
import { DOCS, VERIFY } from './docs';
import type { EndpointNetworkPolicies, Flow, FirewallRuleRef, NsgStep, RouteStep, Step, TerminalReason } from './steps';
import type { EgressPath, Hop, HopKind, ResolveResult, Via } from './types';

/**
 * The command that shows the resource an unknown path stops at, where its type says which one
 * fetches the missing fact: a gateway's learned routes, an availability set's VMs, a load
 * balancer's pools and rules, a NAT gateway's or public IP's own record of what it is attached
 * to (the back-references an unknown may rest on). Null: the previous hop's command stands.
 */
function undecidedVerify(resourceId: string): string | null {
  const type = /\/providers\/microsoft\.(?:network|compute)\/([a-z]+)\/[^/]+$/i.exec(resourceId)?.[1]?.toLowerCase();
  switch (type) {
    case 'virtualnetworkgateways': return VERIFY.gatewayLearnedRoutes(resourceId);
    case 'availabilitysets': return VERIFY.availabilitySet(resourceId);
    case 'loadbalancers': return VERIFY.loadBalancer(resourceId);
    case 'natgateways': return VERIFY.natGateway(resourceId);
    case 'publicipaddresses': return VERIFY.publicIp(resourceId);
    default: return null;
  }
}

function hop(kind: HopKind, id: string, rule: string, explanation: string, docs: string, verify: string): Hop {
  return { kind, id, rule, explanation, docs, verify };
}

/** 64512 → "64,512" (no Intl: it is slow at estate scale). */
function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function flowText(flow: Flow): string {
  return `${flow.protocol} ${flow.port}`;
}

function ips(list: readonly string[]): string {
  return list.length > 0 ? list.join(', ') : 'unknown addresses';
}

function routeVerify(step: { readonly capturedFromNicId: string | null; readonly routeTableId: string | null; readonly subnet: { readonly id: string } }): string {
  if (step.capturedFromNicId) return VERIFY.effectiveRoutes(step.capturedFromNicId);
  return step.routeTableId ? VERIFY.routeTable(step.routeTableId) : VERIFY.subnet(step.subnet.id);
}

function routeHop(step: RouteStep): Hop {
  const where = step.capturedFromNicId ? 'the captured effective routes' : 'the routes computed from the configuration';
  const losers = step.overridden.map((c) => `${describeRoute(c.route)} lost: ${c.lostBecause}`);
  const explanation = `Longest prefix match for ${step.flow.destination} (using ${where}) picks ${describeRoute(step.route)} (source ${step.route.source}).`
    + (losers.length > 0 ? ` Overridden: ${losers.join('; ')}.` : '');
  return hop('route', step.route.resourceId ?? step.routeTableId ?? step.subnet.id, describeRoute(step.route), explanation, DOCS.udr, routeVerify(step));
}

/** Policy rules carry group and collection priority in one number (group × 100,000 + collection): show both. */
function priorityText(priority: number): string {
  return priority >= 100_000 ? `group priority ${Math.floor(priority / 100_000)}, collection priority ${priority % 100_000}` : `priority ${priority}`;
}

function fwRule(rule: FirewallRuleRef): string {
  return `${rule.ruleKind === 'network' ? 'Network' : 'Application'} rule ${rule.collection}/${rule.name} (${priorityText(rule.priority)})`;
}

/** Ends a clause that may already end with a full stop. */
function stop(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

/**
 * Why a linked zone's missing record is final: fallback to internet resolution (NxDomainRedirect)
 * exists only for links to privatelink zones https://learn.microsoft.com/azure/dns/private-dns-fallback
 */
function fallbackWords(zoneName: string): string {
  return isPrivateLinkZoneName(zoneName.toLowerCase())
    ? 'the link does not fall back to internet resolution (resolutionPolicy Default)'
    : 'a custom (non-privatelink) zone never falls back to internet resolution';
}

/** A note as a sentence of its own: capital first letter, one full stop. */
function sentence(text: string): string {
  const body = stop(text);
  return `${body.charAt(0).toUpperCase()}${body.slice(1)}.`;
}

/**
 * What an outbound NSG evaluates: the packet's destination as the sender addresses it, before any
 * SNAT further on changes its source [NSGHOW]. Only a public destination is "public": a private
 * endpoint's or a VNet's address is private, and saying otherwise would misdescribe the evidence.
 */
function destinationSeen(scope: NsgStep['destinationScope']): string {
  switch (scope) {
    case 'public': return 'NSGs see the original public destination, before any SNAT.';
    case 'private': return 'NSGs see the private address the packet is sent to (for a name, the private address it resolved to), with the sender\'s own private address as source.';
    case 'mixed': case undefined: return 'NSGs see each packet\'s original destination, before any SNAT.';
    default: return assertNever(scope, 'destination scope');
  }
}

function ruleList(rules: readonly FirewallRuleRef[]): string {
  return rules.map((r) => `${r.collection}/${r.name}`).join(', ');
}

/** One step in words. `previous` is the hop before it (the internet sink cites the exit's evidence). */
/** `rule https` or `rules https, dns`: the load-balancing rules a step lists, joined by ", ". */
function lbRules(ruleName: string | null | undefined): string {
  const names = ruleName ?? '';
  return names.includes(', ') ? `rules ${names}` : `rule ${names}`;
}

export function explainStep(step: Step, previous: Hop | null): Hop {
  switch (step.kind) {
    case 'source': {
      const prefixes = 'addressPrefixes' in step ? `Subnet ${step.subnet.name} (${step.addressPrefixes.join(', ')})` : '';
      switch (step.origin) {
        case 'subnet':
          // A delegated subnet holds the service's instances, not NICs of the customer's VMs.
          return hop('source', step.subnet.id, prefixes, step.delegations !== undefined
            ? `Traffic from what ${step.delegations.join(', ')} runs in this subnet (delegated to the service).`
            : 'Traffic from a NIC in this subnet with no public IP of its own and no load balancer membership.', DOCS.udr, VERIFY.subnet(step.subnet.id));
        case 'nic':
          return hop('source', step.nic.id, `NIC ${step.nic.name}${step.privateIp ? ` ${step.privateIp}` : ''} in subnet ${step.subnet.name}`,
            'This NIC gets its own entry because its path differs from its subnet\'s (own public IP, load balancer membership, application security groups, scale-set mode or NSG).', DOCS.udr, VERIFY.nic(step.nic.id));
        case 'azure-firewall':
          return hop('source', step.subnet.id, prefixes,
            `Platform subnet: it hosts Azure Firewall ${step.firewall.name} and nothing else; this is the firewall's own egress (and that of every source it forwards).`,
            DOCS.firewallNatGateway, VERIFY.firewall(step.firewall.id));
        case 'firewall-management':
          return hop('source', step.subnet.id, prefixes,
            `Platform subnet: it hosts the management NIC of Azure Firewall ${step.firewall.name} and nothing else; the platform uses it for management traffic only.`,
            DOCS.firewallForcedTunnel, VERIFY.firewall(step.firewall.id));
        case 'gateway': {
          const names = step.gateways.map((g) => `${g.gatewayType} gateway ${g.name}`).join(', ');
          const first = step.gateways[0];
          return hop('source', step.subnet.id, prefixes,
            `Platform subnet: it hosts only the Azure-managed instances of ${names}, which egress with the gateway's own public IPs; none of your workloads run here.`,
            DOCS.gatewaySubnet, first ? VERIFY.gateway(first.id) : VERIFY.subnet(step.subnet.id));
        }
        case 'platform-not-modelled':
          return hop('source', step.subnet.id, prefixes,
            step.deployed
              ? `Platform subnet reserved for ${step.platform}: it hosts only Azure-managed instances, which use platform-managed egress; ${step.platform} is not a resource type Egress Atlas models, so its public IP (if any) is not in the snapshot.`
              : `Platform subnet reserved for ${step.platform}, but no ${step.platform} in the snapshot uses it: no Azure-managed instance sends from here, and none of your workloads can.`,
            step.docs, VERIFY.subnet(step.subnet.id));
        default: return assertNever(step, 'source step');
      }
    }
    case 'nsg': {
      const first = step.rules[0];
      const ruleText = step.rules.map((r) => `${r.name} (${r.priority}) ${r.access}`).join(', ');
      const assumed = step.defaultsAssumed ? ' (Azure default rule; the captured NSG listed no defaults)' : '';
      const where = step.privateEndpoint ? `Inbound rules of the private endpoint's subnet NSG`
        : step.direction === 'Inbound' ? `Inbound rules of the appliance ${step.attachedTo}'s NSG` : `Outbound rules of the ${step.attachedTo}'s NSG`;
      let decided: string;
      switch (step.access) {
        case 'Allow': decided = `${first?.name ?? 'a rule'} allows ${flowText(step.flow)} to ${step.flow.destination}${assumed}`; break;
        case 'Deny': decided = step.rules.length > 1
          ? `rules ${step.rules.map((r) => r.name).join(' + ')} together deny ${flowText(step.flow)} to all of ${step.flow.destination}`
          : `${first?.name ?? 'a rule'} denies ${flowText(step.flow)} to ${step.flow.destination}${assumed}`; break;
        case 'Partial': decided = `only part of ${step.flow.destination} is allowed for ${flowText(step.flow)}: ${step.allowed.join(', ')}; everything else is denied`; break;
        case 'Unknown': decided = `the decision cannot be made: ${stop(step.note ?? 'a fact is missing')}`; break;
        default: return assertNever(step.access, 'NSG access');
      }
      const why = step.privateEndpoint
        ? `Network policies for NSGs are enabled on the subnet of private endpoint ${step.privateEndpoint.name} (privateEndpointNetworkPolicies Enabled or NetworkSecurityGroupEnabled), so its NSG filters traffic to the endpoint. ${where} are evaluated by priority, first match: ${decided}.`
        : step.direction === 'Inbound'
          ? `${where} are evaluated for traffic entering the appliance, by priority, first match: ${decided}.`
          : `${where} are evaluated by priority and the first match decides: ${decided}. ${destinationSeen(step.destinationScope)}`;
      return hop('nsg', step.nsg.id, `NSG ${step.nsg.name}${step.direction === 'Inbound' ? ' (inbound)' : ''} rule ${ruleText || step.access}`, why + (step.note && step.access !== 'Unknown' ? ` ${step.note}` : ''),
        step.privateEndpoint ? DOCS.privateEndpointNetworkPolicies : DOCS.nsg, VERIFY.nsgRules(step.nsg.id));
    }
    case 'route': return routeHop(step);
    case 'azure-firewall':
      return hop('azure-firewall', step.firewall.id, `Azure Firewall ${step.firewall.name} (${step.skuName} ${step.skuTier}${step.forcedTunnel ? ', management NIC' : ''})`,
        step.hub ? `The secured hub ${step.hub.name} sends internet traffic to its Azure Firewall.` : `The route's next hop is the private IP of Azure Firewall ${step.firewall.name}.`,
        DOCS.firewallRules, VERIFY.firewall(step.firewall.id));
    case 'firewall-rule': {
      const id = step.policyId ?? step.firewall.id;
      const verify = step.policyId ? VERIFY.firewallPolicy(step.policyId) : VERIFY.firewall(step.firewall.id);
      const flow = flowText(step.flow);
      const what = step.flow.destination;
      const d = step.decision;
      switch (d.kind) {
        case 'allow':
          return hop('firewall-rule', id, `${fwRule(d.rule)} Allow`,
            `Azure Firewall evaluates network rules, then application rules, in priority order; rule ${d.rule.name} allows ${flow} to ${what}${d.anyFqdn ? ' (any FQDN)' : ''}${
              d.exceptFqdns ? `, except ${d.exceptFqdns.join(', ')}, which rules processed before it deny (rules are terminating)` : ''}.`, DOCS.firewallRules, verify);
        case 'deny':
          return hop('firewall-rule', id, `${fwRule(d.rule)} Deny`, `Rule ${d.rule.name} denies ${flow} to ${what}; firewall rules are terminating.`, DOCS.firewallRules, verify);
        case 'default-deny':
          return hop('firewall-rule', id, 'Default deny (no rule matched)', `Azure Firewall denies all traffic until a rule allows it, and no network or application rule allows ${flow} to ${what}.`, DOCS.firewallRules, verify);
        case 'restricted': {
          const allowed = [...d.prefixes, ...d.fqdns];
          return hop('firewall-rule', id, `Rules ${ruleList(d.rules)} Allow ${d.prefixes.length > 0 ? 'some destinations' : 'FQDNs'} only`,
            `No rule allows ${flow} to all of ${what}; only these destinations are allowed${d.fqdns.length > 0 ? ' (names matched by SNI / Host header)' : ''}: ${allowed.join(', ')}${
              d.exceptFqdns ? `, except ${d.exceptFqdns.join(', ')}, which rules processed before them deny` : ''}. Everything else is denied by default.`,
            DOCS.firewallRules, verify);
        }
        case 'name-based':
          return hop('firewall-rule', id, `Rules ${ruleList(d.rules)} Allow FQDNs only: the name decides for ${what}`,
            `No network rule allows ${flow} to ${what}. The firewall allows only named destinations (matched by SNI / Host header or its DNS proxy): ${d.fqdns.join(', ')}. Traffic to ${what} gets through only if it is for one of those names; anything else is denied by default.`,
            DOCS.firewallRules, verify);
        case 'not-captured':
          return hop('firewall-rule', id, 'Rules not captured', `The firewall's rules are not in the snapshot (${d.reason}): whether it allows ${flow} to ${what} is not known.`, DOCS.firewallRules, verify);
        case 'unknown':
          return hop('firewall-rule', id, 'Rules cannot be decided', `Whether the firewall allows ${flow} to ${what} cannot be decided: ${stop(d.reason)}.`, DOCS.firewallRules, verify);
        default: return assertNever(d, 'firewall decision');
      }
    }
    case 'virtual-appliance':
      return hop('virtual-appliance', step.nic.id, `NVA NIC ${step.nic.name} (${step.privateIp ?? ''})`,
        // The engine weighs every source the NVA may give the packet (nvaSnatQuestion, nsgSourcesQuestion):
        // Learn requires NAT to its own private IP only for traffic it sends to a public address itself [UDR].
        'The route\'s next hop is a network virtual appliance NIC with IP forwarding. The NVA is assumed to forward the traffic (its own rules run in its operating system and are not visible to Azure). It may keep the source it received or SNAT it to any of its own private addresses: it must NAT to its own address only where it sends the traffic to a public address itself, and an answer that depends on which source it gives is judged for each of them. Azure then applies the NVA subnet\'s routes and the NVA NIC\'s own outbound method.',
        DOCS.udr, VERIFY.nic(step.nic.id));
    case 'internal-load-balancer': {
      const carried = step.rule
        ? step.rule.haPorts ? ` Its HA-ports rule ${step.rule.name} (protocol All, port 0) carries every flow.` : ` Its rule ${step.rule.name} (${step.rule.protocol} ${step.rule.frontendPort}) carries ${flowText(step.flow)}.`
        : '';
      return hop('internal-load-balancer', step.loadBalancer.id, `Internal LB ${step.loadBalancer.name} frontend ${step.frontend}`,
        step.firstMember
          ? `The next hop is an internal load balancer frontend; it spreads flows over ${step.memberCount} backend NVA NIC(s).${carried} The path is shown through the first, ${step.firstMember}.`
          : `The next hop is an internal load balancer frontend${carried ? '' : ' with no NIC backends in the snapshot'}.${carried}`,
        DOCS.udr, VERIFY.loadBalancer(step.loadBalancer.id));
    }
    case 'virtual-network-gateway':
      switch (step.use) {
        case 'policy-based-udr':
          return hop('virtual-network-gateway', step.gateway.id, `Policy-based VPN gateway ${step.gateway.name}`,
            'A UDR with next hop VirtualNetworkGateway works only with a route-based VPN gateway; with a policy-based one the behaviour is UNCONFIRMED, so no egress is reported.', DOCS.udr, VERIFY.gateway(step.gateway.id));
        case 'expressroute-udr':
          return hop('virtual-network-gateway', step.gateway.id, `ExpressRoute gateway ${step.gateway.name}`,
            'A UDR with next hop VirtualNetworkGateway is supported only with a VPN gateway, not ExpressRoute: the behaviour is UNCONFIRMED, so no internet egress is reported.', DOCS.udr, VERIFY.gateway(step.gateway.id));
        case 'forced-tunnel': {
          const how = step.how === 'default-site' ? 'the VPN gateway\'s GatewayDefaultSite sends internet traffic to that site (no 0.0.0.0/0 UDR on the subnet overrides it)'
            : step.how === 'udr' ? 'a UDR sends the traffic to the route-based VPN gateway'
              : `a gateway-learned (BGP) route ${step.routePrefix} beats the system default route`;
          const transit = step.transit ? ' The gateway is in a peered VNet (gateway transit, useRemoteGateways).' : '';
          return hop('virtual-network-gateway', step.gateway.id, `${step.expressRoute ? 'ExpressRoute' : 'VPN'} gateway ${step.gateway.name}`,
            `Forced tunnelling: ${how}.${transit}`, step.expressRoute ? DOCS.expressRouteRouting : DOCS.forcedTunnel,
            step.learned ? VERIFY.gatewayLearnedRoutes(step.gateway.id) : VERIFY.gateway(step.gateway.id));
        }
        default: return assertNever(step, 'gateway step');
      }
    case 'virtual-hub':
      return step.udr
        ? hop('virtual-hub', step.hub.id, 'Virtual WAN hub router', 'For a VNet connected to Virtual WAN the gateway is always the hub router, and UDRs with next hop VirtualNetworkGateway are not supported there.', DOCS.udr, VERIFY.subnet(step.subnetId))
        : hop('virtual-hub', step.hub.id, `Virtual hub ${step.hub.name}${step.routingIntent ? ` routing intent ${step.routingIntent} (Internet)` : ''}`,
          'The hub advertises 0.0.0.0/0 to this connection ("Propagate default route" is on) because its routing intent sends internet traffic to the hub\'s security appliance.',
          DOCS.vwanRoutingPolicies, VERIFY.virtualHub(step.hub.id));
    case 'nat-gateway':
      return hop('nat-gateway', step.natGateway.id, `NAT gateway ${step.natGateway.name} (${ips(step.egressIps)})`,
        `A NAT gateway on the subnet takes precedence over instance public IPs, load balancers and default outbound access: new outbound connections are SNATed to ${ips(step.egressIps)}.`
        + ` Its ${step.snatPorts === null ? 'unknown number of' : formatCount(step.snatPorts)} SNAT ports are shared on demand by the ${step.sharedBySubnets} subnet(s) attached to it.`
        + (step.ownPublicIpInboundOnly ? ' The NIC\'s own public IP then serves only inbound-originated flows.' : ''),
        DOCS.natGateway, VERIFY.natGateway(step.natGateway.id));
    case 'public-ip': {
      const text = ips(step.egressIps);
      switch (step.owner) {
        case 'instance':
          return hop('public-ip', step.resourceId, `Instance-level public IP ${step.publicIpName ?? ''} (${text})`.replace('  ', ' '),
            `The NIC's IP configuration has its own public IP: outbound traffic is 1:1 NATed to ${text} with all 64,512 ports. It takes precedence over load balancer outbound rules and default outbound access.`,
            DOCS.lbOutboundConnections, VERIFY.publicIp(step.resourceId));
        case 'firewall':
          return hop('public-ip', step.resourceId, `Azure Firewall ${step.ownerName} public IPs (${text})`,
            'With no NAT gateway on AzureFirewallSubnet, the firewall SNATs internet traffic to its own public IPs: 2,496 SNAT ports per public IP per instance (at least 2 instances).',
            DOCS.firewallNatGateway, VERIFY.firewall(step.ownerId));
        case 'hub-firewall':
          return hop('public-ip', step.resourceId, `Hub firewall public IPs (${step.egressIps.join(', ') || 'unknown'})`,
            'A secured-hub Azure Firewall SNATs internet traffic to its hub public IPs.', DOCS.vwanRoutingPolicies, VERIFY.firewall(step.ownerId));
        case 'gateway':
          return hop('public-ip', step.resourceId, `Gateway ${step.ownerName} public IPs (${text})`,
            `The gateway instances are Azure-managed and send their own traffic (tunnel endpoints, BGP, platform management) from the gateway's public IPs: ${text}. Routes on GatewaySubnet steer traffic that transits the gateway, not the instances' own egress (INFERRED).`,
            DOCS.gatewaySubnet, VERIFY.gateway(step.ownerId));
        case 'firewall-management':
          return hop('public-ip', step.resourceId, `Azure Firewall ${step.ownerName} management public IP (${text})`,
            `The firewall's management NIC in AzureFirewallManagementSubnet has its own public IP, which the platform uses only for management traffic: ${text}.`,
            DOCS.firewallForcedTunnel, VERIFY.firewall(step.ownerId));
        default: return assertNever(step.owner, 'public IP owner');
      }
    }
    case 'load-balancer': {
      const text = ips(step.egressIps);
      const verify = VERIFY.loadBalancer(step.loadBalancer.id);
      switch (step.method) {
        case 'outbound-rule': {
          const ports = step.portsFromRule !== null ? `${step.portsFromRule} ports per instance set by the rule` : step.snatPorts !== null ? `${step.snatPorts} ports per instance from the default allocation table` : 'ports per instance not known: the default allocation table stops at 1,000 instances, or a frontend prefix is not in the input';
          return hop('load-balancer', step.loadBalancer.id, `LB ${step.loadBalancer.name} outbound rule ${step.ruleName ?? ''} (${step.poolName.includes(', ') ? 'pools' : 'pool'} ${step.poolName})`,
            `The primary IPv4 configuration is in a NIC-based backend pool of Standard public load balancer ${step.loadBalancer.name}, whose outbound rule SNATs to ${text} (${ports}).`,
            DOCS.lbOutboundRules, verify);
        }
        case 'rule-snat':
          return hop('load-balancer', step.loadBalancer.id, `LB ${step.loadBalancer.name} ${lbRules(step.ruleName)} implicit SNAT (${step.poolName.includes(', ') ? 'pools' : 'pool'} ${step.poolName})`,
            `The NIC is in the backend pool of ${(step.ruleName ?? '').includes(', ') ? `load-balancing rules ${step.ruleName ?? ''}` : 'a load-balancing rule'} with disableOutboundSnat = false, which program${(step.ruleName ?? '').includes(', ') ? '' : 's'} outbound SNAT to ${text} (every frontend IP of ${(step.ruleName ?? '').includes(', ') ? 'these rules' : 'the rule'}) with ${step.snatPorts !== null ? `${step.snatPorts} ports per instance (default allocation: the table's ports for the pool's number of VM instances, times the number of frontend IPs, at most 1,024)` : 'a number of ports per instance the default table does not give (it stops at 1,000 instances, or a frontend prefix is not in the input)'}. Ranking this below outbound rules is INFERRED.`,
            DOCS.lbOutboundRules, verify);
        case 'basic':
          return hop('load-balancer', step.loadBalancer.id, `Basic public LB ${step.loadBalancer.name} (pool ${step.poolName})`,
            `Membership in a Basic public load balancer's pool gives outbound SNAT to ${step.egressIps.length > 1 ? `one of them, picked at random by the platform: ${text}` : text}. Basic load balancers were retired on 30 September 2025.`,
            DOCS.lbOutboundConnections, verify);
        default: return assertNever(step.method, 'load balancer method');
      }
    }
    case 'default-outbound':
      return hop('default-outbound', step.subnet.id, `Default outbound access (defaultOutboundAccess ${step.defaultOutboundAccess === null ? 'not set' : `= ${String(step.defaultOutboundAccess)}`})`,
        step.reason === 'nic-allocated'
          ? 'The subnet is private, but the NIC still reports a default outbound IP (defaultOutboundConnectivityEnabled = true): a change of the subnet takes effect on a VM\'s network interfaces only when the VM is stopped and deallocated, so nothing explicit (NAT gateway, public IP, load balancer) being configured, it still leaves through default outbound access, a Microsoft-owned IP that can change without notice.'
          : 'Nothing explicit (NAT gateway, public IP, load balancer) gives this source outbound access, and the subnet is not private, so Azure gives it default outbound access: a Microsoft-owned IP that can change without notice. It is being retired for new virtual networks.',
        DOCS.defaultOutbound, VERIFY.subnet(step.subnet.id));
    case 'dns': {
      const chain = step.chain.length > 1 ? ` (${step.chain.join(' → ')})` : '';
      switch (step.resolution) {
        case 'private':
          return hop('dns', step.zone?.id ?? step.vnet.id, `${step.name} → ${step.addresses.join(', ')} (private DNS zone ${step.zone?.name ?? ''})`,
            `From virtual network ${step.vnet.name} (Azure-provided DNS), ${step.name} resolves through the CNAME into the privatelink zone${chain}: zone ${step.zone?.name ?? ''} is linked to the VNet by ${step.link?.name ?? 'a link'} and its record ${step.record?.name ?? ''} holds ${step.addresses.join(', ')}, the private endpoint's address.`,
            DOCS.privateEndpointDns, step.zone ? VERIFY.privateDnsRecords(step.zone.id) : VERIFY.vnet(step.vnet.id));
        case 'public':
          return hop('dns', step.vnet.id, `${step.name} resolves publicly`,
            `From virtual network ${step.vnet.name}, ${step.name} resolves to public addresses${step.note ? `: ${stop(step.note)}` : ''}. Which public address is not in the snapshot, so routing uses the default route (0.0.0.0/0); give --resolve name=ip to route a specific address.`,
            DOCS.privateEndpointDns, VERIFY.vnet(step.vnet.id));
        case 'user':
          return hop('dns', step.vnet.id, `${step.name} → ${step.addresses.join(', ')} (given)`, `The address of ${step.name} was given by the user (--resolve); routing uses it.${step.note ? ` ${sentence(step.note)}` : ''}`, DOCS.privateEndpointDns, VERIFY.vnet(step.vnet.id));
        case 'not-resolved':
          return hop('dns', step.zone?.id ?? step.vnet.id, `${step.name}: no record in linked zone ${step.zone?.name ?? ''}`,
            `Virtual network ${step.vnet.name} is linked to private DNS zone ${step.zone?.name ?? ''}, which has no record for this name, and ${fallbackWords(step.zone?.name ?? '')}: the name does not resolve (NXDOMAIN).`,
            DOCS.privateEndpointDns, step.zone ? VERIFY.privateDnsRecords(step.zone.id) : VERIFY.vnet(step.vnet.id));
        case 'unknown':
          return hop('dns', step.vnet.id, `${step.name}: resolution not known`, `How ${step.name} resolves from ${step.vnet.name} is not in the snapshot${step.note ? `: ${stop(step.note)}` : ''}. Where the answer depends on it the verdict is unknown; otherwise routing uses the default route (0.0.0.0/0).`,
            DOCS.privateEndpointDns, VERIFY.vnet(step.vnet.id));
        default: return assertNever(step.resolution, 'DNS resolution');
      }
    }
    case 'terminal': return explainTerminal(step.reason, previous);
    default: return assertNever(step, 'step');
  }
}

/**
 * Whether the endpoint subnet's NSG filtered the traffic [PENP]: NSG rules apply to a private
 * endpoint only with network policies for NSGs enabled on its subnet.
 * https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 */
function endpointPoliciesText(policies: EndpointNetworkPolicies | undefined): string {
  if (!policies || !policies.nsg) return '';
  const { subnet, value, nsg } = policies;
  switch (policies.nsgEffect) {
    case 'no-nsg': return '';
    case 'not-applied':
      return ` Subnet ${subnet.name} has privateEndpointNetworkPolicies ${value ?? 'Disabled'}${value?.trim().toLowerCase() === 'routetableenabled' ? ' (route tables only)' : ''}, so its NSG ${nsg.name} does not filter traffic to the endpoint: NSG rules apply to private endpoints only with network policies for NSGs enabled (Enabled or NetworkSecurityGroupEnabled).`;
    case 'applied':
      return ` Network policies for NSGs are enabled on subnet ${subnet.name} (${value ?? 'Enabled'}), and the inbound rules of its NSG ${nsg.name} let the traffic in.`;
    case 'allows-either-way':
      return ` Whether network policies for NSGs are enabled on subnet ${subnet.name} is not in the input, but the inbound rules of its NSG ${nsg.name} let the traffic in either way.`;
    default: return assertNever(policies.nsgEffect, 'endpoint NSG effect');
  }
}

function explainTerminal(reason: TerminalReason, previous: Hop | null): Hop {
  const prevVerify = previous?.verify ?? '';
  switch (reason.kind) {
    case 'egress': {
      const allowed = reason.restrictedTo;
      // "every destination except …" is already a restriction: not "only these".
      const restricted = allowed === null ? ''
        : allowed.length === 1 && allowed[0]?.startsWith('every destination except ') ? ` The rules on the path allow ${allowed[0]}.`
          : ` Only these destinations are allowed by the rules on the path: ${allowed.filter((d) => !d.startsWith('except ')).join(', ')}${
            allowed.filter((d) => d.startsWith('except ')).map((d) => `, ${d}, which rules processed earlier deny`).join('')}.`;
      return hop('internet', 'internet', reason.restrictedTo ? 'Internet (restricted)' : 'Internet', `Traffic leaves Azure for the internet from ${reason.egressText}.${restricted}`, DOCS.udr, prevVerify);
    }
    case 'delivered-in-vnet':
      return hop('private', reason.vnet.id, `Delivered in virtual network ${reason.vnet.name}`,
        `The destination is inside the virtual network's own address space (${reason.addressPrefix}): the system VnetLocal route delivers it there, whatever the range, and it never becomes internet traffic.`,
        DOCS.udr, VERIFY.vnet(reason.vnet.id));
    case 'delivered-over-peering':
      return hop('private', reason.peering.id, `Delivered over peering ${reason.peering.name} to ${reason.remoteVnet.name}`,
        `The destination is in the address space that peering ${reason.peering.name} carries to ${reason.remoteVnet.name} (${reason.addressPrefix}): it is delivered over the Microsoft backbone and never becomes internet traffic.`,
        DOCS.peering, VERIFY.peering(reason.peering.id));
    case 'delivered-to-private-endpoint':
      return hop('private', reason.privateEndpoint.id, `Private endpoint ${reason.privateEndpoint.name} (${reason.address})`,
        `The address is a private endpoint${reason.target ? ` for ${reason.target}${reason.groupIds.length > 0 ? ` (${reason.groupIds.join(', ')})` : ''}` : ''}: the traffic reaches the service over Private Link and never becomes internet traffic.${endpointPoliciesText(reason.networkPolicies)}`,
        DOCS.privateEndpoints, VERIFY.privateEndpoint(reason.privateEndpoint.id));
    case 'delivered-to-service-endpoint':
      return hop('private', reason.route.resourceId ?? 'service-endpoint', `Service endpoint ${reason.service}`,
        `The subnet has a service endpoint for ${reason.service}: its route (next hop VirtualNetworkServiceEndpoint) takes the traffic to the service over the Azure backbone, with the subnet's private address as source, whatever the default route says.`,
        DOCS.serviceEndpoints, prevVerify);
    case 'host-platform-address': {
      const nsgWords = reason.nsgTags.length === 0
        ? reason.service === 'wireserver'
          ? 'NSG rules do not apply to it: the VM agent\'s traffic to 168.63.129.16 (ports 80 and 32526) "isn\'t subject to the configured network security groups", and DNS is subject only to a rule on the AzurePlatformDNS service tag.'
          : 'NSG rules do not apply to it.'
        : reason.allowedBy.length > 0
          ? `NSG rules apply to it only through the ${reason.nsgTags.join(', ')} service tag; ${reason.allowedBy.map((a) => `NSG ${a.nsg.name} (rule ${a.rule})`).join(' and ')} allow${reason.allowedBy.length === 1 ? 's' : ''} it.`
          : `NSG rules apply to it only when a rule targets the ${reason.nsgTags.join(', ')} service tag, and none on this path does ("these services aren't subject to the configured network security groups unless targeted by service tags specific to each service").`;
      return reason.service === 'instance-metadata'
        ? hop('private', 'host:instance-metadata', 'Instance Metadata Service (169.254.169.254) on the host',
          `169.254.169.254 is the Azure Instance Metadata Service: "a well-known, non-routable IP address", reachable "only … from within the VM", and "communication between the VM and IMDS never leaves the host". It is one of the host node's virtualized IP addresses, so no route (UDR), firewall or appliance sees this traffic and it never becomes internet traffic. ${nsgWords}`,
          DOCS.instanceMetadata, prevVerify)
        : hop('private', 'host:wireserver', 'Host node virtual IP 168.63.129.16 (Azure DNS, DHCP, VM agent)',
          `168.63.129.16 is "a virtual IP of the host node and as such it isn't subject to user defined routes": the VM reaches it on its own host (Azure DNS, DHCP, the VM agent, health probes), so no route, firewall or appliance sees this traffic and it never becomes internet traffic, although the address is public. ${nsgWords}`,
          DOCS.wireServer, prevVerify);
    }
    case 'blocked-in-vnet':
      return hop('drop', `blocked:${reason.what}`, `${reason.what === 'multicast' ? 'Multicast' : 'Broadcast'} is blocked in virtual networks`,
        `${sentence(reason.words)} "Multicast, broadcast, IP-in-IP encapsulated packets, and Generic Routing Encapsulation (GRE) packets are blocked in virtual networks": Azure drops the traffic, whatever the routes say.`,
        DOCS.vnetFaq, prevVerify);
    case 'name-not-resolved':
      return hop('drop', reason.zone.id, `${reason.name} does not resolve`, `The linked private DNS zone ${reason.zone.name} has no record for ${reason.name} and ${isPrivateLinkZoneName(reason.zone.name.toLowerCase()) ? `link ${reason.link.name} does not fall back to internet resolution` : 'a custom zone never falls back to internet resolution'}: clients get NXDOMAIN and never connect.`, DOCS.privateEndpointDns, VERIFY.privateDnsRecords(reason.zone.id));
    case 'range-split':
      return hop('drop', 'range', `${reason.destination}: routes split the range`, `Different routes decide different parts of ${reason.destination} (${reason.parts.slice(0, 4).map((p) => `${p.prefix} → ${p.nextHop}`).join('; ')}${reason.parts.length > 4 ? '; …' : ''}), so no single path describes it. Ask for a narrower destination.`, DOCS.udr, prevVerify);
    case 'forced-tunnel':
      return hop('on-premises', 'on-premises', reason.gateway ? 'On-premises' : 'On-premises (gateway not in the snapshot)',
        reason.gateway ? 'Traffic leaves Azure over the tunnel or circuit; whether and how it reaches the internet is decided on-premises, outside the snapshot.'
          : 'A gateway-learned route sends the traffic to a gateway that is not in the snapshot; it leaves Azure towards the gateway\'s network.',
        reason.expressRoute ? DOCS.expressRouteRouting : DOCS.forcedTunnel, prevVerify);
    case 'nsg-deny':
      return hop('drop', reason.nsg.id, `Denied by NSG ${reason.nsg.name}`, `NSG ${reason.nsg.name} (${reason.direction.toLowerCase()} rule ${reason.rules.join(' + ')}) denies the traffic, so Azure drops it.`, DOCS.nsg, VERIFY.nsgRules(reason.nsg.id));
    case 'firewall-deny':
      return hop('drop', reason.firewall.id, `Denied by Azure Firewall ${reason.firewall.name}`,
        reason.rule ? `Rule ${reason.rule} denies the traffic.` : 'No rule allows the traffic, so the firewall\'s default deny applies.', DOCS.firewallRules, prevVerify);
    case 'no-route':
      return hop('drop', reason.subnet.id, 'No matching route', `No route in subnet ${reason.subnet.name} covers the destination, so Azure drops the traffic.`, DOCS.udr, VERIFY.subnet(reason.subnet.id));
    case 'next-hop-none':
      return hop('drop', reason.route.resourceId ?? 'none', describeRoute(reason.route), 'Next hop None: Azure drops the traffic.', DOCS.udr, prevVerify);
    case 'stays-in-vnet':
      return hop('drop', reason.route.resourceId ?? 'vnet', describeRoute(reason.route),
        `The winning route keeps the traffic inside the virtual network (${nextHopLabel(reason.route.nextHop)}), but the destination is not in the VNet's or a peered VNet's address space. UNCONFIRMED: Azure documents no behaviour for this; it is treated as dropped.`,
        DOCS.udr, prevVerify);
    case 'next-hop-unowned':
      return hop('drop', reason.route.resourceId ?? reason.vnet.id, `Next hop ${reason.route.nextHopIpAddress ?? '(none)'} has no owner`,
        `No Azure Firewall, NIC or internal load balancer frontend in virtual network ${reason.vnet.name} or a connected peered network owns ${reason.route.nextHopIpAddress ?? 'the next hop'}: the UDR is invalid. Azure is assumed to drop the traffic (UNCONFIRMED: the docs only call such a route invalid).${reason.note ? ` ${reason.note}` : ''}`,
        DOCS.udr, prevVerify);
    case 'next-hop-not-carried':
    {
      // A private endpoint's /32 has no next-hop IP: then the destination itself is behind the peering.
      const nextHop = reason.route.nextHopIpAddress;
      return hop('drop', reason.peering.id, nextHop ? `Next hop ${nextHop} not carried by peering ${reason.peering.name}` : `Not carried by peering ${reason.peering.name}`,
        nextHop
          ? `The next hop ${nextHop} is in a peered virtual network, but peering ${reason.peering.name} does not carry it: ${stop(reason.reason)}. The next hop is unreachable.`
          : `The destination is in a peered virtual network, but peering ${reason.peering.name} does not carry this traffic: ${stop(reason.reason)}. The destination is not reached.`,
        DOCS.peering, VERIFY.peering(reason.peering.id));
    }
    case 'ip-forwarding-disabled':
      return hop('drop', reason.nic.id, `NIC ${reason.nic.name} (${reason.privateIp ?? ''}) without IP forwarding`,
        'The next hop is a NIC whose Azure IP forwarding is disabled: Azure drops traffic not addressed to the NIC itself.', DOCS.ipForwarding, VERIFY.nic(reason.nic.id));
    case 'no-gateway':
      return hop('drop', reason.route.resourceId ?? reason.vnet.id, 'No virtual network gateway',
        `The route's next hop is VirtualNetworkGateway but virtual network ${reason.vnet.name} has no gateway (local or through gateway transit): the traffic is dropped.`, DOCS.udr, prevVerify);
    case 'routing-loop':
      return hop('drop', reason.appliance.id, 'Routing loop', `${reason.appliance.name} was already passed on this path: the traffic loops and is dropped.`, DOCS.udr, VERIFY.effectiveRoutes(reason.appliance.id));
    case 'ilb-no-backend':
      return hop('drop', reason.loadBalancer.id, `Internal LB ${reason.loadBalancer.name}: no backends`, 'The internal load balancer has no NIC backends in the snapshot: traffic sent to its frontend is dropped.', DOCS.udr, VERIFY.loadBalancer(reason.loadBalancer.id));
    case 'ilb-no-rule':
      return hop('drop', reason.loadBalancer.id, `Internal LB ${reason.loadBalancer.name}: no rule carries ${flowText(reason.flow)}`,
        `An internal load balancer forwards only flows its load-balancing rules carry (an HA-ports rule carries all); no rule on this frontend matches ${flowText(reason.flow)}, so the flow is dropped.`,
        DOCS.haPorts, VERIFY.loadBalancer(reason.loadBalancer.id));
    case 'firewall-no-snat':
      return hop('drop', reason.firewall.id, `Azure Firewall ${reason.firewall.name} never SNATs this traffic`,
        `The firewall's SNAT private ranges (${reason.privateRanges.join(', ')}) cover the destination, so network-rule traffic keeps its private source address; with 0.0.0.0/0 "Azure Firewall can never route traffic directly to the Internet".`,
        DOCS.firewallSnatPrivateRanges, VERIFY.firewall(reason.firewall.id));
    case 'no-outbound-method':
      return hop('drop', reason.subnet.id, 'No outbound method', `No outbound method applies: ${reason.reason}. Internet traffic is dropped.`, DOCS.defaultOutbound, VERIFY.subnet(reason.subnet.id));
    case 'next-hop-not-modelled':
      return hop('drop', reason.route.resourceId ?? 'route', describeRoute(reason.route), `Next hop type "${nextHopLabel(reason.route.nextHop)}" is not modelled, so where the traffic goes is unknown.`, DOCS.udr, prevVerify);
    case 'service-endpoint':
      return hop('drop', reason.route.resourceId ?? 'route', describeRoute(reason.route),
        'The destination is covered by a service-endpoint route: traffic goes to the Azure service over the backbone with the subnet\'s private identity. This is not internet egress; which service prefixes the route covers is not modelled.',
        DOCS.serviceEndpoints, prevVerify);
    case 'missing-resource':
      return hop('drop', reason.resourceId, `Not in the snapshot: ${reason.what}`, `${reason.what.charAt(0).toUpperCase()}${reason.what.slice(1)} is not in the snapshot, so ${reason.consequence} is unknown.`, DOCS.udr, reason.verify ?? prevVerify);
    case 'unsupported-gateway-target':
      return hop('drop', reason.gateway.id, 'Unsupported gateway target',
        reason.why === 'virtual-wan' ? 'A UDR to VirtualNetworkGateway in a VNet connected to Virtual WAN is not supported: where the traffic goes is unknown.'
          : `A UDR to ${reason.why === 'expressroute' ? 'an ExpressRoute gateway' : 'a policy-based VPN gateway'} is not supported: where the traffic goes is unknown.`,
        DOCS.udr, prevVerify);
    case 'platform-egress-unknown':
      return hop('drop', reason.subnet.id, 'Platform egress not in the snapshot', `No public IP of the Azure-managed instances in ${reason.subnet.name} is in the snapshot (${reason.reason}), so their egress is unknown.`, DOCS.udr, VERIFY.subnet(reason.subnet.id));
    case 'platform-not-modelled':
      return hop('drop', reason.subnet.id, 'Platform-managed egress (not modelled)',
        reason.deployed ? `The egress of ${reason.platform} instances is platform-managed and not modelled, so it is reported as unknown rather than guessed.`
          : 'Nothing is deployed in this platform subnet in the snapshot, so there is no egress to report.',
        reason.docs, VERIFY.subnet(reason.subnet.id));
    case 'not-evaluated':
      return hop('drop', reason.subnet.id, 'Not evaluated', `Not evaluated: ${reason.reason}.`, DOCS.udr, VERIFY.subnet(reason.subnet.id));
    case 'undecided':
      return hop('drop', reason.resourceId, `Unknown: ${reason.rule}`, `The verdict cannot be decided from the snapshot. Missing: ${stop(reason.missingFact)}.`, reason.docs,
        reason.verify ?? undecidedVerify(reason.resourceId) ?? prevVerify);
    default: return assertNever(reason, 'terminal reason');
  }
}

const explained = new WeakMap<object, Hop>();

/** The hops of a path, in words. Shared steps are explained once. */
export function explainPath(path: Pick<EgressPath, 'steps'>): readonly Hop[] {
  const hops: Hop[] = [];
  let previous: Hop | null = null;
  for (const step of path.steps) {
    let h = step.kind === 'terminal' ? undefined : explained.get(step);
    if (!h) {
      h = explainStep(step, previous);
      if (step.kind !== 'terminal') explained.set(step, h);
    }
    hops.push(h);
    previous = h;
  }
  return hops;
}

/** Resource IDs a path's steps cite (for findings attached per resource, evidence appendices). */
export function stepResourceIds(step: Step): readonly string[] {
  switch (step.kind) {
    case 'source': return step.origin === 'nic' ? [step.nic.id, step.subnet.id] : [step.subnet.id];
    case 'nsg': return [step.nsg.id];
    case 'route': return [step.route.resourceId ?? step.routeTableId ?? step.subnet.id];
    case 'azure-firewall': return [step.firewall.id];
    case 'firewall-rule': return [step.policyId ?? step.firewall.id];
    case 'virtual-appliance': return [step.nic.id];
    case 'internal-load-balancer': return [step.loadBalancer.id];
    case 'virtual-network-gateway': return [step.gateway.id];
    case 'virtual-hub': return [step.hub.id];
    case 'nat-gateway': return [step.natGateway.id];
    case 'public-ip': return [step.resourceId];
    case 'load-balancer': return [step.loadBalancer.id];
    case 'default-outbound': return [step.subnet.id];
    case 'dns': return step.zone ? [step.zone.id] : [];
    case 'terminal': return [];
    default: return assertNever(step, 'step');
  }
}

/** One path as `egress-atlas/resolve@1` prints it: `via` stays a list of IDs, `viaKinds` says what each is. */
export interface ResolveJsonPath extends Omit<EgressPath, 'via' | 'steps'> {
  readonly via: readonly string[];
  readonly viaKinds: readonly Via['kind'][];
  readonly hops: readonly Hop[];
}

export interface ResolveJson extends Omit<ResolveResult, 'paths'> {
  readonly paths: readonly ResolveJsonPath[];
}

/** The JSON contract (`resolve --format json`): typed steps rendered as hops, in words. */
export function toResolveJson(result: ResolveResult): ResolveJson {
  const paths: ResolveJsonPath[] = new Array<ResolveJsonPath>(result.paths.length);
  for (let i = 0; i < paths.length; i++) paths[i] = toResolveJsonPath(result.paths[i] as EgressPath);
  return { ...result, paths };
}

/**
 * `{ ...path without steps and via, via, viaKinds, hops }`, members in the same order. Copied by a
 * loop rather than `({ steps, via, ...rest }) => ({ ...rest, … })`: an object rest pattern is a
 * runtime call in V8, once per path (~33,500 for the 100,000-NIC estate).
 */
function toResolveJsonPath(path: EgressPath): ResolveJsonPath {
  const out: Record<string, unknown> = {};
  for (const key in path) {
    if (key === 'steps' || key === 'via' || !Object.prototype.hasOwnProperty.call(path, key)) continue;
    out[key] = (path as unknown as Readonly<Record<string, unknown>>)[key];
  }
  const via = path.via;
  const ids: string[] = new Array<string>(via.length);
  const kinds: Via['kind'][] = new Array<Via['kind']>(via.length);
  for (let i = 0; i < via.length; i++) {
    const v = via[i] as Via;
    ids[i] = v.id;
    kinds[i] = v.kind;
  }
  out.via = ids;
  out.viaKinds = kinds;
  out.hops = explainPath(path);
  return out as unknown as ResolveJsonPath;
}
