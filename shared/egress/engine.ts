/**
 * The forwarding walk: from a source subnet (or NIC), through NSGs, the winning route and every
 * appliance or gateway it leads to, until the packet leaves for the internet, is delivered
 * privately, goes on-premises, or is dropped or denied. Each handler decides and appends one typed
 * step (steps.ts); the walk always ends with a terminal step whose reason fixes the verdict. The
 * words (rule, explanation, Learn link, `az` command) are written by explain.ts, not here.
 */
import { innerMap } from '../model/cache';
import { isScaleSetInstanceVm, nameFromResourceId, parentResourceId, type ResourceId } from '../model/ids';
import { formatCidr, formatIp, isPublicIp, parseCidr, cidrContainsCidr, cidrContainsIp, parseIp, RFC1918_CIDRS } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import type { ModelIndex, PeeringRef, PrivateIpOwner } from '../model/model-index';
import type {
  AzureFirewall, LoadBalancer, LoadBalancerFrontend, NetworkInterface, NetworkSecurityGroup, NicIpConfiguration, PrivateEndpoint, SecurityRule, Subnet, VirtualHub, VirtualNetwork, VirtualNetworkPeering,
} from '../model/topology';
import { lookupRange, lookupRoute, splitDefaultRoutes } from '../routing/lpm';
import { privateEndpointForAddress, privateEndpointVirtualNetworkId, SERVICE_ENDPOINT_SUFFIXES, serviceEndpointUnattributedOf } from '../dns';
import type { RouteLookup } from '../routing/lpm';
import { describeRoute, nextHopLabel } from '../routing/route';
import type { ComputedRoute, RouteSet } from '../routing/route';
import { endpointInEffect, endpointLocationsKnown, gatewayDomainOf, routeServerSubnetOf, SERVICE_ENDPOINT_TAGS, unreportedGatewayTransit } from '../routing/subnet-routes';
import { assertNever } from '../model/assert';
import type { UnexpandedServiceTagRoute, UnknownLearnedRoutes } from '../routing/subnet-routes';
import { peeringReach, unknownStatePeering } from '../routing/peering';
import { ilbRuleFor } from './load-balancer';
import { destinationAddress, toRouteDestination } from './destination';
import { DOCS, VERIFY } from './docs';
import { addGap, memoize, Trail } from './trail';
import { leftOutGateways, leftOutNames, leftOutOwners, leftOutWhy, possibleOwners, referencedLabel } from './left-out';
import type { LeftOutResource } from './left-out';
import { subnetsOfVnet } from './vnet-subnets';
import { endHubQuestion, hubDefaultRouteQuestion, hubLearnedRouteQuestion, hubRouteQuestion, unreadHubConnectionsQuestion } from './hub-questions';
import type { Continuation, EngineContext, NvaSource, OwnerLookup, Outcome, SnatMaker } from './trail';
import { dependsOnClientDns, evaluateFirewallRules, firewallRuleSet, firewallSnat, prepareRuleSet, sourceSignature } from './firewall-rules';
import type { ClientDns, FirewallDecision, FirewallNote, FirewallRuleSet, FirewallSnat } from './firewall-rules';
import { evaluateNsgForDestination, ruleTargetingTag } from './nsg';
import { platformDestination, type PlatformDestination } from './host-addresses';
import type { NsgDirection, NsgVerdict } from './nsg';
import { Ipv4Set, publicIpv4, type Ipv4Interval } from '../model/ip-set';
import type { ServiceTagIndex } from '../model/service-tags';
import type { EgressDestination, SourceAddress } from './destination';
import { isPlatformSubnet } from './platform';
import { DELEGATION_DOCS, endsAtServiceEgress, routeAllDelegation } from './delegation';
import { chooseOutboundMethod, firewallMinimumSnatPorts, methodEgress, primaryIpConfiguration, nicLabel, subnetAnswerRestsOnUnreadNics, unreadSubnetNics } from './outbound';
import type { FlowIpVersion, OutboundMethod, Sender } from './outbound';
import type { Gap } from '../model/gaps';
import type { DestinationScope, EndpointNetworkPolicies, FirewallRuleDecision, FirewallRuleRef, Named, NsgStep, RouteRef, Step, TerminalReason, TerminalStep } from './steps';
import { CONDITIONAL_ENTRY, EVERY_DESTINATION_EXCEPT, RESTRICTION_EXCEPT, SERVICE_TAG_ENTRY, verdictOf } from './steps';
import type { FirewallRule } from '../model/topology';
import type { Finding, InternetExit } from './types';
import { EXITS, VERDICTS } from './types';

/**
 * Appliance chains deeper than this are not followed further: the path is `unknown` with a gap
 * (never a loop: only an appliance passed twice is one). Each hop costs one fork of the trail, so
 * the limit is cheap to keep well above any real design (hub firewall, NVA, ILB, a second hub).
 */
export const MAX_APPLIANCE_DEPTH = 16;

function named(resource: { readonly id: string; readonly name: string }): Named {
  return { id: resource.id, name: resource.name };
}

function nameOfId(id: string): Named {
  return { id, name: id.slice(id.lastIndexOf('/') + 1) || id };
}

export function routeRef(route: ComputedRoute): RouteRef {
  return {
    source: route.source, origin: route.origin, name: route.name, addressPrefix: route.addressPrefix,
    nextHop: route.nextHop, nextHopIpAddress: route.nextHopIpAddress, resourceId: route.resourceId,
  };
}

function lookup(ctx: EngineContext, set: RouteSet): RouteLookup {
  const cached = ctx.lookups.get(set);
  if (cached) return cached;
  // A context whose trails record no steps never shows the losing candidates: only the winner is looked up.
  const result = lookupRoute(set.routes, toRouteDestination(ctx.traffic.destination), { candidates: ctx.recordSteps });
  ctx.lookups.set(set, result);
  return result;
}

function routeSignature(route: ComputedRoute | null): string {
  if (!route) return 'no route';
  const ip = route.nextHop.kind === 'known' && route.nextHop.type === 'VirtualAppliance' ? ` ${route.nextHopIpAddress ?? ''}` : '';
  return `${route.cidr ? formatCidr(route.cidr) : route.addressPrefix} → ${nextHopLabel(route.nextHop)}${ip}`;
}

/** Captured effective routes override the model; when they disagree on what matters, say so. */
function checkDrift(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, captured: RouteLookup): void {
  if (!set.capturedFromNicId) return;
  const computedSet = ctx.routes.computedRoutesFor(subnet);
  const destinations = ctx.traffic.destination.kind === 'default-route'
    ? [{ label: '0.0.0.0/0', captured, computed: lookupRoute(computedSet.routes, { kind: 'default-route' }) }]
    : [
        { label: ctx.traffic.destination.text, captured, computed: lookupRoute(computedSet.routes, toRouteDestination(ctx.traffic.destination)) },
        { label: '0.0.0.0/0', captured: lookupRoute(set.routes, { kind: 'default-route' }), computed: lookupRoute(computedSet.routes, { kind: 'default-route' }) },
      ];
  for (const d of destinations) {
    // Service-endpoint prefixes are not in the model: a captured service-endpoint winner is not drift.
    const capturedHop = d.captured.winner?.nextHop;
    if (capturedHop?.kind === 'known' && capturedHop.type === 'VirtualNetworkServiceEndpoint' && subnet.serviceEndpoints.length > 0) continue;
    const capturedText = routeSignature(d.captured.winner);
    const computedText = routeSignature(d.computed.winner);
    if (capturedText === computedText) continue;
    trail.finding('route-drift', 'warning',
      `Subnet ${subnet.name}: for ${d.label} the captured effective routes (NIC ${set.capturedFromNicId}) use "${capturedText}" but the configuration in the snapshot gives "${computedText}". The captured routes were used.`,
      'Re-capture the effective routes, or check for changes since the capture (route table edits, BGP advertisements, peering state).',
      [subnet.id, set.capturedFromNicId], DOCS.effectiveRoutes);
  }
}

function routeStep(ctx: EngineContext, subnet: Subnet, set: RouteSet, result: RouteLookup, route: ComputedRoute): Step {
  return {
    kind: 'route', subnet: named(subnet), route: routeRef(route),
    overridden: result.candidates.filter((c) => c.lostBecause !== null).slice(0, 3).map((c) => ({ route: routeRef(c.route), lostBecause: c.lostBecause ?? '' })),
    capturedFromNicId: set.capturedFromNicId, routeTableId: set.routeTableId, flow: ctx.flow,
  };
}

/** Walks on from a subnet: route lookup, then the next hop's handler. */
export function forward(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender): Outcome {
  // A NIC with captured effective routes of its own follows them: they are Azure's word for it.
  const nic = sender.kind === 'nic' ? sender.nic : null;
  const set = ctx.routes.routesFor(subnet, nic);
  // A route table the subnet names but the input lacks decides its routes: never answer from the
  // system routes alone (captured effective routes, when present, already hold its routes).
  if (subnet.routeTableId && set.capturedFromNicId === null && !ctx.index.routeTables.has(subnet.routeTableId)) {
    return missingReference(ctx, trail, subnet.routeTableId, `route table ${nameOfId(subnet.routeTableId).name} of subnet ${subnet.name}`, 'which routes the subnet uses');
  }
  // The virtual network adds routes of its own: its gateway's BGP routes (a 0.0.0.0/0 from on-premises
  // forces tunnelling), its peerings and a virtual hub connection's routing intent [UDR]. Without
  // it (a subnet exported on its own), only captured effective routes can say where traffic goes.
  if (set.capturedFromNicId === null && !ctx.index.subnetVirtualNetwork.has(subnet.id)) {
    return missingReference(ctx, trail, subnet.virtualNetworkId, `virtual network ${nameOfId(subnet.virtualNetworkId).name} of subnet ${subnet.name}`,
      'which routes the subnet uses (gateway, peering and virtual hub routes come with the virtual network)');
  }
  const destination = ctx.traffic.destination;
  if (destination.kind === 'name' && destination.mayResolvePrivately) {
    // Custom DNS servers may answer with the private endpoint's address (its /32 route, Private Link)
    // or the public one (the subnet's internet path): theirs to decide, not the snapshot's [PEDNS]
    // https://learn.microsoft.com/azure/private-link/private-endpoint-dns
    const answer = destination.mayResolvePrivately;
    return trail.end({ kind: 'undecided', resourceId: subnet.virtualNetworkId, rule: `${destination.name} through custom DNS servers`, docs: DOCS.privateEndpointDns,
      missingFact: `what the custom DNS servers of virtual network ${nameOfId(subnet.virtualNetworkId).name} answer for ${destination.name}: ${answer.what} serves it privately, so they may return that private address (Private Link) or the public one (the internet path)` });
  }
  if (destination.kind === 'name' && destination.address === null) {
    const overEndpoint = serviceEndpointByName(ctx, trail, subnet, set, destination.name);
    if (overEndpoint) return overEndpoint;
  }
  const uncertainEndpoint = set.capturedFromNicId === null ? uncertainServiceEndpoint(ctx, trail, subnet) : null;
  if (uncertainEndpoint) return uncertainEndpoint;
  let result: RouteLookup;
  if (destination.kind === 'range') {
    // Every address of the range: one route must decide all of it, or no single path describes it [UDR].
    const range = memoize(ctx, set, 'range', () => lookupRange(set.routes, destination.cidrs, { candidates: ctx.recordSteps }));
    if (range.kind === 'split') {
      return trail.end({ kind: 'range-split', destination: ctx.flow.destination, parts: range.parts.map((p) => ({ prefix: p.prefix, nextHop: p.route ? `${nextHopLabel(p.route.nextHop)}${p.route.nextHopIpAddress ? ` ${p.route.nextHopIpAddress}` : ''}` : 'no route' })) });
    }
    result = range.lookup;
  } else {
    result = lookup(ctx, set);
  }
  const disagreeing = nic !== null && set.capturedFromNicId === nic.id ? null : capturesDisagree(ctx, trail, subnet, set, result);
  if (disagreeing) return disagreeing;
  checkDrift(ctx, trail, subnet, set, result);
  const route = result.winner;
  if (!route) return trail.end({ kind: 'no-route', subnet: named(subnet) });
  // Shared by all subnets on the same route set, unless the evidence (system route, no route table) is the subnet itself.
  const perSubnet = route.resourceId === null && set.routeTableId === null && set.capturedFromNicId === null;
  if (trail.recording) trail.add(memoize(ctx, result, perSubnet ? subnet.id : '', () => routeStep(ctx, subnet, set, result, route)));
  if (set.capturedFromNicId === null) {
    const unreported = peeringStateUnknownFor(ctx, subnet, route);
    if (unreported !== null) {
      const { peering, prefix } = unreported;
      return trail.end({ kind: 'undecided', resourceId: peering.id, rule: `Peering ${peering.name} (state not reported)`, docs: DOCS.peering,
        missingFact: `the state of peering ${peering.name}: only a Connected peering carries traffic, and then its route for ${formatCidr(prefix)} would beat "${describeRoute(route)}" for ${ctx.flow.destination}` });
    }
  }
  // A virtual hub's routes for specific prefixes reach its spokes as gateway routes; one that
  // covers the destination may beat the winner (hubRouteQuestion). Captured routes already hold them.
  const hubRoute = set.capturedFromNicId === null && sender.kind !== 'gateway' ? hubRouteQuestion(ctx, subnet, route) : null;
  if (hubRoute) return endHubQuestion(ctx, trail, hubRoute);
  // The hub's own 0.0.0.0/0 (routing intent, a secured hub's firewall route) loses a what-if to a
  // more specific prefix a branch or BGP peer may advertise, as the system one does (hubLearnedRouteQuestion).
  const hubLearned = set.capturedFromNicId === null && sender.kind !== 'gateway' && route.origin === 'vwan-hub' && route.cidr?.prefixLength === 0
    ? hubLearnedRouteQuestion(ctx, subnet, route) : null;
  if (hubLearned) return endHubQuestion(ctx, trail, hubLearned);
  // The system default route wins only while nothing learned over BGP beats it: with a BGP
  // gateway in the gateway domain and no captured routes, on-premises may be advertising 0.0.0.0/0
  // (forced tunnelling) and the configuration cannot tell [UDR][S2SFT][ERROUTE].
  if (set.capturedFromNicId === null && sender.kind !== 'gateway') {
    // System routes a learned route beats [UDR]: 0.0.0.0/0 → Internet, and the None routes of the
    // private and shared ranges (10/8, 172.16/12, 192.168/16, 100.64/10) that on-premises ranges override.
    const overridable = route.source === 'Default' && route.nextHop.kind === 'known' && (route.nextHop.type === 'Internet' || route.nextHop.type === 'None');
    // A what-if destination could also match a more specific prefix learned over BGP than the winning UDR.
    const possible = overridable || (route.source === 'User' && destination.kind !== 'default-route') ? ctx.routes.unknownLearnedRoutes(subnet) : null;
    // Static (local network gateway) and virtual hub routes stand for specific prefixes only: they
    // can beat a system None route of a private range here, not the system default route or a UDR
    // (a hub's own routes that could are asked apart: hubRouteQuestion, hubLearnedRouteQuestion).
    const learned = possible !== null && (possible.via === 'bgp' || (overridable && route.nextHop.kind === 'known' && route.nextHop.type === 'None')) ? possible : null;
    const words = learned === null ? null : learnedRoutesWords(learned);
    if (learned !== null && words !== null) {
      addGap(ctx, { code: 'not-modelled', scope: learned.resourceId, message: words.gap });
    }
    if (learned !== null && learned.via === 'bgp' && overridable && sender.kind === 'firewall' && sender.firewall.managementIpConfiguration === null) {
      // The firewall "must have direct Internet connectivity": a learned 0/0 on its subnet takes it [FWDIRECT].
      trail.finding('firewall-subnet-default-route', 'warning',
        `Azure Firewall ${sender.firewall.name} has no management NIC (so no forced tunnelling) and AzureFirewallSubnet has no 0.0.0.0/0 → Internet UDR while it learns routes over BGP through ${learned.name}: a default route advertised from on-premises would take the firewall's direct internet connectivity.`,
        'Add a UDR 0.0.0.0/0 → Internet on AzureFirewallSubnet (Microsoft\'s guidance for hubs with a gateway).', [sender.firewall.id, subnet.id], DOCS.firewallForcedTunnel);
    }
    if (learned !== null && words !== null && overridable) {
      const missingFact = route.cidr !== null && route.cidr.prefixLength === 0
        ? `whether on-premises advertises 0.0.0.0/0 over BGP through ${learned.name}, which would beat the system default route of subnet ${subnet.name} (capture the effective routes of a NIC in it)`
        : `whether a route for ${ctx.flow.destination} is ${words.how}, which would beat the system route ${route.addressPrefix} → None of subnet ${subnet.name} (capture the effective routes of a NIC in it)`;
      return trail.end({ kind: 'undecided', resourceId: learned.resourceId, rule: words.rule, docs: words.docs, missingFact });
    }
  }
  const gatewayLeftOut = set.capturedFromNicId === null && sender.kind !== 'gateway' ? leftOutGatewayRoutes(ctx, trail, subnet, route) : null;
  if (gatewayLeftOut) return gatewayLeftOut;
  const tagRoutes = tagRoutesThatMayWin(ctx, set, route);
  if (tagRoutes.length > 0) return unexpandedTagRoutes(ctx, trail, subnet, set, sender, route, result.equalCost, tagRoutes);
  if (result.equalCost.length > 0) return equalCostRoutes(ctx, trail, subnet, set, sender, route, result.equalCost);
  return followRoute(ctx, trail, subnet, set, sender, route);
}

/**
 * A UDR on a service tag that may carry the destination while another route wins here: one whose
 * prefixes the input lacks (UnexpandedServiceTagRoute), or, for a host name of a known Azure
 * service whose address is not known, a tag route of that service (`address-not-known`: the
 * tag's prefixes are known, the name's address is not).
 */
interface TagRouteInQuestion {
  readonly route: ComputedRoute;
  readonly tag: string;
  readonly reason: UnexpandedServiceTagRoute['reason'] | 'address-not-known';
  readonly topLevelTag: string | null;
}

const NO_TAG_ROUTES: readonly TagRouteInQuestion[] = Object.freeze([]);

/**
 * The service tags (lower case) whose prefixes may hold a host name of a known Azure service
 * (SERVICE_SUFFIXES: `.blob.core.windows.net` is Storage): the service's own tag, through the tag
 * a service endpoint for it carries (SERVICE_ENDPOINT_TAGS), and AzureCloud, which holds every
 * Azure public range [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 * Null for any other name (evaluated as the internet as a whole, as elsewhere).
 */
function serviceTagsOfName(name: string): ReadonlySet<string> | null {
  const host = name.trim().toLowerCase().replace(/\.$/, '');
  const services = SERVICE_SUFFIXES.find(([suffix]) => host.endsWith(suffix))?.[1];
  if (!services) return null;
  const tags = new Set<string>(['azurecloud']);
  for (const service of services) {
    const tag = SERVICE_ENDPOINT_TAGS[service];
    if (tag !== undefined) tags.add(tag.toLowerCase());
  }
  return tags;
}

/** Whether a tag route's tag (`Storage`, `Storage.WestEurope`) is one of `tags` or a regional tag of one. */
function tagIn(tag: string, tags: ReadonlySet<string>): boolean {
  const name = tag.trim().toLowerCase();
  const dot = name.indexOf('.');
  return tags.has(name) || (dot > 0 && tags.has(name.slice(0, dot)));
}

/**
 * The subnet's UDRs on a service tag that may hold the destination and beat `winner` (see
 * RouteSetBuilder.unexpandedServiceTagRoutes). A tag route carries the tag's prefixes [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
 * and tags hold prefixes of any length (down to single addresses), so it can beat any route but a
 * service endpoint's ("can't be overridden, even by a route table" [UDR]) and a UDR on an explicit
 * single-address prefix (on exactly the same prefix "preference is given to the route with the
 * explicit prefix" [UDR]). A destination with an address (or a range) asks about tags whose
 * prefixes the input lacks; a host name whose address is not known asks only when it names a known
 * Azure service (serviceTagsOfName), about that service's tag routes, expanded or not: its address
 * is one address, in the service's prefixes, not "the internet as a whole" (the documented bypass:
 * tag routes to Internet while 0.0.0.0/0 goes to an NVA, egress-rules.md §4). Any other name, and
 * the internet as a whole, are decided by the 0.0.0.0/0 routes, which no tag route is. Empty
 * nearly always.
 */
/** serviceTagsOfName per destination object (asked at every route lookup of every source). */
const nameTagCache = new WeakMap<EgressDestination, ReturnType<typeof serviceTagsOfName>>();

function nameTagsOf(destination: Extract<EgressDestination, { kind: 'name' }>): ReturnType<typeof serviceTagsOfName> {
  if (nameTagCache.has(destination)) return nameTagCache.get(destination) ?? null;
  const tags = serviceTagsOfName(destination.name);
  nameTagCache.set(destination, tags);
  return tags;
}

function tagRoutesThatMayWin(ctx: EngineContext, set: RouteSet, winner: ComputedRoute): readonly TagRouteInQuestion[] {
  if (set.capturedFromNicId !== null) return NO_TAG_ROUTES;
  const destination = ctx.traffic.destination;
  const address = destinationAddress(destination);
  const nameTags = destination.kind === 'name' && address === null ? nameTagsOf(destination) : null;
  const open = ctx.routes.unexpandedServiceTagRoutes(set);
  if (open.length === 0 && nameTags === null) return NO_TAG_ROUTES;
  if (address === null && destination.kind !== 'range' && nameTags === null) return NO_TAG_ROUTES;
  if (winner.nextHop.kind === 'known' && winner.nextHop.type === 'VirtualNetworkServiceEndpoint') return NO_TAG_ROUTES;
  const singleAddress = winner.cidr !== null && winner.cidr.prefixLength === (winner.cidr.version === 4 ? 32 : 128);
  if (winner.source === 'User' && winner.serviceTag === undefined && singleAddress) return NO_TAG_ROUTES;
  if (nameTags !== null) {
    const expanded = new Map<string, TagRouteInQuestion>();
    for (const r of set.routes) {
      if (r.source !== 'User' || r.serviceTag === undefined || r === winner || !tagIn(r.addressPrefix, nameTags)) continue;
      const key = r.addressPrefix.trim().toLowerCase();
      // The winner's own tag route already carries the name: its other prefixes add nothing.
      if (winner.serviceTag !== undefined && winner.addressPrefix.trim().toLowerCase() === key) continue;
      if (!expanded.has(key)) expanded.set(key, { route: r, tag: r.addressPrefix, reason: 'address-not-known', topLevelTag: null });
    }
    return [...open.filter((t) => tagIn(t.tag, nameTags)), ...expanded.values()];
  }
  return open.filter((t) => {
    // IPv6: the range model holds no IPv6 tag prefixes; any public address may be the tag's.
    if (address !== null) return address.version === 4 ? t.scope.contains(address.value) : isPublicIp(address);
    return destination.kind === 'range' && (destination.set.overlaps(t.scope)
      || destination.cidrs.some((c) => c.version === 6 && isPublicIp({ version: 6, value: c.network })));
  });
}

/**
 * The winning route, and UDRs on service tags the input cannot expand that may hold the destination
 * (tagRoutesThatMayWin). Each is walked: when they all end the same way, the winner's path stands
 * (whether the tag holds the address does not matter); otherwise the answer depends on the tag's
 * prefixes, which the input lacks: unknown, naming the tag and both ends, never the path as if the
 * tag route did not exist. The same approach as a service endpoint whose tag data is missing
 * (uncertainServiceEndpoint).
 */
function unexpandedTagRoutes(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, sender: Sender, winner: ComputedRoute,
  equalCost: readonly ComputedRoute[], tagRoutes: readonly TagRouteInQuestion[]): Outcome {
  const items: readonly { readonly route: ComputedRoute; readonly tag: TagRouteInQuestion | null }[] = [{ route: winner, tag: null }, ...tagRoutes.map((tag) => ({ route: tag.route, tag }))];
  const walks = walkEach(trail, items, (child, item) => (item.tag === null && equalCost.length > 0
    ? equalCostRoutes(ctx, child, subnet, set, sender, winner, equalCost)
    : followRoute(ctx, child, subnet, set, sender, item.route)));
  if (walks.same) return trail.append(walks.same);
  // The forks' findings are left out: which of them describes the real path is what is not known.
  const tags = tagRoutes.map((t) => t.tag).join(', ');
  const why = tagRoutes.map((t) => {
    const bound = t.topLevelTag === null ? '' : ` (it lists the top-level tag ${t.topLevelTag}, whose prefixes hold ${ctx.flow.destination})`;
    switch (t.reason) {
      case 'no-tag-data': return `no service tag data was given for ${t.tag} (give it with --service-tags FILE)`;
      case 'tag-not-in-data': return `the service tag data${ctx.serviceTags ? ` (change number ${ctx.serviceTags.changeNumber})` : ''} does not list ${t.tag}${bound}`;
      case 'address-not-known': return `the address ${ctx.flow.destination} resolves to is not known, and ${t.tag} holds its service's prefixes (give the address with --resolve NAME=IP)`;
      default: return assertNever(t.reason, 'tag route reason');
    }
  }).join('; ');
  const ends = walks.parts.map((w) => `${w.item.tag === null ? 'if not' : `if ${w.item.tag.tag} holds it`}, "${describeRoute(w.item.route)}" carries it: ${pathEndWords(w.part.outcome)}`).join('; ');
  const firstTag = tagRoutes[0]?.tag;
  const location = ctx.index.subnetVirtualNetwork.get(subnet.id)?.location ?? null;
  const prefixesKnown = tagRoutes.every((t) => t.reason === 'address-not-known');
  return trail.end({ kind: 'undecided', resourceId: tagRoutes[0]?.route.resourceId ?? set.routeTableId ?? subnet.id,
    rule: `UDR on service tag ${tags} (${prefixesKnown ? 'the destination\'s address not known' : 'prefixes not in the input'})`, docs: DOCS.serviceTagsUdr,
    ...(firstTag === undefined ? {} : { verify: VERIFY.serviceTag(firstTag, location) }),
    missingFact: `whether ${ctx.flow.destination} is among the prefixes of service tag ${tags}: ${why}. A UDR on a service tag is a route for each of the tag's prefixes (down to single addresses), so for an address the tag holds it may be the longest match, and the answer differs: ${ends}` });
}

/** A walk's end in a network engineer's words: the verdict (VERDICTS' label) and the exit (EXITS' label) with any public IPs. */
function pathEndWords(outcome: Outcome): string {
  const exit = outcome.exit === null ? '' : ` (${EXITS[outcome.exit]}${outcome.egressIps.length > 0 ? ` ${outcome.egressIps.join(', ')}` : ''})`;
  return `${VERDICTS[verdictOf(outcome.terminal)].toLowerCase()}${exit}`;
}

/** The handler of the winning route's next hop (the walk goes on there). */
function followRoute(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, sender: Sender, route: ComputedRoute): Outcome {
  const nextHop = route.nextHop;
  if (nextHop.kind === 'unknown') return unknownNextHop(trail, subnet, route);
  const divertsInternet = nextHop.type === 'VirtualAppliance' || nextHop.type === 'VirtualNetworkGateway';
  if (subnet.natGatewayId && divertsInternet) natBypassed(trail, subnet, route);
  if (sender.kind === 'firewall' && sender.firewall.managementIpConfiguration === null) {
    // "Direct Internet connectivity" [FWDIRECT] is AzureFirewallSubnet's route for internet traffic
    // (0.0.0.0/0), whatever flow is being walked: a flow the firewall forwards to a private
    // destination follows its own, more specific route (a private endpoint's /32 when the firewall
    // inspects endpoint traffic [PEFW], a spoke's peering route, an on-premises prefix), which says
    // nothing about the firewall's internet connectivity.
    // https://learn.microsoft.com/azure/private-link/inspect-traffic-with-azure-firewall
    const internet = ctx.traffic.destination.kind === 'default-route' ? route : firewallInternetRoute(ctx, set);
    if (!isInternetHop(internet)) {
      trail.finding('firewall-subnet-default-route', 'error',
        `Azure Firewall ${sender.firewall.name} has no management NIC (so no forced tunnelling) but its subnet's route for internet traffic (0.0.0.0/0) is ${internet ? `"${describeRoute(internet)}"` : 'missing'}: the firewall needs direct internet connectivity.`,
        'Add a UDR 0.0.0.0/0 → Internet on AzureFirewallSubnet (or redeploy the firewall with a management NIC for forced tunnelling).',
        [sender.firewall.id, subnet.id], DOCS.firewallForcedTunnel);
    }
  }
  if (sender.kind === 'firewall' && sender.firewall.managementIpConfiguration === null && nextHop.type !== 'Internet' && destinationScope(ctx) !== 'private') {
    // Sending the firewall's internet traffic on to a gateway or appliance is documented only in
    // forced-tunnel mode, which "must be enabled when the firewall is created" (management NIC)
    // [FWFT]; without it the firewall "must have direct Internet connectivity" [FWDIRECT]. What it
    // then does with that traffic is not documented: unknown, not a confident on-premises / NVA path.
    // Only internet traffic (a public destination) raises the question; traffic to private
    // addresses (endpoints, spokes, on-premises ranges) is forwarded by the firewall's routes.
    // https://learn.microsoft.com/azure/firewall/forced-tunneling
    if (divertsInternet) {
      return trail.end({ kind: 'undecided', resourceId: sender.firewall.id, rule: `Azure Firewall ${sender.firewall.name} without a management NIC: AzureFirewallSubnet route "${describeRoute(route)}"`,
        docs: DOCS.firewallForcedTunnel,
        missingFact: `what Azure Firewall ${sender.firewall.name} does with internet traffic when AzureFirewallSubnet's route for it is "${describeRoute(route)}": the firewall has no management NIC, so it is not in forced-tunnel mode (which must be enabled when the firewall is created) and it must have direct internet connectivity; Azure does not document what happens otherwise` });
    }
  }
  switch (nextHop.type) {
    case 'Internet': {
      const notInternet = nonInternetEgress(ctx, trail, route.resourceId ?? subnet.id, `"${describeRoute(route)}"`);
      if (notInternet) return notInternet;
      // Only the system 0.0.0.0/0: a hub's learned 0/0 replaces it, never a more specific route [UDR].
      // AzureFirewallSubnet too: the hub's 0/0 would take the firewall's own internet traffic, which
      // must have "direct Internet connectivity" unless in forced-tunnel mode [FWFT]
      // https://learn.microsoft.com/azure/firewall/forced-tunneling
      const question = set.capturedFromNicId === null && route.source === 'Default' && route.cidr?.prefixLength === 0
        ? hubDefaultRouteQuestion(ctx, subnet) ?? hubLearnedRouteQuestion(ctx, subnet, route) : null;
      if (question) return endHubQuestion(ctx, trail, question);
      return toInternet(ctx, trail, subnet, sender, route);
    }
    case 'None': {
      // A system None route (a private range) loses to a hub's routes: for a VNet that may be a
      // spoke of a hub whose connections could not be read, that is not known (a connected one
      // asks in forward: its hub's learned routes).
      const unread = set.capturedFromNicId === null && route.source === 'Default' ? unreadHubConnectionsQuestion(ctx, subnet) : null;
      if (unread) return endHubQuestion(ctx, trail, unread);
      return trail.end({ kind: 'next-hop-none', route: routeRef(route) });
    }
    case 'VnetLocal':
    case 'VNetPeering':
      return delivered(ctx, trail, subnet, sender, route);
    case 'VirtualNetworkServiceEndpoint':
      // The service endpoint's route carries the service's prefixes: the traffic goes to the
      // service over the backbone, whatever the default route says [SE].
      // A captured route names its prefix, not its service (null stands for every endpoint of the subnet).
      return servicePolicyUnknown(ctx, trail, subnet, route.origin === 'service-endpoint' ? route.addressPrefix : null)
        ?? trail.end({ kind: 'delivered-to-service-endpoint', service: route.addressPrefix, route: routeRef(route) }, { exit: 'service-endpoint', egressIps: [], snatPorts: null });
    case 'InterfaceEndpoint':
      return toPrivateEndpoint(ctx, trail, subnet, sender, route);
    case 'VirtualAppliance': return toVirtualAppliance(ctx, trail, subnet, sender, route);
    case 'VirtualNetworkGateway':
      // On GatewaySubnet the "gateway" next hop is the sender itself: its own traffic leaves from its public IPs.
      if (sender.kind === 'gateway') return toInternet(ctx, trail, subnet, sender, route);
      return toGateway(ctx, trail, subnet, sender, route);
  }
}

/** IPv4 ranges no internet host has, in words: RFC 1918 private, RFC 6598 shared, then the reserved ones. */
const NON_INTERNET_RANGES: readonly (readonly [Cidr, string])[] = ([
  ['10.0.0.0/8', 'a private address (RFC 1918)'], ['172.16.0.0/12', 'a private address (RFC 1918)'], ['192.168.0.0/16', 'a private address (RFC 1918)'],
  ['100.64.0.0/10', 'a shared address (RFC 6598 carrier-grade NAT space)'], ['127.0.0.0/8', 'a loopback address'], ['169.254.0.0/16', 'a link-local address'],
  ['0.0.0.0/8', 'a "this network" address'], ['224.0.0.0/4', 'a multicast address'], ['240.0.0.0/4', 'a reserved address'],
] as const).flatMap(([text, words]) => {
  const cidr = parseCidr(text);
  return cidr ? [[cidr, words] as const] : [];
});

/**
 * Why the flow's destination is not an internet address, in words (`10.2.0.5 is a private address
 * (RFC 1918)`), or null when it is one: the internet as a whole, a public address, a range of
 * public addresses, or a name whose address is not known (evaluated as the internet, as elsewhere).
 */
/** Per destination object (one per resolve, shared by every source): nonInternetDestination's answer. */
const nonInternetAnswers = new WeakMap<EgressDestination, string | null>();

function nonInternetDestination(ctx: EngineContext): string | null {
  const destination = ctx.traffic.destination;
  const known = nonInternetAnswers.get(destination);
  if (known !== undefined) return known;
  const answer = nonInternetDestinationUncached(destination);
  nonInternetAnswers.set(destination, answer);
  return answer;
}

function nonInternetDestinationUncached(destination: EgressDestination): string | null {
  if (destination.kind === 'default-route') return null;
  if (destination.kind === 'range') {
    const v6 = destination.cidrs.filter((c) => c.version === 6 && !isPublicIp({ version: 6, value: c.network }));
    if (!destination.set.isEmpty() && !publicIpv4().containsSet(destination.set)) {
      const held = NON_INTERNET_RANGES.filter(([cidr]) => destination.set.overlaps(Ipv4Set.fromCidr(cidr))).map(([cidr]) => formatCidr(cidr));
      return `${destination.text} holds addresses that are not internet addresses (in ${held.join(', ') || 'reserved space'}: RFC 1918 private, RFC 6598 shared or reserved ranges)`;
    }
    return v6.length > 0 ? `${destination.text} holds IPv6 addresses outside global unicast space (2000::/3)` : null;
  }
  const address = destinationAddress(destination);
  if (address === null || isPublicIp(address)) return null;
  const shown = destination.kind === 'name' ? `${destination.name} resolves to ${formatIp(address)}, which is` : `${formatIp(address)} is`;
  if (address.version === 6) return `${shown} an IPv6 address outside global unicast space (2000::/3)`;
  const words = NON_INTERNET_RANGES.find(([cidr]) => cidrContainsIp(cidr, address))?.[1] ?? 'not an internet address';
  return `${shown} ${words}`;
}

/**
 * The one check for every path that ends at internet egress (the Internet next hop, a NAT gateway,
 * public IP, load balancer or default outbound exit, a secured hub's firewall): a destination no
 * internet host can have (RFC 1918 private, RFC 6598 shared, reserved ranges) is never "reaches the
 * internet". "Internet: Routes traffic specified by the address prefix to the Internet" [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default
 * and the exits (NAT gateway, public IPs, the hub firewall's egress) are documented for internet
 * destinations only: whether Azure drops such packets or SNATs them and sends them out where
 * nothing answers is not documented, so unknown (egress-rules.md §2.7 covers public destinations
 * only). Multicast and broadcast (dropped, documented) and the host's platform addresses (never
 * routed) are decided before any route (see platformDestination), so they never get here.
 * `where`: the route or exit that would take the traffic out, in words. Null for an internet destination.
 */
function nonInternetEgress(ctx: EngineContext, trail: Trail, resourceId: string, where: string): Outcome | null {
  const notInternet = nonInternetDestination(ctx);
  if (notInternet === null) return null;
  return trail.end({ kind: 'undecided', resourceId, rule: `${where} for a destination that is not an internet address`, docs: DOCS.udr,
    missingFact: `what Azure does with traffic to ${ctx.flow.destination} on ${where}: ${notInternet}, which no host on the internet can have, and Azure documents internet egress only as sending traffic to the internet (whether it drops such packets or sends them out is not documented)` });
}

/** AzureFirewallSubnet's winning route for internet traffic (0.0.0.0/0), looked up once per route set. */
function firewallInternetRoute(ctx: EngineContext, set: RouteSet): ComputedRoute | null {
  return memoize(ctx, set, 'internet-route', () => lookupRoute(set.routes, { kind: 'default-route' }, { candidates: false }).winner);
}

function isInternetHop(route: ComputedRoute | null): boolean {
  return route !== null && route.nextHop.kind === 'known' && route.nextHop.type === 'Internet';
}

/** The Route Server FAQ: learned routes' next hops and ECMP [RS]. */
const ROUTE_SERVER_FAQ_DOC = 'https://learn.microsoft.com/azure/route-server/route-server-faq';

function nextHopText(route: ComputedRoute): string {
  return `${nextHopLabel(route.nextHop)}${route.nextHopIpAddress ? ` ${route.nextHopIpAddress}` : ''}`;
}

/** `0.0.0.0/0 → VirtualNetworkGateway 10.0.2.4`: a route's prefix and where it leads, with any next-hop IP. */
function routeKey(route: ComputedRoute | null): string {
  return route ? `${route.cidr ? formatCidr(route.cidr) : route.addressPrefix} → ${nextHopText(route)}` : 'no route';
}

/**
 * Equal-cost routes: the winner and routes that tie with it on every rule but lead to other next
 * hops. "The VM hosts will do Equal-Cost Multi-Path (ECMP) routing" across them [RS]
 * https://learn.microsoft.com/azure/route-server/route-server-faq
 * and which flow takes which next hop is not in the input. Each next hop is walked; the answer
 * stands only when all end the same way (same end, exit, egress IPs and ports), else it is
 * unknown, never the first route's answer.
 */
function equalCostRoutes(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, sender: Sender, winner: ComputedRoute, others: readonly ComputedRoute[]): Outcome {
  const routes = [winner, ...others];
  const peerings = overlappingPeerings(ctx, trail, subnet, routes);
  if (peerings !== null) return peerings;
  const walks = walkEach(trail, routes, (child, r) => followRoute(ctx, child, subnet, set, sender, r));
  if (walks.same) return trail.append(walks.same);
  for (const w of walks.parts) for (const f of w.part.findings) trail.finding(f.code, f.severity, f.message, f.advice ?? '', f.resourceIds ?? [], f.docs ?? ROUTE_SERVER_FAQ_DOC);
  const ends = walks.parts.map((w) => `${nextHopText(w.item)}: ${endText(w.part.outcome)}`).join('; ');
  const resourceId = set.capturedFromNicId ?? winner.resourceId ?? subnet.id;
  if (winner.source === 'Default') {
    return trail.end({ kind: 'undecided', resourceId, rule: `System routes for ${winner.addressPrefix} with no documented order`, docs: DOCS.udr,
      missingFact: `which of the system routes for ${winner.addressPrefix} of subnet ${subnet.name} (${routes.map((r) => `${describeRoute(r)}`).join('; ')}) Azure uses: it documents the order of user, BGP and system routes, not of two system routes on one prefix, and they end differently: ${ends}` });
  }
  return trail.end({ kind: 'undecided', resourceId, rule: `Equal-cost routes for ${winner.addressPrefix} (ECMP)`, docs: ROUTE_SERVER_FAQ_DOC,
    missingFact: `which of the ${routes.length} equal-cost routes for ${winner.addressPrefix} of subnet ${subnet.name} (next hops ${routes.map(nextHopText).join(', ')}) carries this flow: Azure spreads flows across them by a hash the input does not show, and they end differently: ${ends}` });
}

/**
 * Two or more peerings carrying exactly the same prefix: each installs a VNetPeering system route
 * on it ("the system adds a route for each address range within the address space of each virtual
 * network involved in the peering" [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#optional-default-routes),
 * Azure documents no order between two system routes on one prefix, and peered address spaces may
 * not overlap ("The address spaces of the peered virtual networks don't overlap"
 * https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-different-region): the input is
 * inconsistent (a stale peering, an address space changed since it was peered) and which VNet gets
 * the traffic is not known, even when both would deliver it. Null unless such peerings tie.
 */
function overlappingPeerings(ctx: EngineContext, trail: Trail, subnet: Subnet, routes: readonly ComputedRoute[]): Outcome | null {
  const ids = [...new Set(routes.flatMap((r) => (r.origin === 'peering' && r.resourceId !== null ? [r.resourceId] : [])))];
  const [first] = ids;
  if (first === undefined || ids.length < 2) return null;
  const vnet = ctx.index.subnetVirtualNetwork.get(subnet.id);
  const refs = vnet ? ctx.index.peerings.get(vnet.id) ?? [] : [];
  const labels = ids.map((id) => {
    const peering = refs.find((ref) => ref.peering.id === id)?.peering;
    const remote = peering?.remoteVirtualNetworkId ? nameOfId(peering.remoteVirtualNetworkId).name : null;
    return `${peering?.name ?? nameOfId(id).name}${remote ? ` (to ${remote})` : ''}`;
  });
  const prefix = routes[0]?.addressPrefix ?? '';
  return trail.end({ kind: 'undecided', resourceId: first, rule: `Peerings ${labels.join(' and ')} carry the same range ${prefix}`, docs: DOCS.peering, ...(vnet ? { verify: VERIFY.peerings(vnet.id) } : {}),
    missingFact: `which peering carries ${ctx.flow.destination}: peerings ${labels.join(' and ')} of ${vnet?.name ?? 'the virtual network'} both carry ${prefix}, so subnet ${subnet.name} has a system route to each for the same prefix and Azure documents no order between them; peered address spaces must not overlap, so one of these peerings is stale or an address space changed after it was peered` });
}

/** A walk's end in a few words, for naming alternatives that end differently. */
function endText(outcome: Outcome): string {
  return `${outcome.terminal.kind}${outcome.egressIps.length > 0 ? ` (${outcome.egressIps.join(', ')})` : ''}`;
}

/**
 * Walks each alternative (ECMP next hops, load balancer backends) on a fork of the trail. `same`:
 * the first walk, when every walk ends the same way (end, exit, egress IPs, ports); else null and
 * the caller says the answer is unknown.
 */
function walkEach<T>(trail: Trail, items: readonly T[], walk: (child: Trail, item: T) => Outcome): { readonly same: Continuation | null; readonly parts: readonly { readonly item: T; readonly part: Continuation }[] } {
  const parts = items.map((item) => {
    const child = trail.fork();
    const outcome = walk(child, item);
    const part: Continuation = {
      outcome, steps: child.steps, via: child.via, findings: child.findings,
      visited: child.visited.filter((id) => !trail.visited.includes(id)), depth: child.depth - trail.depth,
    };
    if (child.sourceConsulted) trail.sourceConsulted = true;
    return { item, part };
  });
  const signature = (o: Outcome): string => JSON.stringify([o.terminal.kind, o.exit, [...o.egressIps].sort(), o.snatPorts]);
  const first = parts[0];
  const same = first && parts.every((p) => signature(p.part.outcome) === signature(first.part.outcome)) ? first.part : null;
  return { same, parts };
}

/**
 * The destination's deciding routes in one text (winner and equal-cost routes), to compare route sets.
 * A range is decided as `forward` decides it (lookupRange).
 */
function decidingRoutes(ctx: EngineContext, set: RouteSet): string {
  const destination = ctx.traffic.destination;
  let result: RouteLookup;
  if (destination.kind === 'range') {
    const range = memoize(ctx, set, 'range', () => lookupRange(set.routes, destination.cidrs, { candidates: ctx.recordSteps }));
    if (range.kind === 'split') return range.parts.map((p) => `${p.prefix}:${routeKey(p.route)}`).join(';');
    result = range.lookup;
  } else {
    // The internet as a whole: a split default route (0.0.0.0/1 + 128.0.0.0/1) decides it through
    // all its parts, whichever part the lookup shows, so captures listing them in another order agree.
    const split = destination.kind === 'default-route' ? splitDefaultRoutes(set.routes) : [];
    if (split.length > 0) return split.map(routeKey).sort().join(';');
    result = lookup(ctx, set);
  }
  return [result.winner, ...result.equalCost].map(routeKey).sort().join(';');
}

/**
 * Captured effective routes of several NICs of one subnet that decide this destination
 * differently. NICs of one subnet share its routes ("the effective routes for the subnet a network
 * interface is in" [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview),
 * so one capture is older than the other, and which one is current is not known: the subnet's
 * answer (what a NIC without a capture of its own follows) is unknown, naming the captures. Null
 * when they agree (or there is at most one); a NIC with its own capture never asks (it follows it).
 */
function capturesDisagree(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, result: RouteLookup): Outcome | null {
  if (set.capturedFromNicId === null) return null;
  const sets = ctx.routes.capturedRouteSetsOf(subnet);
  if (sets.length < 2) return null;
  const own = decidingRoutes(ctx, set);
  if (sets.every((s) => s === set || decidingRoutes(ctx, s) === own)) return null;
  const describe = (s: RouteSet): string => {
    const found = s === set ? result : lookup(ctx, s);
    const route = found.winner;
    return `NIC ${nameOfId(s.capturedFromNicId ?? '').name}: ${route ? `"${describeRoute(route)}"${found.equalCost.length > 0 ? ` and ${found.equalCost.length} equal-cost route(s)` : ''}` : 'no route'}`;
  };
  return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Captured effective routes of subnet ${subnet.name} disagree`, docs: DOCS.effectiveRoutes,
    missingFact: `which captured effective routes of subnet ${subnet.name} are current: for ${ctx.flow.destination} ${sets.map(describe).join('; ')}. NICs of one subnet share its routes, so one capture is out of date (capture them again)` });
}

/**
 * The gateway whose routes the subnet would get may be a virtual network gateway the input held but
 * left out as malformed (leftOutGatewaysOf). A gateway's routes reach every subnet of its VNet and
 * of the spokes that use it through gateway transit, unless the route table stops gateway route
 * propagation [UDR]: a GatewayDefaultSite or a BGP-learned 0.0.0.0/0 beats the system default route
 * and sends internet traffic on-premises [S2SFT], and a learned prefix beats a shorter UDR for a
 * what-if destination (asked only of a system route here, as for known gateways). What the gateway
 * was (VPN or ExpressRoute, BGP or not, a default site) is in the left-out copy only, so the
 * winner's standing is unknown. Null when no such gateway could be the subnet's, or what a gateway
 * learns could not beat the winner (as for known gateways above).
 */
function leftOutGatewayRoutes(ctx: EngineContext, trail: Trail, subnet: Subnet, route: ComputedRoute): Outcome | null {
  if (ctx.leftOut.length === 0) return null;
  const overridable = route.source === 'Default' && route.nextHop.kind === 'known' && (route.nextHop.type === 'Internet' || route.nextHop.type === 'None');
  // As for a known gateway's unknown routes above: one that may beat a UDR for a what-if destination is a gap, not an unknown.
  if (!overridable) return null;
  // Known gateways' unknown routes are asked above; a left-out one matters only where none is asked.
  if (!ctx.routes.learnsGatewayRoutes(subnet) || ctx.routes.unknownLearnedRoutes(subnet)?.via === 'bgp') return null;
  const vnet = ctx.index.subnetVirtualNetwork.get(subnet.id);
  const gatewayVnet = vnet ? gatewayVnetOf(ctx.index, vnet) : null;
  const gateways = leftOutGatewaysOf(ctx, gatewayVnet);
  const [first] = gateways;
  if (first === undefined || !gatewayVnet) return null;
  const through = vnet && gatewayVnet.id !== vnet.id ? ` (whose gateway ${vnet.name} uses through gateway transit)` : '';
  return trail.end({ kind: 'undecided', resourceId: first.id, rule: `Routes of ${leftOutNames(gateways)}, left out of the input`, docs: DOCS.forcedTunnel,
    missingFact: `whether ${leftOutNames(gateways)} is the gateway of virtual network ${gatewayVnet.name}${through} and what routes it gives subnet ${subnet.name}: ${leftOutWhy(gateways)}; `
      + `a VPN gateway's default site, or a route for ${ctx.flow.destination} learned over BGP, would beat "${describeRoute(route)}" and send the traffic on-premises` });
}

/** The VNet whose virtual network gateway a VNet uses: its own, or a peer's through gateway transit; null for a Virtual WAN spoke or a peer not in the input. */
function gatewayVnetOf(index: ModelIndex, vnet: VirtualNetwork): VirtualNetwork | null {
  const domain = gatewayDomainOf(index, vnet);
  switch (domain.kind) {
    case 'virtual-hub': return null;
    case 'none': return vnet;
    case 'local': case 'remote': return index.virtualNetworks.get(domain.virtualNetworkId) ?? null;
  }
}

/** The left-out virtual network gateways that could be `vnet`'s (left-out.ts leftOutGateways: its GatewaySubnet, placement, subscription). */
function leftOutGatewaysOf(ctx: EngineContext, vnet: VirtualNetwork | null | undefined): readonly LeftOutResource[] {
  if (ctx.leftOut.length === 0 || !vnet) return [];
  return leftOutGateways(ctx.leftOut, ctx.index, vnet);
}

/** How routes a subnet may hold but the input lacks are named, per where they come from (see UnknownLearnedRoutes). */
function learnedRoutesWords(learned: UnknownLearnedRoutes): { readonly rule: string; readonly how: string; readonly gap: string; readonly docs: string } {
  const capture = 'Capture a NIC\'s effective routes (egress-atlas pull captures them) to decide.';
  switch (learned.via) {
    case 'bgp':
      return {
        rule: `Routes learned over BGP through ${learned.name}`, how: `learned over BGP through ${learned.name} (on-premises ranges usually are)`, docs: DOCS.expressRouteRouting,
        gap: `Routes learned over BGP through ${learned.name} are not in the input: a 0.0.0.0/0 advertised from on-premises would send internet traffic of the subnets that use it on-premises (and a more specific prefix, traffic to it). ${capture}`,
      };
    case 'static':
      // "prefixes learned over BGP or configured in the local network gateway" [UDR]
      return {
        rule: `Static routes of VPN gateway ${learned.name}`, docs: DOCS.udr,
        how: `among the address prefixes of the local network gateways of VPN gateway ${learned.name} (BGP off: Azure installs those prefixes as routes to the gateway)`,
        gap: `The local network gateways of VPN gateway ${learned.name} (BGP off) are not in the input: Azure installs their address prefixes as routes to the gateway in the subnets that use it, so traffic to on-premises ranges may go there. ${capture}`,
      };
    case 'virtual-hub':
      return {
        rule: `Routes of ${learned.name}`, docs: 'https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing',
        how: `propagated by the router of ${learned.name} (the ranges of its other connections and branches)`,
        gap: `The routes ${learned.name} propagates to its connections (the other connected VNets' and branches' ranges) are not in the input. ${capture}`,
      };
  }
}

/**
 * A peering whose state the input does not give installs no route (only a Connected one does
 * [PEER]), so a destination in its remote range falls to a broader route: the peering's route would
 * beat a shorter one, and a BGP route of any length ("System routes for traffic related to virtual
 * network, virtual network peerings ... are preferred routes, even if BGP routes are more specific"
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview). A UDR at
 * least as specific wins either way. Null when the winning route stands regardless.
 */
function peeringStateUnknownFor(ctx: EngineContext, subnet: Subnet, route: ComputedRoute): ReturnType<typeof unknownStatePeering> {
  const vnet = ctx.index.subnetVirtualNetwork.get(subnet.id);
  const destination = ctx.traffic.destination;
  const ip = destinationAddress(destination);
  if (!vnet || route.cidr === null || (ip === null && destination.kind !== 'range')) return null;
  const winner = route.cidr;
  const found = unknownStatePeering(ctx.index, vnet, (prefix) => (ip !== null ? cidrContainsIp(prefix, ip)
    : destination.kind === 'range' && destination.cidrs.some((c) => cidrContainsCidr(prefix, c) || cidrContainsCidr(c, prefix))));
  if (found === null) return null;
  const beaten = winner.prefixLength < found.prefix.prefixLength || route.source === 'VirtualNetworkGateway'
    || (route.source === 'Default' && winner.prefixLength === found.prefix.prefixLength);
  return beaten ? found : null;
}

/**
 * A VnetLocal or VNetPeering route won. For an address inside the VNet's own address space, or a
 * peered VNet's as the peering carries it, the traffic is delivered there and never becomes
 * internet traffic, whatever the range (public ranges included) [UDR][PEER]. Anything else on such a
 * next hop has no documented behaviour: dropped, said so.
 */
function delivered(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, route: ComputedRoute): Outcome {
  const destination = ctx.traffic.destination;
  const vnet = ctx.index.subnetVirtualNetwork.get(subnet.id);
  // A range is decided by one route here (lookupRange): its first address stands for it.
  const first = destination.kind === 'range' ? destination.cidrs[0] : undefined;
  const ip = destinationAddress(destination) ?? (first ? (first.version === 4 ? { version: 4 as const, value: first.network } : { version: 6 as const, value: first.network }) : null);
  // A private endpoint's address delivered by a VNet or peering route (its /32 route invalidated, or
  // missing from captured routes): the endpoint subnet's NSG applies to it as on the /32 route [PENP].
  const address = destinationAddress(destination);
  const endpoint = address ? privateEndpointForAddress(ctx.index, formatIp(address), subnet.virtualNetworkId)?.privateEndpoint ?? null : null;
  // Delivered to the endpoint's address by a VNet route, the packet still reaches the service only
  // over an Approved connection, as over the /32 route [PEMANAGE].
  const endpointNsg = (): Outcome | null => {
    if (!endpoint) return null;
    const filtered = endpointSubnetNsg(ctx, trail, subnet, sender, endpoint, named(endpoint), address);
    if (filtered.kind === 'end') return filtered.outcome;
    return address ? unapprovedConnection(trail, subnet, endpoint, formatIp(address)) : null;
  };
  if (ip && vnet) {
    if (route.origin !== 'peering' && vnetContains(vnet.addressPrefixes, ip)) {
      const stopped = endpointNsg();
      if (stopped) return stopped;
      return trail.end({ kind: 'delivered-in-vnet', vnet: named(vnet), addressPrefix: route.addressPrefix }, { exit: 'virtual-network', egressIps: [], snatPorts: null });
    }
    const peerings = deliveringPeerings(ctx, vnet, route, ip);
    if (peerings.length > 1) {
      const labels = peerings.map((p) => `${p.name}${p.remoteVirtualNetworkId ? ` (to ${nameOfId(p.remoteVirtualNetworkId).name})` : ''}`).join(' and ');
      return trail.end({ kind: 'undecided', resourceId: peerings[0]?.id ?? vnet.id, rule: `Peerings ${labels} hold the same address`, docs: DOCS.peering, verify: VERIFY.peerings(vnet.id),
        missingFact: `which peering carries ${ctx.flow.destination} on "${describeRoute(route)}": the route does not name a peering, and peerings ${labels} of ${vnet.name} both carry ranges holding it; peered address spaces must not overlap, so one of these peerings is stale or an address space changed after it was peered` });
    }
    const [peering] = peerings;
    if (peering) {
      const remote = peering.remoteVirtualNetworkId ? ctx.index.virtualNetworks.get(peering.remoteVirtualNetworkId) : undefined;
      const reach = peeringReach(ctx.index, peering, subnet, ip);
      if (reach.kind === 'not-carried') return trail.end({ kind: 'next-hop-not-carried', route: routeRef(route), peering: named(peering), reason: reach.reason });
      if (reach.kind === 'unknown') return trail.end({ kind: 'undecided', resourceId: peering.id, rule: `Peering ${peering.name}`, missingFact: reach.reason, docs: DOCS.peering });
      const forwarded = forwardedIntoPeeredVnet(ctx, trail, subnet, sender, peering, route, ctx.flow.destination);
      if (forwarded) return forwarded;
      const stopped = endpointNsg();
      if (stopped) return stopped;
      return trail.end({
        kind: 'delivered-over-peering', vnet: named(vnet), remoteVnet: remote ? named(remote) : nameOfId(peering.remoteVirtualNetworkId ?? peering.id),
        peering: named(peering), addressPrefix: route.addressPrefix,
      }, { exit: 'peering', egressIps: [], snatPorts: null });
    }
  }
  // A captured system route (VnetLocal, VNetPeering / VNetGlobalPeering) is Azure's word that the
  // range is the VNet's own or a peered VNet's: Azure adds peering routes "for each address range
  // within the address space of each peered virtual network" [UDR]
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#optional-default-routes
  // The snapshot holding no such range (a peering or address space added or synced after it) does
  // not make the traffic dropped: where it is delivered, and whether that side lets it in, is not known.
  if (route.origin === 'captured' && route.source === 'Default') {
    const peered = route.nextHop.kind === 'known' && route.nextHop.type === 'VNetPeering';
    // Azure creates a VnetLocal system route only "for each address range defined within the address
    // space of a virtual network" [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default
    // so a captured one is the VNet's own range (added after the snapshot): delivered in the VNet.
    if (!peered && vnet && route.nextHop.kind === 'known' && route.nextHop.type === 'VnetLocal') {
      const stopped = endpointNsg();
      if (stopped) return stopped;
      return trail.end({ kind: 'delivered-in-vnet', vnet: named(vnet), addressPrefix: route.addressPrefix }, { exit: 'virtual-network', egressIps: [], snatPorts: null });
    }
    const nicName = nameOfId(route.resourceId ?? subnet.id).name;
    return trail.end({ kind: 'undecided', resourceId: route.resourceId ?? subnet.id, rule: `Captured route ${route.addressPrefix} → ${nextHopLabel(route.nextHop)}`, docs: peered ? DOCS.peering : DOCS.udr,
      missingFact: `where ${ctx.flow.destination} is delivered: the captured effective routes of NIC ${nicName} send ${route.addressPrefix} to ${peered ? 'a peered virtual network' : 'the virtual network'} (${nextHopLabel(route.nextHop)}), but no ${peered ? 'peering' : 'address range of virtual network'} in the snapshot covers ${ctx.flow.destination} (the capture is newer than the snapshot, or the ${peered ? 'peering' : 'virtual network'} is not in the input)` });
  }
  return trail.end({ kind: 'stays-in-vnet', route: routeRef(route) });
}

/**
 * The peering that delivers `ip` on the winning `route`. A computed peering route names its own
 * peering: the route that won longest-prefix match decides where the packet goes [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 * not the order in which the VNet lists its peerings. Any other route (a captured VNetPeering
 * route, which does not say which peering it belongs to; a VnetLocal route covering a peered
 * range) goes to the peerings whose range holds the address (peeredRanges: for subnet peering only
 * the peered remote subnets); only a Connected peering installs routes and carries traffic [PEER]
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
 * so a Disconnected or Initiated one left behind counts only when no other holds the address (it
 * then says why the traffic is not carried). Of several, the one whose range is exactly the
 * route's prefix installed it: "the system adds a route for each address range within the address
 * space of each virtual network involved in the peering" [UDR]. More than one still: the input is
 * inconsistent (peered address spaces may not overlap) and the caller says unknown. Empty when no
 * peering holds it.
 */
function deliveringPeerings(ctx: EngineContext, vnet: VirtualNetwork, route: ComputedRoute, ip: IpAddress): readonly VirtualNetworkPeering[] {
  const refs = ctx.index.peerings.get(vnet.id) ?? [];
  if (route.origin === 'peering') {
    const own = refs.find((ref) => ref.peering.id === route.resourceId)?.peering;
    if (own) return [own];
  }
  const holding = refs.map((ref) => ref.peering).filter((peering) => vnetContains(peeredRanges(ctx, peering), ip));
  if (holding.length < 2) return holding;
  // A state the input does not give is not "not connected" (peeringReach says unknown for it).
  const live = holding.filter((p) => p.peeringState === 'Connected' || p.peeringState === 'Unknown');
  if (live.length === 0) return holding.slice(0, 1);
  if (live.length === 1) return live;
  const routeCidr = route.cidr;
  const exact = routeCidr === null ? [] : live.filter((p) => peeredRanges(ctx, p).some((text) => {
    const cidr = parseCidr(text);
    return cidr !== null && cidr.version === routeCidr.version && cidr.prefixLength === routeCidr.prefixLength && cidr.network === routeCidr.network;
  }));
  return exact.length === 1 ? exact : live;
}

/**
 * The address ranges a peering connects this VNet to. Subnet peering (`peerCompleteVnets: false`)
 * connects only the named remote subnets, whose ranges `remoteAddressSpace` lists, so two spokes
 * reusing one address space can both be subnet-peered without overlap: "Subnet peering helps you
 * have better conservation of IPv4 space, by letting you reuse address spaces across subnets that
 * need not be peered" [SUBPEER] https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
 * (without `remoteAddressSpace` in the input: the named subnets of the remote VNet when it is in the
 * input, else its whole space). A whole-VNet peering: what it carries and the remote VNet's space
 * in the input (a stale or unsynced peering still holds the address, and peeringReach says why).
 */
function peeredRanges(ctx: EngineContext, peering: VirtualNetworkPeering): readonly string[] {
  const remote = peering.remoteVirtualNetworkId ? ctx.index.virtualNetworks.get(peering.remoteVirtualNetworkId) : undefined;
  if (!peering.peerCompleteVnets) {
    if (peering.remoteAddressPrefixes.length > 0) return peering.remoteAddressPrefixes;
    const names = peering.remoteSubnetNames.map((n) => n.trim().toLowerCase());
    const subnets = remote ? remote.subnetIds.flatMap((id) => {
      const subnet = ctx.index.subnets.get(id);
      return subnet && names.includes(subnet.name.trim().toLowerCase()) ? subnet.addressPrefixes : [];
    }) : [];
    if (subnets.length > 0) return subnets;
  }
  return [...peering.remoteAddressPrefixes, ...(remote?.addressPrefixes ?? [])];
}

/**
 * Host-name suffixes of Azure services → the service endpoints that carry them [SE], derived from
 * the service zone table (shared/dns/zones.ts `serviceEndpoints`): every public name of a service
 * (Cosmos DB's API hosts, PostgreSQL / MySQL / MariaDB and Synapse under Microsoft.Sql) gets the
 * answer its other names get, never "the internet as a whole" because a second list missed it.
 */
const SERVICE_SUFFIXES = SERVICE_ENDPOINT_SUFFIXES;

/**
 * A service endpoint whose routes the model knows only in part (no service tag data; no tag known
 * for the service; or data that lacks the regional tag of one of its locations, see
 * UncertainServiceEndpoint) while the destination may be among the addresses it would carry. Its
 * routes beat every other route, "even by a route table" [SE][UDR], so the path is not known: an
 * undecided end naming the missing fact, never the path of the other routes. Null otherwise.
 */
function uncertainServiceEndpoint(ctx: EngineContext, trail: Trail, subnet: Subnet): Outcome | null {
  const endpoints = ctx.routes.uncertainServiceEndpoints(subnet);
  if (endpoints.length === 0) return null;
  const destination = ctx.traffic.destination;
  const address = destinationAddress(destination);
  const open = endpoints.filter((e) => {
    // IPv6: the range model holds no IPv6 endpoint prefixes; any public address may be the service's.
    if (address) return address.version === 4 ? e.scope.contains(address.value) : isPublicIp(address);
    return destination.kind === 'range' && destination.set.overlaps(e.scope);
  });
  if (open.length === 0) return null;
  const services = open.map((e) => e.service).join(', ');
  const plural = open.length > 1 ? 's' : '';
  const missingTags = open.flatMap((e) => e.missingTags);
  if (missingTags.length > 0) {
    const data = ctx.serviceTags ? `the service tag data (change number ${ctx.serviceTags.changeNumber})` : 'the service tag data';
    addGap(ctx, { code: 'not-modelled', scope: subnet.id,
      message: `Subnet ${subnet.name} has a service endpoint for ${services} in regions whose service tag ${missingTags.join(', ')} is not in ${data}: the endpoint's routes for ${missingTags.length > 1 ? 'those regions' : 'that region'} are not known, so paths to the service's other addresses are unknown.` });
  }
  for (const e of open) if (e.reason === 'not-succeeded' || e.reason === 'no-locations') endpointFactGap(ctx, subnet, e.service, e.reason === 'not-succeeded' ? e.state ?? '' : null);
  for (const e of open) if (e.pairedRegions !== undefined) pairedRegionGap(ctx, subnet, e.service, e.locations, e.pairedRegions);
  const why = open.map((e) => {
    const paired = e.pairedRegions === undefined ? '' : `; ${pairedRegionWords(subnet, e.locations, e.pairedRegions)}`;
    switch (e.reason) {
      case 'not-succeeded': return `${e.service}, whose provisioning state is ${e.state ?? ''} (not Succeeded): whether its routes are in effect is not documented`;
      case 'no-locations': return `${e.service}, whose locations are not in the input (which regions' prefixes its routes carry is not known)`;
      case 'no-tag-data': return `${e.service} (give the service tag data with --service-tags FILE)`;
      case 'unknown-service': return `${e.service} (no service tag is known to hold that service's prefixes)`;
      case 'missing-tags': return `${e.service} in ${e.locations.join(', ')}: the service tag data does not list ${e.missingTags.join(', ')}, whose prefixes that endpoint's routes carry${paired}`;
      case 'paired-region': return `${e.service} in ${e.locations.join(', ')}${paired}`;
    }
  }).join('; ');
  return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Service endpoint${plural} ${services}`, docs: DOCS.serviceEndpoints,
    missingFact: `whether ${ctx.flow.destination} is among the prefixes of subnet ${subnet.name}'s service endpoint${plural} for ${why}` });
}

/**
 * Words for a Storage endpoint whose locations leave out the VNet's paired region (see
 * UncertainServiceEndpoint.pairedRegions): [SE] "For Azure Storage, endpoints also extend to
 * include paired regions where you deploy the virtual network" (older text of the page; the current
 * one says nothing of a `locations` list that leaves the pair out), so the pair's prefixes may be
 * carried or not [PAIRS] https://learn.microsoft.com/azure/reliability/cross-region-replication-azure
 */
function pairedRegionWords(subnet: Subnet, locations: readonly string[], pairs: readonly string[] | null): string {
  const which = pairs === null
    ? 'the region of its virtual network, or that region\'s pair, is not known, so any other region\'s Storage prefixes may be its pair\'s'
    : `its virtual network's paired region ${pairs.join(', ')} is not among them`;
  return `for Azure Storage, endpoints "also extend to include paired regions where you deploy the virtual network", and whether that holds for a locations list (${locations.join(', ')}) that leaves the pair out is not documented: ${which} (subnet ${subnet.name})`;
}

/** A gap for a Storage endpoint whose paired region's prefixes may or may not be carried (pairedRegionWords). */
function pairedRegionGap(ctx: EngineContext, subnet: Subnet, service: string, locations: readonly string[], pairs: readonly string[] | null): void {
  addGap(ctx, { code: 'not-modelled', scope: `${subnet.id}/serviceEndpoints/${service.trim().toLowerCase()}/paired-region`,
    message: `Subnet ${subnet.name}'s service endpoint for ${service} lists ${locations.join(', ')}: ${pairedRegionWords(subnet, locations, pairs)}. Paths to ${pairs === null ? 'Storage addresses outside those regions' : `Storage addresses in ${pairs.join(', ')}`} are unknown; capture the effective routes of a NIC in the subnet (they list the endpoint's prefixes).` });
}

/** The services whose endpoint traffic service endpoint policies filter: Azure Storage [SEP]. */
const POLICY_SERVICES: readonly string[] = ['microsoft.storage', 'microsoft.storage.global'];
const SERVICE_ENDPOINT_POLICIES_DOC = 'https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview';

/**
 * Traffic over a Storage service endpoint of a subnet with service endpoint policies: "only the
 * resources specified in the policy can be accessed ... Access to all other storage accounts will
 * be denied" [SEP]. The policies' definitions (which accounts) are not in the model, so whether
 * this destination is allowed is not known: an undecided end naming the policy. Null when no
 * policy applies. `service` null: the endpoint route's service is not known (a captured route),
 * so a policy applies if the subnet has a Storage endpoint at all.
 */
function servicePolicyUnknown(ctx: EngineContext, trail: Trail, subnet: Subnet, known: string | null): Outcome | null {
  const policies = subnet.serviceEndpointPolicyIds ?? [];
  if (policies.length === 0) return null;
  const service = known ?? subnet.serviceEndpoints.find((e) => POLICY_SERVICES.includes(e.service.trim().toLowerCase()))?.service ?? null;
  if (service === null || !POLICY_SERVICES.includes(service.trim().toLowerCase())) return null;
  const names = policies.map((id) => nameOfId(id).name).join(', ');
  const plural = policies.length > 1 ? 'ies' : 'y';
  addGap(ctx, { code: 'not-modelled', scope: policies[0] ?? subnet.id,
    message: `Subnet ${subnet.name} has service endpoint polic${plural} ${names}: which storage accounts ${policies.length > 1 ? 'they allow' : 'it allows'} is not read, so traffic over its ${service} service endpoint is unknown.` });
  return trail.end({ kind: 'undecided', resourceId: policies[0] ?? subnet.id, rule: `Service endpoint polic${plural} ${names} on subnet ${subnet.name}`, docs: SERVICE_ENDPOINT_POLICIES_DOC,
    missingFact: `whether service endpoint polic${plural} ${names} of subnet ${subnet.name} allow${policies.length > 1 ? '' : 's'} ${ctx.flow.destination}: over the ${service} service endpoint only the storage accounts a policy lists can be reached, and the policy definitions are not in the input` });
}

/**
 * A SQL Managed Instance name: `{instance}.{dnsPrefix}.database.windows.net`, or its public endpoint
 * `{instance}.public.{dnsPrefix}.database.windows.net` (two labels or more before the suffix, where
 * a SQL Database server has one) [PEDNS]. A SQL Database failover group's read-only listener,
 * `{group}.secondary.database.windows.net`, has two labels too and is SQL Database.
 * https://learn.microsoft.com/azure/azure-sql/database/failover-group-sql-db
 */
function isManagedInstanceName(name: string): boolean {
  const suffix = '.database.windows.net';
  if (!name.endsWith(suffix)) return false;
  const labels = name.slice(0, -suffix.length).split('.');
  return labels.length >= 2 && !(labels.length === 2 && labels[1] === 'secondary');
}

/**
 * The Microsoft.Sql service endpoint is documented for Azure SQL Database and Azure Synapse
 * Analytics, not for SQL Managed Instance, whose public endpoint is an address of its own virtual
 * cluster [SE]: whether that address is among the prefixes the endpoint's routes carry is not
 * documented, so neither path (backbone or the subnet's internet route) can be claimed.
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 */
function managedInstanceBehindSqlEndpoint(trail: Trail, subnet: Subnet, name: string, service: string): Outcome {
  return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Service endpoint ${service} and SQL Managed Instance ${name}`, docs: DOCS.serviceEndpoints,
    missingFact: `whether the public endpoint address of SQL Managed Instance ${name} is among the prefixes that subnet ${subnet.name}'s ${service} service endpoint routes carry: service endpoints are documented for SQL Database, not for Managed Instance` });
}

/**
 * A host name of an Azure service whose address is not known (SERVICE_SUFFIXES), from a subnet
 * whose routes may take it over a service endpoint. Captured effective routes are Azure's word,
 * for a name as for its address: with a capture, the endpoint's routes count where it shows them
 * (capturedEndpoint), whether or not the exported subnet lists the endpoint (it may have been
 * exported before the endpoint was added); without one, the subnet's configured endpoint for the
 * name's service. A name that does not tell which endpoint, if any, carries it (`*.servicebus.windows.net`,
 * see serviceEndpointUnattributedOf) is unknown over either. Null: no endpoint is in question, the
 * name follows the subnet's routes as the internet does.
 */
function serviceEndpointByName(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, name: string): Outcome | null {
  const services = SERVICE_SUFFIXES.find(([suffix]) => name.endsWith(suffix))?.[1];
  if (!services) return null;
  const endpoint = subnet.serviceEndpoints.find((e) => services.includes(e.service.trim().toLowerCase())) ?? null;
  const captured = set.capturedFromNicId !== null ? capturedEndpoint(ctx, trail, subnet, set, name, services, endpoint) : null;
  if (captured?.kind === 'unknown') return captured.outcome;
  if (captured ? captured.kind === 'not-in-capture' : endpoint === null) return null;
  const service = endpoint?.service ?? (captured?.kind === 'in-capture' ? captured.tag : services.join(' / '));
  const unattributed = serviceEndpointUnattributedOf(name);
  if (unattributed !== null) {
    const over = captured ? `the captured VirtualNetworkServiceEndpoint routes of NIC ${nameOfId(set.capturedFromNicId ?? '').name} (${service}'s prefixes)` : `subnet ${subnet.name}'s service endpoint for ${service}`;
    return trail.end({ kind: 'undecided', resourceId: set.capturedFromNicId ?? subnet.id, rule: `Service endpoint ${service} and ${name}`, docs: DOCS.serviceEndpoints,
      missingFact: `${unattributed}: ${name} goes over ${over} only if its address is among the prefixes they carry, otherwise the subnet's other routes (give the address with --resolve ${name}=IP)` });
  }
  if (isManagedInstanceName(name)) return managedInstanceBehindSqlEndpoint(trail, subnet, name, service);
  if (captured?.kind === 'in-capture') {
    // Every prefix of the service's tag is in the capture: the account's address, whatever its
    // region, goes over the backbone (a policy on a Storage endpoint still decides which accounts).
    const route: RouteRef = { source: 'Default', origin: 'captured', name: `Captured service endpoint routes (${captured.tag})`, addressPrefix: captured.tag,
      nextHop: { kind: 'known', type: 'VirtualNetworkServiceEndpoint' }, nextHopIpAddress: null, resourceId: set.capturedFromNicId ?? subnet.id };
    return servicePolicyUnknown(ctx, trail, subnet, endpoint?.service ?? (captured.tag === 'Storage' ? 'Microsoft.Storage' : captured.tag))
      ?? trail.end({ kind: 'delivered-to-service-endpoint', service, route }, { exit: 'service-endpoint', egressIps: [], snatPorts: null });
  }
  return endpoint ? viaServiceEndpointByName(ctx, trail, subnet, name, endpoint) : null;
}

/**
 * A gap for a service endpoint whose routes the configuration does not decide: its provisioning
 * state (`state`) is not Succeeded, or (`state` null) the input does not give its locations. Scoped
 * to the endpoint (the subnet's ID and its service), so it never hides another gap of the subnet.
 */
function endpointFactGap(ctx: EngineContext, subnet: Subnet, service: string, state: string | null): void {
  addGap(ctx, { code: 'not-modelled', scope: `${subnet.id}/serviceEndpoints/${service.trim().toLowerCase()}`,
    message: state !== null
      ? `Subnet ${subnet.name}'s service endpoint for ${service} is in provisioning state ${state}: whether its routes are in effect is not documented, so paths to that service are unknown. Capture the effective routes of a NIC in the subnet (a route with next hop VirtualNetworkServiceEndpoint shows it in effect), or export the subnet again once the endpoint is Succeeded.`
      : `Subnet ${subnet.name}'s service endpoint for ${service} has no locations in the input: which regions' ${service} addresses its routes carry is not known, so paths to that service are unknown. Export the subnet with az network vnet subnet show (it prints the locations), or capture the effective routes of a NIC in it.` });
}

/** Whether a subnet's captured effective routes show a service endpoint's routes (see capturedEndpoint). */
type CapturedEndpoint =
  /** Every prefix of the service's tag `tag` is in the capture's VirtualNetworkServiceEndpoint routes. */
  | { readonly kind: 'in-capture'; readonly tag: string }
  | { readonly kind: 'not-in-capture' }
  | { readonly kind: 'unknown'; readonly outcome: Outcome };

/**
 * A name of a service whose address is not known, under captured effective routes: those routes
 * are Azure's word, so an endpoint counts only when they hold its routes, and counts when they do
 * even if the exported subnet lists none. An endpoint in effect shows as routes with next hop
 * VirtualNetworkServiceEndpoint [SE] ("Viewing the effective routes on any network interface in a
 * subnet"); none in the capture: no endpoint, the name follows the captured routes as its address
 * does. The capture names prefixes, not services: the tags of the name's services (`services`,
 * SERVICE_ENDPOINT_TAGS) tell whether they are its service's; without them it is unknown.
 * `endpoint`: the subnet's configured endpoint for the name's service, if any (for the words).
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 */
function capturedEndpoint(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, name: string, services: readonly string[],
  endpoint: Subnet['serviceEndpoints'][number] | null): CapturedEndpoint {
  const routes = set.routes.filter((r) => r.active && r.cidr !== null && r.nextHop.kind === 'known' && r.nextHop.type === 'VirtualNetworkServiceEndpoint');
  if (routes.length === 0) return { kind: 'not-in-capture' };
  const tagNames = [...new Set(services.flatMap((s) => SERVICE_ENDPOINT_TAGS[s] ?? []))];
  const tagged = tagNames.map((tag) => ({ tag, prefixes: ctx.serviceTags ? ctx.serviceTags.prefixes(tag) : null }));
  const nic = nameOfId(set.capturedFromNicId ?? '').name;
  const what = endpoint ? `subnet ${subnet.name}'s ${endpoint.service} endpoint` : `a ${services.join(' or ')} endpoint (the exported subnet lists none)`;
  if (tagged.length > 0 && tagged.every((t) => t.prefixes !== null)) {
    const carried = routes.reduce((all, r) => (r.cidr !== null && r.cidr.version === 4 ? all.union(Ipv4Set.fromCidr(r.cidr)) : all), Ipv4Set.empty());
    const overlapping = tagged.filter((t) => t.prefixes !== null && carried.overlaps(t.prefixes));
    const first = overlapping[0];
    if (!first) return { kind: 'not-in-capture' };
    // One service's tag, all of it: over the endpoint. Two services' (a name either may own) are
    // left to the caller (serviceEndpointByName: the name does not tell which).
    if (overlapping.length === 1 && first.prefixes !== null && carried.containsSet(first.prefixes)) return { kind: 'in-capture', tag: first.tag };
    if (overlapping.length > 1 && serviceEndpointUnattributedOf(name) !== null) return { kind: 'in-capture', tag: overlapping.map((t) => t.tag).join(' / ') };
    // Some of the service's prefixes (some regions): which the name's address is in, the name does not tell.
    return { kind: 'unknown', outcome: trail.end({ kind: 'undecided', resourceId: set.capturedFromNicId ?? subnet.id, rule: `Captured service endpoint routes of NIC ${nic}`, docs: DOCS.serviceEndpoints,
      missingFact: `the region of ${name}: the captured VirtualNetworkServiceEndpoint routes of NIC ${nic} carry only part of ${overlapping.map((t) => t.tag).join(' and ')}'s prefixes; inside them the traffic goes over the backbone, elsewhere by the other captured routes (give the address with --resolve ${name}=IP)` }) };
  }
  const missing = tagged.filter((t) => t.prefixes === null).map((t) => t.tag);
  const why = tagged.length === 0 ? `no service tag is known to hold the prefixes of ${services.join(' or ')}`
    : ctx.serviceTags ? `the service tag data (change number ${ctx.serviceTags.changeNumber}) does not list ${missing.join(', ')}` : 'no service tag data was given (--service-tags FILE)';
  return { kind: 'unknown', outcome: trail.end({ kind: 'undecided', resourceId: set.capturedFromNicId ?? subnet.id, rule: `Captured service endpoint routes of NIC ${nic}`, docs: DOCS.serviceEndpoints,
    missingFact: `whether the captured VirtualNetworkServiceEndpoint routes of NIC ${nic} are those of ${what}, so whether ${name} goes over it: the capture names prefixes, not services, and ${why} (or give the address with --resolve ${name}=IP)` }) };
}

/**
 * A name of an Azure service whose public address is not known, from a subnet with a service
 * endpoint for that service: the endpoint's routes carry the service's prefixes in its locations,
 * so with `*` the traffic goes over the backbone [SE]; for named regions it does only if the
 * resource is in one of them, which the name does not tell. An endpoint whose state is not
 * Succeeded, or whose locations the input lacks, decides nothing (endpointInEffect,
 * endpointLocationsKnown): unknown with a gap. Under captured routes serviceEndpointByName
 * decides from the capture instead.
 */
function viaServiceEndpointByName(ctx: EngineContext, trail: Trail, subnet: Subnet, name: string, endpoint: Subnet['serviceEndpoints'][number]): Outcome {
  const route: RouteRef = { source: 'Default', origin: 'service-endpoint', name: `Service endpoint ${endpoint.service}`, addressPrefix: endpoint.service,
    nextHop: { kind: 'known', type: 'VirtualNetworkServiceEndpoint' }, nextHopIpAddress: null, resourceId: subnet.id };
  if (!endpointInEffect(endpoint)) {
    const state = endpoint.provisioningState ?? '';
    endpointFactGap(ctx, subnet, endpoint.service, state);
    return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Service endpoint ${endpoint.service} (provisioning state ${state})`, docs: DOCS.serviceEndpoints,
      missingFact: `whether subnet ${subnet.name}'s service endpoint for ${endpoint.service} is in effect: its provisioning state is ${state}, not Succeeded, and what the subnet's routes hold then is not documented; in effect, ${name} goes over the backbone, otherwise by the subnet's other routes` });
  }
  if (!endpointLocationsKnown(endpoint)) {
    endpointFactGap(ctx, subnet, endpoint.service, null);
    return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Service endpoint ${endpoint.service} (locations not in the input)`, docs: DOCS.serviceEndpoints,
      missingFact: `the locations of subnet ${subnet.name}'s service endpoint for ${endpoint.service}, which are not in the input, and the region of ${name}: inside the endpoint's regions the traffic goes over the backbone, elsewhere the public way` });
  }
  if (endpoint.locations.some((l) => l.trim() === '*')) {
    return servicePolicyUnknown(ctx, trail, subnet, endpoint.service)
      ?? trail.end({ kind: 'delivered-to-service-endpoint', service: endpoint.service, route }, { exit: 'service-endpoint', egressIps: [], snatPorts: null });
  }
  return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Service endpoint ${endpoint.service} (${endpoint.locations.join(', ')})`, docs: DOCS.serviceEndpoints,
    missingFact: `the region of ${name}: subnet ${subnet.name}'s service endpoint for ${endpoint.service} covers ${endpoint.locations.join(', ')} only; inside those regions the traffic goes over the backbone, elsewhere the public way` });
}

/**
 * A private endpoint's /32 route won: the traffic reaches the service over Private Link. A 0/0 UDR
 * does not override that route, so where the subnet's internet traffic goes through a firewall or
 * NVA, traffic to the endpoint goes around it unless network policies are enabled on the
 * endpoint's subnet and a UDR covers it [PENP]. With NSG network policies on the endpoint's
 * subnet, that subnet's NSG filters the traffic on its way in (see endpointSubnetNsg).
 * https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 */
function toPrivateEndpoint(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, route: ComputedRoute): Outcome {
  const address = destinationAddress(ctx.traffic.destination);
  const peId = route.resourceId ?? '';
  const endpoint = ctx.index.privateEndpoints.get(peId as ResourceId);
  const match = address ? privateEndpointForAddress(ctx.index, formatIp(address)) : null;
  const pe = endpoint ? named(endpoint) : nameOfId(peId);
  // A captured route names the NIC, not the endpoint: then the endpoint holding the address in the
  // subnet's VNet or a peered one (private IPs repeat across VNets).
  const served = endpoint ?? (address ? privateEndpointForAddress(ctx.index, formatIp(address), subnet.virtualNetworkId)?.privateEndpoint : undefined) ?? null;
  const across = served ? endpointPeering(ctx, subnet, served, address ?? parseIp(route.addressPrefix.slice(0, route.addressPrefix.indexOf('/')))) : null;
  if (across?.reach.kind === 'not-carried') return trail.end({ kind: 'next-hop-not-carried', route: routeRef(route), peering: named(across.peering), reason: across.reach.reason });
  if (across?.reach.kind === 'unknown') return trail.end({ kind: 'undecided', resourceId: across.peering.id, rule: `Peering ${across.peering.name}`, missingFact: across.reach.reason, docs: DOCS.peering });
  const forwarded = across ? forwardedIntoPeeredVnet(ctx, trail, subnet, sender, across.peering, route, `private endpoint ${pe.name}`) : null;
  if (forwarded) return forwarded;
  const filtered = endpointSubnetNsg(ctx, trail, subnet, sender, served, pe, address ?? parseIp(route.addressPrefix.slice(0, route.addressPrefix.indexOf('/'))));
  if (filtered.kind === 'end') return filtered.outcome;
  trail.passVia({ kind: 'private-endpoint', id: pe.id });
  const notApproved = served ? unapprovedConnection(trail, subnet, served, address ? formatIp(address) : route.addressPrefix) : null;
  if (notApproved) return notApproved;
  const internet = lookupRoute(ctx.routes.routesFor(subnet).routes, { kind: 'default-route' }).winner;
  if (internet?.nextHop.kind === 'known' && internet.nextHop.type === 'VirtualAppliance') {
    trail.finding('private-endpoint-bypasses-firewall', 'warning',
      `Subnet ${subnet.name} sends internet traffic to ${internet.nextHopIpAddress ?? 'an appliance'}, but traffic to private endpoint ${pe.name} follows the endpoint's /32 route around it: a 0.0.0.0/0 UDR does not override private endpoint routes.`,
      'If private endpoint traffic must be inspected, enable network policies (route tables) on the endpoint\'s subnet and add a UDR for the endpoint prefix (at least as specific as the VNet range) to the firewall.',
      [subnet.id, pe.id], DOCS.privateEndpointNetworkPolicies);
  }
  return trail.end({
    kind: 'delivered-to-private-endpoint', privateEndpoint: pe, address: address ? formatIp(address) : route.addressPrefix,
    target: match?.target ?? null, groupIds: match?.groupIds ?? [],
    ...(filtered.policies ? { networkPolicies: filtered.policies } : {}),
  }, { exit: 'private-endpoint', egressIps: [], snatPorts: null });
}

/** `privateEndpointNetworkPolicies` values under which the subnet's NSG applies to its private endpoints [PENP]. */
const NSG_POLICY_VALUES: readonly string[] = ['enabled', 'networksecuritygroupenabled'];
/** Values under which it does not: `Disabled` (Azure's default) and `RouteTableEnabled` (route tables only) [PENP]. */
const NO_NSG_POLICY_VALUES: readonly string[] = ['disabled', 'routetableenabled'];

type EndpointNsgCheck =
  | { readonly kind: 'end'; readonly outcome: Outcome }
  | { readonly kind: 'pass'; readonly policies: EndpointNetworkPolicies | null };

/**
 * The private endpoint subnet's NSG, on traffic to the endpoint. "To use network policies like
 * user-defined routes and network security group support, network policy support must be enabled
 * for the subnet. This setting only applies to private endpoints in the subnet"; it can be enabled
 * "for network security groups only, for user-defined routes only, or for both" [PENP]
 * https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 * So with `Enabled` or `NetworkSecurityGroupEnabled` the subnet NSG's inbound rules decide whether
 * the traffic gets in (a deny: denied); with `Disabled` (the default) or `RouteTableEnabled` they
 * do not apply at all. A value the input does not give is decisive only when the NSG would stop the
 * traffic: then the verdict is unknown, naming it. Route-table policies change the routes towards
 * the endpoint (routing/private-endpoint-routes.ts), never this check: a route table on the
 * endpoint's subnet steers traffic leaving that subnet, not traffic arriving at the endpoint [UDR].
 */
function endpointSubnetNsg(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, served: PrivateEndpoint | null, pe: Named, address: IpAddress | null): EndpointNsgCheck {
  const end = (outcome: Outcome): EndpointNsgCheck => ({ kind: 'end', outcome });
  const located = endpointSubnetOf(ctx, subnet, served, address);
  if (located.kind === 'missing') {
    return end(missingReference(ctx, trail, located.subnetId, `subnet ${nameOfId(located.subnetId).name} of private endpoint ${pe.name}`,
      'whether its network security group filters traffic to the endpoint (private endpoint network policies)'));
  }
  if (located.kind === 'unknown') {
    addGap(ctx, { code: 'not-modelled', scope: pe.id, message: `Private endpoint ${pe.name}: the subnet it is in is not in the input, so whether that subnet's NSG filters traffic to it (private endpoint network policies) is unknown.` });
    return end(trail.end({ kind: 'undecided', resourceId: pe.id, rule: `Private endpoint ${pe.name}: subnet not in the input`, docs: DOCS.privateEndpointNetworkPolicies,
      missingFact: `the subnet of private endpoint ${pe.name}${address ? ` (${formatIp(address)})` : ''}: its privateEndpointNetworkPolicies and NSG decide whether NSG rules filter traffic to the endpoint` }));
  }
  const endpointSubnet = located.subnet;
  const value = endpointSubnet.privateEndpointNetworkPolicies;
  const policy = value === null ? null : value.trim().toLowerCase();
  const nsgId = endpointSubnet.networkSecurityGroupId;
  const policies = (nsgEffect: EndpointNetworkPolicies['nsgEffect']): EndpointNsgCheck => ({ kind: 'pass', policies: {
    subnet: named(endpointSubnet), value, nsg: nsgId ? nameOfId(nsgId) : null, nsgEffect,
  } });
  if (!nsgId) return policies('no-nsg');
  if (policy !== null && NO_NSG_POLICY_VALUES.includes(policy)) return policies('not-applied');
  const applies = policy !== null && NSG_POLICY_VALUES.includes(policy);
  const vnetId = endpointSubnet.virtualNetworkId;
  const nsg = ctx.index.networkSecurityGroups.get(nsgId);
  if (!nsg) {
    // Its rules may apply (or, with the policy value missing, may or may not): unknown, with a gap naming it.
    addGap(ctx, { code: 'missing-reference', scope: nsgId, message: `Network security group ${nameOfId(nsgId).name} of subnet ${endpointSubnet.name} is referenced but not in the input: its rules decide whether traffic reaches private endpoint ${pe.name}.` });
    return end(trail.end({ kind: 'missing-resource', resourceId: nsgId, what: `network security group ${nameOfId(nsgId).name} (subnet ${endpointSubnet.name} of private endpoint ${pe.name})`,
      consequence: 'whether its rules let the traffic through to the endpoint' }));
  }
  const source = endpointSource(ctx, trail, sender, nsg, vnetId, pe);
  if (source.kind === 'undecided') return end(trail.end(source.reason));
  if (applies) {
    const stopped = endIf(trail, nsgCheck(ctx, trail, nsgId, 'subnet', 'Inbound', source.source, vnetId, pe));
    return stopped ? end(stopped) : policies('applied');
  }
  // The policy value is not in the input (or is one this tool does not know): decisive only if the NSG would stop the traffic.
  const { verdict } = nsgVerdict(ctx, nsg, 'subnet', 'Inbound', source.source, vnetId, pe);
  if (!sourceInsensitive(nsg, 'Inbound')) trail.sourceConsulted = true;
  if (verdict.access === 'Allow') return policies('allows-either-way');
  const shown = value === null ? 'is not in the input' : `is "${value}", a value this tool does not know`;
  addGap(ctx, { code: 'not-modelled', scope: endpointSubnet.id,
    message: `Subnet ${endpointSubnet.name}: privateEndpointNetworkPolicies ${shown}, so whether NSG ${nsg.name} filters traffic to its private endpoints is unknown.` });
  return end(trail.end({ kind: 'undecided', resourceId: endpointSubnet.id, rule: `Private endpoint network policies of subnet ${endpointSubnet.name}`, docs: DOCS.privateEndpointNetworkPolicies,
    missingFact: `whether network policies for NSGs are enabled on subnet ${endpointSubnet.name} (privateEndpointNetworkPolicies ${shown}): if they are, NSG ${nsg.name} ${verdict.access === 'Deny' ? 'denies' : 'may not allow'} traffic to private endpoint ${pe.name} (${stop(verdict.reason)}); if not, its rules do not apply to the endpoint` }));
}

function stop(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

type EndpointSubnet =
  | { readonly kind: 'found'; readonly subnet: Subnet }
  /** The endpoint names a subnet the input lacks. */
  | { readonly kind: 'missing'; readonly subnetId: ResourceId }
  /** The endpoint itself is not in the input (a captured route), and no subnet in reach holds its address. */
  | { readonly kind: 'unknown' };

/**
 * The private endpoint's subnet. A captured route may name an endpoint the snapshot lacks: then the
 * subnet holding its address in the forwarding subnet's VNet or a VNet peered with it (an
 * endpoint's address comes from its subnet [PE]).
 */
function endpointSubnetOf(ctx: EngineContext, subnet: Subnet, served: PrivateEndpoint | null, address: IpAddress | null): EndpointSubnet {
  if (served) {
    if (!served.subnetId) return { kind: 'unknown' };
    const found = ctx.index.subnets.get(served.subnetId);
    return found ? { kind: 'found', subnet: found } : { kind: 'missing', subnetId: served.subnetId };
  }
  if (!address) return { kind: 'unknown' };
  const vnets = [subnet.virtualNetworkId, ...(ctx.index.peerings.get(subnet.virtualNetworkId) ?? []).flatMap((ref) => (ref.peering.remoteVirtualNetworkId ? [ref.peering.remoteVirtualNetworkId] : []))];
  for (const vnetId of vnets) {
    const vnet = ctx.index.virtualNetworks.get(vnetId);
    for (const id of vnet?.subnetIds ?? []) {
      const candidate = ctx.index.subnets.get(id);
      if (candidate && vnetContains(candidate.addressPrefixes, address)) return { kind: 'found', subnet: candidate };
    }
  }
  return { kind: 'unknown' };
}

/**
 * The source address the endpoint subnet's NSG sees. Straight from the sender: the trail's source.
 * Through Azure Firewall, its SNAT decides [FWSNAT] https://learn.microsoft.com/azure/firewall/snat-private-range:
 * "Application rules are always SNATed using a transparent proxy whatever the destination IP
 * address"; network-rule traffic is not SNATed when the destination is in the firewall's SNAT
 * private ranges (by default "a private IP address range per IANA RFC 1918 or shared address space
 * per IANA RFC 6598", which holds every endpoint address in such a range), and otherwise is SNATed
 * "to one of the firewall's private IP addresses in AzureFirewallSubnet". So the NSG sees the
 * original sender (no SNAT) or an address of AzureFirewallSubnet (SNAT), read from the rule that
 * allowed the flow and the firewall's (or its policy's) SNAT settings: recordFirewallSnat puts that
 * on the trail (Trail.snatSource, or a candidate in Trail.nvaSources), as every rule further on
 * reads it. Where those do not decide (auto-learned ranges, settings not in the input, a flow
 * allowed partly by each kind of rule), and through an NVA (whose SNAT is its own configuration, not in the input, to any of its
 * VM's private addresses): when the NSG answers the same for the original source and every address
 * of every NVA passed (Trail.nvaSources; through a firewall that does not SNAT too, since it passes
 * on the source it got), that answer holds; otherwise which source it sees decides, and it is
 * named as unknown.
 */
function endpointSource(ctx: EngineContext, trail: Trail, sender: Sender, nsg: NetworkSecurityGroup, vnetId: string, pe: Named):
  { readonly kind: 'source'; readonly source: SourceAddress } | { readonly kind: 'undecided'; readonly reason: TerminalReason } {
  // The packet's source as it arrives: the original, or an Azure Firewall's SNAT address (Trail.snatSource, recorded by recordFirewallSnat).
  const kept = originalCandidate(trail);
  const original = { kind: 'source' as const, source: kept.source };
  if (trail.depth === 0 || sourceInsensitive(nsg, 'Inbound')) return original;
  if (sender.kind !== 'firewall' && sender.kind !== 'nic') return original;
  trail.sourceConsulted = true;
  // Every address of every NVA passed (the sending NVA among them, see Trail.nvaSources): each NVA
  // may keep the source it got or SNAT to any of its own addresses, as before a firewall; and an
  // Azure Firewall's address where its SNAT settings do not decide (recordFirewallSnat).
  const before = nsgVerdict(ctx, nsg, 'subnet', 'Inbound', kept.source, vnetId, pe).verdict;
  for (const candidate of trail.nvaSources) {
    const after = nsgVerdict(ctx, nsg, 'subnet', 'Inbound', candidate.source, vnetId, pe).verdict;
    // The same answer either way (an Unknown one is then reported with its own missing fact by nsgCheck).
    if (before.access === after.access) continue;
    const fact = candidate.snatFact ? ` (${stop(candidate.snatFact)})` : '';
    const address = candidate.snatFact ? `the firewall's own address, ${candidate.label}` : `its own address ${candidate.label}`;
    const from = trail.snatSource ? kept.label : 'the original source';
    return { kind: 'undecided', reason: { kind: 'undecided', resourceId: nsg.id, rule: `NSG ${nsg.name} (inbound) of private endpoint ${pe.name}'s subnet`,
      docs: candidate.snatFact ? DOCS.firewallSnatPrivateRanges : DOCS.nsg,
      missingFact: `whether ${candidate.who} SNATs traffic to private endpoint ${pe.name}${fact}: with ${from}, ${stop(before.reason)}; with ${address}, ${stop(after.reason)}` } };
  }
  return original;
}

/** A subnet's IPv4 prefixes as a source (an appliance SNATing from one of its addresses in it). */
function subnetSource(subnet: Subnet): SourceAddress {
  const cidrs = subnet.addressPrefixes.map(parseCidr).filter((c): c is Cidr => c !== null && c.version === 4);
  return { cidrs };
}

/**
 * The peering a private endpoint in a peered VNet is reached over, and whether it carries the
 * traffic: the endpoint's /32 route reaches the peered VNet, but allowVirtualNetworkAccess, subnet
 * peering and the peering state apply to the endpoint's address as to a VM's [PEER][SUBPEER] (see
 * peeringReach). Null for an endpoint in the subnet's own VNet (or no peering to its VNet known).
 */
function endpointPeering(ctx: EngineContext, subnet: Subnet, endpoint: PrivateEndpoint, address: IpAddress | null): { readonly peering: VirtualNetworkPeering; readonly reach: ReturnType<typeof peeringReach> } | null {
  const endpointVnetId = privateEndpointVirtualNetworkId(ctx.index, endpoint);
  if (address === null || endpointVnetId === null || endpointVnetId === subnet.virtualNetworkId) return null;
  const peering = (ctx.index.peerings.get(subnet.virtualNetworkId) ?? []).find((ref) => ref.peering.remoteVirtualNetworkId === endpointVnetId)?.peering;
  return peering ? { peering, reach: peeringReach(ctx.index, peering, subnet, address) } : null;
}

/**
 * Traffic an appliance (Azure Firewall, an NVA) forwards across `peering` into the remote VNet. The
 * remote VNet's own peering back decides whether it flows: "Traffic forwarded from remote virtual
 * network: Select Allow (default) if you want traffic forwarded by a network virtual appliance in
 * the remote virtual network (that didn't originate from the remote virtual network) to flow to
 * this virtual network through a peering ... If this setting isn't selected for the peering between
 * each spoke virtual network and the hub virtual network, traffic doesn't flow between the spoke
 * virtual networks because the hub isn't forwarding the traffic" [PEER]
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#create-a-peering
 * So with allowForwardedTraffic off on the remote side:
 *  - a flow whose source is in the forwarding VNet itself did originate there: it flows;
 *  - a flow the appliance forwards keeping another VNet's (or on-premises) source doesn't flow:
 *    dropped, naming the setting (Azure Firewall network-rule traffic to its SNAT private ranges);
 *  - a flow the appliance SNATs to its own address in the forwarding VNet: whether that counts as
 *    originating there is not documented, and whether an NVA SNATs is not in the input: unknown.
 * The peering back not in the input (the remote VNet outside the snapshot) or its copies
 * disagreeing: the setting is not known, so neither is the answer. Null when the walk goes on.
 */
function forwardedIntoPeeredVnet(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, peering: VirtualNetworkPeering, route: ComputedRoute, what: string): Outcome | null {
  if (trail.depth === 0 || (sender.kind !== 'firewall' && sender.kind !== 'nic')) return null;
  const localVnetId = subnet.virtualNetworkId;
  const remoteId = peering.remoteVirtualNetworkId;
  const remoteName = remoteId ? nameOfId(remoteId).name : peering.name;
  const localName = nameOfId(localVnetId).name;
  const appliance = sender.kind === 'firewall' ? `Azure Firewall ${sender.firewall.name}` : `NVA ${sender.nic.name}`;
  const backs = remoteId ? (ctx.index.peerings.get(remoteId) ?? []).filter((ref) => ref.peering.remoteVirtualNetworkId === localVnetId).map((ref) => ref.peering) : [];
  // Allowed: the same for every source (the walk after the appliance stays shared between sources).
  if (backs.length > 0 && backs.every((b) => b.allowForwardedTraffic)) return null;
  const local = ctx.index.virtualNetworks.get(localVnetId);
  // The source the appliance received: the original, or an earlier Azure Firewall's SNAT address
  // (this firewall's own SNAT is weighed below, not taken as originating here) [FWSNAT].
  const arriving = sender.kind === 'firewall' && trail.snatSource?.nic.id === sender.firewall.id ? trail.snatSource.arriving : packetSource(trail);
  const arrivingText = arriving.cidrs.map(formatCidr).join(', ');
  // Originated in the forwarding VNet (every source address in its space): not "forwarded" traffic.
  trail.sourceConsulted = true;
  if (local && arriving.cidrs.length > 0 && arriving.cidrs.every((c) => local.addressPrefixes.some((p) => {
    const prefix = parseCidr(p);
    return prefix !== null && cidrContainsCidr(prefix, c);
  }))) return null;
  const back = backs[0];
  if (!back || backs.some((b) => b.allowForwardedTraffic)) {
    return trail.end({ kind: 'undecided', resourceId: back?.id ?? remoteId ?? peering.id, rule: `Peering back from ${remoteName} to ${localName}: allowForwardedTraffic`, docs: DOCS.peering,
      missingFact: back
        ? `whether peering ${back.name} of ${remoteName} allows forwarded traffic: the input holds copies of it that disagree on allowForwardedTraffic, and traffic ${appliance} forwards to ${what} flows into ${remoteName} only if it does`
        : `allowForwardedTraffic of ${remoteName}'s peering back to ${localName} (not in the input): traffic ${appliance} forwards to ${what} flows into ${remoteName} only if that peering allows forwarded traffic` });
  }
  let snat: 'no' | 'yes' | 'unknown' = 'unknown';
  let snatFact = `whether ${appliance} SNATs it to its own address is its own configuration, not in the input`;
  if (sender.kind === 'firewall') {
    const found = firewallSnat(ctx.index, sender.firewall, firewallDecision(ctx, sender.firewall, arriving).decision, ctx.traffic.destination);
    snat = found.kind === 'no-snat' ? 'no' : found.kind === 'snat' ? 'yes' : 'unknown';
    snatFact = found.kind === 'snat' ? `${appliance} SNATs it to its own address in ${localName} (application rules always SNAT; network rules outside the SNAT private ranges too)`
      : found.kind === 'unknown' ? `whether ${appliance} SNATs it is not known (${stop(found.reason)})`
      : `${appliance} SNATs part of it (the flow is allowed by both application and network rules)`;
  }
  if (snat === 'no') {
    trail.finding('allow-forwarded-traffic-missing', 'error',
      `Peering ${back.name} from ${remoteName} to ${localName} does not allow forwarded traffic: traffic ${appliance} forwards to ${what} (not originating in ${localName}, and not SNATed) does not flow into ${remoteName}.`,
      `Enable "Allow forwarded traffic" (allowForwardedTraffic) on peering ${back.name}.`, [back.id, ...(route.resourceId ? [route.resourceId] : [])], DOCS.peering);
    return trail.end({ kind: 'next-hop-not-carried', route: routeRef(route), peering: named(back),
      reason: `peering ${back.name} from ${remoteName} to ${localName} has allowForwardedTraffic off, so traffic forwarded by ${appliance} that did not originate in ${localName} (its source stays the one it arrived with: ${arrivingText || 'not known'}) doesn't flow into ${remoteName}` });
  }
  return trail.end({ kind: 'undecided', resourceId: back.id, rule: `Peering ${back.name} (${remoteName} → ${localName}): allowForwardedTraffic off`, docs: DOCS.peering,
    missingFact: `whether traffic ${appliance} forwards to ${what} flows into ${remoteName}: peering ${back.name} does not allow forwarded traffic, so traffic from ${arrivingText || 'the source'} forwarded unchanged would not flow; ${snatFact}, and whether SNATed traffic counts as originating in ${localName} is not documented` });
}

/**
 * Only an Approved connection carries traffic to the service: a manual request stays Pending until
 * the resource owner approves it ("The service provider has to manually approve the request before
 * connections can be established"), and Rejected or Disconnected connections carry none [PEMANAGE]
 * https://learn.microsoft.com/azure/private-link/manage-private-endpoint
 * The service is then not reached; what Azure does with the packets is not documented, so the
 * verdict is unknown with the connection state as the reason. Null when a connection is Approved.
 */
function unapprovedConnection(trail: Trail, subnet: Subnet, endpoint: PrivateEndpoint, address: string): Outcome | null {
  if (endpoint.connections.some((c) => c.status === 'Approved')) return null;
  const docs = 'https://learn.microsoft.com/azure/private-link/manage-private-endpoint';
  const connection = endpoint.connections.find((c) => c.status !== 'Unknown');
  if (!connection) {
    return trail.end({ kind: 'undecided', resourceId: endpoint.id, rule: `Private endpoint ${endpoint.name}: connection state not reported`, docs,
      missingFact: `the state of private endpoint ${endpoint.name}'s connection (only an Approved connection carries traffic to the service)` });
  }
  const target = connection.privateLinkServiceId ? nameOfId(connection.privateLinkServiceId).name : 'its target';
  trail.finding('next-hop-unreachable', 'error',
    `Subnet ${subnet.name}: private endpoint ${endpoint.name} (${address}) has its connection to ${target} ${connection.status}; only an Approved connection carries traffic, so traffic to ${address} does not reach the service.`,
    connection.status === 'Pending' ? `Have the owner of ${target} approve connection ${connection.name}.` : `Request the connection again and have it approved, or remove the endpoint and its DNS records.`,
    [subnet.id, endpoint.id], docs);
  return trail.end({ kind: 'undecided', resourceId: endpoint.id, rule: `Private endpoint ${endpoint.name}: connection ${connection.status}`, docs,
    missingFact: `what becomes of traffic to ${address}: connection ${connection.name} of private endpoint ${endpoint.name} is ${connection.status}${connection.status === 'Pending' ? ' (awaiting approval by the owner of the target)' : ''}, and only an Approved connection carries traffic, so it does not reach ${target}; Azure does not document what happens to the packets` });
}

/** A resource the path depends on is referenced but not in the input: unknown, with a gap naming it. */
/** A gateway the VNet's GatewaySubnet lists an IP configuration of, but the input does not hold; null when none. */
function unexportedGateway(index: ModelIndex, vnet: VirtualNetwork): ResourceId | null {
  for (const subnetId of vnet.subnetIds) {
    for (const gatewayId of index.subnets.get(subnetId)?.attachedGatewayIds ?? []) {
      if (!index.virtualNetworkGateways.has(gatewayId)) return gatewayId;
    }
  }
  return null;
}

function missingReference(ctx: EngineContext, trail: Trail, resourceId: string, what: string, consequence: string, verify?: string): Outcome {
  addGap(ctx, { code: 'missing-reference', scope: resourceId, message: `${what.charAt(0).toUpperCase()}${what.slice(1)} is referenced but not in the input, so ${consequence} is unknown.` });
  return trail.end({ kind: 'missing-resource', resourceId, what, consequence, ...(verify === undefined ? {} : { verify }) });
}

function unknownNextHop(trail: Trail, subnet: Subnet, route: ComputedRoute): Outcome {
  trail.finding('unknown-next-hop', 'warning', `Subnet ${subnet.name}: the winning route has next hop type "${nextHopLabel(route.nextHop)}", which Egress Atlas does not model.`,
    'Check the effective routes of a NIC in this subnet.', [subnet.id], DOCS.udr);
  return trail.end({ kind: 'next-hop-not-modelled', route: routeRef(route) });
}

function natBypassed(trail: Trail, subnet: Subnet, route: ComputedRoute): void {
  trail.finding('nat-gateway-bypassed', 'warning',
    `Subnet ${subnet.name} has a NAT gateway, but internet traffic follows "${describeRoute(route)}", which takes precedence: the NAT gateway is not used for it.`,
    'Remove the unused NAT gateway, or route internet traffic to Internet if the NAT gateway should be the exit.',
    [subnet.id, ...(subnet.natGatewayId ? [subnet.natGatewayId] : []), ...(route.resourceId ? [route.resourceId] : [])], DOCS.natGateway);
}

function exitOf(method: Exclude<OutboundMethod, { kind: 'none' | 'undecided' }>): InternetExit {
  switch (method.kind) {
    case 'nat-gateway': return 'nat-gateway';
    case 'instance-public-ip': case 'firewall-public-ip': case 'platform-public-ip': return 'public-ip';
    case 'lb-outbound-rule': case 'lb-rule-snat': case 'lb-basic': return 'load-balancer';
    case 'default-outbound': return 'default-outbound';
  }
}

/** 64512 → "64,512". Not toLocaleString: it builds an Intl formatter per call, far too slow at estate scale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The model object an exit belongs to: equal keys mean the same exit steps and egress for every source. */
function exitKey(method: OutboundMethod): unknown {
  switch (method.kind) {
    case 'nat-gateway': return method.natGateway ?? method.natGatewayId;
    case 'instance-public-ip': return method.publicIpAddressId;
    case 'firewall-public-ip': return method.firewall;
    case 'platform-public-ip': return method.ownerId;
    case 'lb-outbound-rule': return method.rule;
    case 'lb-rule-snat': return method.rules;
    case 'lb-basic': return method.pool;
    case 'default-outbound': case 'none': case 'undecided': return null;
  }
}

interface ExitSteps {
  readonly exit: InternetExit;
  readonly egressIps: readonly string[];
  readonly snatPorts: number | null;
  readonly exitStep: Step;
  /** The internet terminal for an unrestricted path (shared). */
  readonly terminal: TerminalStep;
}

function egressText(ips: readonly string[]): string {
  return ips.length > 0 ? ips.join(', ') : 'unknown addresses';
}

/** The exit step (NAT gateway, public IP, load balancer) and the internet terminal, for methods that are not per subnet. */
function buildExitSteps(ctx: EngineContext, method: ExitMethodOf, variant: string, version: FlowIpVersion): ExitSteps {
  const { index } = ctx;
  const egress = methodEgress(index, method, version);
  let exitStep: Step;
  switch (method.kind) {
    case 'nat-gateway':
      exitStep = {
        kind: 'nat-gateway', natGateway: method.natGateway ? named(method.natGateway) : nameOfId(method.natGatewayId),
        egressIps: egress.egressIps, snatPorts: egress.snatPorts, sharedBySubnets: index.natGatewaySubnets.get(method.natGatewayId)?.length ?? 1,
        ownPublicIpInboundOnly: variant === 'own-pip',
      };
      break;
    case 'instance-public-ip':
      exitStep = { kind: 'public-ip', owner: 'instance', resourceId: method.publicIpAddressId, ownerId: method.publicIpAddressId, ownerName: method.publicIp?.name ?? '', publicIpName: method.publicIp?.name ?? null, egressIps: egress.egressIps };
      break;
    case 'firewall-public-ip':
      exitStep = { kind: 'public-ip', owner: 'firewall', resourceId: method.publicIpAddressIds[0] ?? method.firewall.id, ownerId: method.firewall.id, ownerName: method.firewall.name, publicIpName: null, egressIps: egress.egressIps };
      break;
    case 'platform-public-ip':
      exitStep = { kind: 'public-ip', owner: method.owner, resourceId: method.publicIpAddressIds[0] ?? method.ownerId, ownerId: method.ownerId, ownerName: method.ownerName, publicIpName: null, egressIps: egress.egressIps };
      break;
    case 'lb-outbound-rule':
      exitStep = {
        kind: 'load-balancer', method: 'outbound-rule', loadBalancer: named(method.loadBalancer), ruleName: method.rule.name, poolName: method.pool.name,
        egressIps: egress.egressIps, snatPorts: egress.snatPorts,
        portsFromRule: method.rule.allocatedOutboundPorts !== null && method.rule.allocatedOutboundPorts > 0 ? method.rule.allocatedOutboundPorts : null,
      };
      break;
    case 'lb-rule-snat':
      exitStep = { kind: 'load-balancer', method: 'rule-snat', loadBalancer: named(method.loadBalancer), ruleName: method.rules.map((r) => r.name).join(', '), poolName: method.pools.map((p) => p.name).join(', '), egressIps: egress.egressIps, snatPorts: egress.snatPorts, portsFromRule: null };
      break;
    case 'lb-basic':
      exitStep = { kind: 'load-balancer', method: 'basic', loadBalancer: named(method.loadBalancer), ruleName: null, poolName: method.pool.name, egressIps: egress.egressIps, snatPorts: egress.snatPorts, portsFromRule: null };
      break;
  }
  const exit = exitOf(method);
  return {
    exit, egressIps: egress.egressIps, snatPorts: egress.snatPorts, exitStep,
    terminal: { kind: 'terminal', reason: { kind: 'egress', exit, egressIps: egress.egressIps, egressText: egressText(egress.egressIps), restrictedTo: null } },
  };
}

/**
 * Default outbound access does not depend on the destination: its step and terminal are made once
 * per subnet and reason, and shared by every resolve (steps are never mutated).
 */
const defaultOutboundCache = new WeakMap<Subnet, Map<string, { readonly step: Step; readonly terminal: TerminalStep }>>();

function defaultOutboundSteps(subnet: Subnet, reason: Extract<OutboundMethod, { kind: 'default-outbound' }>['reason']): { readonly step: Step; readonly terminal: TerminalStep } {
  const byReason = innerMap(defaultOutboundCache, subnet);
  let found = byReason.get(reason);
  if (!found) {
    found = {
      step: { kind: 'default-outbound', subnet: named(subnet), defaultOutboundAccess: subnet.defaultOutboundAccess, reason },
      terminal: { kind: 'terminal', reason: { kind: 'egress', exit: 'default-outbound', egressIps: [], egressText: 'a Microsoft-owned default outbound IP', restrictedTo: null } },
    };
    byReason.set(reason, found);
  }
  return found;
}

/**
 * Exit steps depend on the model alone (buildExitSteps reads only the index): one per exit and
 * variant per model, shared by every resolve on it (what-ifs, the matrix's destinations).
 */
const exitStepCache = new WeakMap<ModelIndex, Map<unknown, Map<string, ExitSteps>>>();

/** Methods with an exit of their own (not default outbound, not an end without one). */
type ExitMethodOf = Exclude<OutboundMethod, { kind: 'default-outbound' | 'none' | 'undecided' }>;

/** The flow's IP version: its destination's; the default route and unresolved names are IPv4 (0.0.0.0/0). */
function flowIpVersion(ctx: EngineContext): FlowIpVersion {
  return destinationAddress(ctx.traffic.destination)?.version === 6 ? 'IPv6' : 'IPv4';
}

function exitSteps(ctx: EngineContext, method: ExitMethodOf, variant: string): ExitSteps {
  const byKey = innerMap(exitStepCache, ctx.index);
  const key = exitKey(method);
  const byVariant = innerMap(byKey, key);
  // Egress IPs differ by the flow's IP version (a dual-stack NAT gateway or load balancer).
  const version = flowIpVersion(ctx);
  const key2 = version === 'IPv4' ? variant : `${variant}|${version}`;
  let found = byVariant.get(key2);
  if (!found) {
    found = buildExitSteps(ctx, method, variant, version);
    byVariant.set(key2, found);
  }
  return found;
}

/**
 * chooseOutboundMethod reads only the model, the subnet, the sender and the protocol: for the
 * sender objects the resolver keeps per NIC / subnet (see resolve.ts), the answer is kept with
 * them, for every resolve on the model (checked: same model index, same subnet).
 */
const outboundMethods = new WeakMap<Sender, { readonly index: ModelIndex; readonly subnet: Subnet; readonly byProtocol: Map<string, OutboundMethod> }>();

function outboundMethod(ctx: EngineContext, subnet: Subnet, sender: Sender): OutboundMethod {
  const version = flowIpVersion(ctx);
  // Appliance senders are made per walk (and their walks are shared anyway): not kept.
  if (sender.kind !== 'nic' && sender.kind !== 'subnet') return chooseOutboundMethod(ctx.index, subnet, sender, ctx.traffic.protocol, version);
  let cached = outboundMethods.get(sender);
  if (!cached || cached.index !== ctx.index || cached.subnet !== subnet) {
    cached = { index: ctx.index, subnet, byProtocol: new Map() };
    outboundMethods.set(sender, cached);
  }
  const key = version === 'IPv4' ? ctx.traffic.protocol : `${ctx.traffic.protocol}|${version}`;
  let method = cached.byProtocol.get(key);
  if (!method) {
    method = chooseOutboundMethod(ctx.index, subnet, sender, ctx.traffic.protocol, version);
    cached.byProtocol.set(key, method);
  }
  return method;
}

/** Ends an internet path: shared terminal when unrestricted, else one naming what the rules allow. */
function endInternet(ctx: EngineContext, trail: Trail, shared: TerminalStep, exit: InternetExit, egressIps: readonly string[], snatPorts: number | null, at: { readonly resourceId: string; readonly where: string }): Outcome {
  const notInternet = nonInternetEgress(ctx, trail, at.resourceId, at.where);
  if (notInternet) return notInternet;
  if (shared.reason.kind === 'egress' && trail.restrictedTo) {
    return trail.end({ ...shared.reason, restrictedTo: trail.restrictedTo }, { exit, egressIps, snatPorts });
  }
  return trail.endShared(shared, { exit, egressIps, snatPorts });
}

function isPlatformSender(sender: Sender): boolean {
  return sender.kind === 'firewall' || sender.kind === 'firewall-management' || sender.kind === 'gateway';
}

/** Next hop Internet: the outbound method of the sender decides the public IP [NATOV][LBOUT][DOA]. */
function toInternet(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, route: ComputedRoute): Outcome {
  const method = outboundMethod(ctx, subnet, sender);
  // A NIC in the backend pool of a load balancer that is not in the input: a public one's outbound or
  // load-balancing rules would give it outbound access ahead of default outbound [LBOUT].
  if (sender.kind === 'nic' && (method.kind === 'default-outbound' || method.kind === 'none')) {
    const poolId = sender.ipConfiguration?.loadBalancerBackendAddressPoolIds.find((id) => !ctx.index.backendPools.has(id));
    if (poolId !== undefined) {
      const loadBalancerId = parentResourceId(poolId);
      return missingReference(ctx, trail, loadBalancerId, `load balancer ${nameOfId(loadBalancerId).name} (NIC ${sender.nic.name} is in its backend pool ${nameOfId(poolId).name})`,
        'whether it gives the NIC outbound access (a public load balancer\'s outbound or load-balancing rules do)');
    }
    // Basic and Standard differ exactly here: a Basic public one gives outbound, a Standard one only
    // by its rules and otherwise ends default outbound access [LBOUT][DOA]; an unrecognised SKU decides nothing.
    const unknownSku = sender.ipConfiguration ? ctx.index.poolsOfIpConfiguration(sender.ipConfiguration).find(({ loadBalancer }) => loadBalancer.skuName === 'Unknown') : undefined;
    if (unknownSku !== undefined) {
      const lb = unknownSku.loadBalancer;
      return trail.end({ kind: 'undecided', resourceId: lb.id, rule: `Load balancer ${lb.name}: SKU not known`, docs: DOCS.lbOutboundConnections,
        missingFact: `the SKU of load balancer ${lb.name} (NIC ${sender.nic.name} is in its backend pool ${unknownSku.pool.name}): a Basic public one gives outbound access, a Standard one only through its rules and otherwise ends default outbound access` });
    }
  }
  if (sender.kind === 'subnet' && !ctx.gaps.has(UNREAD_NICS_GAP_KEY) && subnetAnswerRestsOnUnreadNics(subnet, method)) addGap(ctx, unreadNicsGap(subnet));
  switch (method.kind) {
    case 'default-outbound': {
      const steps = defaultOutboundSteps(subnet, method.reason);
      trail.add(steps.step);
      if (method.reason === 'allowed' && !isPlatformSubnet(subnet)) {
        trail.finding('default-outbound', 'warning', `Subnet ${subnet.name} reaches the internet through default outbound access (implicit, deprecated, IP not under your control).`,
          'Attach a NAT gateway to the subnet (or route it through a firewall), then set defaultOutboundAccess = false.', [subnet.id], DOCS.defaultOutbound);
      }
      if (method.reason === 'nic-allocated' && sender.kind === 'nic') {
        trail.finding('default-outbound', 'warning', `Subnet ${subnet.name} is private (defaultOutboundAccess = false), but NIC ${sender.nic.name} still has a default outbound IP (defaultOutboundConnectivityEnabled = true): the change reaches a VM only when it is stopped and deallocated, so it still reaches the internet through default outbound access.`,
          'Stop and deallocate the VM (or give it an explicit outbound method: NAT gateway, public IP, load balancer outbound rule).', [subnet.id, sender.nic.id], DOCS.defaultOutbound);
      }
      if (!ctx.gaps.has(VMSS_GAP_KEY) && restsOnVmssMembership(ctx.index, subnet, sender)) addGap(ctx, vmssMembershipGap(subnet));
      return endInternet(ctx, trail, steps.terminal, 'default-outbound', [], null, { resourceId: subnet.id, where: `the internet egress of subnet ${subnet.name} (default outbound access)` });
    }
    case 'undecided': {
      if (method.misconfiguration) {
        trail.finding('nat-gateway-no-public-ip', 'error', method.misconfiguration, 'Attach a public IP address or public IP prefix to the NAT gateway (or remove it from the subnet).',
          [method.resourceId, subnet.id], method.docs);
      }
      return trail.end({ kind: 'undecided', resourceId: method.resourceId, rule: method.rule, missingFact: method.missingFact, docs: method.docs, ...(method.verify === undefined ? {} : { verify: method.verify }) });
    }
    case 'none': {
      // A firewall whose data path has no public IP and whose subnet has no NAT gateway cannot
      // egress [FWFT]: that is a definite answer, unlike gateways whose public IPs were not captured.
      if (sender.kind !== 'firewall' && (isPlatformSender(sender) || isPlatformSubnet(subnet))) {
        return trail.end({ kind: 'platform-egress-unknown', subnet: named(subnet), reason: method.reason });
      }
      trail.finding('no-outbound', 'error', `Subnet ${subnet.name}${sender.kind === 'nic' ? ` (NIC ${sender.nic.name})` : sender.kind === 'firewall' ? ` (Azure Firewall ${sender.firewall.name})` : ''} has no internet egress: ${method.reason}.`,
        'Add an explicit outbound method (NAT gateway, public IP, load balancer outbound rule) or route the traffic to a firewall.', [subnet.id], DOCS.defaultOutbound);
      if (route.source === 'User' && subnet.defaultOutboundAccess === false) {
        trail.finding('private-subnet-internet-udr', 'error', `Private subnet ${subnet.name} has a UDR "${describeRoute(route)}" with next hop Internet but no explicit outbound method: that route cannot work.`,
          'Attach a NAT gateway to the subnet, or send the prefix to the firewall.', [subnet.id, ...(route.resourceId ? [route.resourceId] : [])], DOCS.defaultOutbound);
      }
      return trail.end({ kind: 'no-outbound-method', subnet: named(subnet), reason: method.reason });
    }
    default: {
      if (method.kind === 'nat-gateway' && !method.natGateway) {
        return missingReference(ctx, trail, method.natGatewayId, `NAT gateway ${nameOfId(method.natGatewayId).name} of subnet ${subnet.name}`, 'its public IPs (and whether it is really attached)');
      }
      const variant = method.kind === 'nat-gateway' && sender.kind === 'nic' && sender.ipConfiguration?.publicIpAddressId ? 'own-pip' : '';
      const exit = exitSteps(ctx, method, variant);
      trail.add(exit.exitStep);
      if (method.kind === 'nat-gateway') basicWithNat(ctx, trail, subnet, sender, method.natGatewayId);
      if (method.kind === 'instance-public-ip' && method.publicIp?.skuName === 'Basic') {
        basicSku(trail, method.publicIpAddressId, `Public IP ${method.publicIp.name}`);
      }
      if (method.kind === 'lb-basic') basicSku(trail, method.loadBalancer.id, `Load balancer ${method.loadBalancer.name}`);
      return endInternet(ctx, trail, exit.terminal, exit.exit, exit.egressIps, exit.snatPorts, { resourceId: route.resourceId ?? subnet.id, where: `the internet egress of subnet ${subnet.name} (${EXITS[exit.exit]})` });
    }
  }
}

/**
 * Flexible-orchestration scale set instances "never get default outbound access" [DOA], and a NIC
 * does not say whether its VM is one: only the VM resource does (`virtualMachineScaleSet`), and the
 * normalizer marks the NIC when the input carries it (`virtualMachineCaptured`, and
 * `flexibleScaleSetMember` when it is one). A default-outbound verdict for a NIC whose VM was not
 * captured (or for a subnet holding such NICs) rests on an assumption: one gap per estate names it
 * (the verdicts stay: most VMs are not Flexible instances). A captured VM not in a scale set is a
 * known fact and needs no gap.
 */
const VMSS_GAP_SCOPE = 'Microsoft.Compute/virtualMachines';
const VMSS_GAP_KEY = `not-modelled|${VMSS_GAP_SCOPE}`;

function restsOnVmssMembership(index: ModelIndex, subnet: Subnet, sender: Sender): boolean {
  // A NIC of a VM whose resource was not read: whether that VM is a Flexible instance is not known.
  // A Uniform scale set instance (`…/virtualMachineScaleSets/{s}/virtualMachines/{i}`) is no
  // Flexible one: its ID says so (Flexible instances are plain virtualMachines).
  const unknown = (nic: NetworkInterface): boolean => nic.virtualMachineId !== null && !nic.flexibleScaleSetMember && nic.virtualMachineCaptured !== true
    && !isScaleSetInstanceVm(nic.virtualMachineId);
  if (sender.kind === 'nic') return unknown(sender.nic);
  if (sender.kind !== 'subnet') return false;
  // The subnet entry answers for the NICs without an entry of their own (those answer for themselves).
  const own = index.subnetNicsWithOwnEgress.get(subnet.id);
  const ownSet = own && own.length > 0 ? new Set(own) : null;
  return (index.subnetNics.get(subnet.id) ?? []).some((nic) => unknown(nic) && !ownSet?.has(nic));
}

function vmssMembershipGap(subnet: Subnet): Gap {
  return {
    code: 'not-modelled', scope: VMSS_GAP_SCOPE,
    message: `Default outbound access verdicts (first: subnet ${subnet.name}) assume that VMs whose resource was not read are not Flexible-orchestration virtual machine scale set instances, `
      + 'which never get default outbound access. A NIC does not say it: only its VM resource (Microsoft.Compute/virtualMachines, virtualMachineScaleSet) does, '
      + `and VMs not included in the input (or listed without their properties) count as not in a scale set. Include those VM resources (pull reads them through Resource Graph), or check them: an instance of a Flexible scale set has no outbound access unless an explicit method is configured (${DOCS.defaultOutbound}).`,
  };
}

/**
 * A subnet whose own record lists NICs the input lacks (`ipConfigurations`): its entry stands for a
 * NIC with no public IP and no load balancer membership of its own, and those NICs may have either
 * [DOA]. Where no NIC in the input follows the entry its default outbound (or no outbound) answer is
 * unknown (outbound.ts); elsewhere it holds for the NICs the input has. One gap per estate.
 */
const UNREAD_NICS_GAP_SCOPE = 'Microsoft.Network/networkInterfaces';
const UNREAD_NICS_GAP_KEY = `missing-reference|${UNREAD_NICS_GAP_SCOPE}`;

function unreadNicsGap(subnet: Subnet): Gap {
  const unread = unreadSubnetNics(subnet);
  const first = unread ? ` (first: subnet ${subnet.name}, ${unread.count} IP configuration(s), ${nicLabel(unread.firstNicId)})` : ` (first: subnet ${subnet.name})`;
  return {
    code: 'missing-reference', scope: UNREAD_NICS_GAP_SCOPE,
    message: `Subnets list IP configurations (ipConfigurations) of NICs the input lacks${first}. A subnet's entry stands for a NIC with no public IP and no load balancer membership of its own; `
      + 'a missing NIC may have either (a Uniform scale set instance, such as an AKS node, leaves through its load balancer\'s outbound rule or its instance public IP), which turns default outbound access off for its VM. '
      + 'A subnet where no NIC in the input follows its entry is unknown instead of default outbound (or no outbound); elsewhere the answer holds for the NICs the input has, not for the missing ones. '
      + `Export them: \`az vmss nic list\` for scale set instances (\`az network nic list\` does not return them), \`az network nic list\` for the others (${DOCS.defaultOutbound}).`,
  };
}

function basicSku(trail: Trail, resourceId: string, what: string): void {
  trail.finding('basic-sku', 'warning', `${what} is Basic SKU: Basic public IPs and load balancers were retired on 30 September 2025 and cannot be used with a NAT gateway.`,
    'Upgrade to Standard SKU.', [resourceId], DOCS.basicRetirement);
}

/** NAT gateways cannot coexist with Basic public IPs or Basic load balancers in the subnet [NATOV][NATRES]. */
function basicWithNat(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, natGatewayId: string): void {
  if (sender.kind !== 'nic') return;
  for (const config of sender.nic.ipConfigurations) {
    const pip = config.publicIpAddressId ? ctx.index.publicIpAddresses.get(config.publicIpAddressId) : undefined;
    const basicPool = ctx.index.poolsOfIpConfiguration(config).find((p) => p.loadBalancer.skuName === 'Basic');
    if (pip?.skuName === 'Basic' || basicPool) {
      trail.finding('basic-sku', 'error', `Subnet ${subnet.name} has a NAT gateway but NIC ${sender.nic.name} uses a Basic ${pip?.skuName === 'Basic' ? 'public IP' : 'load balancer'}: NAT gateway is not compatible with Basic resources.`,
        'Upgrade the public IP / load balancer to Standard SKU.', [natGatewayId, sender.nic.id], DOCS.natGatewayResource);
    }
  }
}

const parsedPrefixes = new WeakMap<readonly string[], readonly Cidr[]>();

export function vnetContains(prefixes: readonly string[], address: IpAddress): boolean {
  let cidrs = parsedPrefixes.get(prefixes);
  if (!cidrs) {
    cidrs = prefixes.map((p) => parseCidr(p)).filter((c): c is Cidr => c !== null);
    parsedPrefixes.set(prefixes, cidrs);
  }
  return cidrs.some((c) => cidrContainsIp(c, address));
}

function findOwnerCached(ctx: EngineContext, vnet: VirtualNetwork, ip: string): OwnerLookup {
  let byIp = ctx.owners.get(vnet);
  if (!byIp) {
    byIp = new Map<string, OwnerLookup>();
    ctx.owners.set(vnet, byIp);
  }
  let found = byIp.get(ip);
  if (!found) {
    found = ownerAcrossResolves(ctx.index, vnet, ip);
    byIp.set(ip, found);
  }
  return found;
}

/**
 * Whether a peering carries a next hop does not depend on the destination either: kept per route
 * (which fixes the next-hop IP, and belongs to one model's route sets) and VNet (or subnet, for
 * subnet peering), as the per-resolve memo keys it.
 */
const peeringReaches = new WeakMap<ComputedRoute, { readonly index: ModelIndex; readonly byKey: Map<string, ReturnType<typeof peeringReach>> }>();

function peeringReachAcrossResolves(index: ModelIndex, route: ComputedRoute, peering: VirtualNetworkPeering, subnet: Subnet, ip: string): ReturnType<typeof peeringReach> {
  let cached = peeringReaches.get(route);
  if (!cached || cached.index !== index) {
    cached = { index, byKey: new Map() };
    peeringReaches.set(route, cached);
  }
  const key = peering.peerCompleteVnets === false ? subnet.id : subnet.virtualNetworkId;
  let found = cached.byKey.get(key);
  if (!found) {
    found = peeringReach(index, peering, subnet, ip);
    cached.byKey.set(key, found);
  }
  return found;
}

/** Who owns a next-hop IP does not depend on the destination: kept per model for every resolve on it. */
const ownersByIndex = new WeakMap<ModelIndex, WeakMap<VirtualNetwork, Map<string, OwnerLookup>>>();

function ownerAcrossResolves(index: ModelIndex, vnet: VirtualNetwork, ip: string): OwnerLookup {
  let byVnet = ownersByIndex.get(index);
  if (!byVnet) {
    byVnet = new WeakMap();
    ownersByIndex.set(index, byVnet);
  }
  const byIp = innerMap(byVnet, vnet);
  let found = byIp.get(ip);
  if (!found) {
    found = findOwner(index, vnet, ip);
    byIp.set(ip, found);
  }
  return found;
}

/** The owner of a next-hop IP, in the VNet or a Connected peered VNet ("direct connectivity") [UDR][PEER]. */
function findOwner(index: ModelIndex, vnet: VirtualNetwork, ip: string): OwnerLookup {
  const address = parseIp(ip);
  // Only look where the address can be: the VNet or peered VNet whose address space contains it.
  let holder: VirtualNetwork | null = address && vnetContains(vnet.addressPrefixes, address) ? vnet : null;
  if (!address || holder !== null) {
    const own = index.privateIpOwner(vnet.id, ip);
    if (own) return { kind: 'found', owner: own, viaPeering: null };
  }
  const peerings = [...(index.peerings.get(vnet.id) ?? [])].sort((a, b) => (a.peering.id < b.peering.id ? -1 : 1));
  let stateUnknown: PeeringRef | null = null;
  for (const ref of peerings) {
    const { peering } = ref;
    if (!peering.remoteVirtualNetworkId) continue;
    if (peering.peeringState !== 'Connected') {
      // A state the input does not give (a projection without it) is not "disconnected".
      if (peering.peeringState === 'Unknown' && address && vnetContains(peering.remoteAddressPrefixes, address)) stateUnknown ??= ref;
      continue;
    }
    const remote = index.virtualNetworks.get(peering.remoteVirtualNetworkId);
    if (remote && address && !vnetContains(remote.addressPrefixes, address)) continue;
    if (remote && address) holder ??= remote;
    const owner = index.privateIpOwner(peering.remoteVirtualNetworkId, ip);
    if (owner) return { kind: 'found', owner, viaPeering: ref };
    if (!remote && address && vnetContains(peering.remoteAddressPrefixes, address)) return { kind: 'out-of-scope', peering: ref };
  }
  return stateUnknown === null ? { kind: 'unowned', holder } : { kind: 'peering-state-unknown', peering: stateUnknown };
}

const addressOwnersByIndex = new WeakMap<ModelIndex, Map<ResourceId, boolean>>();

/** Whether the input holds anything that owns private IPs in the VNet: a NIC, a firewall or an internal load balancer frontend. */
function holdsAddressOwners(index: ModelIndex, vnet: VirtualNetwork): boolean {
  const byVnet = innerMap(addressOwnersByIndex, index);
  let holds = byVnet.get(vnet.id);
  if (holds === undefined) {
    // By the VNet's list and by the subnets' VNet reference (vnet-subnets.ts).
    const subnets = subnetsOfVnet(index, vnet).ids;
    holds = [...subnets].some((id) => (index.subnetNics.get(id)?.length ?? 0) > 0)
      || [...index.azureFirewalls.values()].some((f) => f.ipConfigurations.some((c) => c.subnetId !== null && subnets.has(c.subnetId)))
      || [...index.frontends.values()].some(({ frontend }) => frontend.subnetId !== null && subnets.has(frontend.subnetId));
    byVnet.set(vnet.id, holds);
  }
  return holds;
}

/**
 * Why an address that nothing in the input owns may still have an owner in Azure: the subnet that
 * holds it lists IP configurations of resources the input lacks (subnet `ipConfigurations`), or is
 * delegated to a service whose resources the model does not read (a third-party firewall such as
 * PaloAltoNetworks.Cloudngfw/firewalls takes its UDR target address in its delegated trust subnet,
 * https://learn.microsoft.com/javascript/api/@azure/arm-paloaltonetworksngfw/vnetconfiguration),
 * or no subnet with a known range holds it while one of the VNet's subnets has no range in the input.
 * Or the input holds an owner in that subnet without its address (`addressless`: a NIC IP
 * configuration, an Azure Firewall IP configuration or a load balancer frontend with no private IP,
 * as a projection or partial export gives it): that owner may hold the next hop, so the missing
 * fact is its address, not an owner.
 */
type UnreadOwner =
  | { readonly kind: 'listed'; readonly subnet: Subnet; readonly count: number; readonly firstOwnerId: ResourceId }
  | { readonly kind: 'delegated'; readonly subnet: Subnet; readonly services: readonly string[] }
  | { readonly kind: 'no-range'; readonly subnet: Subnet }
  | { readonly kind: 'addressless'; readonly subnet: Subnet } & AddresslessOwner;

/** An owner of an IP configuration in a subnet whose private IP the input does not give. */
interface AddresslessOwner {
  readonly ownerId: ResourceId;
  /** `NIC nva-nic`, `Azure Firewall fw`, `internal load balancer ilb`. */
  readonly what: string;
  /** The IP configuration (or frontend) without an address. */
  readonly configuration: string;
}

const addresslessByIndex = new WeakMap<ModelIndex, ReadonlyMap<ResourceId, AddresslessOwner>>();

/**
 * Per subnet, the first owner in the input with an IP configuration there but no private IP (see
 * UnreadOwner). Built once per model, only when a next hop has no owner (rare): one pass over the
 * NICs, firewalls and load balancer frontends.
 */
function addresslessOwners(index: ModelIndex): ReadonlyMap<ResourceId, AddresslessOwner> {
  let found = addresslessByIndex.get(index);
  if (found) return found;
  const bySubnet = new Map<ResourceId, AddresslessOwner>();
  const note = (subnetId: ResourceId | null, address: string | null, owner: AddresslessOwner): void => {
    if (subnetId !== null && (address === null || address.trim() === '') && !bySubnet.has(subnetId)) bySubnet.set(subnetId, owner);
  };
  for (const nic of index.model.networkInterfaces) {
    for (const c of nic.ipConfigurations) note(c.subnetId, c.privateIpAddress, { ownerId: nic.id, what: `NIC ${nic.name}`, configuration: c.name });
  }
  for (const fw of index.azureFirewalls.values()) {
    for (const c of fw.ipConfigurations) note(c.subnetId, c.privateIpAddress, { ownerId: fw.id, what: `Azure Firewall ${fw.name}`, configuration: c.name });
  }
  for (const { loadBalancer, frontend } of index.frontends.values()) {
    note(frontend.subnetId, frontend.privateIpAddress, { ownerId: loadBalancer.id, what: `internal load balancer ${loadBalancer.name}`, configuration: frontend.name });
  }
  found = bySubnet;
  addresslessByIndex.set(index, found);
  return found;
}

const unreadOwnersByIndex = new WeakMap<ModelIndex, WeakMap<VirtualNetwork, Map<string, UnreadOwner | null>>>();

/** Asked only for next hops nobody owns (rare), but per source: kept per model, VNet and address. */
function unreadOwnerAcrossResolves(index: ModelIndex, vnet: VirtualNetwork, ip: string): UnreadOwner | null {
  let byVnet = unreadOwnersByIndex.get(index);
  if (!byVnet) {
    byVnet = new WeakMap();
    unreadOwnersByIndex.set(index, byVnet);
  }
  const byIp = innerMap(byVnet, vnet);
  let found = byIp.get(ip);
  if (found === undefined) {
    found = findUnreadOwner(index, vnet, ip);
    byIp.set(ip, found);
  }
  return found;
}

function findUnreadOwner(index: ModelIndex, vnet: VirtualNetwork, ip: string): UnreadOwner | null {
  const address = parseIp(ip);
  if (!address) return null;
  // By the VNet's list and by the subnets' VNet reference, sorted by ID (vnet-subnets.ts).
  let noRange: Subnet | null = null;
  for (const s of subnetsOfVnet(index, vnet).subnets) {
    if (s.addressPrefixes.length === 0) {
      noRange ??= s;
      continue;
    }
    if (!vnetContains(s.addressPrefixes, address)) continue;
    if (s.unreadIpConfigurations) return { kind: 'listed', subnet: s, ...s.unreadIpConfigurations };
    if (s.delegations.length > 0) return { kind: 'delegated', subnet: s, services: s.delegations };
    const addressless = addresslessOwners(index).get(s.id);
    return addressless ? { kind: 'addressless', subnet: s, ...addressless } : null;
  }
  return noRange === null ? null : { kind: 'no-range', subnet: noRange };
}

function unreadOwner(ctx: EngineContext, trail: Trail, unread: UnreadOwner, ip: string): Outcome {
  const subnet = unread.subnet;
  switch (unread.kind) {
    case 'listed': {
      const owner = nameOfId(unread.firstOwnerId).name;
      const others = unread.count > 1 ? ` and ${unread.count - 1} other IP configuration(s)` : '';
      return missingReference(ctx, trail, unread.firstOwnerId,
        `${owner}${others}, which subnet ${subnet.name} lists as using it (ipConfigurations); one of them may own next hop ${ip}`, 'what happens at the next hop');
    }
    case 'delegated':
      return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Next hop ${ip} in subnet ${subnet.name}, delegated to ${unread.services.join(', ')}`, docs: DOCS.udr,
        missingFact: `what owns next hop ${ip}: subnet ${subnet.name} is delegated to ${unread.services.join(', ')}, whose resources (not network interfaces, firewalls or load balancers the input holds) may take it, and what that appliance does with the traffic` });
    case 'no-range':
      return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Next hop ${ip}: subnet ${subnet.name} has no address range in the input`, docs: DOCS.udr,
        missingFact: `the address range of subnet ${subnet.name}, which may hold next hop ${ip} and its owner` });
    case 'addressless':
      // The owner is in the input but not the fact that decides: never "nobody owns it, dropped".
      return trail.end({ kind: 'undecided', resourceId: unread.ownerId, rule: `Next hop ${ip} in subnet ${subnet.name}: ${unread.what} has no private IP in the input`, docs: DOCS.udr,
        missingFact: `the private IP address of ${unread.what} (IP configuration ${unread.configuration} in subnet ${subnet.name}, not in the input), which may be next hop ${ip}` });
  }
}

/**
 * A next hop nothing in the input owns, while the input held a resource that could own it but was
 * left out as malformed: "no owner, dropped" would rest on its absence alone. Only what can hold a
 * private IP in the subnet that holds the address counts (left-out.ts leftOutOwners: a NIC of the
 * VNet's subscription, a load balancer, an Azure Firewall in AzureFirewallSubnet), and a left-out
 * subnet of the VNet when no subnet the input holds has the address. Null when none could be it.
 */
function leftOutOwnerOf(ctx: EngineContext, trail: Trail, vnet: VirtualNetwork, ip: string): Outcome | null {
  const pool = possibleOwners(ctx.leftOut, ctx.index);
  if (pool.length === 0) return null;
  const address = parseIp(ip);
  if (!address) return null;
  const subnet = subnetHolding(ctx.index, vnet, address);
  const all = leftOutOwners(pool, vnet, subnet);
  if (all.length === 0) return null;
  const where = subnet === null ? `virtual network ${vnet.name}` : `subnet ${subnet.name}`;
  const candidates = all.filter((r) => r.referenced === undefined);
  const [first] = candidates;
  if (first === undefined) {
    // Only resources the input references but does not hold (or holds without the referenced IP
    // configuration or frontend): named as missing, as a dangling reference is everywhere else.
    const [missing] = all;
    if (missing?.referenced === undefined) return null;
    const label = referencedLabel(missing);
    const others = all.slice(1, 4).map((r) => referencedLabel(r).what);
    const more = all.length > 1 ? `; or ${others.join(', ')}${all.length > 4 ? ` and ${all.length - 4} more` : ''}, also referenced but not in the input` : '';
    return missingReference(ctx, trail, missing.referenced.missingId,
      `${label.what} (${label.why}; it may hold next hop ${ip} in ${where}, which nothing in the input owns${more})`,
      'what happens at the next hop');
  }
  return trail.end({ kind: 'undecided', resourceId: first.id, rule: `Next hop ${ip}: ${leftOutNames(candidates)} left out of the input`, docs: DOCS.udr,
    missingFact: `whether ${leftOutNames(candidates)} owns next hop ${ip} in ${where}: ${leftOutWhy(candidates)}, and nothing else in the input owns ${ip}, so the traffic may reach an appliance rather than being dropped` });
}

/** The subnet of the VNet whose range holds the address; null when none does. */
function subnetHolding(index: ModelIndex, vnet: VirtualNetwork, address: IpAddress): Subnet | null {
  return subnetsOfVnet(index, vnet).subnets.find((s) => vnetContains(s.addressPrefixes, address)) ?? null;
}

/** An Azure region as ARM spells it (`westeurope`), from either spelling (`West Europe`); null when not given. */
function regionOf(location: string | null | undefined): string | null {
  const region = location?.replace(/\s+/g, '').toLowerCase() ?? '';
  return region === '' ? null : region;
}

/**
 * "Resources in one virtual network can't communicate with the front-end IP address of a Basic Load
 * Balancer (internal or public) in a globally peered virtual network. Support for Basic Load
 * Balancer only exists within the same region." [PEERREQ] DOCS.peeringConstraints. A Basic internal
 * load balancer frontend as next hop across peering between regions is dropped; when the SKU or a
 * region the answer turns on is not in the input, unknown. Null when the frontend is reachable.
 */
function basicFrontendAcrossRegions(ctx: EngineContext, trail: Trail, subnet: Subnet, route: ComputedRoute, ref: PeeringRef, lb: LoadBalancer, ip: string): Outcome | null {
  if (lb.skuName === 'Standard' || lb.skuName === 'Gateway') return null;
  const remoteId = ref.peering.remoteVirtualNetworkId;
  const remote = remoteId ? ctx.index.virtualNetworks.get(remoteId) : undefined;
  const remoteName = remote?.name ?? nameOfId(remoteId ?? lb.id).name;
  const here = regionOf(ref.localVirtualNetwork.location);
  const there = regionOf(remote?.location ?? lb.location);
  if (here !== null && there !== null && here === there) return null;
  if (lb.skuName === 'Basic' && here !== null && there !== null) {
    const reason = `next hop ${ip} is the frontend of Basic load balancer ${lb.name}, in ${there}, and this network is in ${here}: resources "can't communicate with the front-end IP address of a Basic Load Balancer (internal or public) in a globally peered virtual network"`;
    trail.finding('next-hop-unreachable', 'error', `Subnet ${subnet.name}: ${reason}.`,
      'Upgrade the load balancer to the Standard SKU (Basic is retired), or reach the appliances from the same region.', [subnet.id, lb.id, ref.peering.id], DOCS.peeringConstraints);
    return trail.end({ kind: 'next-hop-not-carried', route: routeRef(route), peering: named(ref.peering), reason });
  }
  const missing = [
    ...(lb.skuName === 'Basic' ? [] : [`the SKU of internal load balancer ${lb.name}`]),
    ...(here === null ? [`the region of virtual network ${ref.localVirtualNetwork.name}`] : []),
    ...(there === null ? [`the region of virtual network ${remoteName}`] : []),
  ];
  return trail.end({ kind: 'undecided', resourceId: lb.id, rule: `Internal load balancer ${lb.name} across peering ${ref.peering.name}`, docs: DOCS.peeringConstraints,
    missingFact: `${missing.join(' and ')}: a Basic load balancer's frontend (next hop ${ip}) cannot be reached from a globally peered virtual network (another region)` });
}

function ownerOf(owner: PrivateIpOwner): Named {
  switch (owner.kind) {
    case 'azure-firewall': return named(owner.firewall);
    case 'nic': return named(owner.nic);
    case 'internal-load-balancer': return named(owner.loadBalancer);
  }
}

/**
 * A loop is an appliance the path already passed [UDR]; a chain of distinct appliances longer than
 * MAX_APPLIANCE_DEPTH is a limit of the model, not of Azure: `unknown` with a gap, never a loop.
 */
function loopGuard(ctx: EngineContext, trail: Trail, appliance: Named, forwarder: NetworkInterface | null): Outcome | null {
  // Routes that send a private destination round a loop through a VM appliance (an NVA's NIC: the
  // one the flow leaves from, `forwarder`, or one passed since the appliance it comes back to) may
  // be routes to the range that VM holds itself, which it delivers without routing: a kubenet
  // node's pod range ("UDR and IP forwarding handle connectivity between pods across nodes",
  // https://learn.microsoft.com/azure/aks/configure-kubenet), containers, a VPN client pool.
  // Whether it does or forwards it again (a loop) is in no export. The loop is the same whichever
  // of its appliances the flow enters it by, so the answer names its VMs, never the order a source
  // passed them. An Azure Firewall or a load balancer has no operating system of its own, and the
  // internet is no range an appliance serves: a loop of those alone, or of the internet, is a loop.
  const at = trail.visited.indexOf(appliance.id);
  if (at < 0) {
    if (trail.depth < MAX_APPLIANCE_DEPTH) return null;
    return trail.end({ kind: 'undecided', resourceId: appliance.id, rule: `Appliance chain longer than ${MAX_APPLIANCE_DEPTH} appliances`, docs: DOCS.udr,
      missingFact: `what happens after ${appliance.name}: the path passes more than ${MAX_APPLIANCE_DEPTH} distinct appliances (no loop), more than Egress Atlas follows` });
  }
  trail.loopMet = true;
  const vms = new Map<string, string>();
  const members = new Set<string>();
  for (const id of [...trail.visited.slice(at), ...(forwarder ? [forwarder.id] : [])]) {
    const nic = ctx.index.networkInterfaces.get(id as ResourceId);
    if (nic) vms.set(nic.id, named(nic).name);
    members.add(nic ? named(nic).name : nameFromResourceId(id));
  }
  const notInternet = vms.size > 0 ? nonInternetDestination(ctx) : null;
  if (notInternet !== null) {
    const names = [...vms.values()].sort();
    const which = names.length === 1 ? names[0] ?? '' : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
    const itself = forwarder !== null && forwarder.id === appliance.id;
    return trail.end({ kind: 'undecided', resourceId: [...vms.keys()].sort()[0] ?? appliance.id, docs: DOCS.udr,
      rule: itself ? `${appliance.name} routes ${ctx.flow.destination} back to itself` : `Routes send ${ctx.flow.destination} round a loop through ${which}`,
      missingFact: itself
        ? `whether ${appliance.name} serves ${ctx.flow.destination} itself, as a range its operating system holds (a kubenet node's pod range, containers, a VPN client pool), or forwards it again, which would loop: its subnet's route sends that address back to it (${notInternet}, not an internet address)`
        : `whether ${which} serves ${ctx.flow.destination} itself, as a range its operating system holds (a kubenet node's pod range, containers, a VPN client pool), or forwards it again: the appliances' routes send that address round a loop through ${[...members].sort().join(', ')} (${notInternet}, not an internet address)` });
  }
  trail.finding('route-loop', 'error', `Routing loop: traffic returns to ${appliance.name}.`,
    'Put appliances in their own subnet with a route table that does not point back to an appliance on the same path.', [appliance.id], DOCS.udr);
  return trail.end({ kind: 'routing-loop', appliance });
}

/** Next hop VirtualAppliance: Azure Firewall, NVA NIC, or internal LB frontend [UDR]. */
function toVirtualAppliance(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, route: ComputedRoute): Outcome {
  const vnet = ctx.index.subnetVirtualNetwork.get(subnet.id);
  const ip = route.nextHopIpAddress;
  // "When you create a route with the virtual appliance hop type, you also specify a next hop IP
  // address" [UDR]: a VirtualAppliance route without one (a projection, a capture that lacks it) is
  // incomplete input, so which appliance it names is unknown, never "no owner, dropped".
  if (ip === null || ip.trim() === '') {
    return trail.end({ kind: 'undecided', resourceId: route.resourceId ?? subnet.id, rule: `Route "${describeRoute(route)}": no next-hop IP address in the input`, docs: DOCS.udr,
      missingFact: `the next-hop IP address of VirtualAppliance route ${route.name || route.addressPrefix} (nextHopIpAddress is not in the input), which names the appliance the traffic goes to` });
  }
  // The next hop is "the private IP address of a network interface attached to a virtual machine" or
  // of an internal load balancer [UDR]: an IPv4 packet cannot be sent to an IPv6 address, nor the
  // reverse, and what Azure does with such a route (refuses it, drops the traffic) is not documented.
  if (route.cidr !== null && ip.includes(':') !== (route.cidr.version === 6)) {
    return trail.end({ kind: 'undecided', resourceId: route.resourceId ?? subnet.id, rule: `Route "${describeRoute(route)}": an IPv${route.cidr.version} prefix with an IPv${ip.includes(':') ? 6 : 4} next hop`, docs: DOCS.udr,
      missingFact: `what Azure does with VirtualAppliance route ${route.name || route.addressPrefix}, whose prefix ${route.addressPrefix} and next-hop IP address ${ip} are of different IP versions (traffic of one version cannot be forwarded to an address of the other; whether Azure refuses the route or drops the traffic is not documented)` });
  }
  // Without the subnet's VNet (a capture of a subnet exported on its own) the owner cannot be looked up.
  if (!vnet) {
    return missingReference(ctx, trail, subnet.virtualNetworkId, `virtual network ${nameOfId(subnet.virtualNetworkId).name} of subnet ${subnet.name} (it or a peered network holds next hop ${ip})`,
      'what happens at the next hop');
  }
  const found: OwnerLookup = findOwnerCached(ctx, vnet, ip);
  if (found.kind === 'out-of-scope') {
    const remoteId = found.peering.peering.remoteVirtualNetworkId ?? found.peering.peering.id;
    addGap(ctx, { code: 'missing-reference', scope: remoteId, message: `Next-hop appliance ${ip ?? ''} is in a peered virtual network that is not in the snapshot.` });
    return trail.end({ kind: 'missing-resource', resourceId: remoteId, what: `peered virtual network ${nameOfId(remoteId).name} (holding next hop ${ip ?? ''})`, consequence: 'what happens after the next hop' });
  }
  if (found.kind === 'peering-state-unknown') {
    const peering = found.peering.peering;
    return trail.end({ kind: 'undecided', resourceId: peering.id, rule: `Peering ${peering.name}: state not in the input`, docs: DOCS.peering,
      missingFact: `the state of peering ${peering.name} to ${nameOfId(peering.remoteVirtualNetworkId ?? peering.id).name}, which holds next hop ${ip ?? ''}: only a Connected peering carries traffic` });
  }
  if (found.kind === 'unowned' && ip) {
    // An export of VNets and route tables alone holds no address owner at all: the owner is
    // missing from the input, not from Azure (an invalid UDR is only concluded from a VNet whose
    // NICs, firewalls and load balancers were read).
    const holder = found.holder;
    if (holder === null && parseIp(ip) === null) {
      // Azure accepts only an IP address here [UDR]: an input that holds something else is garbled, not a route to nowhere.
      return trail.end({ kind: 'undecided', resourceId: route.resourceId ?? subnet.id, rule: `Route "${describeRoute(route)}": next hop is not an IP address`, docs: DOCS.udr,
        missingFact: `the next-hop IP address of VirtualAppliance route ${route.name || route.addressPrefix}: the input gives "${ip}", which is not an IP address` });
    }
    const unread = holder === null ? null : unreadOwnerAcrossResolves(ctx.index, holder, ip);
    if (unread !== null) return unreadOwner(ctx, trail, unread, ip);
    // A resource of the VNet that was read but left out (malformed) is named before "none is in the
    // input": that is the fact the user can act on (the skipped-input gap says what to fix).
    const leftOut = holder === null ? null : leftOutOwnerOf(ctx, trail, holder, ip);
    if (leftOut !== null) return leftOut;
    if (holder !== null && !holdsAddressOwners(ctx.index, holder)) {
      return missingReference(ctx, trail, holder.id, `the NICs, firewalls and internal load balancers of virtual network ${holder.name} (none is in the input; one of them owns next hop ${ip})`,
        'what happens at the next hop');
    }
  }
  if (found.kind === 'unowned') {
    // A secured hub's firewall is reached through Virtual WAN, which a UDR next hop cannot be [UDR].
    const hub = vnet ? ctx.index.hubConnections.get(vnet.id)?.hub : undefined;
    const hubFirewall = hub?.azureFirewallId ? ctx.index.azureFirewalls.get(hub.azureFirewallId) : undefined;
    const note = ip !== null && hubFirewall?.hubPrivateIpAddress === ip
      ? `${ip} is the private IP of secured hub firewall ${hubFirewall.name}: a next hop reachable only through Virtual WAN is not a valid UDR target; use routing intent instead.`
      : '';
    trail.finding('next-hop-unreachable', 'error', `Subnet ${subnet.name}: next hop ${ip ?? '(none)'} of "${describeRoute(route)}" is not owned by any reachable appliance.`,
      'Point the route at the firewall / NVA / internal load balancer private IP, or fix the peering to its VNet.', [subnet.id, ...(route.resourceId ? [route.resourceId] : [])], DOCS.udr);
    return trail.end({ kind: 'next-hop-unowned', route: routeRef(route), vnet: vnet ? named(vnet) : nameOfId(subnet.virtualNetworkId), note });
  }
  // One name per owner and destination context (not one object per source).
  const appliance = memoize(ctx, found, 'appliance', () => ownerOf(found.owner));
  if (found.viaPeering && ip) {
    // A next hop in a peered VNet is reachable only inside what the peering carries: its synced
    // remote address space, and with subnet peering only the named subnets [PEER][SUBNETPEER].
    const peering = found.viaPeering.peering;
    // A whole-VNet peering carries the same for every subnet of the VNet: asked once per VNet.
    // The peering follows from the VNet and the route's next-hop IP, so the route and the VNet (or,
    // for subnet peering, the subnet) key it: no key string per source. Resource IDs cannot collide
    // with the route's other memo variants ('local', 'remote', ...).
    const reach = memoize(ctx, route, peering.peerCompleteVnets === false ? subnet.id : subnet.virtualNetworkId, () => peeringReachAcrossResolves(ctx.index, route, peering, subnet, ip));
    if (reach.kind === 'not-carried') {
      trail.finding('next-hop-unreachable', 'error', `Subnet ${subnet.name}: next hop ${ip} of "${describeRoute(route)}" is in a peered VNet, but peering ${found.viaPeering.peering.name} does not carry it: ${reach.reason}.`,
        'Sync the peering (az network vnet peering sync), or include the appliance subnet in the subnet peering.', [subnet.id, found.viaPeering.peering.id], DOCS.peering);
      return trail.end({ kind: 'next-hop-not-carried', route: routeRef(route), peering: named(found.viaPeering.peering), reason: reach.reason });
    }
    if (reach.kind === 'unknown') {
      return trail.end({ kind: 'undecided', resourceId: found.viaPeering.peering.id, rule: `Peering ${found.viaPeering.peering.name}`, missingFact: reach.reason, docs: DOCS.peering });
    }
    if (found.owner.kind === 'internal-load-balancer') {
      const basic = basicFrontendAcrossRegions(ctx, trail, subnet, route, found.viaPeering, found.owner.loadBalancer, ip);
      if (basic) return basic;
    }
    // One appliance forwarding to the next in a peered VNet: that VNet's peering back decides [PEER].
    const forwarded = forwardedIntoPeeredVnet(ctx, trail, subnet, sender, peering, route, `next hop ${ip}`);
    if (forwarded) return forwarded;
  }
  const looped = loopGuard(ctx, trail, appliance, sender.kind === 'nic' ? sender.nic : null);
  if (looped) return looped;
  if (found.viaPeering && !found.viaPeering.peering.allowForwardedTraffic) {
    trail.finding('allow-forwarded-traffic-missing', 'warning',
      `Peering ${found.viaPeering.peering.name} from ${found.viaPeering.localVirtualNetwork.name} to the appliance's network does not allow forwarded traffic; replies forwarded by the appliance may be dropped (which side enforces it is UNCONFIRMED).`,
      'Enable "Allow forwarded traffic" on both peerings of a hub-and-spoke with a hub appliance.', [found.viaPeering.peering.id], DOCS.peering);
  }
  trail.visit(appliance.id);
  trail.depth += 1;
  switch (found.owner.kind) {
    case 'azure-firewall': return toFirewall(ctx, trail, found.owner.firewall, null);
    case 'nic': return toNva(ctx, trail, found.owner.nic, found.owner.ipConfiguration);
    case 'internal-load-balancer': return toInternalLoadBalancer(ctx, trail, found.owner.loadBalancer, found.owner.frontend);
  }
}

function ruleRef(rule: FirewallRule): FirewallRuleRef {
  return { ruleKind: rule.kind, collection: rule.collection, name: rule.name, priority: rule.priority };
}

function ruleLabel(rule: FirewallRule): string {
  return `${rule.collection}/${rule.name}`;
}

/** The step for a firewall decision. */
function firewallDecisionStep(decision: FirewallDecision, isAddress: boolean): FirewallRuleDecision {
  switch (decision.kind) {
    case 'allow': return {
      kind: 'allow', rule: ruleRef(decision.rule), anyFqdn: decision.rule.kind === 'application',
      ...(decision.exceptFqdns ? { exceptFqdns: decision.exceptFqdns } : {}),
    };
    case 'deny': return { kind: 'deny', rule: ruleRef(decision.rule) };
    case 'default-deny': return { kind: 'default-deny' };
    case 'not-captured': return { kind: 'not-captured', reason: decision.reason };
    case 'unknown': return { kind: 'unknown', reason: decision.reason };
    case 'allow-partial':
      // A what-if names an IP, not a name: application rules match the SNI / Host header and FQDN
      // network rules the firewall's own DNS answers, so whether traffic to this IP gets through
      // depends on the name the client uses, which an IP does not tell [FWRULES] (scenario 15).
      return isAddress
        ? { kind: 'name-based', rules: decision.rules.map(ruleRef), fqdns: decision.fqdns }
        : {
          kind: 'restricted', rules: decision.rules.map(ruleRef), fqdns: decision.fqdns, prefixes: [...decision.prefixes, ...decision.serviceTags.map((t) => `${SERVICE_TAG_ENTRY}${t}`)],
          ...(decision.exceptFqdns ? { exceptFqdns: decision.exceptFqdns } : {}),
        };
  }
}

/** The key under which a decision's step is shared between sources (null: not shared). */
function decisionKey(decision: FirewallDecision): object | null {
  switch (decision.kind) {
    case 'allow': return decision.exceptFqdns ? null : decision.rule;
    case 'deny': return decision.rules.length === 1 ? decision.rule : null;
    case 'default-deny': case 'not-captured': return decision;
    case 'unknown': case 'allow-partial': return null;
  }
}

/**
 * A firewall's rules, sorted and read against the tag data, once per model (they do not depend on
 * the destination): what-ifs and the matrix then share each source's rule signature.
 */
const preparedRuleSets = new WeakMap<ModelIndex, WeakMap<AzureFirewall, WeakMap<object, FirewallRuleSet>>>();
const NO_TAG_DATA = {};

function preparedRuleSet(ctx: EngineContext, firewall: AzureFirewall): FirewallRuleSet {
  let byFirewall = preparedRuleSets.get(ctx.index);
  if (!byFirewall) {
    byFirewall = new WeakMap();
    preparedRuleSets.set(ctx.index, byFirewall);
  }
  let byTags = byFirewall.get(firewall);
  if (!byTags) {
    byTags = new WeakMap();
    byFirewall.set(firewall, byTags);
  }
  let ruleSet = byTags.get(ctx.serviceTags ?? NO_TAG_DATA);
  if (!ruleSet) {
    ruleSet = prepareRuleSet(firewallRuleSet(ctx.index, firewall), ctx.serviceTags);
    byTags.set(ctx.serviceTags ?? NO_TAG_DATA, ruleSet);
  }
  return ruleSet;
}

/** [FWTI] Threat intelligence: Deny mode drops known-malicious traffic before any rule is processed. */
const THREAT_INTEL_DOC = 'https://learn.microsoft.com/azure/firewall/threat-intel';
const THREAT_INTEL_ADVICE = 'Check the firewall\'s threat intelligence logs (AZFWThreatIntel) for drops; add a destination that must never be blocked to the policy\'s threat intelligence allowlist.';

/**
 * Threat intelligence in Deny mode is evaluated before the rules [FWRULES]; its feed (known-
 * malicious IPs and FQDNs) is Microsoft's and changes continuously, so a snapshot cannot decide
 * it: the verdict stays what the rules decide, and this says so.
 */
function threatIntelText(ctx: EngineContext, firewall: AzureFirewall): string {
  const what = ctx.traffic.destination.kind === 'default-route'
    ? 'internet destinations'
    : `${ctx.flow.destination} (the verdict shows what the rules decide)`;
  return `Azure Firewall ${firewall.name} has threat intelligence in Deny mode: traffic to known-malicious IP addresses and FQDNs is dropped before any rule is processed. The rules allow ${ctx.traffic.protocol} ${ctx.traffic.port} to ${what}; whether Microsoft's threat intelligence feed lists a destination cannot be evaluated from the snapshot.`;
}

/**
 * Caveats on FQDN network rules (no DNS proxy, a client not using it, Basic SKU): the finding says
 * why such a rule may not hold (without DNS proxy a decision by one is `unknown`; with the proxy on
 * but the client resolving elsewhere, a what-if on a name is `unknown` and the default route keeps
 * its restriction; on Basic it matches nothing) and how to fix it.
 */
function firewallNotes(firewall: AzureFirewall, notes: readonly FirewallNote[]): readonly Finding[] {
  return notes.map((note) => {
    const basic = note.kind === 'fqdn-basic-sku';
    const client = note.kind === 'fqdn-client-dns';
    return {
      code: 'firewall-fqdn-network-rule', severity: basic ? 'warning' : 'info', message: `Azure Firewall ${firewall.name}: ${note.text}.`,
      advice: basic ? 'Use IP addresses, service tags or IP groups in Basic network rules, or application rules for names (or move to Standard).'
        : client ? 'Set the DNS servers of the VNet (or of the NIC) to the firewall\'s private IP, so clients resolve through its DNS proxy.'
          : 'Enable DNS proxy on the firewall policy and set the VNets\' DNS servers to the firewall\'s private IP.',
      resourceIds: [firewall.id, ...(firewall.firewallPolicyId ? [firewall.firewallPolicyId] : [])],
      docs: basic ? 'https://learn.microsoft.com/azure/firewall/basic-features' : client ? DOCS.firewallDns : 'https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules',
    };
  });
}

/** The client resolves through the firewall's DNS proxy: no memo key suffix. */
const FIREWALL_CLIENT_DNS = { dns: { kind: 'firewall' }, key: '' } as const;

/**
 * How the source resolves names, for FQDN network rules: through the firewall's DNS proxy only
 * when its DNS servers (the NIC's own, else its VNet's; none = Azure-provided DNS) are all the
 * firewall's private IP. "To enable DNS proxy, you must configure your virtual network DNS servers
 * setting to use the firewall private IP address" [FWDNS]; otherwise the client "may travel to a
 * DNS server at a different time or return a different response compared to that of the firewall".
 * A sender whose DNS settings are not known (a platform instance: the gateway forwards traffic of
 * on-premises clients, whose resolvers are not in the snapshot; a firewall's own traffic does not
 * pass its own rules) is not known to ask the proxy: never assumed to. `key`: what decides the
 * answer (the servers, sorted, and whose they are), for the decision memo; its text names no VNet
 * so sources in VNets with the same servers share one decision.
 */
function clientDns(ctx: EngineContext, source: SourceAddress, firewall: AzureFirewall): { readonly dns: ClientDns; readonly key: string } {
  const dns = source.dns;
  const ownServers = dns?.nicDnsServers !== undefined && dns.nicDnsServers.length > 0 ? dns.nicDnsServers : null;
  const vnet = dns ? ctx.index.virtualNetworks.get(dns.virtualNetworkId) : undefined;
  if (!ownServers && !vnet) {
    return { key: '\u0000?', dns: { kind: 'other', fact: `the sender's DNS servers are not in the snapshot, so it is not known to resolve through the firewall's DNS proxy and may get other addresses than the firewall does (${DOCS.firewallDns})` } };
  }
  const servers = [...new Set((ownServers ?? vnet?.dnsServers ?? []).map((s) => s.trim()))].sort();
  const firewallIps = [...firewall.ipConfigurations.map((c) => c.privateIpAddress), firewall.hubPrivateIpAddress].filter((ip): ip is string => !!ip);
  if (servers.length > 0 && servers.every((s) => firewallIps.includes(s))) return FIREWALL_CLIENT_DNS;
  const whose = ownServers ? 'the sending NIC\'s DNS servers' : 'the DNS servers of the source\'s virtual network';
  const used = servers.length === 0 ? 'Azure-provided DNS' : servers.join(', ');
  return {
    key: `\u0000${ownServers ? 'nic' : 'vnet'}:${servers.join(',')}`,
    dns: {
      kind: 'other',
      fact: `${whose} (${used}) are not the firewall's private IP (${firewallIps.join(', ') || 'not in the snapshot'}), so the client does not resolve through the firewall's DNS proxy and may get other addresses than the firewall does (${DOCS.firewallDns})`,
    },
  };
}

/** The firewall's decision for this flow from a source (memoized per rule-set source signature). */
function firewallDecision(ctx: EngineContext, firewall: AzureFirewall, source: SourceAddress): { readonly rules: FirewallRuleSet; readonly decision: FirewallDecision } {
  let ruleSet = ctx.firewallRules.get(firewall);
  if (!ruleSet) {
    ruleSet = preparedRuleSet(ctx, firewall);
    ctx.firewallRules.set(firewall, ruleSet);
  }
  // Sources the rules cannot tell apart (same match on every rule's source side) share one decision.
  const rules = ruleSet;
  // Keyed by the signature itself (a kept string: no key built per source); the rule set owns no other memo entry.
  // With FQDN network rules behind DNS proxy, how the source resolves names is part of the key.
  const dns = dependsOnClientDns(rules) ? clientDns(ctx, source, firewall) : FIREWALL_CLIENT_DNS;
  const key = dns.key === '' ? sourceSignature(rules, source) : `${sourceSignature(rules, source)}${dns.key}`;
  return { rules, decision: memoize(ctx, rules, key, () => evaluateFirewallRules(rules, ctx.traffic, source, dns.dns)) };
}

/** A decision in a few words, to set two side by side. */
function decisionWords(decision: FirewallDecision): string {
  switch (decision.kind) {
    case 'allow': return `allowed by ${ruleLabel(decision.rule)}`;
    case 'allow-partial': return `allowed to some destinations only (${decision.rules.map(ruleLabel).join(', ')})`;
    case 'deny': return `denied by ${decision.rules.map(ruleLabel).join(' + ')}`;
    case 'default-deny': return 'denied (no rule allows it)';
    case 'unknown': case 'not-captured': return `not known (${decision.reason})`;
  }
}

function sameTexts(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = [...(a ?? [])].sort();
  const y = [...(b ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Whether two decisions of one firewall lead the path on alike: both denied, both unknown, or
 * allowed to the same destinations with the same SNAT answer (an application rule always SNATs, a
 * network rule not to the SNAT private ranges [FWSNAT]), so what follows is the same.
 */
function sameFirewallAnswer(ctx: EngineContext, firewall: AzureFirewall, a: FirewallDecision, b: FirewallDecision): boolean {
  if (a === b) return true;
  const denied = (d: FirewallDecision): boolean => d.kind === 'deny' || d.kind === 'default-deny';
  const undecided = (d: FirewallDecision): boolean => d.kind === 'unknown' || d.kind === 'not-captured';
  if (denied(a) || denied(b)) return denied(a) && denied(b);
  if (undecided(a) || undecided(b)) return undecided(a) && undecided(b);
  // The same memo entry firewallSnatStep reads.
  const snat = (d: FirewallDecision): string => memoize(ctx, d, firewall.id, () => firewallSnatOutcome(ctx, firewall, d))?.kind ?? 'snat';
  if (snat(a) !== snat(b)) return false;
  if (a.kind === 'allow' && b.kind === 'allow') return sameTexts(a.exceptFqdns, b.exceptFqdns);
  if (a.kind === 'allow-partial' && b.kind === 'allow-partial') {
    return sameTexts(a.prefixes, b.prefixes) && sameTexts(a.serviceTags, b.serviceTags) && sameTexts(a.fqdns, b.fqdns) && sameTexts(a.exceptFqdns, b.exceptFqdns);
  }
  return false;
}

/**
 * A firewall after an NVA sees the original source, or one of the NVA's own addresses (any NIC,
 * any IP configuration of its VM) if the NVA SNATs. Learn requires the NAT only where "the
 * appliance needs to route traffic to a public IP address" [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview; towards a
 * firewall it is the appliance's own configuration, which the input does not hold. When the rules
 * answer alike for all these sources the answer stands; otherwise the path is unknown, naming the
 * NVA and the address, never the answer for the pre-NVA source. Null when the walk goes on.
 */
function nvaSnatQuestion(ctx: EngineContext, trail: Trail, firewall: AzureFirewall, decision: FirewallDecision): Outcome | null {
  // Every address of every NVA passed (Trail.nvaSources) may be the one it SNATs to; so may an
  // earlier Azure Firewall's, where its SNAT settings do not decide [FWSNAT].
  for (const nva of trail.nvaSources) {
    const other = firewallDecision(ctx, firewall, nva.source).decision;
    if (sameFirewallAnswer(ctx, firewall, decision, other)) continue;
    const kept = trail.snatSource ? originalCandidate(trail).label : 'the original source';
    const why = nva.snatFact ? `whether it does is not known (${stop(nva.snatFact)})` : 'which is the appliance\'s own configuration (it may keep the source, or SNAT to any of its private addresses)';
    return trail.end({ kind: 'undecided', resourceId: nva.nic.id, rule: `${nva.who} before Azure Firewall ${firewall.name}: source NAT not in the input`, docs: nva.snatFact ? DOCS.firewallSnatPrivateRanges : DOCS.udr,
      missingFact: `whether ${nva.who} SNATs the traffic to ${nva.snatFact ? nva.label : `its own address ${nva.label}`} before forwarding it to Azure Firewall ${firewall.name}, ${why}: the firewall's rules answer differently for ${kept} (${decisionWords(decision)}) and for ${nva.label} (${decisionWords(other)})` });
  }
  return null;
}

/** The firewall's rules for this flow; null when the walk goes on. */
function firewallRules(ctx: EngineContext, trail: Trail, firewall: AzureFirewall, judged: ReturnType<typeof firewallDecision>): Outcome | null {
  const { rules, decision } = judged;
  trail.sourceConsulted = true;
  const snatQuestion = nvaSnatQuestion(ctx, trail, firewall, decision);
  if (snatQuestion) return snatQuestion;
  const policyId = firewall.firewallPolicyId;
  if (decision.notes) {
    const notes = decision.notes;
    // Texts built once per decision (shared by sources with one rule signature), not per path.
    for (const f of memoize(ctx, decision, 'notes', () => firewallNotes(firewall, notes))) trail.finding(f.code, f.severity, f.message, f.advice ?? '', f.resourceIds ?? [], f.docs ?? '');
  }
  if (rules.kind === 'rules' && rules.threatIntelDeny && (decision.kind === 'allow' || (decision.kind === 'allow-partial' && ctx.traffic.destination.kind === 'default-route'))) {
    // Built once per decision (sources with one rule signature share it), not once per path.
    const text = memoize(ctx, decision, 'threat-intel', () => threatIntelText(ctx, firewall));
    trail.finding('firewall-threat-intel-deny', 'info', text, THREAT_INTEL_ADVICE, [firewall.id, ...(policyId ? [policyId] : [])], THREAT_INTEL_DOC);
  }
  // Only the default route is "the internet": for an address or a range, rules that allow names
  // only decide by the name the client uses, which the destination does not tell.
  const isAddress = ctx.traffic.destination.kind !== 'default-route';
  if (trail.recording) {
    const make = (): Step => ({ kind: 'firewall-rule', firewall: named(firewall), policyId, decision: firewallDecisionStep(decision, isAddress), flow: ctx.flow });
    const key = decisionKey(decision);
    trail.add(key === null ? make() : memoize(ctx, key === decision ? firewall : key, `fw:${decision.kind}`, make));
  }
  // An allow goes on without words (the common case at estate scale: no text built per source).
  if (decision.kind === 'allow') {
    // Names an earlier rule denies stay denied: the internet is allowed except their addresses.
    if (decision.exceptFqdns) {
      const stopped = restrictByFirewall(ctx, trail, firewall, [`${EVERY_EXCEPT}${decision.exceptFqdns.join(', ')}`]);
      if (stopped) return stopped;
    }
    return firewallSnatStep(ctx, trail, firewall, decision);
  }
  const flow = `${ctx.traffic.protocol} ${ctx.traffic.port}`;
  switch (decision.kind) {
    case 'allow-partial': {
      if (isAddress) {
        // Application rules match the SNI / Host name, never the IP; HTTPS without SNI is denied [FWRULES].
        const allowed = decision.fqdns.includes('*')
          ? `to any host name (application rule \`*\`), matched by the TLS SNI / HTTP Host header; a connection to the bare IP without a name is denied`
          : `only to ${decision.fqdns.join(', ')} (matched by SNI / Host header or its DNS proxy), so traffic to this destination gets through only for one of those names`;
        return trail.end({ kind: 'undecided', resourceId: policyId ?? firewall.id, rule: `Firewall ${firewall.name}: only named destinations allowed`,
          missingFact: `the host name the client uses for ${ctx.flow.destination}: the firewall allows ${flow} ${allowed}`,
          docs: DOCS.firewallRules });
      }
      const stopped = restrictByFirewall(ctx, trail, firewall, [...decision.prefixes, ...decision.serviceTags.map((t) => `${SERVICE_TAG_ENTRY}${t}`), ...decision.fqdns,
        ...(decision.exceptFqdns ? [`${RESTRICTION_EXCEPT}${decision.exceptFqdns.join(', ')}`] : [])]);
      return stopped ?? firewallSnatStep(ctx, trail, firewall, decision);
    }
    case 'deny':
      return trail.end({ kind: 'firewall-deny', firewall: named(firewall), rule: decision.rules.map(ruleLabel).join(' + ') });
    case 'default-deny':
      trail.finding('firewall-default-deny', 'warning', `Azure Firewall ${firewall.name} has no rule allowing ${flow} to ${ctx.flow.destination}: internet traffic sent to it is denied.`,
        'Add a network or application rule for the traffic that should reach the internet.', [firewall.id, ...(policyId ? [policyId] : [])], DOCS.firewallRules);
      return trail.end({ kind: 'firewall-deny', firewall: named(firewall), rule: null });
    case 'unknown':
      // The model index already records each missing IP group as a gap.
      return trail.end({ kind: 'undecided', resourceId: policyId ?? firewall.id, rule: `Firewall ${firewall.name} rule ${ruleLabel(decision.rule)}`,
        missingFact: decision.reason, docs: decision.missingIpGroupIds.length > 0 ? DOCS.ipGroups : DOCS.firewallRules });
    case 'not-captured':
      // Rules that were not read could allow or deny anything: unknown, never assumed to allow.
      trail.finding('firewall-rules-not-captured', 'warning', `Azure Firewall ${firewall.name}: ${decision.reason}, so whether it allows internet traffic is not known.`,
        policyId ? 'Capture the firewall policy and its rule collection groups.' : 'Capture the firewall with its rule collections (az network firewall show -o json prints them).',
        [firewall.id, ...(policyId ? [policyId] : [])], DOCS.firewallRules);
      return trail.end({ kind: 'undecided', resourceId: policyId ?? firewall.id, rule: `Firewall ${firewall.name}: rules not captured`,
        missingFact: `the rules of firewall ${firewall.name} (${decision.reason}), which decide whether it allows ${ctx.flow.destination}`, docs: DOCS.firewallRules });
  }
}

/**
 * The firewall's restriction after what the rules before it (the source NSGs) allow: NSGs match the
 * packet's original destination, so they still apply to traffic routed to the firewall [NSG]
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview; both must
 * allow it. Nothing in common: denied (the firewall allows nothing the NSG lets through; INFERRED,
 * as scenario 33 of shared/reference/egress-rules.md); not known without tag / name data: unknown.
 * Null when the walk goes on.
 */
function restrictByFirewall(ctx: EngineContext, trail: Trail, firewall: AzureFirewall, allowed: readonly string[]): Outcome | null {
  const both = intersectRestrictions(ctx, trail.restrictedTo, allowed);
  switch (both.kind) {
    case 'restricted': trail.restrictedTo = both.list; return null;
    case 'empty':
      trail.finding('firewall-default-deny', 'warning', `Azure Firewall ${firewall.name} allows none of the destinations the NSG rules before it let through (${(trail.restrictedTo ?? []).join(', ')}): internet traffic sent to it is denied.`,
        'Align the NSG rules and the firewall rules for the traffic that should reach the internet.', [firewall.id, ...(firewall.firewallPolicyId ? [firewall.firewallPolicyId] : [])], DOCS.firewallRules);
      return trail.end({ kind: 'firewall-deny', firewall: named(firewall), rule: null });
    case 'unknown':
      return trail.end({ kind: 'undecided', resourceId: firewall.firewallPolicyId ?? firewall.id, rule: `Firewall ${firewall.name} after the NSG rules`, missingFact: both.fact, docs: DOCS.firewallRules });
  }
}

/** The firewall's SNAT answer when it ends the path (no SNAT and a direct Internet route); null when the walk goes on. */
function firewallSnatOutcome(ctx: EngineContext, firewall: AzureFirewall, decision: FirewallDecision): Extract<FirewallSnat, { kind: 'no-snat' | 'unknown' }> | null {
  const snat = firewallSnat(ctx.index, firewall, decision, ctx.traffic.destination);
  if (snat.kind === 'snat' || snat.kind === 'partial-snat') return null;
  // A secured-hub firewall (AZFW_Hub) has no AzureFirewallSubnet of ours to route through: it
  // egresses straight from its hub public IPs (hubPublicIpAddresses, see hubFirewallEgress), and
  // forced tunnelling from a secured hub "is not currently supported" [FWFT]. Its only way out is
  // direct, so no-SNAT (policy SNAT private ranges, which hub firewalls read as VNet ones do) ends it
  // https://learn.microsoft.com/azure/firewall/snat-private-range
  if (firewall.skuName === 'AZFW_Hub' || firewall.virtualHubId !== null) return snat;
  const subnetId = firewall.ipConfigurations.find((c) => c.subnetId !== null)?.subnetId ?? null;
  const subnet = subnetId ? ctx.index.subnets.get(subnetId) : undefined;
  const winner = subnet ? lookup(ctx, ctx.routes.routesFor(subnet)).winner : null;
  const direct = !winner || (winner.nextHop.kind === 'known' && winner.nextHop.type === 'Internet');
  return direct ? snat : null;
}

/**
 * Network-rule traffic to destinations in the firewall's SNAT private ranges keeps its private
 * source; with `0.0.0.0/0` the firewall "can never route traffic directly to the Internet"
 * [FWSNAT] https://learn.microsoft.com/azure/firewall/snat-private-range. It can still go on to a
 * forced-tunnel next hop, so only a direct Internet route ends the path.
 */
function firewallSnatStep(ctx: EngineContext, trail: Trail, firewall: AzureFirewall, decision: FirewallDecision): Outcome | null {
  // Hub (AZFW_Hub) firewalls are checked too: the SNAT private ranges live in the firewall policy,
  // which secured-hub firewalls use as VNet firewalls do, and 0.0.0.0/0 there means never SNAT, so
  // no direct internet egress from the hub public IPs either [FWSNAT].
  // Depends on the firewall, the decision and the destination only: once per decision (sources
  // with one rule signature share the decision object).
  const snat = memoize(ctx, decision, firewall.id, () => firewallSnatOutcome(ctx, firewall, decision));
  if (!snat) return null;
  if (snat.kind === 'unknown') {
    return trail.end({ kind: 'undecided', resourceId: firewall.firewallPolicyId ?? firewall.id, rule: `Azure Firewall ${firewall.name} SNAT private ranges`, missingFact: snat.reason, docs: DOCS.firewallSnatPrivateRanges });
  }
  return trail.end({ kind: 'firewall-no-snat', firewall: named(firewall), privateRanges: snat.privateRanges });
}

function toFirewall(ctx: EngineContext, trail: Trail, firewall: AzureFirewall, hub: VirtualHub | null): Outcome {
  trail.passVia({ kind: 'azure-firewall', id: firewall.id });
  if (trail.recording) trail.add(memoize(ctx, firewall, hub ? 'hub' : 'vnet', (): Step => ({
    kind: 'azure-firewall', firewall: named(firewall), skuName: firewall.skuName, skuTier: firewall.skuTier,
    forcedTunnel: firewall.managementIpConfiguration !== null, hub: hub ? named(hub) : null,
  })));
  // After an earlier Azure Firewall that SNATs, this one sees that firewall's address [FWSNAT].
  // Judged once per walk: the rules and the SNAT recorded below read the same decision.
  const judged = firewallDecision(ctx, firewall, packetSource(trail));
  const stopped = firewallRules(ctx, trail, firewall, judged);
  if (stopped) return stopped;
  if (hub || firewall.skuName === 'AZFW_Hub') return hubFirewallEgress(ctx, trail, firewall);
  const subnetId = firewall.ipConfigurations.find((c) => c.subnetId !== null)?.subnetId ?? null;
  const subnet = subnetId ? ctx.index.subnets.get(subnetId) : undefined;
  if (!subnet) {
    addGap(ctx, { code: 'missing-reference', scope: firewall.id, message: 'The firewall\'s AzureFirewallSubnet is not in the snapshot: its egress cannot be followed.' });
    return trail.end({ kind: 'missing-resource', resourceId: firewall.id, what: `AzureFirewallSubnet of ${firewall.name}`, consequence: 'the firewall\'s own egress' });
  }
  // The firewall SNATs, then its own subnet's routes and outbound method apply [FWNAT][FWFT].
  recordFirewallSnat(ctx, trail, firewall, subnet, judged.decision);
  return forwardFromAppliance(ctx, trail, subnet, { kind: 'firewall', firewall }, firewall);
}

/**
 * The source the packet carries as it leaves a VNet Azure Firewall, recorded on the trail for
 * every rule further on (an NVA's or private endpoint's inbound NSG, another firewall). Traffic the
 * firewall SNATs leaves from "one of the firewall's private IP addresses in AzureFirewallSubnet"
 * (forced tunnelling: "Internet-bound traffic is SNATed to one of the firewall's private IP
 * addresses in AzureFirewallSubnet, hiding the source"); application rules always SNAT; network
 * rules do not SNAT destinations in the SNAT private ranges [FWSNAT]
 * https://learn.microsoft.com/azure/firewall/snat-private-range (firewallSnat reads which). Which
 * instance's address it is, is not in the input: the whole AzureFirewallSubnet range stands for it
 * (a rule then decides only if it decides alike for every address in it). SNATed for certain: the
 * packet carries that address in place of the original source (and of any NVA's before it). Not
 * decided by the input (auto-learned ranges, a flow allowed partly by each kind of rule): the
 * address joins the candidates (Trail.nvaSources) a rule further on must answer alike for.
 */
function recordFirewallSnat(ctx: EngineContext, trail: Trail, firewall: AzureFirewall, subnet: Subnet, decision: FirewallDecision): void {
  const arriving = packetSource(trail);
  // Depends on the firewall, the decision and the destination only: once per decision (sources
  // with one rule signature share it; a decision belongs to one firewall's rule set). A constant
  // key: this runs on every walk through a firewall, and a key built from the ID cost ~10% of a
  // destinations matrix.
  const snat = memoize(ctx, decision, 'record-snat', () => firewallSnat(ctx.index, firewall, decision, ctx.traffic.destination));
  if (snat.kind === 'no-snat') return;
  // One object per firewall subnet (NSG verdicts are cached by the source object), with its words; the client still resolves names itself.
  const maker = memoize(ctx, subnet, 'firewall-snat-source', (): SnatMaker & { readonly range: SourceAddress; readonly who: string; readonly label: string } => {
    const range = subnetSource(subnet);
    const who = `Azure Firewall ${firewall.name}`;
    const label = `an address of ${subnet.name} (${range.cidrs.map(formatCidr).join(', ') || 'not known'})`;
    return { range, who, label, make: (arriving, dns) => ({ nic: named(firewall), who, source: dns ? { ...range, dns } : range, label, arriving }) };
  });
  if (snat.kind === 'snat') {
    trail.snatBy(maker, arriving);
    return;
  }
  const { range, who, label } = maker;
  const dns = trail.source.dns;
  const source = dns ? { ...range, dns } : range;
  const snatFact = snat.kind === 'unknown' ? snat.reason
    : `the flow is allowed by application rules (always SNATed) and by network rules, which do not SNAT ${snat.noSnatPrefixes.join(', ')} (SNAT private ranges ${snat.privateRanges.join(', ') || 'the IANA defaults'})`;
  trail.nvaSources = mergeSources(trail.nvaSources, [{ nic: named(firewall), who, source, label, snatFact }]);
}

function hubFirewallEgress(ctx: EngineContext, trail: Trail, firewall: AzureFirewall): Outcome {
  const ips = firewall.hubPublicIpAddresses;
  const count = firewall.hubPublicIpCount ?? null;
  if (ips.length === 0 && count === 0) {
    // "No public IP addresses assigned to Azure Firewall: Azure Firewall processes internet traffic
    // and blackholes" is documented for forced-tunnel mode only [VWAN-INET]; with direct internet
    // access (an Internet routing policy) what happens is not documented: unknown, never internet.
    return trail.end({ kind: 'undecided', resourceId: firewall.id, rule: `Hub firewall ${firewall.name} with no public IP (hubIPAddresses.publicIPs.count = 0)`, docs: DOCS.vwanInternetRouting,
      missingFact: `what hub firewall ${firewall.name} does with internet traffic when it has no public IP address: Microsoft documents that it blackholes it in forced-tunnel mode, not what happens with direct internet access` });
  }
  if (ips.length === 0) {
    // The egress IPs exist (count > 0) or may (count not given) but the input does not name them [FWHUB]
    // https://learn.microsoft.com/rest/api/firewall/azure-firewalls/get (hubIPAddresses.publicIPs).
    addGap(ctx, { code: 'not-modelled', scope: firewall.id, message: `Hub firewall ${firewall.name}: its public IP addresses (hubIPAddresses.publicIPs.addresses${count !== null ? `, ${count} by count` : ''}) are not in the input, so the egress IPs of the paths through it are not named. Export the firewall whole (az network firewall show).` });
  }
  // The firewall SNATs to any of its public IPs ("randomly selects the source public IP address",
  // https://learn.microsoft.com/azure/firewall/features#multiple-public-ip-addresses): when the count
  // says it has more than the input lists, the rest are named as not in the input, never dropped.
  const unlisted = count !== null && ips.length > 0 && count > ips.length ? count - ips.length : 0;
  if (unlisted > 0) {
    addGap(ctx, { code: 'not-modelled', scope: firewall.id, message: `Hub firewall ${firewall.name}: hubIPAddresses.publicIPs.count is ${count} but the input lists ${ips.length} address(es), so ${unlisted} of the egress IPs of the paths through it are not named. Export the firewall whole (az network firewall show).` });
  }
  const egressIps = unlisted > 0 ? [...ips, `${unlisted} more public IP${unlisted === 1 ? '' : 's'} of ${firewall.name} (not in the input)`] : ips;
  // A floor: 2,496 ports per public IP per instance, two instances at least, more as it scales out [FWNAT].
  const snatPorts = ips.length > 0 ? firewallMinimumSnatPorts(Math.max(ips.length, count ?? 0)) : null;
  trail.add(memoize(ctx, firewall, 'hub-public-ip', (): Step => ({
    kind: 'public-ip', owner: 'hub-firewall', resourceId: firewall.id, ownerId: firewall.id, ownerName: firewall.name, publicIpName: null, egressIps,
  })));
  const shared = memoize(ctx, firewall, 'hub-internet', (): TerminalStep => ({
    kind: 'terminal', reason: { kind: 'egress', exit: 'public-ip', egressIps, egressText: egressIps.join(', ') || 'the hub firewall', restrictedTo: null },
  }));
  return endInternet(ctx, trail, shared, 'public-ip', egressIps, snatPorts, { resourceId: firewall.id, where: `the internet egress of hub firewall ${firewall.name}` });
}

/**
 * Whether an NSG's rules for a direction can look at the source: if every rule's source is any,
 * VirtualNetwork (every source here is in a VNet) or absent, the result is the same for all
 * sources and is evaluated once per NSG (estate scale).
 */
function sourceInsensitive(nsg: NetworkSecurityGroup, direction: NsgDirection): boolean {
  let cached = sourceInsensitiveNsgs.get(nsg);
  if (!cached) {
    const of = (d: NsgDirection): boolean => nsg.securityRules.every((r) => r.direction !== d
      || ((r.sourceApplicationSecurityGroupIds ?? []).length === 0
        && r.sourceAddressPrefixes.every((p) => ['*', 'any', '0.0.0.0/0', 'virtualnetwork'].includes(p.trim().toLowerCase()))));
    cached = { Inbound: of('Inbound'), Outbound: of('Outbound') };
    sourceInsensitiveNsgs.set(nsg, cached);
  }
  return cached[direction];
}

const sourceInsensitiveNsgs = new WeakMap<NetworkSecurityGroup, Readonly<Record<NsgDirection, boolean>>>();

function sourceKey(source: SourceAddress): string {
  return `${source.cidrs.map((c) => `${c.version}:${String(c.network)}/${c.prefixLength}`).join(',')}|${(source.applicationSecurityGroupIds ?? []).join(',')}`;
}

/** One NSG's verdict for the flow and a step that records it, shared between sources where the NSG cannot tell them apart. */
/**
 * What the `VirtualNetwork` service tag certainly holds for NICs in a VNet: its address space and
 * what its connected peerings carry [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
function virtualNetworkTagKnown(ctx: EngineContext, vnetId: string): readonly string[] {
  return memoize(ctx, ctx.index, `vnet-tag:${vnetId}`, () => {
    const vnet = ctx.index.virtualNetworks.get(vnetId as ResourceId);
    if (!vnet) return [];
    const peered = (ctx.index.peerings.get(vnet.id) ?? []).flatMap(({ peering }) => (peering.peeringState === 'Connected' ? peering.remoteAddressPrefixes : []));
    return [...vnet.addressPrefixes, ...peered];
  });
}

/**
 * The application security groups of the NIC IP configurations in the input holding a private
 * address (a rule naming destination ASGs applies to the members' addresses [ASG]
 * https://learn.microsoft.com/azure/virtual-network/application-security-groups). Null when no NIC
 * holds it, or when NICs holding it (in different VNets) disagree: membership is then not known.
 */
function asgsHolding(ctx: EngineContext, ip: string): readonly ResourceId[] | null {
  const byIp = memoize(ctx, ctx.index, 'asgs-by-private-ip', () => {
    const map = new Map<string, (readonly ResourceId[])[]>();
    for (const nic of ctx.index.model.networkInterfaces) {
      for (const config of nic.ipConfigurations) {
        if (!config.privateIpAddress) continue;
        const list = map.get(config.privateIpAddress) ?? [];
        list.push(config.applicationSecurityGroupIds ?? []);
        map.set(config.privateIpAddress, list);
      }
    }
    return map;
  });
  const held = byIp.get(ip);
  if (!held || held.length === 0) return null;
  const first = held[0] ?? [];
  const key = (ids: readonly ResourceId[]): string => [...ids].sort().join(',');
  return held.every((ids) => key(ids) === key(first)) ? first : null;
}

/**
 * `endpoint`: the NSG is a private endpoint subnet's, applied to traffic to that endpoint by its
 * network policies [PENP]. An endpoint's application security groups are a property of the endpoint
 * (`applicationSecurityGroups`), which the model does not read, so a rule naming destination ASGs
 * is undecided there (never decided from the endpoint NIC's IP configuration, which need not carry them).
 */
function nsgVerdict(ctx: EngineContext, nsg: NetworkSecurityGroup, attachedTo: 'NIC' | 'subnet', direction: NsgDirection, source: SourceAddress, vnetId: string,
  endpoint: Named | null = null): { readonly verdict: NsgVerdict; readonly step: NsgStep; readonly restriction: readonly string[] } {
  const key = sourceInsensitive(nsg, direction) ? '' : sourceKey(source);
  return memoize(ctx, nsg, `nsg:${attachedTo}:${direction}:${vnetId}:${key}${endpoint ? `:pe:${endpoint.id}` : ''}`, () => {
    const verdict = evaluateNsgForDestination(nsg, ctx.traffic, source, direction,
      { serviceTags: ctx.serviceTags, virtualNetworkKnown: virtualNetworkTagKnown(ctx, vnetId), destinationAsgsOf: endpoint ? () => null : (ip) => asgsHolding(ctx, ip),
        // Traffic destined to a private endpoint: "Source port filtering is interpreted as *" [PEOV]
        // https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-group
        sourcePortsAsAny: endpoint !== null });
    const allowed = verdict.access === 'Partial' ? [...verdict.allowedPrefixes, ...verdict.allowedServiceTags.map((t) => `${SERVICE_TAG_ENTRY}${t}`)] : [];
    // A deny on a service tag without prefix data, processed before the allows, removes the tag's
    // addresses from what is allowed ("once traffic matches a rule, processing stops" [NSG]
    // https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview): the
    // restriction must keep it, or the path would read as allowing those addresses.
    const excepted = verdict.access === 'Partial' ? verdict.exceptServiceTags.map((t) => `${SERVICE_TAG_ENTRY}${t}`) : [];
    const step: NsgStep = {
      kind: 'nsg', nsg: named(nsg), attachedTo, direction, access: verdict.access,
      rules: uniqueRules(verdict.rules.map((e) => e.rule)).map((r) => ({ name: r.name, priority: r.priority, access: r.access, isDefault: r.isDefault })),
      defaultsAssumed: verdict.defaultsAssumed && verdict.rules.some((e) => e.rule.isDefault), allowed,
      note: verdict.access === 'Unknown' ? unknownNsgNote(verdict, endpoint)
        : [excepted.length > 0 ? `Except the addresses of ${excepted.join(', ')}, which an earlier deny rule drops (the tag's prefixes are not in the snapshot).` : null,
          endpoint ? sourcePortsReadAsAny(verdict.rules.map((e) => e.rule)) : null].filter((n): n is string => n !== null).join(' ') || null,
      flow: ctx.flow, destinationScope: destinationScope(ctx),
      ...(endpoint ? { privateEndpoint: endpoint } : {}),
    };
    return { verdict, step, restriction: [...allowed, ...excepted.map((e) => `${RESTRICTION_EXCEPT}${e}`)] };
  });
}

/**
 * For traffic destined to a private endpoint, "Source port filtering is interpreted as *" [PEOV]:
 * said when a deciding rule names source ports, so the hop does not read as that rule matching
 * only those ports. Null when no deciding rule names any.
 * https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-group
 */
function sourcePortsReadAsAny(rules: readonly SecurityRule[]): string | null {
  const limited = uniqueRules(rules).filter((r) => (r.sourcePortRanges ?? []).some((p) => !['*', 'any'].includes(p.trim().toLowerCase())));
  if (limited.length === 0) return null;
  return `Rule ${limited.map((r) => `${r.name} (source ports ${(r.sourcePortRanges ?? []).join(', ')})`).join(', ')} applies to every source port here: for traffic destined to a private endpoint, source port filtering is interpreted as * (https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-group).`;
}

/** The fact an Unknown NSG verdict lacks; for a private endpoint, its ASG memberships are what is not read (see nsgVerdict). */
function unknownNsgNote(verdict: Extract<NsgVerdict, { access: 'Unknown' }>, endpoint: Named | null): string {
  const asgRules = endpoint ? verdict.missing.flatMap((m) => (m.kind === 'destination-asg-membership' ? [m] : [])) : [];
  if (!endpoint || asgRules.length === 0) return verdict.reason;
  return asgRules.map((m) => `rule ${m.rule} applies to destinations in application security group ${m.asgs.join(', ')}, and whether private endpoint ${endpoint.name} is in it is not known: an endpoint's application security groups are not read from the input (https://learn.microsoft.com/cli/azure/network/private-endpoint/asg).`).join(' ');
}

/** The flow's destination as address space (see NsgStep.destinationScope); one answer per context. */
function destinationScope(ctx: EngineContext): DestinationScope {
  let scope = destinationScopes.get(ctx);
  if (scope === undefined) {
    scope = scopeOf(ctx.traffic.destination);
    destinationScopes.set(ctx, scope);
  }
  return scope;
}

const destinationScopes = new WeakMap<EngineContext, DestinationScope>();

function scopeOf(destination: EgressDestination): DestinationScope {
  switch (destination.kind) {
    case 'default-route': return 'public';
    case 'address': return isPublicIp(destination.ip) ? 'public' : 'private';
    // A name whose address is not known is evaluated as the internet (all public space), as the NSG evaluation does.
    case 'name': return destination.address === null || isPublicIp(destination.address) ? 'public' : 'private';
    case 'range': {
      // An IPv6 range has no IPv4 set: neither word is certain.
      if (destination.set.isEmpty()) return 'mixed';
      return publicIpv4().containsSet(destination.set) ? 'public' : publicIpv4().overlaps(destination.set) ? 'mixed' : 'private';
    }
  }
}

function uniqueRules(rules: readonly SecurityRule[]): SecurityRule[] {
  return rules.filter((r, i) => rules.indexOf(r) === i);
}

/**
 * NSG rules for one direction at one NIC / subnet [NSG]: a deny ends the path; a partial allow
 * restricts it to what is allowed (it is not a denial); an answer that needs data the model lacks
 * (service-tag prefixes, what the VirtualNetwork tag holds) ends it as unknown, naming the fact.
 */
function nsgCheck(ctx: EngineContext, trail: Trail, nsgId: ResourceId | null, attachedTo: 'NIC' | 'subnet', direction: NsgDirection, source: SourceAddress, vnetId: string,
  endpoint: Named | null = null): TerminalReason | null {
  if (!nsgId) return null;
  const nsg = ctx.index.networkSecurityGroups.get(nsgId);
  if (!nsg) {
    addGap(ctx, { code: 'missing-reference', scope: nsgId, message: `Network security group ${nameOfId(nsgId).name} is referenced but not in the input: its rules decide whether traffic passes.` });
    return { kind: 'missing-resource', resourceId: nsgId, what: `network security group ${nameOfId(nsgId).name}`, consequence: 'whether its rules let the traffic through' };
  }
  const { verdict, step, restriction } = nsgVerdict(ctx, nsg, attachedTo, direction, source, vnetId, endpoint);
  if (!sourceInsensitive(nsg, direction)) trail.sourceConsulted = true;
  trail.add(step);
  switch (verdict.access) {
    case 'Allow': return null;
    case 'Deny': return { kind: 'nsg-deny', nsg: named(nsg), rules: step.rules.filter((r) => r.access === 'Deny').map((r) => r.name), direction };
    case 'Partial': {
      const destination = ctx.traffic.destination;
      if (destination.kind === 'name' && destination.address === null) {
        // NSGs see addresses, not names: only part of the internet is allowed, and which address the name has is not known.
        return { kind: 'undecided', resourceId: nsg.id, rule: `NSG ${nsg.name} (${direction.toLowerCase()})`, docs: DOCS.nsg,
          missingFact: `the address ${destination.name} resolves to: the NSG allows only ${step.allowed.join(', ')} (give it with --resolve ${destination.name}=IP)` };
      }
      const both = intersectRestrictions(ctx, trail.restrictedTo, restriction);
      trail.sourceConsulted = true;
      // Both NSGs must allow a packet [NSGHOW]: empty means this one denies everything the earlier one allows.
      if (both.kind === 'empty') return { kind: 'nsg-deny', nsg: named(nsg), rules: step.rules.filter((r) => r.access === 'Deny').map((r) => r.name), direction };
      if (both.kind === 'unknown') return { kind: 'undecided', resourceId: nsg.id, rule: `NSG ${nsg.name} (${direction.toLowerCase()})`, missingFact: both.fact, docs: DOCS.nsg };
      trail.restrictedTo = both.list;
      return null;
    }
    case 'Unknown':
      return { kind: 'undecided', resourceId: nsg.id, rule: `NSG ${nsg.name} (${direction.toLowerCase()})`, missingFact: step.note ?? verdict.reason, docs: DOCS.nsg };
  }
}

function endIf(trail: Trail, reason: TerminalReason | null): Outcome | null {
  return reason ? trail.end(reason) : null;
}

/**
 * A path restriction read back from its entries: `every` (the whole destination, e.g. the
 * firewall's "every destination except …" or an NSG whose allowed prefixes cover all of it),
 * IPv4 prefixes, other positive entries (service tags, FQDNs) and the excepted entries (`except …`:
 * denied by a rule processed earlier, e.g. an NSG deny on a service tag without prefix data).
 */
interface ParsedRestriction {
  readonly every: boolean;
  readonly prefixes: Ipv4Set;
  readonly names: readonly string[];
  readonly excepts: readonly string[];
}

const EVERY_EXCEPT = EVERY_DESTINATION_EXCEPT;

/** Per restriction list (lists are shared: an NSG's is memoized per NSG), destination universe and tag data. */
const parsedRestrictions = new WeakMap<readonly string[], { readonly universe: Ipv4Set | null; readonly tags: ServiceTagIndex | null; readonly parsed: ParsedRestriction }[]>();

function parseRestriction(list: readonly string[], universe: Ipv4Set | null, tags: ServiceTagIndex | null): ParsedRestriction {
  let held = parsedRestrictions.get(list);
  if (!held) {
    held = [];
    parsedRestrictions.set(list, held);
  }
  const found = held.find((h) => h.universe === universe && h.tags === tags);
  if (found) return found.parsed;
  const parsed = readRestriction(list, universe, tags);
  held.push({ universe, tags, parsed });
  return parsed;
}

const SERVICE_TAG = SERVICE_TAG_ENTRY;

/**
 * A restriction's entries read back. A service tag the tag data lists is its prefixes (an NSG
 * allowing Storage and a firewall allowing the Storage tag then intersect as addresses).
 */
function readRestriction(list: readonly string[], universe: Ipv4Set | null, tags: ServiceTagIndex | null): ParsedRestriction {
  let every = false;
  // One set built from every prefix at once: a service tag's thousands of prefixes, unioned one by
  // one, cost quadratic time.
  const intervals: Ipv4Interval[] = [];
  const names: string[] = [];
  const excepts: string[] = [];
  for (const entry of list) {
    if (entry.startsWith(EVERY_EXCEPT)) { every = true; excepts.push(entry.slice(EVERY_EXCEPT.length)); continue; }
    if (entry.startsWith(RESTRICTION_EXCEPT)) { excepts.push(entry.slice(RESTRICTION_EXCEPT.length)); continue; }
    const set = Ipv4Set.tryFromCidr(entry) ?? (tags && entry.startsWith(SERVICE_TAG) ? tags.prefixes(entry.slice(SERVICE_TAG.length)) : null);
    if (set) intervals.push(...set.intervals);
    else names.push(entry);
  }
  const prefixes = Ipv4Set.fromIntervals(intervals);
  // Prefixes that hold the whole destination restrict nothing but the exceptions.
  if (!every && universe && !universe.isEmpty() && prefixes.containsSet(universe)) every = true;
  return { every, prefixes: every ? Ipv4Set.empty() : prefixes, names: every ? [] : names, excepts };
}

/** The result of two restrictions in a row: what both allow, nothing, or not known without tag / name data. */
type Intersection =
  /** `list` null: nothing is restricted after all. */
  | { readonly kind: 'restricted'; readonly list: readonly string[] | null }
  | { readonly kind: 'empty' }
  | { readonly kind: 'unknown'; readonly fact: string };

const universes = new WeakMap<EngineContext, Ipv4Set | null>();

/** The destination addresses restrictions are relative to (null: one not given as IPv4 addresses); one set per context. */
function restrictionUniverse(ctx: EngineContext): Ipv4Set | null {
  let universe = universes.get(ctx);
  if (universe === undefined) {
    universe = destinationUniverse(ctx);
    universes.set(ctx, universe);
  }
  return universe;
}

function destinationUniverse(ctx: EngineContext): Ipv4Set | null {
  const d = ctx.traffic.destination;
  switch (d.kind) {
    case 'default-route': return publicIpv4();
    case 'range': return d.set;
    case 'address': return d.ip.version === 4 ? Ipv4Set.fromRange(d.ip.value, d.ip.value) : null;
    case 'name': return d.address && d.address.version === 4 ? Ipv4Set.fromRange(d.address.value, d.address.value) : null;
  }
}

/**
 * Two restrictions in a row allow only what both allow (the NIC NSG then the subnet NSG, or an NSG
 * then a firewall: each must allow the packet [NSGHOW]
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works). Prefixes
 * are intersected exactly; a service tag or FQDN is kept only where the other side allows all of
 * the destination or names the same entry. Otherwise its addresses within the other side's
 * allowed set are not known without tag / DNS data: listing both sides would read as a union
 * (wider than either), so such a part is named as conditional, and when nothing else certainly
 * passes the answer is unknown. Exceptions (denied first by either side) add up.
 */
function intersectRestrictions(ctx: EngineContext, current: readonly string[] | null, next: readonly string[]): Intersection {
  const universe = restrictionUniverse(ctx);
  const tags = ctx.serviceTags ?? null;
  const b = parseRestriction(next, universe, tags);
  if (!current) return { kind: 'restricted', list: b.every ? everyExcept(b.excepts) : next };
  const a = parseRestriction(current, universe, tags);
  const excepts = [...new Set([...a.excepts, ...b.excepts])];
  if (a.every && b.every) return { kind: 'restricted', list: everyExcept(excepts) };
  const prefixes = a.every ? b.prefixes : b.every ? a.prefixes : a.prefixes.intersect(b.prefixes);
  const names = a.every ? [...b.names] : b.every ? [...a.names] : a.names.filter((n) => b.names.includes(n));
  const conditional: string[] = [];
  if (!a.every && !b.every) {
    for (const n of a.names) if (!b.names.includes(n)) conditional.push(`${n}${CONDITIONAL_ENTRY}${listOf(b, universe)})`);
    for (const n of b.names) if (!a.names.includes(n)) conditional.push(`${n}${CONDITIONAL_ENTRY}${listOf(a, universe)})`);
  }
  const exceptList = excepts.map((e) => `${RESTRICTION_EXCEPT}${e}`);
  if (prefixes.isEmpty() && names.length === 0) {
    if (conditional.length === 0) return { kind: 'empty' };
    return { kind: 'unknown', fact: `whether any address is allowed by both rule sets on the path: one allows ${listOf(a, universe)}, the other ${listOf(b, universe)}, and the addresses of ${a.names.length + b.names.length > 0 ? [...a.names, ...b.names].join(', ') : 'these names'} are not known (FQDNs, or service tags the tag data does not list) (${DOCS.nsg})` };
  }
  return { kind: 'restricted', list: [...prefixes.toCidrs(), ...names, ...conditional, ...exceptList] };
}

/** A restriction in words, short: prefixes that hold most of the destination are named by what they leave out. */
function listOf(r: ParsedRestriction, universe: Ipv4Set | null): string {
  if (r.every) return 'every destination';
  const cidrs = r.prefixes.toCidrs();
  const missing = universe && !r.prefixes.isEmpty() ? universe.subtract(r.prefixes).toCidrs() : null;
  const list = (entries: readonly string[]): string => (entries.length <= 4 ? entries.join(', ') : `${entries.slice(0, 4).join(', ')} and ${entries.length - 4} more`);
  const prefixWords = missing && missing.length < cidrs.length ? `every address but ${list(missing)}` : list(cidrs);
  return [prefixWords, list(r.names)].filter((w) => w !== '').join(', ') || 'nothing';
}

/** The whole destination but the exceptions; null when there are none (no restriction). */
function everyExcept(excepts: readonly string[]): readonly string[] | null {
  return excepts.length > 0 ? [`${EVERY_EXCEPT}${excepts.join(', ')}`] : null;
}

/** Outbound: the NIC NSG first, then the subnet NSG; a deny in either drops the traffic [NSGHOW]. */
export function nsgSteps(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null, source: SourceAddress = trail.source): Outcome | null {
  return endIf(trail, outboundNsgChecks(ctx, trail, subnet, nic, source));
}

function outboundNsgChecks(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null, source: SourceAddress): TerminalReason | null {
  return nsgCheck(ctx, trail, nic?.networkSecurityGroupId ?? null, 'NIC', 'Outbound', source, subnet.virtualNetworkId)
    ?? nsgCheck(ctx, trail, subnet.networkSecurityGroupId, 'subnet', 'Outbound', source, subnet.virtualNetworkId);
}

/**
 * Traffic entering an appliance is inbound traffic at its subnet, then its NIC [NSGHOW]: source the
 * original sender, or after other NVAs any of their addresses (they may SNAT: see
 * nsgSourcesQuestion), destination the packet's (internet) destination. Whether Azure's default
 * AllowVnetInBound admits it depends on what the VirtualNetwork tag holds at that NIC, which Learn
 * leaves open ("might also contain default routes"): then the verdict is unknown, said so
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 */
function inboundNsgChecks(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface): TerminalReason | null {
  // After other appliances the packet may carry any of their addresses (Trail.nvaSources): the rules
  // must agree for all. After an Azure Firewall that SNATs it carries the firewall's address
  // (Trail.snatSource) in place of the original source [FWSNAT].
  const question = trail.nvaSources.length === 0 ? null
    : nsgSourcesQuestion(ctx, trail, [[subnet.networkSecurityGroupId, 'subnet'], [nic.networkSecurityGroupId, 'NIC']], 'Inbound', subnet.virtualNetworkId,
      () => [originalCandidate(trail), ...trail.nvaSources]);
  const source = packetSource(trail);
  return question
    ?? nsgCheck(ctx, trail, subnet.networkSecurityGroupId, 'subnet', 'Inbound', source, subnet.virtualNetworkId)
    ?? nsgCheck(ctx, trail, nic.networkSecurityGroupId, 'NIC', 'Inbound', source, subnet.virtualNetworkId);
}

const applianceSources = new WeakMap<NetworkInterface, SourceAddress>();

/** The NVA's own address: after it SNATs, outbound rules see it as the source. */
function applianceSource(nic: NetworkInterface): SourceAddress {
  // One object per NIC: rule signatures are cached by the source's address list (sourceSignature).
  let source = applianceSources.get(nic);
  if (!source) {
    const config = primaryIpConfiguration(nic);
    const cidr = config?.privateIpAddress ? parseCidr(config.privateIpAddress) : null;
    source = { cidrs: cidr && cidr.version === 4 ? [cidr] : [], applicationSecurityGroupIds: config?.applicationSecurityGroupIds ?? [] };
    applianceSources.set(nic, source);
  }
  return source;
}

/**
 * A source a rule after NVAs may see: the original sender's (`nic` null) or one NVA address (an
 * NvaSource). `label` names it in the words of an unknown answer.
 */
interface SourceCandidate {
  readonly source: SourceAddress;
  readonly label: string;
  readonly nic: Named | null;
  /** Words naming the appliance whose SNAT gives this source (NvaSource.who); absent: `NVA <nic>`. */
  readonly who?: string;
  /** Why an Azure Firewall's SNAT is not known (NvaSource.snatFact). */
  readonly snatFact?: string;
}

/**
 * The source the packet carries when no appliance changed it: the original sender's, or the
 * address an Azure Firewall on the path SNATed it to (Trail.snatSource) [FWSNAT].
 */
function packetSource(trail: Trail): SourceAddress {
  return trail.snatSource?.source ?? trail.source;
}

function originalCandidate(trail: Trail): SourceCandidate {
  const snat = trail.snatSource;
  if (snat) return { source: snat.source, label: `the source ${snat.who} SNATed it to (${snat.label})`, nic: null };
  return { source: trail.source, label: `the original source (${trail.source.cidrs.map(formatCidr).join(', ') || 'its address not known'})`, nic: null };
}

/** Words naming a candidate's appliance. */
function candidateAppliance(candidate: SourceCandidate & { readonly nic: Named }): string {
  return candidate.who ?? `NVA ${candidate.nic.name}`;
}

const configSources = new WeakMap<NicIpConfiguration, SourceAddress>();

/** One IP configuration's private IPv4 address as a source, with its ASGs (NSG rules match them); null without one. */
function configSource(config: NicIpConfiguration): SourceAddress | null {
  let source = configSources.get(config);
  if (source === undefined) {
    const cidr = config.privateIpAddress ? parseCidr(config.privateIpAddress) : null;
    if (!cidr || cidr.version !== 4) return null;
    // One object per configuration: rule signatures and NSG verdicts are cached by the source.
    source = { cidrs: [cidr], applicationSecurityGroupIds: config.applicationSecurityGroupIds ?? [] };
    configSources.set(config, source);
  }
  return source;
}

/**
 * The NICs of an appliance's VM in the input (those naming the VM) and, `missing`, those its own
 * document lists (networkProfile.networkInterfaces) that the input lacks (NetworkInterface.missingSiblingNicIds).
 */
function applianceNics(ctx: EngineContext, nic: NetworkInterface): { readonly nics: readonly NetworkInterface[]; readonly missing: readonly ResourceId[] } {
  const byVm = nic.virtualMachineId ? vmNics(ctx).get(nic.virtualMachineId) : undefined;
  return { nics: byVm && byVm.length > 0 ? byVm : [nic], missing: nic.missingSiblingNicIds ?? [] };
}

/**
 * Every private IPv4 address of the NVA's VM in the input: every NIC, every IP configuration, the
 * NIC traffic reached it on first. To send traffic on the appliance must "perform network address
 * translation (NAT) from the source's private IP address to its own private IP address" [UDR]
 * DOCS.udr, and which of its addresses that is (a floating next-hop address of an HA pair, another
 * NIC's) is its own configuration, not in the input. Deduplicated by address; memoized per NIC.
 */
function nvaAddresses(ctx: EngineContext, nic: NetworkInterface): readonly NvaSource[] {
  return memoize(ctx, nic, 'nva-addresses', () => {
    const nva = named(nic);
    const who = `NVA ${nic.name}`;
    const seen = new Set<string>();
    const out: NvaSource[] = [];
    const { nics } = applianceNics(ctx, nic);
    for (const n of [nic, ...nics.filter((x) => x !== nic)]) {
      // The primary configuration first: the address the NVA is usually known by.
      for (const config of [...n.ipConfigurations].sort((a, b) => Number(b.primary) - Number(a.primary))) {
        const source = configSource(config);
        const address = config.privateIpAddress;
        if (!source || !address || seen.has(address)) continue;
        seen.add(address);
        out.push({ nic: nva, who, source, label: n === nic ? address : `${address} (NIC ${n.name})` });
      }
    }
    return out;
  });
}

/** `into` plus the candidates of `more` whose address it does not hold yet (a path passes a few NVAs of a few addresses each). */
function mergeSources(into: readonly NvaSource[], more: readonly NvaSource[]): readonly NvaSource[] {
  if (into.length === 0) return more;
  const added = more.filter((m) => !into.some((s) => sourceKey(s.source) === sourceKey(m.source)));
  return added.length === 0 ? into : [...into, ...added];
}

/** One NSG of a hop and what it is attached to, in Azure's processing order for the direction [NSGHOW]. */
type NsgAt = readonly [ResourceId | null, 'NIC' | 'subnet'];

/**
 * What a hop's NSGs answer for one source, without recording a step: `key` compares sources
 * (denied, unknown, a missing NSG, or allowed to which destinations), `words` names the answer.
 */
function nsgAnswer(ctx: EngineContext, checks: readonly NsgAt[], direction: NsgDirection, source: SourceAddress, vnetId: string): { readonly key: string; readonly words: string } {
  let partial: string[] | null = null;
  let partialWords: string[] | null = null;
  for (const [nsgId, attachedTo] of checks) {
    if (!nsgId) continue;
    const nsg = ctx.index.networkSecurityGroups.get(nsgId);
    // A missing NSG ends the path for every source alike (nsgCheck names it).
    if (!nsg) return { key: `missing:${nsgId}`, words: `NSG ${nameOfId(nsgId).name} not in the input` };
    const { verdict, restriction } = nsgVerdict(ctx, nsg, attachedTo, direction, source, vnetId);
    switch (verdict.access) {
      case 'Allow': break;
      case 'Deny': {
        const rules = uniqueRules(verdict.rules.map((e) => e.rule)).filter((r) => r.access === 'Deny').map((r) => r.name);
        return { key: 'deny', words: `denied by NSG ${nsg.name}${rules.length > 0 ? ` (${rules.join(', ')})` : ''}` };
      }
      case 'Unknown': return { key: 'unknown', words: `not known at NSG ${nsg.name}` };
      case 'Partial': {
        // Keyed by what is allowed, not by which NSG allows it: the same restriction is the same answer.
        const allowed = [...restriction].sort().join(', ');
        (partial ??= []).push(allowed);
        (partialWords ??= []).push(`NSG ${nsg.name}: ${allowed}`);
        break;
      }
    }
  }
  return partial ? { key: partial.join('; '), words: `allowed only to some destinations (${(partialWords ?? []).join('; ')})` } : { key: 'allow', words: 'allowed' };
}

/**
 * Whether a hop's NSGs answer alike for every source the packet may carry after the NVAs passed
 * (`candidates`: the first is the one the hop is then evaluated with). Each NVA may keep the source
 * it received or SNAT to any of its own addresses [UDR], its own configuration, not in the input;
 * NSG rules match the packet's source [NSGHOW] DOCS.nsg. Null when they agree (or no rule looks at
 * the source); otherwise the undecided reason, naming the NVA whose SNAT decides and both answers.
 */
function nsgSourcesQuestion(ctx: EngineContext, trail: Trail, checks: readonly NsgAt[], direction: NsgDirection, vnetId: string,
  candidates: () => readonly SourceCandidate[]): TerminalReason | null {
  if (checks.every(([id]) => id === null)) return null;
  const nsgs = checks.flatMap(([id]) => {
    const nsg = id ? ctx.index.networkSecurityGroups.get(id) : undefined;
    return nsg ? [nsg] : [];
  });
  // Rules that cannot tell sources apart answer alike for all: nothing to weigh (the common case).
  if (nsgs.every((nsg) => sourceInsensitive(nsg, direction))) return null;
  const [first, ...others] = candidates();
  if (!first || others.length === 0) return null;
  trail.sourceConsulted = true;
  const base = nsgAnswer(ctx, checks, direction, first.source, vnetId);
  for (const other of others) {
    const answer = nsgAnswer(ctx, checks, direction, other.source, vnetId);
    if (answer.key === base.key) continue;
    const deciding = other.nic ? other : first.nic ? first : null;
    const nva = deciding?.nic ?? null;
    const which = deciding?.nic ? candidateAppliance({ ...deciding, nic: deciding.nic }) : 'the NVAs passed';
    const where = `${direction.toLowerCase()} NSG ${nsgs.map((n) => n.name).join(' and ')}`;
    // An Azure Firewall's SNAT follows from its settings, which the input does not decide here [FWSNAT].
    const why = deciding?.snatFact ? `whether it SNATs is not known: ${stop(deciding.snatFact)}` : 'it may keep the source it received or SNAT to any of its own private addresses, which is the appliance\'s own configuration';
    return { kind: 'undecided', resourceId: nva?.id ?? nsgs[0]?.id ?? vnetId, rule: `${which} before ${where}: source NAT not in the input`, docs: deciding?.snatFact ? DOCS.firewallSnatPrivateRanges : DOCS.udr,
      missingFact: `which source ${which} gives the traffic (${why}): ${where} answers differently for ${first.label} (${base.words}) and for ${other.label} (${answer.words})` };
  }
  return null;
}

/**
 * The sources the packet may carry as it leaves NVA `nic` from `out` (what the outbound NSGs of
 * that NIC and its subnet see [NSGHOW]), `out`'s primary address first (the hop is shown with it).
 * Sent to the internet by the NVA itself (its route for the flow is the Internet next hop), it must
 * carry one of the NVA's own addresses: the appliance "must either proxy the traffic or perform
 * network address translation (NAT) from the source's private IP address to its own private IP
 * address" [UDR] DOCS.udr. Towards anything else (a firewall, another NVA, a gateway) it may also
 * keep the source it received: the original one, or an earlier NVA's address.
 */
function leavingSources(ctx: EngineContext, trail: Trail, nic: NetworkInterface, subnet: Subnet, out: NetworkInterface): readonly SourceCandidate[] {
  const primary = applianceSource(out);
  const first: SourceCandidate = { source: primary, label: `${primary.cidrs.map(formatCidr).join(', ') || 'its primary address'} (NVA ${nic.name}'s primary address)`, nic: named(nic) };
  const key = sourceKey(primary);
  const own = nvaAddresses(ctx, nic).filter((s) => sourceKey(s.source) !== key);
  if (isInternetHop(lookup(ctx, ctx.routes.routesFor(subnet, out)).winner)) return [first, ...own];
  return [first, originalCandidate(trail), ...mergeSources(trail.nvaSources, own).filter((s) => sourceKey(s.source) !== key)];
}

function toNva(ctx: EngineContext, trail: Trail, nic: NetworkInterface, config: NicIpConfiguration): Outcome {
  // "Any network interface attached to a virtual machine that forwards network traffic to an
  // address other than its own must have the Azure Enable IP forwarding option enabled" [UDR]: a NIC
  // whose input does not carry the setting (either casing: enableIPForwarding / enableIpForwarding)
  // may or may not forward, so the path is unknown, never "forwarding disabled, dropped".
  if (nic.enableIPForwarding === null) {
    return trail.end({ kind: 'undecided', resourceId: nic.id, rule: `NVA NIC ${nic.name}: IP forwarding not in the input`, docs: DOCS.ipForwarding, verify: VERIFY.nic(nic.id),
      missingFact: `whether IP forwarding is enabled on NIC ${nic.name} (${config.privateIpAddress ?? 'the next hop'}): enableIPForwarding is not in the input, and without it Azure drops traffic not addressed to the NIC` });
  }
  if (!nic.enableIPForwarding) {
    trail.finding('nva-ip-forwarding-disabled', 'error', `NIC ${nic.name} is used as a next hop but has IP forwarding disabled: traffic routed to it is dropped.`,
      'Enable IP forwarding on the NVA NIC (and forwarding in its OS).', [nic.id], DOCS.ipForwarding);
    return trail.end({ kind: 'ip-forwarding-disabled', nic: named(nic), privateIp: config.privateIpAddress });
  }
  trail.passVia({ kind: 'nva', id: nic.id });
  trail.add(memoize(ctx, config, 'nva', (): Step => ({ kind: 'virtual-appliance', nic: named(nic), privateIp: config.privateIpAddress })));
  const subnet = config.subnetId ? ctx.index.subnets.get(config.subnetId) : undefined;
  if (!subnet) {
    return trail.end({ kind: 'missing-resource', resourceId: config.subnetId ?? nic.id, what: `the subnet of NVA NIC ${nic.name}`, consequence: 'the NVA\'s egress' });
  }
  const inbound = inboundNsgChecks(ctx, trail, subnet, nic);
  if (inbound && inbound.kind !== 'undecided') return trail.end(inbound);
  const egress = applianceEgressNic(ctx, trail, nic);
  if (egress.kind === 'ambiguous') {
    addGap(ctx, { code: 'not-modelled', scope: nic.id, message: `NVA ${egress.vmName} has ${egress.nics} and ${egress.why}: which one its operating system sends internet traffic from is not visible to Azure.` });
    return trail.end({ kind: 'undecided', resourceId: nic.id, rule: `Multi-NIC appliance ${egress.vmName}`,
      missingFact: `which of the appliance's NICs its operating system sends internet traffic from (${egress.why})`, docs: DOCS.multipleNics });
  }
  const outNic = egress.nic;
  const outConfig = primaryIpConfiguration(outNic) ?? config;
  const outSubnet = outNic === nic ? subnet : outConfig.subnetId ? ctx.index.subnets.get(outConfig.subnetId) : undefined;
  if (!outSubnet) {
    return trail.end({ kind: 'missing-resource', resourceId: outConfig.subnetId ?? outNic.id, what: `the subnet of NVA NIC ${outNic.name}`, consequence: 'the NVA\'s egress' });
  }
  if (outNic !== nic) trail.add(memoize(ctx, outConfig, 'nva-egress', (): Step => ({ kind: 'virtual-appliance', nic: named(outNic), privateIp: outConfig.privateIpAddress })));
  const outbound = nsgSourcesQuestion(ctx, trail, [[outNic.networkSecurityGroupId, 'NIC'], [outSubnet.networkSecurityGroupId, 'subnet']], 'Outbound', outSubnet.virtualNetworkId,
    () => leavingSources(ctx, trail, nic, outSubnet, outNic))
    ?? outboundNsgChecks(ctx, trail, outSubnet, outNic, applianceSource(outNic));
  // An inbound answer that is unknown still ends as unknown, unless the outbound rules deny anyway:
  // then the traffic is denied whatever the inbound rules do.
  if (outbound && (outbound.kind === 'nsg-deny' || !inbound)) return trail.end(outbound);
  if (inbound) return trail.end(inbound);
  if (outbound) return trail.end(outbound);
  // The NVA SNATs to "its own private IP address" before Azure translates it [UDR], and which of its
  // addresses that is (any NIC, any IP configuration, the floating next-hop one of an HA pair) is its
  // own configuration. Learn requires that NAT only for traffic the appliance sends to a public
  // address itself; before another appliance (a firewall, an NVA) it may keep the source it got.
  // So every rule further on must answer alike for the original source and each of these (see
  // nvaSnatQuestion, inboundNsgChecks, endpointSource). The client still resolves names itself, so
  // its DNS settings stay.
  const own = nvaAddresses(ctx, nic);
  const dns = trail.source.dns;
  trail.nvaSources = mergeSources(trail.nvaSources, dns ? own.map((s) => ({ ...s, source: { ...s.source, dns } })) : own);
  return forwardFromAppliance(ctx, trail, outSubnet, { kind: 'nic', nic: outNic, ipConfiguration: outConfig }, outConfig);
}

type ApplianceEgress =
  | { readonly kind: 'nic'; readonly nic: NetworkInterface }
  | { readonly kind: 'ambiguous'; readonly vmName: string; readonly nics: string; readonly why: string };

/** NICs per VM, built once per resolve. */
function vmNics(ctx: EngineContext): ReadonlyMap<string, readonly NetworkInterface[]> {
  return memoize(ctx, ctx.index, 'vm-nics', () => {
    const byVm = new Map<string, NetworkInterface[]>();
    for (const n of ctx.index.model.networkInterfaces) {
      if (!n.virtualMachineId) continue;
      const list = byVm.get(n.virtualMachineId) ?? [];
      list.push(n);
      byVm.set(n.virtualMachineId, list);
    }
    return byVm;
  });
}

/**
 * The NIC a multi-NIC appliance sends internet traffic from. Azure routes by the NIC the packet
 * leaves, and which NIC that is depends on the appliance's OS routing, which Azure does not show:
 * "Azure assigns a default gateway to the first (primary) network interface attached to the virtual
 * machine. Azure does not assign a default gateway to additional (secondary) network interfaces"
 * [MULTINIC] DOCS.multipleNics, yet an NVA's own routing commonly sends from a secondary (untrust)
 * NIC. So the answer stands only when every NIC of the VM would leave the same way (same winning
 * route; for the Internet route the same NAT gateway or public IP); otherwise it is unknown, never
 * a guess at one NIC. Leaving the same way includes the NSGs of each NIC and its subnet for the
 * flow: outbound, the NIC's NSG and then the subnet's must allow it [NSGHOW] DOCS.nsg, so a deny on
 * one NIC only is a difference. A secondary NIC (`primary: false`) whose VM has no other NIC in the
 * input leaves the primary NIC, and its egress, out of the input: unknown too; so does a NIC the
 * VM's own document lists (networkProfile.networkInterfaces) that the input lacks.
 */
function applianceEgressNic(ctx: EngineContext, trail: Trail, nic: NetworkInterface): ApplianceEgress {
  const { nics: siblings, missing } = applianceNics(ctx, nic);
  const vmName = nic.virtualMachineId ? nameOfId(nic.virtualMachineId).name : nic.name;
  if (missing.length > 0) {
    const names = missing.map((id) => nameOfId(id).name).join(', ');
    addGap(ctx, { code: 'missing-reference', scope: missing[0] ?? nic.id,
      message: `NIC ${names}, which VM ${vmName} lists (networkProfile.networkInterfaces), is referenced but not in the input, so how the appliance's traffic leaves through it is unknown.` });
    return { kind: 'ambiguous', vmName, nics: `${siblings.length + missing.length} NICs`,
      why: `VM ${vmName} lists NIC ${names} (networkProfile.networkInterfaces), which is not in the input, so whether it leaves the same way as ${siblings.map((n) => n.name).join(', ')} is not known` };
  }
  if (siblings.length <= 1) {
    if (nic.primary !== false || !nic.virtualMachineId) return { kind: 'nic', nic };
    return { kind: 'ambiguous', vmName, nics: `secondary NIC ${nic.name} in the input`, why: 'its primary NIC, which Azure gives the default gateway, is not in the input' };
  }
  // How each NIC would leave (memoized per NIC and resolve: every source through the NVA asks).
  const egressOf = (n: NetworkInterface): { readonly key: string; readonly text: string } => memoize(ctx, n, 'nva-egress-key', () => {
    const config = primaryIpConfiguration(n);
    const sub = config?.subnetId ? ctx.index.subnets.get(config.subnetId) : undefined;
    if (!sub) return { key: `no-subnet:${n.id}`, text: 'its subnet is not in the input' };
    const winner = lookup(ctx, ctx.routes.routesFor(sub, n)).winner;
    // A UDR to an appliance or gateway outranks the NAT gateway and the NIC's public IP [NATOV].
    if (winner && !(winner.nextHop.kind === 'known' && winner.nextHop.type === 'Internet')) return { key: `route:${routeKey(winner)}`, text: `route ${routeKey(winner)}` };
    if (sub.natGatewayId) return { key: `nat:${sub.natGatewayId}`, text: `NAT gateway ${nameOfId(sub.natGatewayId).name}` };
    if (config?.publicIpAddressId) return { key: `pip:${config.publicIpAddressId}`, text: `public IP ${nameOfId(config.publicIpAddressId).name}` };
    return { key: 'none', text: 'no public IP or NAT gateway' };
  });
  const egresses = siblings.map(egressOf);
  const first = egresses[0];
  const nics = `${siblings.length} NICs`;
  const primary = siblings.find((n) => n.primary === true);
  if (first && first.key !== 'none' && egresses.every((e) => e.key === first.key)) {
    const filters = siblings.map((n) => nicOutboundAnswer(ctx, trail, nic, n));
    if (filters.every((f) => f.key === filters[0]?.key)) return { kind: 'nic', nic };
    const each = siblings.map((n, i) => `${n.name}${n === primary ? ' (primary)' : ''}: ${filters[i]?.words ?? ''}`).join('; ');
    return {
      kind: 'ambiguous', vmName, nics,
      why: `they leave by the same ${first.text}, but their NSGs answer differently for the flow (${each}); Azure gives the default gateway to the primary NIC ${primary ? primary.name : '(not marked in the input)'} only, and the appliance's own routing may send from another`,
    };
  }
  if (egresses.every((e) => e.key === 'none')) return { kind: 'ambiguous', vmName, nics, why: 'none of them has a public IP or a NAT gateway on its subnet' };
  const each = siblings.map((n, i) => `${n.name}${n === primary ? ' (primary)' : ''}: ${egresses[i]?.text ?? ''}`).join('; ');
  return {
    kind: 'ambiguous', vmName, nics,
    why: `they leave differently (${each}); Azure gives the default gateway to the primary NIC ${primary ? primary.name : '(not marked in the input)'} only, and the appliance's own routing may send from another`,
  };
}

/**
 * What the outbound NSGs of NVA NIC `n` (its own, then its subnet's [NSGHOW]) answer for the flow
 * leaving through it, over every source it may carry (see leavingSources): the answers as a set, so
 * NICs compare alike whatever order their sources come in.
 */
function nicOutboundAnswer(ctx: EngineContext, trail: Trail, nva: NetworkInterface, n: NetworkInterface): { readonly key: string; readonly words: string } {
  const config = primaryIpConfiguration(n);
  const sub = config?.subnetId ? ctx.index.subnets.get(config.subnetId) : undefined;
  if (!sub || (n.networkSecurityGroupId === null && sub.networkSecurityGroupId === null)) return { key: 'allow', words: 'no NSG' };
  const checks: readonly NsgAt[] = [[n.networkSecurityGroupId, 'NIC'], [sub.networkSecurityGroupId, 'subnet']];
  const sensitive = checks.some(([id]) => {
    const nsg = id ? ctx.index.networkSecurityGroups.get(id) : undefined;
    return nsg !== undefined && !sourceInsensitive(nsg, 'Outbound');
  });
  if (sensitive) trail.sourceConsulted = true;
  const sources = sensitive ? leavingSources(ctx, trail, nva, sub, n).map((c) => c.source) : [applianceSource(n)];
  const answers = sources.map((source) => nsgAnswer(ctx, checks, 'Outbound', source, sub.virtualNetworkId));
  const keys = [...new Set(answers.map((a) => a.key))].sort();
  return { key: keys.join(' / '), words: [...new Set(answers.map((a) => a.words))].join(' or ') };
}

/**
 * `forward` from an appliance's subnet, shared between sources: at estate scale thousands of
 * spokes reach the same firewall, and what happens after it is the same for all of them unless a
 * rule further on looks at the source (then the walk is redone per source).
 */
function forwardFromAppliance(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, senderKey: object): Outcome {
  let bySender = ctx.continuations.get(subnet);
  if (!bySender) {
    bySender = new Map<unknown, Continuation>();
    ctx.continuations.set(subnet, bySender);
  }
  // A path restricted to some destinations says so in its terminal step: not shared.
  const cached = trail.restrictedTo ? undefined : bySender.get(senderKey);
  if (cached && trail.depth + cached.depth < MAX_APPLIANCE_DEPTH && !cached.visited.some((id) => trail.visited.includes(id))) return trail.append(cached);
  const child = trail.fork();
  const outcome = forward(ctx, child, subnet, sender);
  const part: Continuation = {
    outcome, steps: child.steps, via: child.via, findings: child.findings,
    visited: child.visited.filter((id) => !trail.visited.includes(id)), depth: child.depth - trail.depth,
  };
  // A walk that met a loop or the depth limit depends on what was passed before it: not shared.
  const shareable = !trail.restrictedTo && !child.sourceConsulted && !child.loopMet && child.depth < MAX_APPLIANCE_DEPTH;
  if (shareable) bySender.set(senderKey, part);
  if (child.sourceConsulted) trail.sourceConsulted = true;
  return trail.append(part);
}

/**
 * An internal load balancer next hop forwards only the flows its load-balancing rules carry: an
 * HA-ports rule (protocol All, port 0) carries every TCP and UDP flow; otherwise only a rule for the
 * flow's protocol and port [HAP] https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview.
 * Pool members are read from both sides (the LB's pool and the NICs' pool references).
 */
function toInternalLoadBalancer(ctx: EngineContext, trail: Trail, lb: LoadBalancer, frontend: LoadBalancerFrontend): Outcome {
  trail.passVia({ kind: 'internal-load-balancer', id: lb.id });
  const match = ilbRuleFor(lb, frontend.id, ctx.traffic.protocol, ctx.traffic.port);
  const rule = match.kind === 'none' ? null : match.rule;
  const poolIds = rule ? rule.backendAddressPoolIds : [];
  const memberIds = [...new Set(poolIds.flatMap((poolId) => ctx.index.poolMembers(poolId)))];
  const resolved = memberIds.map((id) => ({ id, ref: ctx.index.ipConfiguration(id) }));
  const members = resolved
    .map((m) => m.ref)
    .filter((m): m is NonNullable<typeof m> => m !== undefined)
    .sort((a, b) => (a.nic.id < b.nic.id ? -1 : a.nic.id > b.nic.id ? 1 : a.ipConfiguration.id < b.ipConfiguration.id ? -1 : 1));
  const absent = resolved.filter((m) => m.ref === undefined).map((m) => m.id);
  const first = members[0];
  trail.add({
    kind: 'internal-load-balancer', loadBalancer: named(lb), frontend: frontend.privateIpAddress ?? frontend.name,
    rule: rule ? { name: rule.name, haPorts: match.kind === 'ha-ports', protocol: rule.protocol, frontendPort: rule.frontendPort } : null,
    memberCount: members.length, firstMember: first?.nic.name ?? null, flow: ctx.flow,
  });
  if (!rule) {
    trail.finding('next-hop-unreachable', 'error', `Internal load balancer ${lb.name} is a next hop, but no load-balancing rule on frontend ${frontend.privateIpAddress ?? frontend.name} carries ${ctx.traffic.protocol} ${ctx.traffic.port}.`,
      'Use an HA-ports rule (protocol All, port 0) on the frontend used as the next hop.', [lb.id], DOCS.haPorts);
    return trail.end({ kind: 'ilb-no-rule', loadBalancer: named(lb), flow: ctx.flow });
  }
  // The load balancer hashes each flow to one backend [HAP]: a backend the input names but does not
  // hold may be the one chosen, so the pool's NICs missing from the input leave the answer unknown
  // (never "no backend", which would claim a drop the input does not show).
  // https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview
  const firstAbsent = absent[0];
  if (firstAbsent !== undefined) {
    addGap(ctx, { code: 'missing-reference', scope: lb.id, message: `${absent.length} backend IP configuration(s) of internal load balancer ${lb.name} are not in the input (${nameOfId(parentResourceId(firstAbsent)).name}${absent.length > 1 ? ', ...' : ''}).` });
    return trail.end({ kind: 'missing-resource', resourceId: firstAbsent,
      what: `${absent.length} of the ${memberIds.length} backend NIC(s) of internal load balancer ${lb.name} (${nameOfId(parentResourceId(firstAbsent)).name}${absent.length > 1 ? ', ...' : ''})`,
      consequence: 'which appliance the load balancer sends the flow to, and that appliance\'s egress' });
  }
  // IP-based backend pool members are not resolved to NICs here: what they do is not modelled,
  // which is not the same as an empty pool.
  // https://learn.microsoft.com/azure/load-balancer/backend-pool-management
  const ipBased = poolIds.flatMap((poolId) => ctx.index.backendPools.get(poolId)?.pool.backendIpAddresses ?? []);
  if (ipBased.length > 0) {
    addGap(ctx, { code: 'not-modelled', scope: lb.id, message: `Internal load balancer ${lb.name} has IP-address backend pool members (${ipBased.join(', ')}): the appliances behind them are not followed.` });
    return trail.end({ kind: 'undecided', resourceId: lb.id, rule: `Internal load balancer ${lb.name}: IP-based backend pool`,
      missingFact: `what the IP-based backend members ${ipBased.join(', ')} do with the flow`, docs: DOCS.haPorts });
  }
  if (!first) {
    trail.finding('next-hop-unreachable', 'error', `Internal load balancer ${lb.name} is a next hop but has no backend NICs.`,
      'Add the NVA NICs to the backend pool used by the HA-ports rule.', [lb.id], DOCS.udr);
    return trail.end({ kind: 'ilb-no-backend', loadBalancer: named(lb) });
  }
  if (members.length === 1) return toNva(ctx, trail, first.nic, first.ipConfiguration);
  // Several backends: the flow goes to the one the 5-tuple hash picks among the healthy ones [HAP],
  // which the model cannot tell. Each backend is walked; the answer stands only when all of them end
  // the same way (same terminal kind, exit, egress IPs and ports), else it is unknown, never the
  // first backend's answer. https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview
  const walks = walkEach(trail, members, (child, m) => toNva(ctx, child, m.nic, m.ipConfiguration));
  if (walks.same) return trail.append(walks.same);
  // Misconfigurations found on any backend are real, whichever backend the flow takes.
  for (const w of walks.parts) for (const f of w.part.findings) trail.finding(f.code, f.severity, f.message, f.advice ?? '', f.resourceIds ?? [], f.docs ?? DOCS.haPorts);
  const ends = walks.parts.map((w) => `${w.item.nic.name}: ${endText(w.part.outcome)}`).join('; ');
  return trail.end({ kind: 'undecided', resourceId: lb.id, rule: `Internal load balancer ${lb.name}: backends end differently`,
    missingFact: `which backend the load balancer sends the flow to (health probes and the flow hash are not in the input); the backends end differently: ${ends}`, docs: DOCS.haPorts });
}

/** Next hop VirtualNetworkGateway: vWAN hub, VPN forced tunnel, or an unsupported ExpressRoute target [UDR][S2SFT][VWAN]. */
function toGateway(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, route: ComputedRoute): Outcome {
  const { index } = ctx;
  const vnet = index.subnetVirtualNetwork.get(subnet.id);
  const domain = vnet ? gatewayDomainOf(index, vnet) : { kind: 'none' as const };
  if (route.origin === 'vwan-hub' || domain.kind === 'virtual-hub') {
    const hubId = domain.kind === 'virtual-hub' ? domain.virtualHubId : (route.resourceId ?? '');
    return toVirtualHub(ctx, trail, subnet, route, index.virtualHubs.get(hubId as ResourceId) ?? null, hubId);
  }
  const gatewayVnetId = domain.kind === 'local' || domain.kind === 'remote' ? domain.virtualNetworkId : null;
  const gatewayVnet = gatewayVnetId ? index.virtualNetworks.get(gatewayVnetId) : vnet;
  if (route.source === 'VirtualNetworkGateway' && route.nextHopIpAddress !== null && vnet) {
    const toAppliance = learnedFromAppliance(ctx, trail, subnet, sender, route, vnet, gatewayVnet ?? null);
    if (toAppliance) return toAppliance;
  }
  // With Azure Route Server in the VNet (or in the VNet whose gateway it uses) "the VNet's gateway"
  // is the Route Server, and a UDR to VirtualNetworkGateway is supported only for a VPN gateway,
  // "not ExpressRoute, RouteServer or Virtual WAN hub router" [UDR]: what Azure then does is not documented.
  const routeServer = route.source === 'User' && gatewayVnet ? routeServerSubnetOf(index, gatewayVnet) : null;
  if (routeServer !== null && gatewayVnet) {
    trail.finding('unsupported-udr-gateway', 'error',
      `Subnet ${subnet.name}: "${describeRoute(route)}" targets VirtualNetworkGateway, but virtual network ${gatewayVnet.name} has Azure Route Server, which is then the VNet's gateway; UDRs to VirtualNetworkGateway are supported only with a VPN gateway.`,
      'Point the UDR at a firewall/NVA, or have the route advertised over BGP instead.', [subnet.id, routeServer], DOCS.udr);
    // Scoped to the route: the RouteServerSubnet already carries the gap for its own (platform) egress.
    addGap(ctx, { code: 'not-modelled', scope: route.resourceId ?? subnet.id, message: `Virtual network ${gatewayVnet.name} has Azure Route Server, so a UDR to VirtualNetworkGateway targets an unsupported gateway ("not ExpressRoute, RouteServer or Virtual WAN hub router", ${DOCS.udr}); where its traffic goes is not documented.` });
    return trail.end({ kind: 'undecided', resourceId: routeServer, rule: `UDR to VirtualNetworkGateway with Azure Route Server in ${gatewayVnet.name}`, docs: DOCS.udr,
      missingFact: `where Azure sends traffic on "${describeRoute(route)}": with Azure Route Server in ${gatewayVnet.name} the VNet's gateway is the Route Server, and the route table documentation supports this next hop only for a VPN gateway without saying what happens otherwise` });
  }
  const gateways = gatewayVnetId ? [...(index.gateways.get(gatewayVnetId) ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1)) : [];
  // A GatewayDefaultSite route is the VPN gateway's own: it is set on a route-based VPN gateway and
  // forces internet traffic to that site over the VPN [S2SFT][DEFSITE]; the route names that gateway.
  // https://learn.microsoft.com/powershell/module/az.network/set-azvirtualnetworkgatewaydefaultsite
  // Otherwise, with both VPN and ExpressRoute gateways, "the VNet's gateway" is the ExpressRoute one [UDR]
  // (the rule for UDR next hops; it plays no part in the Default Site).
  const defaultSiteGateway = route.origin === 'default-site'
    ? gateways.find((g) => g.id === route.resourceId) ?? gateways.find((g) => g.gatewayType === 'Vpn' && g.gatewayDefaultSiteId !== null)
    : undefined;
  const gateway = defaultSiteGateway ?? gateways.find((g) => g.gatewayType === 'ExpressRoute') ?? gateways[0];
  if (!gateway) {
    // UDRs only: a route learned from the gateway (source VirtualNetworkGateway), or captured,
    // proves by itself that the gateway exists and takes the traffic on-premises (egress-rules.md
    // §2.4, §6.2): it stays a forced tunnel below, whether or not the hub VNet is in the input.
    if (route.source === 'User' && domain.kind === 'remote' && !index.virtualNetworks.has(domain.virtualNetworkId)) {
      // Gateway transit: "If the flag is set to true, and allowGatewayTransit on remote peering is
      // also true, virtual network will use gateways of remote virtual network for transit" [PEER]
      // https://learn.microsoft.com/javascript/api/@azure/arm-network-profile-2020-09-01-hybrid/virtualnetworkpeering
      // and the UDR rules then apply to the remote VNet's gateway (egress-rules.md §2.3). That VNet
      // is not in the input: a route-based VPN gateway there takes the traffic into the tunnel,
      // an ExpressRoute gateway or Route Server does not support the UDR [UDR]. Not "no gateway".
      const hub = nameOfId(domain.virtualNetworkId).name;
      const peering = nameOfId(domain.peeringId).name;
      return missingReference(ctx, trail, domain.virtualNetworkId,
        `virtual network ${hub}, whose gateway ${vnet?.name ?? 'this virtual network'} uses through peering ${peering} (useRemoteGateways)`,
        `where "${describeRoute(route)}" of subnet ${subnet.name} sends the traffic (a route-based VPN gateway there forces it into the tunnel to on-premises; an ExpressRoute gateway or Route Server does not support a UDR to VirtualNetworkGateway)`,
        VERIFY.vnetGateways(domain.virtualNetworkId));
    }
    // The GatewaySubnet lists a gateway's IP configuration, yet the gateway is not in the input: it
    // exists and was not exported, so where a UDR to it leads is unknown, not "no gateway" (a
    // route learned from the gateway, or captured, says by itself that the gateway exists).
    const unexported = route.source === 'User' && gatewayVnet ? unexportedGateway(index, gatewayVnet) : null;
    if (unexported !== null) {
      return missingReference(ctx, trail, unexported,
        `virtual network gateway ${nameOfId(unexported).name}, attached to the GatewaySubnet of ${gatewayVnet?.name ?? 'the virtual network'}`,
        `where "${describeRoute(route)}" of subnet ${subnet.name} sends the traffic (a route-based VPN gateway forces it into the tunnel to on-premises; an ExpressRoute gateway does not support a UDR to VirtualNetworkGateway)`);
    }
    // A gateway-transit peering whose state the input does not report: if it is Connected the VNet
    // uses the remote gateway (and the UDR may force the traffic into the tunnel), otherwise it has
    // none. Which is not known: unknown, naming the state, never "no gateway, dropped".
    const unreported = route.source === 'User' && vnet ? unreportedGatewayTransit(index, vnet) : null;
    if (unreported !== null) {
      const remote = unreported.remoteVirtualNetworkId ? nameOfId(unreported.remoteVirtualNetworkId).name : 'the remote virtual network';
      return trail.end({ kind: 'undecided', resourceId: unreported.id, rule: `Peering ${unreported.name} (${unreported.inferredFrom === undefined ? 'useRemoteGateways' : 'not in the input, gateway transit allowed by the remote side'}, state not reported)`, docs: DOCS.gatewayTransit, verify: VERIFY.peering(unreported.id),
        missingFact: `${unreported.inferredFrom === undefined ? `the state of peering ${unreported.name} of ${vnet?.name ?? 'the virtual network'}: it uses the gateway of ${remote} (useRemoteGateways)`
          : `the peering of ${vnet?.name ?? 'the virtual network'} to ${remote}, not in the input (${unreported.name} stands in for it): whether it uses the gateway of ${remote} (useRemoteGateways, which ${remote}'s side allows) and its state are not known`}, and only a Connected peering carries traffic, so whether "${describeRoute(route)}" of subnet ${subnet.name} reaches a gateway (a route-based VPN gateway forces the traffic into the tunnel to on-premises) or finds none (dropped) rests on that state` });
    }
    // A gateway the input held but left out as malformed may be the one the UDR names: not "no gateway".
    const leftOut = route.source === 'User' ? leftOutGatewaysOf(ctx, gatewayVnet) : [];
    const [firstLeftOut] = leftOut;
    if (firstLeftOut !== undefined && gatewayVnet) {
      return trail.end({ kind: 'undecided', resourceId: firstLeftOut.id, rule: `UDR to VirtualNetworkGateway: ${leftOutNames(leftOut)} left out of the input`, docs: DOCS.udr,
        missingFact: `whether ${leftOutNames(leftOut)} is the gateway of virtual network ${gatewayVnet.name}, and of which kind: ${leftOutWhy(leftOut)}; "${describeRoute(route)}" of subnet ${subnet.name} forces the traffic into the tunnel to on-premises with a route-based VPN gateway, is not supported with an ExpressRoute gateway, and is dropped with no gateway` });
    }
    if (route.source === 'User') {
      trail.finding('next-hop-unreachable', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" points at a virtual network gateway that does not exist.`,
        'Remove the route or deploy a route-based VPN gateway.', [subnet.id], DOCS.udr);
      return trail.end({ kind: 'no-gateway', route: routeRef(route), vnet: vnet ? named(vnet) : nameOfId(subnet.virtualNetworkId) });
    }
    return forcedTunnel(trail, subnet, null, false);
  }
  const isExpressRoute = gateway.gatewayType === 'ExpressRoute';
  if (route.source === 'User' && !isExpressRoute && gateway.vpnType === 'PolicyBased') {
    trail.add({ kind: 'virtual-network-gateway', use: 'policy-based-udr', gateway: named(gateway) });
    trail.finding('unsupported-udr-gateway', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" targets policy-based VPN gateway ${gateway.name}; UDRs to the gateway need a route-based VPN gateway.`,
      'Use a route-based VPN gateway, or point the UDR at a firewall/NVA.', [subnet.id, gateway.id], DOCS.udr);
    return trail.end({ kind: 'unsupported-gateway-target', gateway: named(gateway), why: 'policy-based' });
  }
  if (route.source === 'User' && isExpressRoute) {
    trail.add({ kind: 'virtual-network-gateway', use: 'expressroute-udr', gateway: named(gateway) });
    trail.finding('unsupported-udr-gateway', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" targets the virtual network gateway, but the VNet's gateway is ExpressRoute (${gateway.name}); UDRs cannot point at an ExpressRoute gateway.`,
      'Advertise the default route over BGP from on-premises, or point the UDR at a firewall/NVA.', [subnet.id, gateway.id], DOCS.udr);
    return trail.end({ kind: 'unsupported-gateway-target', gateway: named(gateway), why: 'expressroute' });
  }
  const how = route.origin === 'default-site' ? 'default-site' as const : route.source === 'User' ? 'udr' as const : 'bgp' as const;
  trail.add(memoize(ctx, route, domain.kind, (): Step => ({
    kind: 'virtual-network-gateway', use: 'forced-tunnel', gateway: named(gateway), expressRoute: isExpressRoute, how, routePrefix: route.addressPrefix,
    transit: domain.kind === 'remote', learned: route.origin === 'gateway' || route.origin === 'captured',
  })));
  return forcedTunnel(trail, subnet, gateway, isExpressRoute);
}

/**
 * A learned route (source VirtualNetworkGateway) whose next-hop IP is not the gateway's. Azure
 * Route Server programs the routes an NVA advertises with that NVA as the next hop: "Azure Route
 * Server doesn't route data traffic"; the VM sends it directly to the NVA [RS]
 * https://learn.microsoft.com/azure/route-server/route-server-faq
 * (effective routes list them with next hop type VirtualNetworkGateway and the NVA's IP). A VPN or
 * ExpressRoute gateway's own routes name its instances in GatewaySubnet, and stay with the gateway.
 * With Route Server in the gateway's VNet: walks on at the appliance that owns the IP, or unknown
 * when nothing in the input owns it (an NVA not in the input). Null (the gateway handles the route)
 * without Route Server or for an address in GatewaySubnet.
 */
function learnedFromAppliance(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, route: ComputedRoute, vnet: VirtualNetwork, gatewayVnet: VirtualNetwork | null): Outcome | null {
  const ip = route.nextHopIpAddress;
  const address = ip === null ? null : parseIp(ip);
  if (ip === null || address === null || (gatewayVnet !== null && inGatewaySubnet(ctx.index, gatewayVnet, address))) return null;
  // Only Route Server injects routes that point at an appliance; without it a learned route is the
  // gateway's (an ExpressRoute next hop is an edge-router address outside the VNet, even when some
  // NIC elsewhere happens to hold the same private IP).
  const routeServer = gatewayVnet ? routeServerSubnetOf(ctx.index, gatewayVnet) : null;
  if (routeServer === null || gatewayVnet === null) return null;
  const found = findOwnerCached(ctx, vnet, ip);
  if (found.kind !== 'unowned') return toVirtualAppliance(ctx, trail, subnet, sender, route);
  return trail.end({ kind: 'undecided', resourceId: routeServer, rule: `Route learned through the Azure Route Server of ${gatewayVnet.name}`, docs: ROUTE_SERVER_FAQ_DOC,
    missingFact: `which appliance owns next hop ${ip} of "${describeRoute(route)}": with Azure Route Server in ${gatewayVnet.name}, a learned route points straight at the NVA that advertised it, and no NIC, firewall or internal load balancer in the input holds ${ip}` });
}

/** Whether the address is in the VNet's GatewaySubnet (where VPN and ExpressRoute gateway instances live). */
function inGatewaySubnet(index: ModelIndex, vnet: VirtualNetwork, address: IpAddress): boolean {
  for (const id of vnet.subnetIds) {
    const candidate = index.subnets.get(id);
    if (candidate?.name.toLowerCase() === 'gatewaysubnet' && vnetContains(candidate.addressPrefixes, address)) return true;
  }
  return false;
}

function forcedTunnel(trail: Trail, subnet: Subnet, gateway: { readonly id: string; readonly name: string } | null, expressRoute: boolean): Outcome {
  trail.finding('forced-tunnel', 'info', `Subnet ${subnet.name}: internet traffic is forced to on-premises; the public IP it finally uses is decided there.`,
    'Check the on-premises egress (proxy / firewall) for this traffic.', [subnet.id, ...(gateway ? [gateway.id] : [])], DOCS.forcedTunnel);
  return trail.end({ kind: 'forced-tunnel', gateway: gateway ? named(gateway) : null, expressRoute });
}

/** A firewall's private IPs: a hub firewall's hubIPAddresses.privateIPAddress, a VNet firewall's IP configurations'. */
function firewallPrivateIps(firewall: AzureFirewall): readonly string[] {
  const ips = firewall.ipConfigurations.map((c) => c.privateIpAddress?.trim() ?? '').filter((ip) => ip !== '');
  const hub = firewall.hubPrivateIpAddress?.trim() ?? '';
  return hub === '' ? ips : [hub, ...ips];
}

/**
 * A captured route through the hub whose next hop IP is not the hub firewall's private IP: Azure
 * programmed the spoke to send the flow elsewhere. A static route on a VNet connection steers hub
 * traffic "through a next hop IP, which could be of a Network Virtual Appliance (NVA) provisioned
 * in a Spoke" [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 * An appliance the input holds in a VNet connected to the same hub, on a hub without routing
 * intent (which would send the flow to its own next hop), is followed as a next hop is; otherwise
 * where the flow goes is unknown, naming the address. Never the hub firewall's egress.
 */
function hubNextHopElsewhere(ctx: EngineContext, trail: Trail, subnet: Subnet, route: ComputedRoute, hub: VirtualHub | null, hubRef: Named, ip: string, firewall: AzureFirewall | null): Outcome {
  const address = parseIp(ip);
  let found: { readonly owner: PrivateIpOwner; readonly vnet: VirtualNetwork } | null = null;
  for (const c of hub?.connections ?? []) {
    const vnet = c.remoteVirtualNetworkId ? ctx.index.virtualNetworks.get(c.remoteVirtualNetworkId) : undefined;
    if (!vnet || address === null || !vnetContains(vnet.addressPrefixes, address)) continue;
    const owner = ctx.index.privateIpOwner(vnet.id, ip);
    if (owner) {
      found = { owner, vnet };
      break;
    }
  }
  if (found !== null && hub !== null && hub.routingPolicies.length === 0) {
    const owner = found.owner;
    const appliance = ownerOf(owner);
    const looped = loopGuard(ctx, trail, appliance, null);
    if (looped) return looped;
    trail.visit(appliance.id);
    trail.depth += 1;
    switch (owner.kind) {
      case 'azure-firewall': return toFirewall(ctx, trail, owner.firewall, null);
      case 'nic': return toNva(ctx, trail, owner.nic, owner.ipConfiguration);
      case 'internal-load-balancer': return toInternalLoadBalancer(ctx, trail, owner.loadBalancer, owner.frontend);
    }
  }
  const whose = found !== null ? `${ownerOf(found.owner).name} in ${found.vnet.name}, which routing intent on the hub would not send it to`
    : hub?.addressPrefix ? `no appliance in a VNet connected to the hub holds it${address !== null && vnetContains([hub.addressPrefix], address) ? ` (it is in the hub's own range ${hub.addressPrefix}: a hub gateway, router or appliance)` : ''}`
      : 'no appliance in a VNet connected to the hub holds it';
  const own = firewall === null ? [] : firewallPrivateIps(firewall);
  const notFirewall = firewall === null ? 'the hub has no Azure Firewall in the input'
    : own.length === 0 ? `the private IP of hub firewall ${firewall.name} (hubIPAddresses.privateIPAddress) is not in the input, so whether it is that firewall is not known`
      : `it is not the private IP of hub firewall ${firewall.name} (${own.join(', ')})`;
  return trail.end({ kind: 'undecided', resourceId: route.resourceId ?? hub?.id ?? subnet.id, docs: DOCS.vwanHubRouting,
    rule: `Captured route "${describeRoute(route)}" through virtual hub ${hubRef.name}: next hop ${ip}`,
    missingFact: `where next hop ${ip} of captured route "${describeRoute(route)}" sends traffic to ${ctx.flow.destination}: ${notFirewall}, and ${whose}` });
}

function toVirtualHub(ctx: EngineContext, trail: Trail, subnet: Subnet, route: ComputedRoute, hub: VirtualHub | null, hubId: string): Outcome {
  const hubRef = hub ? named(hub) : nameOfId(hubId);
  if (route.source === 'User') {
    trail.add({ kind: 'virtual-hub', hub: hubRef, routingIntent: null, udr: true, subnetId: subnet.id });
    trail.finding('unsupported-udr-gateway', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" targets VirtualNetworkGateway in a VNet connected to Virtual WAN, which is not supported.`,
      'Use routing intent on the hub instead of a UDR to the gateway.', [subnet.id, hubId], DOCS.vwanRoutingPolicies);
    return trail.end({ kind: 'unsupported-gateway-target', gateway: hubRef, why: 'virtual-wan' });
  }
  // The Internet policy takes internet-bound traffic (the hub's 0.0.0.0/0); traffic on a more
  // specific hub route (another connection, a branch) goes to the appliance only under a Private
  // Traffic policy [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
  const specificRoute = route.cidr !== null && route.cidr.prefixLength > 0;
  const policy = hub?.routingPolicies.find((p) => p.destinations.some((d) => d.toLowerCase() === (specificRoute ? 'privatetraffic' : 'internet')));
  if (specificRoute && !policy) {
    return trail.end({ kind: 'undecided', resourceId: hubId, rule: `Virtual hub ${hubRef.name}: no Private Traffic routing policy`, docs: DOCS.vwanRoutingPolicies,
      missingFact: `where the router of virtual hub ${hubRef.name} sends traffic for ${route.addressPrefix}: without a Private Traffic routing policy it goes to the connection or branch that advertises the range, as the hub's route tables say, and they are not read` });
  }
  if (specificRoute && policy) {
    // The appliance forwards inter-connection traffic to the connection or branch holding the range
    // (not to the internet): the hub firewall's egress walk would misread it, so it is not followed.
    const appliance = policy.nextHopId ? nameOfId(policy.nextHopId).name : 'its next hop';
    return trail.end({ kind: 'undecided', resourceId: policy.nextHopId ?? hubId, rule: `Virtual hub ${hubRef.name}: Private Traffic routing policy ${policy.name}`, docs: DOCS.vwanRoutingPolicies,
      missingFact: `what ${appliance} decides for traffic to ${ctx.flow.destination} and where the hub then delivers it: routing intent sends private traffic (${route.addressPrefix}) through the appliance to the connection or branch that holds it, which is not modelled` });
  }
  const firewallId = policy?.nextHopId ?? hub?.azureFirewallId ?? null;
  const firewall = firewallId ? ctx.index.azureFirewalls.get(firewallId) : undefined;
  trail.add({ kind: 'virtual-hub', hub: hubRef, routingIntent: policy?.name ?? null, udr: false, subnetId: subnet.id });
  // An Internet routing policy's next hop may be "Azure Firewall, Third-Party Security provider,
  // Network Virtual Appliance, or SaaS solution" [VWAN]: an NVA or SaaS in the hub the input holds
  // is there, but what it does with the traffic is not modelled (never "not in the snapshot").
  const appliance = !firewall && firewallId !== null ? hub?.networkVirtualAppliances?.find((a) => a.id === firewallId) : undefined;
  if (appliance) {
    addGap(ctx, { code: 'not-modelled', scope: appliance.id, message: `Network virtual appliance ${appliance.name} in virtual hub ${hubRef.name} is a routing-intent next hop: what it does with the traffic (its rules, its egress) is not modelled.` });
    return trail.end({ kind: 'undecided', resourceId: appliance.id, docs: DOCS.vwanRoutingPolicies,
      rule: `Virtual hub ${hubRef.name} routing intent ${policy?.name ?? ''} → network virtual appliance ${appliance.name} (not modelled)`,
      missingFact: `what network virtual appliance ${appliance.name}${appliance.vendor === null ? '' : ` (${appliance.vendor})`}, deployed in virtual hub ${hubRef.name}, does with traffic to ${ctx.flow.destination}: routing intent sends it there, and third-party appliances and SaaS solutions in a hub are not modelled` });
  }
  // A captured route names its next hop: one that is not the hub firewall's private IP (a static
  // route to an NVA, a hub gateway or appliance) does not lead to the firewall.
  const capturedHop = route.nextHopIpAddress?.trim() || null;
  if (capturedHop !== null && (firewall === undefined || !firewallPrivateIps(firewall).includes(capturedHop))) {
    return hubNextHopElsewhere(ctx, trail, subnet, route, hub, hubRef, capturedHop, firewall ?? null);
  }
  if (!firewall) {
    addGap(ctx, { code: 'missing-reference', scope: hubId, message: 'The hub\'s internet security appliance is not in the snapshot (or is not an Azure Firewall).' });
    return trail.end({ kind: 'missing-resource', resourceId: firewallId ?? hubId, what: `the internet security appliance of virtual hub ${hubRef.name}`, consequence: 'the hub\'s egress' });
  }
  const looped = loopGuard(ctx, trail, named(firewall), null);
  if (looped) return looped;
  trail.visit(firewall.id);
  trail.depth += 1;
  return toFirewall(ctx, trail, firewall, hub);
}

/**
 * Whether an IPv4 address is the broadcast (last) address of a subnet of `vnet` or of a VNet peered
 * with it, which Azure reserves [VNETFAQ]. Only those: an unrelated VNet may use the same space
 * with other subnets, where the address is an ordinary host.
 */
function isSubnetBroadcast(index: ModelIndex, vnet: VirtualNetwork | undefined, ip: IpAddress): boolean {
  if (!vnet || ip.version !== 4) return false;
  return broadcastsNear(index, vnet).has(ip.value);
}

/** Per model: the broadcast address of every IPv4 subnet prefix, built once. */
const modelBroadcasts = new WeakMap<ModelIndex, ReadonlySet<number>>();

function anySubnetBroadcast(index: ModelIndex): ReadonlySet<number> {
  let found = modelBroadcasts.get(index);
  if (found) return found;
  const addresses = new Set<number>();
  for (const subnet of index.subnets.values()) addBroadcasts(addresses, subnet.addressPrefixes);
  found = addresses;
  modelBroadcasts.set(index, found);
  return found;
}

function addBroadcasts(addresses: Set<number>, prefixes: readonly string[]): void {
  for (const text of prefixes) {
    const cidr = parseCidr(text);
    if (cidr === null || cidr.version !== 4 || cidr.prefixLength > 30) continue;
    addresses.add((cidr.network + 2 ** (32 - cidr.prefixLength) - 1) >>> 0);
  }
}

/** Per VNet (of one model): the broadcast addresses of its subnets and its peered VNets' subnets, built once. */
const nearBroadcasts = new WeakMap<VirtualNetwork, ReadonlySet<number>>();

function broadcastsNear(index: ModelIndex, vnet: VirtualNetwork): ReadonlySet<number> {
  let found = nearBroadcasts.get(vnet);
  if (found) return found;
  const addresses = new Set<number>();
  const vnets = [vnet, ...(index.peerings.get(vnet.id) ?? []).flatMap((ref) => {
    const remote = ref.peering.remoteVirtualNetworkId === null ? undefined : index.virtualNetworks.get(ref.peering.remoteVirtualNetworkId);
    return remote === undefined ? [] : [remote];
  })];
  for (const v of vnets) {
    for (const id of v.subnetIds) addBroadcasts(addresses, index.subnets.get(id)?.addressPrefixes ?? []);
  }
  found = addresses;
  nearBroadcasts.set(vnet, found);
  return found;
}

/**
 * Destinations Azure decides before any route or appliance (host-addresses.ts): multicast and
 * broadcast are blocked in virtual networks (dropped) [VNETFAQ]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq
 * and the host node's virtualized addresses (169.254.169.254, 168.63.129.16) are reached on the
 * VM's own host: not subject to user-defined routes [WIRE], "never leaves the host" [IMDS], so no
 * firewall sees them. NSGs apply to them only through a rule on the service's own tag
 * (AzurePlatformIMDS, AzurePlatformDNS) [NSGOV]: such a rule decides (NIC NSG first, then the
 * subnet's, as for all outbound traffic); no other rule, default rules included, does.
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#azure-platform-considerations
 * Null for every other destination (routing decides).
 */
/**
 * platformDestination for this source: the destination's own answer is worked out once per
 * destination and port (it runs for every source of a resolve); only a subnet broadcast address
 * depends on the source's VNet, and only an IPv4 address that is no other kind can be one.
 */
const platformAnswers = new WeakMap<EgressDestination, Map<number, { readonly found: PlatformDestination | null; readonly broadcastCandidate: IpAddress | null }>>();

function platformAnswer(ctx: EngineContext, destination: EgressDestination, subnet: Subnet): PlatformDestination | null {
  const byPort = innerMap(platformAnswers, destination);
  const port = ctx.traffic.port;
  let known = byPort.get(port);
  if (!known) {
    let broadcastCandidate: IpAddress | null = null;
    // Only an address that is some subnet's broadcast address anywhere in the model can be one
    // for a given source: nearly always none, and the per-source check is skipped.
    const found = platformDestination(destination, port, (ip) => {
      if (ip.version === 4 && anySubnetBroadcast(ctx.index).has(ip.value)) broadcastCandidate = ip;
      return false;
    });
    known = { found, broadcastCandidate };
    byPort.set(port, known);
  }
  if (known.found !== null || known.broadcastCandidate === null) return known.found;
  const vnet = ctx.index.subnetVirtualNetwork.get(subnet.id);
  if (!isSubnetBroadcast(ctx.index, vnet, known.broadcastCandidate)) return null;
  // The source's VNet (or a peer) has a subnet whose broadcast address this is: the full answer, with its words.
  return platformDestination(destination, port, (ip) => isSubnetBroadcast(ctx.index, vnet, ip));
}

export function beforeRouting(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null): Outcome | null {
  const destination = ctx.traffic.destination;
  if (destination.kind === 'default-route') return null;
  const found = platformAnswer(ctx, destination, subnet);
  if (found === null) return null;
  if (found.kind === 'blocked') return trail.end({ kind: 'blocked-in-vnet', what: found.what, words: found.words });
  const allowedBy: { readonly nsg: Named; readonly rule: string }[] = [];
  if (found.nsgTags.length > 0) {
    for (const nsgId of [nic?.networkSecurityGroupId ?? null, subnet.networkSecurityGroupId]) {
      if (nsgId === null) continue;
      const nsg = ctx.index.networkSecurityGroups.get(nsgId);
      if (!nsg) {
        return missingReference(ctx, trail, nsgId, `network security group ${nameOfId(nsgId).name}`,
          `whether a rule on the ${found.nsgTags.join(', ')} service tag blocks traffic to ${found.address}`);
      }
      const hit = ruleTargetingTag(nsg, found.nsgTags, ctx.traffic, trail.source);
      if (hit === null) continue;
      if (!sourceInsensitive(nsg, 'Outbound')) trail.sourceConsulted = true;
      if (hit.match === 'maybe') {
        return trail.end({ kind: 'undecided', resourceId: nsg.id, rule: `NSG ${nsg.name} rule ${hit.rule.name} on ${found.nsgTags.join(', ')}`, docs: DOCS.nsgPlatform, verify: VERIFY.nsgRules(nsg.id),
          missingFact: `whether rule ${hit.rule.name} (${hit.rule.access}) of NSG ${nsg.name} applies to this source: it targets the ${found.nsgTags.join(', ')} service tag, the only way an NSG rule reaches traffic to ${found.address}, and its source prefixes or ports cover only part of this source` });
      }
      if (hit.rule.access === 'Deny') return trail.end({ kind: 'nsg-deny', nsg: named(nsg), rules: [hit.rule.name], direction: 'Outbound' });
      allowedBy.push({ nsg: named(nsg), rule: hit.rule.name });
    }
  }
  return trail.end({ kind: 'host-platform-address', address: found.address, service: found.service, nsgTags: found.nsgTags, allowedBy });
}

/** Exposed for the resolver's top level: a path starting at a subnet (or NIC in it). */
export function walkFromSource(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null, sender: Sender): Outcome {
  const platform = beforeRouting(ctx, trail, subnet, nic);
  if (platform) return platform;
  const appService = routeAllDelegation(subnet);
  if (appService !== null && !isRfc1918Destination(ctx.traffic.destination)) return routeAllUnknown(ctx, trail, subnet, nic, sender, appService);
  return walkSubnet(ctx, trail, subnet, nic, sender);
}

/** The subnet's own path: its NSGs, then its routes. */
function walkSubnet(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null, sender: Sender): Outcome {
  const stopped = nsgSteps(ctx, trail, subnet, nic);
  if (stopped) return stopped;
  return forward(ctx, trail, subnet, sender);
}

const RFC1918: Ipv4Set = RFC1918_CIDRS.reduce((set, cidr) => set.union(Ipv4Set.fromCidr(cidr)), Ipv4Set.empty());
const rfc1918Answers = new WeakMap<EgressDestination, boolean>();

/**
 * Whether every address of the destination is RFC 1918 private: the only traffic an App Service
 * app sends into its integration subnet without Route All [APPVNET]. The internet as a whole, a name
 * whose address is not known and IPv6 destinations are not.
 */
function isRfc1918Destination(destination: EgressDestination): boolean {
  const known = rfc1918Answers.get(destination);
  if (known !== undefined) return known;
  let answer: boolean;
  if (destination.kind === 'range') {
    answer = !destination.set.isEmpty() && destination.cidrs.every((c) => c.version === 4) && RFC1918.containsSet(destination.set);
  } else {
    const address = destinationAddress(destination);
    answer = address !== null && address.version === 4 && RFC1918.contains(address.value);
  }
  rfc1918Answers.set(destination, answer);
  return answer;
}

/**
 * A subnet delegated to App Service VNet integration, for a destination that is not RFC 1918
 * private: "If all traffic routing isn't enabled, only private traffic (RFC1918) and service
 * endpoints configured on the integration subnet will be sent into the virtual network and outbound
 * traffic to the internet will go through the same channels as normal", and "When Route All isn't
 * enabled, NSGs are only applied to RFC1918 traffic" [APPVNET]
 * https://learn.microsoft.com/azure/app-service/overview-vnet-integration#application-routing
 * Route All is a setting of each app, not in the input: the subnet's own path (its NSG, route table,
 * NAT gateway) holds only with it. That path is walked on a fork to say what it would be; when it
 * ends at the service's own egress anyway (nothing in the subnet decides) or at a service endpoint
 * of the subnet (used with or without Route All), that answer stands.
 */
function routeAllUnknown(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null, sender: Sender, service: string): Outcome {
  const child = trail.fork();
  const withRouteAll = walkSubnet(ctx, child, subnet, nic, sender);
  if (child.sourceConsulted) trail.sourceConsulted = true;
  const part: Continuation = { outcome: withRouteAll, steps: child.steps, via: child.via, findings: child.findings,
    visited: child.visited.filter((id) => !trail.visited.includes(id)), depth: child.depth - trail.depth };
  // Nothing in the subnet decides (the service's own egress), or the subnet's service endpoint carries
  // it: "service endpoints configured on the integration subnet" get the traffic without Route All
  // too [APPVNET], and with it the NSG allowed it on the way there: the same answer either way.
  if (endsAtServiceEgress(subnet, withRouteAll.terminal) || withRouteAll.terminal.kind === 'delivered-to-service-endpoint') return trail.append(part);
  // The subnet's own findings (a bypassed NAT gateway, a firewall's default deny) hold for the apps with Route All.
  for (const f of child.findings) trail.finding(f.code, f.severity, f.message, f.advice ?? '', f.resourceIds ?? [], f.docs ?? DELEGATION_DOCS.appServiceRouting);
  return trail.end({ kind: 'undecided', resourceId: subnet.id, rule: `Subnet ${subnet.name}: delegated to ${service} (App Service VNet integration), Route All not in the input`,
    docs: DELEGATION_DOCS.appServiceRouting, verify: VERIFY.appServiceApps(subnet.name),
    missingFact: `whether the apps integrated into subnet ${subnet.name} route all traffic into it (Route All: vnetRouteAllEnabled, or outboundVnetRouting.applicationTraffic), a setting of each app that the input does not hold: `
      + `with it, traffic to ${ctx.flow.destination} follows the subnet's NSG, routes and NAT gateway and ends ${pathEndWords(withRouteAll)}; without it only RFC 1918 traffic enters the subnet, NSGs apply to RFC 1918 traffic only, and this traffic leaves from the app's own outbound addresses (outboundIpAddresses)` });
}

export { primaryIpConfiguration, isPlatformSubnet };
