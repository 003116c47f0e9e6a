/**
 * The routes that apply to a subnet: system + peering + service endpoint + gateway + UDR, or the
 * captured effective routes when Azure gave us some for a NIC in that subnet (all NICs of a subnet
 * share one effective route table, and Azure's word beats our model of it). A NIC's own capture
 * decides for that NIC; captures of one subnet that disagree leave the subnet's answer open (see
 * capturedRouteSetsOf).
 * Route sets are cached by signature (VNet, route table, service endpoints): at estate scale many
 * subnets share one.
 */
import type { Gap } from '../model/gaps';
import { nameFromResourceId, type ResourceId } from '../model/ids';
import { parseCidr } from '../model/ip';
import type { Cidr } from '../model/ip';
import { Ipv4Set, publicIpv4 } from '../model/ip-set';
import type { ModelIndex } from '../model/model-index';
import type { ServiceTag, ServiceTagIndex } from '../model/service-tags';
import type {
  CapturedEffectiveRoutes, NetworkInterface, PeeringState, RouteTable, ServiceEndpoint, Subnet, VirtualNetwork, VirtualNetworkPeering,
} from '../model/topology';
import { normalizeRegion, pairedRegionsOf } from '../model/region-pairs';
import { carriedRemotePrefixes, peeringIncludesLocalSubnet, vwanPeeringDown } from './peering';
import { applyPrivateEndpointRoutePolicies, privateEndpointRoutes } from './private-endpoint-routes';
import { nextHopLabel, toNextHop, toRouteSource } from './route';
import type { ComputedRoute, RouteSet, ServiceTagRouteKind } from './route';
import { buildSystemRoutes } from './system-routes';
import { hubDefaultRouteSources, isInternetPolicy } from './virtual-hub';

/** The gateway a VNet's gateway routes come from [UDR]: its own, a peer's (gateway transit), or a vWAN hub. */
export type GatewayDomain =
  | { readonly kind: 'local'; readonly virtualNetworkId: ResourceId }
  | { readonly kind: 'remote'; readonly virtualNetworkId: ResourceId; readonly peeringId: ResourceId }
  | { readonly kind: 'virtual-hub'; readonly virtualHubId: ResourceId }
  | { readonly kind: 'none' };

export function gatewayDomainOf(index: ModelIndex, vnet: VirtualNetwork): GatewayDomain {
  // "If the virtual network is connected to a Virtual WAN hub, the gateway is always the hub router" [UDR]
  const hub = index.hubConnections.get(vnet.id);
  if (hub) return { kind: 'virtual-hub', virtualHubId: hub.hub.id };
  if ((index.gateways.get(vnet.id) ?? []).length > 0) return { kind: 'local', virtualNetworkId: vnet.id };
  for (const { peering } of index.peerings.get(vnet.id) ?? []) {
    if (!peering.useRemoteGateways || !peering.remoteVirtualNetworkId || peering.peeringState !== 'Connected') continue;
    // Gateway transit needs allowGatewayTransit on the remote side's peering back to us [PEER]; a remote VNet
    // out of scope is given the benefit of the doubt (its peering is not visible).
    const remoteVnetId = peering.remoteVirtualNetworkId;
    const back = (index.peerings.get(remoteVnetId) ?? []).find((p) => p.peering.remoteVirtualNetworkId === vnet.id);
    if (index.virtualNetworks.has(remoteVnetId) && back && !back.peering.allowGatewayTransit) continue;
    return { kind: 'remote', virtualNetworkId: peering.remoteVirtualNetworkId, peeringId: peering.id };
  }
  return { kind: 'none' };
}

/**
 * A peering of `vnet` that would give it a gateway through gateway transit if it were Connected,
 * but whose state the input does not report (`Unknown`): `useRemoteGateways` set and, with the
 * remote VNet in the input, `allowGatewayTransit` on the remote side's peering back (gatewayDomainOf
 * skips it: only a Connected peering carries traffic [PEER]). Whether the VNet has a gateway then
 * rests on that state, which is not known (as peering.ts treats an unreported state everywhere).
 * A peering not in the input but inferred from the remote side's Connected one (`inferredFrom`)
 * counts with the remote side allowing gateway transit: whether it sets `useRemoteGateways` is not
 * known either. Null when there is none, or when gatewayDomainOf already found a gateway domain.
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
 */
export function unreportedGatewayTransit(index: ModelIndex, vnet: VirtualNetwork): VirtualNetworkPeering | null {
  if (gatewayDomainOf(index, vnet).kind !== 'none') return null;
  for (const { peering } of index.peerings.get(vnet.id) ?? []) {
    // A peering inferred from the remote side's (not-exported.ts) does not show useRemoteGateways
    // either way: with the remote side allowing gateway transit, it may be set.
    if ((!peering.useRemoteGateways && peering.inferredFrom === undefined) || !peering.remoteVirtualNetworkId || peering.peeringState !== 'Unknown') continue;
    const remoteVnetId = peering.remoteVirtualNetworkId;
    const back = (index.peerings.get(remoteVnetId) ?? []).find((p) => p.peering.remoteVirtualNetworkId === vnet.id);
    if (index.virtualNetworks.has(remoteVnetId) && back && !back.peering.allowGatewayTransit) continue;
    return peering;
  }
  return null;
}

/**
 * Routes that reach a subnet but are not in the snapshot (no effective routes captured in their
 * gateway domain), and which prefixes they can carry:
 *  - `bgp`: a gateway or Route Server that speaks BGP; anything, 0.0.0.0/0 included [UDR][S2SFT][ERROUTE][RS].
 *  - `static`: a VPN gateway without BGP still installs the address prefixes "configured in the
 *    local network gateway" in every subnet [UDR]
 *    https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default
 *    Without BGP a default route comes only from GatewayDefaultSite, which the model reads [S2SFT],
 *    so these stand for specific (on-premises) prefixes only.
 *  - `virtual-hub`: the hub router propagates the ranges of the hub's other connections and
 *    branches to a connected VNet [VWAN] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 *    The hub's 0.0.0.0/0 and its route tables' routes are asked by the engine (hubDefaultRouteQuestion,
 *    hubRouteQuestion): the ranges here are specific prefixes, which beat only a None route.
 */
export interface UnknownLearnedRoutes {
  readonly resourceId: ResourceId;
  readonly name: string;
  readonly via: 'bgp' | 'static' | 'virtual-hub';
}

/** The VNet's RouteServerSubnet (the name Azure requires for Route Server), or null [RS]. */
export function routeServerSubnetOf(index: ModelIndex, vnet: VirtualNetwork): ResourceId | null {
  for (const id of vnet.subnetIds) {
    if (index.subnets.get(id)?.name.toLowerCase() === 'routeserversubnet') return id;
  }
  return null;
}

/**
 * Which subnets get the same learned routes, so that one capture's learned routes speak for all of
 * them. A VNet gateway's routes go to every subnet of its VNet and of the spokes that use it
 * (gateway transit) that propagate gateway routes [UDR]. A Virtual WAN hub's routes do not: what
 * the hub router gives a connection depends on that connection ("Propagate default route" /
 * enableInternetSecurity decides whether it learns 0.0.0.0/0, its route table association and
 * propagation the rest) [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
 * so a spoke's capture speaks for its own VNet only.
 */
function sharingKey(domain: GatewayDomain, vnet: VirtualNetwork): string | null {
  switch (domain.kind) {
    case 'local': case 'remote': return `vnet:${domain.virtualNetworkId}`;
    case 'virtual-hub': return `hub:${domain.virtualHubId}|${vnet.id}`;
    case 'none': return null;
  }
}

/** The resource shared learned routes name: the gateway's VNet, or the hub. */
function domainResourceId(domain: Exclude<GatewayDomain, { kind: 'none' }>): ResourceId {
  return domain.kind === 'virtual-hub' ? domain.virtualHubId : domain.virtualNetworkId;
}

/**
 * Whether a capture was taken with gateway route propagation off: "If true, on-premises routes are
 * not propagated to the network interfaces in the subnet"
 * https://learn.microsoft.com/javascript/api/@azure/arm-network/effectiveroute
 * Such a capture cannot show a learned route, so it says nothing about what other subnets learn.
 */
function capturedWithoutGatewayRoutes(table: CapturedEffectiveRoutes): boolean {
  return table.routes.some((r) => r.disableBgpRoutePropagation === true);
}

/** A capture's routes as one comparable text (order-insensitive): equal texts, same routes. */
function captureSignature(table: CapturedEffectiveRoutes): string {
  return table.routes.map((r) => [r.source, r.state, [...r.addressPrefixes].sort().join(','), r.nextHopType, [...r.nextHopIpAddresses].sort().join(',')]
    .join('|').toLowerCase()).sort().join('\n');
}

function hasDefaultRoute(routes: readonly ComputedRoute[]): boolean {
  return routes.some((r) => r.cidr !== null && r.cidr.version === 4 && r.cidr.prefixLength === 0);
}

/** Only a Connected peering carries traffic [PEER]; `Unknown` counts as not connected. */
export function isConnected(peeringState: PeeringState): boolean {
  return peeringState === 'Connected';
}

function route(partial: Omit<ComputedRoute, 'cidr' | 'hasBgpOverride' | 'active'> & { readonly hasBgpOverride?: boolean }): ComputedRoute {
  return { ...partial, cidr: parseCidr(partial.addressPrefix), hasBgpOverride: partial.hasBgpOverride ?? false, active: true };
}

/**
 * Converts captured effective routes: one ComputedRoute per address prefix and next-hop IP. A route
 * with several next-hop IPs is several equal-cost routes (ECMP), as Route Server programs "multiple
 * copies of the route, each with a different next hop" [RS]
 * https://learn.microsoft.com/azure/route-server/route-server-faq
 * so longest-prefix match keeps them as a tie (lpm.ts `equalCost`), never just the first IP.
 */
export function fromEffectiveRoutes(captured: CapturedEffectiveRoutes): ComputedRoute[] {
  const routes: ComputedRoute[] = [];
  for (const r of captured.routes) {
    const nextHop = toNextHop(r.nextHopType);
    const source = toRouteSource(r.source);
    const active = r.state.trim().toLowerCase() !== 'invalid';
    const nextHopIps: readonly (string | null)[] = r.nextHopIpAddresses.length > 0 ? r.nextHopIpAddresses : [null];
    for (const addressPrefix of r.addressPrefixes) {
      const cidr = parseCidr(addressPrefix);
      for (const nextHopIpAddress of nextHopIps) {
        routes.push({ source, origin: 'captured', name: r.name ?? '', addressPrefix, cidr, nextHop, nextHopIpAddress,
          hasBgpOverride: false, resourceId: captured.networkInterfaceId, active });
      }
    }
  }
  return routes;
}

/** Computes (and caches) route sets. Construct once per resolve. */
export class RouteSetBuilder {
  private readonly cache = new Map<string, RouteSet>();
  private readonly computed = new Map<string, Map<string, Map<string, RouteSet>>>();
  /** Per subnet object: avoids rebuilding the signature string on every lookup. */
  private readonly bySubnet = new Map<Subnet, RouteSet>();
  /** Per subnet: the captures of its NICs (primary IP configuration there), lowest NIC ID first. */
  private readonly capturedBySubnet = new Map<ResourceId, CapturedEffectiveRoutes[]>();
  /** Each usable capture by its NIC (a NIC with a capture follows it: one lookup per walk). */
  private readonly capturedTables = new Map<ResourceId, CapturedEffectiveRoutes>();
  /** Subnets whose NICs' captures differ: the NICs with a capture, in NIC ID order. */
  private readonly differingCaptures = new Map<ResourceId, readonly ResourceId[]>();
  /** Per captured NIC: the subnet its capture applies to. */
  private readonly capturedNicSubnet = new Map<ResourceId, ResourceId>();
  /** Per sharing key (see sharingKey): the learned routes captures there show; present once a capture speaks for it. */
  private readonly learnedByDomain = new Map<string, ComputedRoute[]>();
  private readonly unknownLearned = new Map<Subnet, UnknownLearnedRoutes | null>();
  private readonly serviceTagTablesReported = new Set<string>();
  /** Per route table: its UDRs on a service tag that the data cannot expand (see unexpandedServiceTagRoutes). */
  private readonly unexpandedTags = new Map<string, readonly UnexpandedServiceTagRoute[]>();
  /** Per endpoint signature (service and locations): its known prefixes and what is not known. */
  private readonly endpointPrefixCache = new Map<string, ServiceEndpointPrefixes>();
  private readonly uncertainEndpoints = new Map<Subnet, readonly UncertainServiceEndpoint[]>();
  /** System + peering + gateway routes depend on the VNet only: computed once per VNet (and propagation setting). */
  private readonly vnetRoutes = new Map<string, readonly ComputedRoute[]>();
  private readonly udrs = new Map<RouteTable, readonly ComputedRoute[]>();
  /** VNet → its Connected subnet peerings (usually none). */
  private readonly subnetPeerings = new Map<ResourceId, readonly VirtualNetworkPeering[]>();
  readonly gaps: Gap[] = [];

  /**
   * `serviceTags`: prefix data for route-table routes whose addressPrefix is a service tag [UDR]
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
   * Such a route then applies to each of the tag's prefixes; without data it never matches (a gap).
   */
  constructor(private readonly index: ModelIndex, captured: readonly CapturedEffectiveRoutes[], private readonly serviceTags?: ServiceTagIndex) {
    // One scan of the NICs instead of a 100,000-entry map: captures are few.
    const capturedNics = new Map<ResourceId, CapturedEffectiveRoutes>(captured.map((t) => [t.networkInterfaceId, t]));
    const usable: { readonly subnetId: ResourceId; readonly table: CapturedEffectiveRoutes }[] = [];
    if (capturedNics.size > 0) {
      for (const nic of index.model.networkInterfaces) {
        const table = capturedNics.get(nic.id);
        if (!table) continue;
        const config = nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
        // A capture whose subnet is not in the input has nowhere to apply: a gap below, not silence.
        if (!config?.subnetId || !index.subnets.has(config.subnetId)) continue;
        usable.push({ subnetId: config.subnetId, table });
      }
    }
    usable.sort((a, b) => (a.table.networkInterfaceId < b.table.networkInterfaceId ? -1 : 1));
    for (const { subnetId, table } of usable) {
      this.capturedNicSubnet.set(table.networkInterfaceId, subnetId);
      this.capturedTables.set(table.networkInterfaceId, table);
      const list = this.capturedBySubnet.get(subnetId);
      if (list) list.push(table);
      else this.capturedBySubnet.set(subnetId, [table]);
    }
    for (const table of captured) {
      if (this.capturedNicSubnet.has(table.networkInterfaceId)) continue;
      this.gaps.push({ code: 'missing-reference', scope: table.networkInterfaceId, message: 'Captured effective routes belong to a NIC that is not in the snapshot, or whose subnet is not (or that has none); they were not used.' });
    }
    for (const [subnetId, tables] of this.capturedBySubnet) {
      if (tables.length < 2 || tables.every((t) => captureSignature(t) === captureSignature(tables[0] as CapturedEffectiveRoutes))) continue;
      this.differingCaptures.set(subnetId, tables.map((t) => t.networkInterfaceId));
      // NICs of one subnet share its routes [UDR]: captures that differ were taken at different times.
      this.gaps.push({ code: 'not-modelled', scope: subnetId,
        message: `The captured effective routes of the NICs of subnet ${index.subnets.get(subnetId)?.name ?? nameFromResourceId(subnetId)} differ (${tables.map((t) => nameFromResourceId(t.networkInterfaceId)).join(', ')}): NICs of one subnet share its routes, so some capture is out of date. Each of those NICs follows its own capture; where they disagree, the subnet's answer is unknown. Capture them again.` });
    }
    // Gateway-learned routes are only known from captures: share them with every subnet that gets the same ones (see sharingKey).
    for (const { subnetId, table } of usable) {
      const vnet = index.subnetVirtualNetwork.get(subnetId);
      if (!vnet) continue;
      // A subnet whose route table stops gateway route propagation shows none of the learned routes
      // [UDR]: its capture says nothing about them (nor does one whose route table is not in the
      // input, nor a capture that itself says propagation was off when it was taken).
      const routeTableId = index.subnets.get(subnetId)?.routeTableId ?? null;
      if (routeTableId !== null && (index.routeTables.get(routeTableId)?.disableBgpRoutePropagation ?? true)) continue;
      if (capturedWithoutGatewayRoutes(table)) continue;
      const domain = gatewayDomainOf(index, vnet);
      const key = sharingKey(domain, vnet);
      if (!key || domain.kind === 'none') continue;
      const learned = this.learnedByDomain.get(key) ?? [];
      for (const r of fromEffectiveRoutes(table)) {
        if (r.source !== 'VirtualNetworkGateway') continue;
        if (learned.some((l) => l.addressPrefix === r.addressPrefix && l.nextHopIpAddress === r.nextHopIpAddress && nextHopLabel(l.nextHop) === nextHopLabel(r.nextHop))) continue;
        // Invalid in the captured subnet says only that a route of that subnet (its UDR) beat it
        // there: "The state of this route is still Active for all other subnets" [UDR]
        // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#routing-example
        // Each subnet's own longest-prefix match decides it again.
        learned.push({ ...r, origin: 'gateway', resourceId: domainResourceId(domain), active: true });
      }
      this.learnedByDomain.set(key, learned);
    }
  }

  /**
   * The gateway whose learned routes reach this subnet but are not known: it speaks BGP (every
   * ExpressRoute gateway, a VPN gateway with BGP on) and no effective routes were captured in its
   * gateway domain. On-premises may advertise 0.0.0.0/0 through it, which beats the system default
   * route and sends internet traffic on-premises [UDR][S2SFT][ERROUTE]; the configuration does not say.
   * Azure Route Server counts too: NVAs advertise routes to it over BGP, 0.0.0.0/0 included [RS]
   * https://learn.microsoft.com/azure/route-server/overview. Null when the subnet's routes are known
   * (captured), propagation is off, or there is no such gateway. `via` says which prefixes the
   * unknown routes can carry (see UnknownLearnedRoutes).
   */
  unknownLearnedRoutes(subnet: Subnet): UnknownLearnedRoutes | null {
    // Asked once per source and destination by the matrix: the answer depends on the subnet alone.
    let known = this.unknownLearned.get(subnet);
    if (known === undefined) {
      known = this.unknownLearnedUncached(subnet);
      this.unknownLearned.set(subnet, known);
    }
    return known;
  }

  /**
   * Whether the subnet gets the routes its VNet's gateway propagates (a VNet gateway's, a peer's by
   * gateway transit, a Virtual WAN hub router's): not when its route table sets
   * disableBgpRoutePropagation ("Propagate gateway routes" = No), which "stops the gateway-learned
   * routes from being added to that subnet" [UDR]; for a hub connection that is every Virtual WAN
   * route, its 0.0.0.0/0 included: "To ensure the spoke Virtual Network learns routes from Virtual
   * WAN, ensure "Propagate gateway routes" is set to "Yes"" [VWAN]
   * https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
   * A route table the input lacks counts as propagating (the engine asks for the table first).
   */
  learnsGatewayRoutes(subnet: Subnet): boolean {
    const table = subnet.routeTableId ? this.index.routeTables.get(subnet.routeTableId) : undefined;
    return table?.disableBgpRoutePropagation !== true;
  }

  private unknownLearnedUncached(subnet: Subnet): UnknownLearnedRoutes | null {
    if (this.capturedBySubnet.has(subnet.id)) return null;
    const vnet = this.index.subnetVirtualNetwork.get(subnet.id);
    if (!vnet) return null;
    if (!this.learnsGatewayRoutes(subnet)) return null;
    const domain = gatewayDomainOf(this.index, vnet);
    if (domain.kind === 'virtual-hub') {
      const hubKey = sharingKey(domain, vnet);
      if (hubKey !== null && this.learnedByDomain.has(hubKey)) return null;
      const hub = this.index.virtualHubs.get(domain.virtualHubId);
      return { resourceId: domain.virtualHubId, name: `virtual hub ${hub?.name ?? nameFromResourceId(domain.virtualHubId)}`, via: 'virtual-hub' };
    }
    if (domain.kind === 'none') {
      // Azure Route Server injects the routes NVAs advertise to it over BGP into every subnet of its
      // VNet [RS]; a VNet with no gateway of its own can still hold one.
      const routeServer = routeServerSubnetOf(this.index, vnet);
      return routeServer === null ? null : { resourceId: routeServer, name: `the Azure Route Server of ${vnet.name}`, via: 'bgp' };
    }
    const key = sharingKey(domain, vnet);
    if (key !== null && this.learnedByDomain.has(key)) return null;
    const domainVnet = this.index.virtualNetworks.get(domain.virtualNetworkId);
    const routeServer = domainVnet ? routeServerSubnetOf(this.index, domainVnet) : null;
    if (routeServer !== null && domainVnet) return { resourceId: routeServer, name: `the Azure Route Server of ${domainVnet.name}`, via: 'bgp' };
    const gateways = this.index.gateways.get(domain.virtualNetworkId) ?? [];
    const bgp = gateways.find((g) => g.gatewayType === 'ExpressRoute')
      ?? gateways.find((g) => (g.gatewayType === 'Vpn' && g.enableBgp) || g.gatewayType === 'Unknown');
    if (bgp) return { resourceId: bgp.id, name: bgp.name, via: 'bgp' };
    // Gateway transit to a VNet that is not in the input: its gateway (and whether it speaks BGP) is not known either.
    if (domain.kind === 'remote' && !this.index.virtualNetworks.has(domain.virtualNetworkId)) {
      return { resourceId: domain.virtualNetworkId, name: `the gateway of ${nameFromResourceId(domain.virtualNetworkId)} (not in the input)`, via: 'bgp' };
    }
    // A VPN gateway without BGP: its local network gateways' prefixes are routes too [UDR], and they are not in the input.
    const vpn = gateways.find((g) => g.gatewayType === 'Vpn');
    if (vpn) return { resourceId: vpn.id, name: vpn.name, via: 'static' };
    return null;
  }

  /**
   * The subnet's service endpoints whose routes the model knows only in part (see
   * UncertainServiceEndpoint). Empty when the subnet's effective routes were captured: then Azure
   * listed the endpoint routes itself.
   */
  uncertainServiceEndpoints(subnet: Subnet): readonly UncertainServiceEndpoint[] {
    if (subnet.serviceEndpoints.length === 0 || this.capturedBySubnet.has(subnet.id)) return NO_UNCERTAIN_ENDPOINTS;
    let known = this.uncertainEndpoints.get(subnet);
    if (known === undefined) {
      const region = this.regionOf(subnet);
      known = subnet.serviceEndpoints.map((e) => this.endpointPrefixes(e, region).uncertain).filter((u): u is UncertainServiceEndpoint => u !== null);
      this.uncertainEndpoints.set(subnet, known);
    }
    return known;
  }

  /** Where the subnet's VNet is deployed (a Storage endpoint's paired region depends on it [SE]); null when the input does not say. */
  private regionOf(subnet: Subnet): string | null {
    const location = this.index.subnetVirtualNetwork.get(subnet.id)?.location ?? subnet.location;
    return location === null || location.trim() === '' ? null : location;
  }

  /**
   * An endpoint's known prefixes and what is not known, per signature and VNet region (the routes
   * themselves do not depend on the region: only what stays uncertain, see pairedRegionScope).
   */
  private endpointPrefixes(endpoint: ServiceEndpoint, region: string | null): ServiceEndpointPrefixes {
    const key = `${endpointKey(endpoint)}|${region === null ? '' : normalizeRegion(region)}`;
    let found = this.endpointPrefixCache.get(key);
    if (found === undefined) {
      found = serviceEndpointPrefixes(this.serviceTags, endpoint, region);
      this.endpointPrefixCache.set(key, found);
    }
    return found;
  }

  /** The capture that stands for the subnet (its lowest NIC ID), or null. */
  capturedFor(subnetId: ResourceId): CapturedEffectiveRoutes | null {
    return this.capturedBySubnet.get(subnetId)?.[0] ?? null;
  }

  /**
   * The routes Azure uses for the subnet: captured when available, else computed. With `nic`: that
   * NIC's own capture when it has one (in this subnet), as Azure showed them for it.
   */
  routesFor(subnet: Subnet, nic: NetworkInterface | null = null): RouteSet {
    if (nic !== null && this.capturedNicSubnet.size > 0 && this.capturedNicSubnet.get(nic.id) === subnet.id) {
      const own = this.capturedTables.get(nic.id);
      if (own) return this.capturedSet(subnet, own);
    }
    const known = this.bySubnet.get(subnet);
    if (known) return known;
    const set = this.routesForUncached(subnet);
    this.bySubnet.set(subnet, set);
    return set;
  }

  /**
   * The NICs of a subnet whose captured effective routes differ from another NIC's capture there
   * (empty when they agree or there is at most one): each follows its own capture, so each answers
   * for itself (an entry of its own), while the subnet's entry is unknown where they disagree.
   */
  nicsWithDifferingCaptures(subnetId: ResourceId): readonly ResourceId[] {
    return this.differingCaptures.get(subnetId) ?? [];
  }

  /**
   * Every capture of the subnet's NICs as a route set, lowest NIC ID first (the first is the one
   * routesFor gives the subnet); empty when none. With two or more, the engine checks they agree
   * for the destination before one speaks for the subnet.
   */
  capturedRouteSetsOf(subnet: Subnet): readonly RouteSet[] {
    const tables = this.capturedBySubnet.get(subnet.id);
    return tables ? tables.map((t) => this.capturedSet(subnet, t)) : [];
  }

  private capturedSet(subnet: Subnet, captured: CapturedEffectiveRoutes): RouteSet {
    const key = `captured:${captured.networkInterfaceId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const set: RouteSet = { key, routes: fromEffectiveRoutes(captured), routeTableId: subnet.routeTableId, capturedFromNicId: captured.networkInterfaceId };
    this.cache.set(key, set);
    return set;
  }

  private routesForUncached(subnet: Subnet): RouteSet {
    const captured = this.capturedBySubnet.get(subnet.id)?.[0];
    return captured ? this.capturedSet(subnet, captured) : this.computedRoutesFor(subnet);
  }

  /** The routes the model implies, ignoring captures (used to detect drift). */
  computedRoutesFor(subnet: Subnet): RouteSet {
    // An endpoint's locations decide its prefixes (the regional tags' [SE]): part of the key.
    const serviceList = subnet.serviceEndpoints.length === 0 ? '' : subnet.serviceEndpoints.map(endpointKey).sort().join(',');
    // Subnet peerings that leave this subnet out change its peering routes (see peeringRoutes); the
    // common case (no subnet peering in the VNet) adds nothing to the key.
    const excluded = this.excludedPeerings(subnet);
    const services = excluded === '' ? serviceList : `${serviceList}|not-peered:${excluded}`;
    // Nested maps keyed by the (already hashed) IDs: no signature string is built per subnet.
    let byTable = this.computed.get(subnet.virtualNetworkId);
    if (!byTable) {
      byTable = new Map<string, Map<string, RouteSet>>();
      this.computed.set(subnet.virtualNetworkId, byTable);
    }
    const tableKey = subnet.routeTableId ?? '';
    let byServices = byTable.get(tableKey);
    if (!byServices) {
      byServices = new Map<string, RouteSet>();
      byTable.set(tableKey, byServices);
    }
    const cached = byServices.get(services);
    if (cached) return cached;
    const key = `${subnet.virtualNetworkId}|${tableKey}|${services}`;
    const set: RouteSet = { key, routes: this.compute(subnet), routeTableId: subnet.routeTableId, capturedFromNicId: null };
    byServices.set(services, set);
    return set;
  }

  private compute(subnet: Subnet): ComputedRoute[] {
    const vnet = this.index.subnetVirtualNetwork.get(subnet.id);
    const table = subnet.routeTableId ? this.index.routeTables.get(subnet.routeTableId) : undefined;
    const routes: ComputedRoute[] = vnet
      ? [...this.routesOfVnet(vnet, this.learnsGatewayRoutes(subnet), this.excludedPeerings(subnet))]
      : buildSystemRoutes(subnet.virtualNetworkId, subnet.addressPrefixes);
    for (const endpoint of subnet.serviceEndpoints) {
      const base: ComputedRoute = { source: 'Default', origin: 'service-endpoint', name: `Service endpoint ${endpoint.service}`, addressPrefix: endpoint.service,
        cidr: null, nextHop: toNextHop('VirtualNetworkServiceEndpoint'), nextHopIpAddress: null, hasBgpOverride: false, resourceId: subnet.id, active: true };
      // The endpoint's routes carry "the same prefixes as the service tag" for its locations [SE]:
      // those of the locations the tag data lists. With none known the route is listed by service
      // name and never matches an address here; the addresses it may hold are `uncertain` (see
      // uncertainServiceEndpoints), never silently left to the other routes.
      const { cidrs, uncertain } = this.endpointPrefixes(endpoint, this.regionOf(subnet));
      if (cidrs.length === 0 && uncertain !== null) routes.push(base);
      else for (const cidr of cidrs) routes.push({ ...base, cidr });
    }
    if (!table) return routes;
    const udrs = this.userRoutes(table);
    routes.push(...udrs);
    // A UDR can invalidate a private endpoint's /32 route, under conditions (see private-endpoint-routes.ts) [PENP].
    return applyPrivateEndpointRoutePolicies(this.index, routes, udrs);
  }

  private userRoutes(table: RouteTable): readonly ComputedRoute[] {
    const cached = this.udrs.get(table);
    if (cached) return cached;
    const unexpanded: UnexpandedServiceTagRoute[] = [];
    const routes = table.routes.flatMap((udr) => {
      const r = route({ source: 'User', origin: 'udr', name: udr.name, addressPrefix: udr.addressPrefix, nextHop: toNextHop(udr.nextHopType),
        nextHopIpAddress: udr.nextHopIpAddress, resourceId: udr.id, hasBgpOverride: udr.hasBgpOverride });
      if (r.cidr !== null) return [r];
      const expanded = this.expandServiceTag(r);
      if (expanded === null) {
        this.reportServiceTag(table.id, udr.addressPrefix);
        const open = this.unexpandedTagRoute(r);
        if (open !== null) unexpanded.push(open);
      }
      return expanded ?? [r];
    });
    this.udrs.set(table, routes);
    this.unexpandedTags.set(table.id, unexpanded.length === 0 ? NO_UNEXPANDED_TAG_ROUTES : unexpanded);
    return routes;
  }

  /**
   * The UDRs of a computed route set written on a service tag whose prefixes the input lacks (no
   * service tag data, or data that does not list the tag). Such a route stays in the set but never
   * matches an address here, while in Azure it carries the tag's prefixes [UDR]
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
   * so for an address it may cover, the route that wins here may not be the one Azure uses (the
   * engine decides whether that changes the answer). Empty for captured route sets: Azure listed
   * the tag's prefixes itself.
   */
  unexpandedServiceTagRoutes(set: RouteSet): readonly UnexpandedServiceTagRoute[] {
    if (set.capturedFromNicId !== null || set.routeTableId === null) return NO_UNEXPANDED_TAG_ROUTES;
    // Filled when the set's UDRs were computed (a route table missing from the input has none).
    return this.unexpandedTags.get(set.routeTableId) ?? NO_UNEXPANDED_TAG_ROUTES;
  }

  /**
   * What an unexpanded tag route may cover. Service tags hold public Azure ranges [TAG]
   * https://learn.microsoft.com/azure/virtual-network/service-tags-overview
   * so at most the public address space; for a regional tag (`Storage.WestEurope`,
   * `AzureCloud.westeurope`) whose top-level tag the data lists, that tag's prefixes (as for
   * service endpoints, see serviceEndpointPrefixes). Null for a prefix that is no tag name at all
   * (a malformed CIDR: it starts with a digit or holds `/` or `:`), which Azure would have rejected.
   */
  private unexpandedTagRoute(udr: ComputedRoute): UnexpandedServiceTagRoute | null {
    const name = udr.addressPrefix.trim();
    if (name === '' || /^[0-9]|[/:]/.test(name)) return null;
    const dot = name.indexOf('.');
    const topLevel = dot > 0 && this.serviceTags ? this.serviceTags.prefixes(name.slice(0, dot)) : null;
    return {
      route: udr, tag: name, reason: this.serviceTags ? 'tag-not-in-data' : 'no-tag-data',
      scope: topLevel ?? publicIpv4(), topLevelTag: topLevel === null ? null : name.slice(0, dot),
    };
  }

  /**
   * IDs (joined) of this VNet's Connected subnet peerings (`peerCompleteVnets: false`) that do not
   * list the subnet in `localSubnetNames`; '' when there are none (nearly always).
   */
  private excludedPeerings(subnet: Subnet): string {
    let subnetPeerings = this.subnetPeerings.get(subnet.virtualNetworkId);
    if (!subnetPeerings) {
      subnetPeerings = (this.index.peerings.get(subnet.virtualNetworkId) ?? [])
        .map((ref) => ref.peering).filter((p) => !p.peerCompleteVnets && isConnected(p.peeringState));
      this.subnetPeerings.set(subnet.virtualNetworkId, subnetPeerings);
    }
    if (subnetPeerings.length === 0) return '';
    return subnetPeerings.filter((p) => !peeringIncludesLocalSubnet(p, subnet)).map((p) => p.id).join(',');
  }

  private routesOfVnet(vnet: VirtualNetwork, propagateGatewayRoutes: boolean, excludedPeerings: string): readonly ComputedRoute[] {
    const key = `${vnet.id}|${propagateGatewayRoutes ? 'bgp' : 'no-bgp'}|${excludedPeerings}`;
    const cached = this.vnetRoutes.get(key);
    if (cached) return cached;
    const excluded = excludedPeerings === '' ? null : new Set(excludedPeerings.split(','));
    const routes = [
      ...buildSystemRoutes(vnet.id, vnet.addressPrefixes), ...this.peeringRoutes(vnet, excluded),
      // Private endpoints' /32 InterfaceEndpoint routes, own VNet and peered VNets [PENP].
      ...privateEndpointRoutes(this.index, vnet),
      ...(propagateGatewayRoutes ? this.gatewayRoutes(vnet) : []),
    ];
    this.vnetRoutes.set(key, routes);
    return routes;
  }

  /**
   * A UDR on a service tag, as one route per prefix of the tag in the data: longest-prefix match
   * then treats it like routes on those prefixes (the name and `addressPrefix` keep the tag, for
   * display). Any tag the data lists is expanded: Azure only accepts tags usable in UDRs
   * (`networkFeatures` has `UDR`), and the REST API does not report features at all. Null: the
   * tag is not in the data (or there is no data).
   */
  private expandServiceTag(udr: ComputedRoute): ComputedRoute[] | null {
    const tag = this.serviceTags?.tag(udr.addressPrefix) ?? null;
    if (tag === null) return null;
    const serviceTag = serviceTagRouteKind(tag);
    return tag.addressPrefixes.flatMap((prefix) => {
      const cidr = parseCidr(prefix);
      return cidr === null ? [] : [{ ...udr, cidr, serviceTag }];
    });
  }

  private reportServiceTag(routeTableId: string, prefix: string): void {
    if (this.serviceTagTablesReported.has(routeTableId)) return;
    this.serviceTagTablesReported.add(routeTableId);
    const why = this.serviceTags
      ? `the service tag data (change number ${this.serviceTags.changeNumber}) does not list it`
      : 'service-tag prefixes are not in the snapshot';
    this.gaps.push({ code: 'not-modelled', scope: routeTableId,
      message: `Route table has routes whose prefix is a service tag (e.g. ${prefix}); ${why}, so which addresses those routes carry is not known: they never decide a path here, and a what-if to an address they may cover is unknown where they would change the answer.` });
  }

  /**
   * One VNetPeering system route per range each Connected peering carries [UDR]: the peering's
   * `remoteAddressSpace`, not the remote VNet's current space. A range added to the remote VNet is
   * peered only after the peering is synced, and a subnet peering carries only the named remote
   * subnets' ranges [PEERSYNC][SUBPEER] (see peering.ts). The remote VNet's space is used only when
   * the input did not report `remoteAddressSpace`.
   * A subnet that a subnet peering leaves out (`localSubnetNames`) still gets the route in the
   * current release, but "the packet gets dropped and don't reach VM" [SUBPEER]
   * https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
   * so the route is kept (it is what effective routes show) and its name says so;
   * `peeringReach` answers `not-carried` for such a subnet.
   */
  private peeringRoutes(vnet: VirtualNetwork, excluded: ReadonlySet<string> | null): ComputedRoute[] {
    const routes: ComputedRoute[] = [];
    for (const { peering } of this.index.peerings.get(vnet.id) ?? []) {
      if (!isConnected(peering.peeringState)) continue;
      const prefixes = carriedRemotePrefixes(this.index, peering) ?? [];
      const name = excluded?.has(peering.id)
        ? `Peering ${peering.name} (this subnet is not in the subnet peering: Azure drops these packets)`
        : `Peering ${peering.name}`;
      for (const addressPrefix of prefixes) {
        // Only IPv6 ranges are peered with enableOnlyIPv6Peering [SUBPEER].
        if (peering.enableOnlyIPv6Peering && !addressPrefix.includes(':')) continue;
        routes.push(route({ source: 'Default', origin: 'peering', name, addressPrefix, nextHop: toNextHop('VNetPeering'),
          nextHopIpAddress: null, resourceId: peering.id }));
      }
    }
    return routes;
  }

  private gatewayRoutes(vnet: VirtualNetwork): ComputedRoute[] {
    const domain = gatewayDomainOf(this.index, vnet);
    const key = sharingKey(domain, vnet);
    const routes: ComputedRoute[] = key ? [...(this.learnedByDomain.get(key) ?? [])] : [];
    if (domain.kind === 'local' || domain.kind === 'remote') {
      const gateway = (this.index.gateways.get(domain.virtualNetworkId) ?? [])
        .find((g) => g.gatewayType === 'Vpn' && g.vpnType !== 'PolicyBased' && g.gatewayDefaultSiteId !== null);
      if (gateway && !hasDefaultRoute(routes)) {
        // GatewayDefaultSite sends all internet traffic to that site; a subnet's own 0/0 UDR beats it [S2SFT][DEFSITE].
        // It requires a route-based VPN gateway [S2SFT]: a policy-based one gets none (unknown vpnType is not excluded).
        routes.push(route({ source: 'VirtualNetworkGateway', origin: 'default-site', name: 'Forced tunnel (GatewayDefaultSite)', addressPrefix: '0.0.0.0/0',
          nextHop: toNextHop('VirtualNetworkGateway'), nextHopIpAddress: null, resourceId: gateway.id }));
      }
    }
    // A connection or routing intent not Succeeded (Failed, Updating), or the spoke's Virtual WAN
    // peering not Connected: whether the hub router programs its routes is not known, so none is
    // added; the engine asks (hubDefaultRouteQuestion).
    const connected = this.index.hubConnections.get(vnet.id);
    const hub = connected?.connection.provisioningState === undefined && vwanPeeringDown(this.index, vnet.id) === null ? connected : undefined;
    const internetPolicy = hub?.hub.routingPolicies.find(isInternetPolicy);
    if (internetPolicy?.provisioningState !== undefined) return routes;
    if (hub && !hasDefaultRoute(routes) && hub.connection.enableInternetSecurity === true && internetPolicy !== undefined) {
      // Routing intent Internet policy: the hub advertises 0/0 only to connections with "Propagate default route" [VWAN].
      // Not said (null) is not true: the engine answers unknown naming the flag (hubDefaultRouteQuestion).
      routes.push(route({ source: 'VirtualNetworkGateway', origin: 'vwan-hub', name: `Routing intent (${hub.hub.name})`, addressPrefix: '0.0.0.0/0',
        nextHop: toNextHop('VirtualNetworkGateway'), nextHopIpAddress: null, resourceId: hub.hub.id }));
    } else if (hub && !hasDefaultRoute(routes) && hub.connection.enableInternetSecurity === true) {
      // A classic secured hub (no routing intent): its 0/0 → the hub firewall in the route table the
      // connection is associated with, and nothing else that could give it a 0/0 (hubDefaultRouteSources).
      // "A virtual hub can propagate a learned default route to a virtual network ... connection if
      // the flag is 'Enabled'" https://learn.microsoft.com/azure/virtual-wan/virtual-wan-faq
      const only = hubDefaultRouteSources(hub.hub, hub.connection).hubFirewallRoute;
      if (only) {
        routes.push(route({ source: 'VirtualNetworkGateway', origin: 'vwan-hub', name: `Route ${only.routeName} in hub route table ${only.table.name} (${hub.hub.name})`,
          addressPrefix: '0.0.0.0/0', nextHop: toNextHop('VirtualNetworkGateway'), nextHopIpAddress: null, resourceId: hub.hub.id }));
      }
    }
    return routes;
  }
}

/** A UDR on a service tag whose prefixes the input lacks: see RouteSetBuilder.unexpandedServiceTagRoutes. */
export interface UnexpandedServiceTagRoute {
  /** The route as kept in the set (`cidr` null: it never matches here). */
  readonly route: ComputedRoute;
  /** The tag as written in the route. */
  readonly tag: string;
  /** `no-tag-data`: no service tag data at all; `tag-not-in-data`: the data does not list the tag. */
  readonly reason: 'no-tag-data' | 'tag-not-in-data';
  /** IPv4 addresses the tag may hold (for IPv6, every public address may be the tag's). */
  readonly scope: Ipv4Set;
  /** The top-level tag whose prefixes bound `scope`, when the data lists it; null: all public space. */
  readonly topLevelTag: string | null;
}

const NO_UNEXPANDED_TAG_ROUTES: readonly UnexpandedServiceTagRoute[] = Object.freeze([]);

/**
 * Which kind of tag a UDR names, for the same-prefix tie rule (regional > top-level >
 * AzureCloud.<region> > AzureCloud) [UDR]. The data's `region` (`''` for a global tag) tells
 * regional tags from top-level ones: a dot does not (`AzureFrontDoor.Frontend` is top-level).
 */
function serviceTagRouteKind(tag: ServiceTag): ServiceTagRouteKind {
  const name = tag.name.trim().toLowerCase();
  if (name === 'azurecloud') return 'azurecloud';
  if (name.startsWith('azurecloud.')) return 'azurecloud-regional';
  return tag.region === '' ? 'top-level' : 'regional';
}

/**
 * The service tag whose prefixes a service endpoint's routes carry ("the same prefixes as the
 * service tag") [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 */
export const SERVICE_ENDPOINT_TAGS: Readonly<Record<string, string>> = {
  'microsoft.storage': 'Storage',
  'microsoft.storage.global': 'Storage',
  'microsoft.sql': 'Sql',
  'microsoft.keyvault': 'AzureKeyVault',
  'microsoft.azurecosmosdb': 'AzureCosmosDB',
  'microsoft.servicebus': 'ServiceBus',
  'microsoft.eventhub': 'EventHub',
  'microsoft.web': 'AppService',
  'microsoft.containerregistry': 'AzureContainerRegistry',
  'microsoft.cognitiveservices': 'CognitiveServicesManagement',
  'microsoft.azureactivedirectory': 'AzureActiveDirectory',
};

/**
 * A service endpoint whose routes the model knows only in part. Its routes beat every other route
 * ("can't be overridden, even by a route table" [UDR]), so for an address in `scope` the path is
 * not known: it may go over the endpoint or follow the other routes.
 */
export interface UncertainServiceEndpoint {
  readonly service: string;
  readonly locations: readonly string[];
  /**
   * - `not-succeeded`: its `provisioningState` is given and is not Succeeded (`state`): whether its
   *   routes are in effect is not documented, so none of its prefixes is routed here;
   * - `no-locations`: the input does not give its locations (ServiceEndpoint.locations), so which
   *   regions' prefixes its routes carry is not known: none is routed here;
   * - `no-tag-data`: no service tag data at all;
   * - `unknown-service`: the data is there, but which tag holds the service's prefixes is not known here;
   * - `missing-tags`: the data lacks the tag of some locations (`missingTags`), e.g. one page of
   *   serviceTagDetails: the prefixes of the locations it lists are routed, the rest is open.
   * - `paired-region`: a Storage endpoint whose locations leave out the VNet's paired region
   *   (`pairedRegions`): its listed regions' prefixes are routed, the pair's are open.
   */
  readonly reason: 'not-succeeded' | 'no-locations' | 'no-tag-data' | 'unknown-service' | 'missing-tags' | 'paired-region';
  /** The provisioning state as the input gives it; set with `not-succeeded` only. */
  readonly state?: string;
  /**
   * Azure Storage only: "endpoints also extend to include paired regions where you deploy the
   * virtual network" [SE] (older text of the page; the current one points to cross-region
   * endpoints and says nothing of a `locations` list that leaves the pair out), so whether the
   * routes carry the pair's Storage prefixes is not known either way. The VNet's paired regions
   * the locations leave out, whose prefixes `scope` holds; null when the VNet's region, or its
   * pair, is not known (then every Storage prefix outside the listed regions is in `scope`).
   * Absent when no pair is in question. Set with `paired-region`, and with `missing-tags` when both hold.
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
   * https://learn.microsoft.com/azure/reliability/regions-paired
   */
  readonly pairedRegions?: readonly string[] | null;
  /** Tags the data lacks, as looked up (`Storage.northeurope`); empty unless `missing-tags`. */
  readonly missingTags: readonly string[];
  /** IPv4 addresses that may be in the endpoint's routes but are not among the known ones. */
  readonly scope: Ipv4Set;
}

interface ServiceEndpointPrefixes {
  /** The IPv4 prefixes the endpoint's routes certainly carry. */
  readonly cidrs: readonly Cidr[];
  readonly uncertain: UncertainServiceEndpoint | null;
}

const NO_UNCERTAIN_ENDPOINTS: readonly UncertainServiceEndpoint[] = Object.freeze([]);

function endpointKey(endpoint: ServiceEndpoint): string {
  // The state decides whether its routes are known (serviceEndpointPrefixes): part of the key when it is not Succeeded.
  const state = endpointInEffect(endpoint) ? '' : `#${endpoint.provisioningState ?? ''}`;
  return `${endpoint.service.trim().toLowerCase()}@${endpoint.locations.map(normalizeRegion).sort().join('+')}${state}`;
}

/**
 * Whether an endpoint's routes can be taken as in effect from its configuration: its
 * `provisioningState` is Succeeded, or not in the input (as before the state was read). Failed,
 * Updating, Deleting, ...: what the subnet's routes hold then is not documented [SE].
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 */
export function endpointInEffect(endpoint: ServiceEndpoint): boolean {
  return endpoint.provisioningState === undefined || endpoint.provisioningState.trim().toLowerCase() === 'succeeded';
}

/** The endpoint's locations are in the input (see ServiceEndpoint.locations: empty = not given). */
export function endpointLocationsKnown(endpoint: ServiceEndpoint): boolean {
  return endpoint.locations.some((l) => l.trim() !== '');
}

/**
 * The IPv4 prefixes of a service endpoint for its locations (`*` = every region): the union of
 * the regional tags the data lists [SE]. A location whose regional tag the data lacks does not
 * cancel the others: its addresses are those of the top-level tag outside the known regional
 * ones (all public space when the top-level tag is missing too: service tags hold public Azure
 * ranges [TAG]), and stay uncertain. An endpoint whose locations the input lacks, or whose state
 * is not Succeeded, routes none of them here: every address it may carry (the top-level tag's,
 * or for a state, what it would carry) is uncertain.
 */
function serviceEndpointPrefixes(tags: ServiceTagIndex | undefined, endpoint: ServiceEndpoint, region: string | null): ServiceEndpointPrefixes {
  if (!endpointInEffect(endpoint)) {
    const configured = serviceEndpointPrefixes(tags, { service: endpoint.service, locations: endpoint.locations }, region);
    const scope = configured.cidrs.reduce((set, c) => (c.version === 4 ? set.union(Ipv4Set.fromCidr(c)) : set), configured.uncertain?.scope ?? Ipv4Set.empty());
    return { cidrs: [], uncertain: { service: endpoint.service, locations: endpoint.locations, reason: 'not-succeeded', state: endpoint.provisioningState ?? '', missingTags: [], scope } };
  }
  const { service, locations } = endpoint;
  if (!endpointLocationsKnown(endpoint)) {
    // A region the input does not name: every one of the service's addresses may be in its routes [SE].
    const topName = SERVICE_ENDPOINT_TAGS[service.trim().toLowerCase()];
    const scope = (topName && tags ? tags.prefixes(topName) : null) ?? publicIpv4();
    return { cidrs: [], uncertain: { service, locations, reason: 'no-locations', missingTags: [], scope } };
  }
  if (!tags) return { cidrs: [], uncertain: { service, locations, reason: 'no-tag-data', missingTags: [], scope: publicIpv4() } };
  const tagName = SERVICE_ENDPOINT_TAGS[service.trim().toLowerCase()];
  if (!tagName) return { cidrs: [], uncertain: { service, locations, reason: 'unknown-service', missingTags: [], scope: publicIpv4() } };
  const everyRegion = locations.some((l) => l.trim() === '*');
  // The portal's "West Europe" is the tag data's region `westeurope` (Storage.WestEurope), as the pair lookup reads it.
  const names = everyRegion ? [tagName] : locations.map((l) => `${tagName}.${normalizeRegion(l)}`);
  let known = Ipv4Set.empty();
  const missingTags: string[] = [];
  for (const name of names) {
    const set = tags.prefixes(name);
    if (set === null) missingTags.push(name);
    else known = known.union(set);
  }
  const cidrs = known.toCidrs().map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
  const paired = everyRegion || !STORAGE_SERVICES.includes(service.trim().toLowerCase()) ? null : pairedRegionScope(tags, tagName, locations, region, known);
  if (missingTags.length === 0) {
    return { cidrs, uncertain: paired === null ? null : { service, locations, reason: 'paired-region', missingTags, scope: paired.scope, pairedRegions: paired.regions } };
  }
  // With `*` the missing tag is the top-level one itself.
  const topLevel = everyRegion ? null : tags.prefixes(tagName);
  const open = (topLevel ?? publicIpv4()).subtract(known).union(paired?.scope ?? Ipv4Set.empty());
  return { cidrs, uncertain: open.isEmpty() ? null : { service, locations, reason: 'missing-tags', missingTags, scope: open, ...(paired ? { pairedRegions: paired.regions } : {}) } };
}

/** The service endpoints of Azure Storage, to which the paired-region sentence of [SE] applies. */
const STORAGE_SERVICES: readonly string[] = ['microsoft.storage', 'microsoft.storage.global'];

/**
 * The Storage prefixes of the VNet's paired regions that a Storage endpoint's locations leave out
 * (see UncertainServiceEndpoint.pairedRegions), outside `known`; null when none is in question (the
 * locations name every pair, or the region is one [PAIRS] lists as nonpaired). A VNet region that
 * is not known, or whose pair is not, leaves every Storage prefix outside `known` open; so does a
 * pair whose regional tag the data lacks.
 */
function pairedRegionScope(tags: ServiceTagIndex, tagName: string, locations: readonly string[], region: string | null, known: Ipv4Set): { readonly regions: readonly string[] | null; readonly scope: Ipv4Set } | null {
  const pairs = region === null ? null : pairedRegionsOf(region);
  const listed = new Set(locations.map(normalizeRegion));
  const left = pairs?.filter((p) => !listed.has(p)) ?? null;
  if (left !== null && left.length === 0) return null;
  const every = (): Ipv4Set => tags.prefixes(tagName) ?? publicIpv4();
  let scope = Ipv4Set.empty();
  for (const pair of left ?? []) {
    const set = tags.prefixes(`${tagName}.${pair}`);
    if (set === null) {
      scope = every();
      break;
    }
    scope = scope.union(set);
  }
  if (left === null) scope = every();
  const open = scope.subtract(known);
  return open.isEmpty() ? null : { regions: left, scope: open };
}
