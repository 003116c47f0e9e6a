/**
 * Parsers for the free-text ARM values that decide behaviour, into the closed unions of
 * topology.ts. Used once at each boundary: the ARM mappers (shared/arm) and snapshot loading
 * (electron/snapshot). ARM, Resource Graph and az print these in varying casing and sometimes with
 * stray spaces ("standard", "Standard ", "Standard V2", "azfw_vnet"); comparison ignores case,
 * whitespace, `_` and `-`. A value not listed (an SKU Azure adds later) becomes `'Unknown'`, which
 * consumers treat conservatively; nothing here throws.
 */
import type {
  FirewallSkuName, FirewallSkuTier, GatewayType, LoadBalancerProtocol, LoadBalancerSku, NatGatewaySku,
  PeeringState, PeeringSyncLevel, PrivateDnsResolutionPolicy, PrivateLinkConnectionStatus, PublicIpSku, VpnType,
} from './topology';

/** `"Standard V2 "` → `standardv2`, `"AZFW_VNet"` → `azfwvnet`. */
function key(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

/** One parser per union: a lookup built from its members, `'Unknown'` for anything else. */
function closedUnion<T extends string>(members: readonly Exclude<T, 'Unknown'>[], aliases: Readonly<Record<string, Exclude<T, 'Unknown'>>> = {}): (raw: string | null | undefined) => T | 'Unknown' {
  const byKey = new Map<string, T>();
  for (const member of members) byKey.set(key(member), member);
  for (const [alias, member] of Object.entries(aliases)) byKey.set(key(alias), member);
  return (raw) => (typeof raw === 'string' ? byKey.get(key(raw)) ?? 'Unknown' : 'Unknown');
}

export const parsePublicIpSku: (raw: string | null | undefined) => PublicIpSku = closedUnion<PublicIpSku>(['Basic', 'Standard', 'StandardV2']);
export const parseLoadBalancerSku: (raw: string | null | undefined) => LoadBalancerSku = closedUnion<LoadBalancerSku>(['Basic', 'Standard', 'Gateway']);
export const parseNatGatewaySku: (raw: string | null | undefined) => NatGatewaySku = closedUnion<NatGatewaySku>(['Standard', 'StandardV2']);
export const parseFirewallSkuName: (raw: string | null | undefined) => FirewallSkuName = closedUnion<FirewallSkuName>(['AZFW_VNet', 'AZFW_Hub']);
export const parseFirewallSkuTier: (raw: string | null | undefined) => FirewallSkuTier = closedUnion<FirewallSkuTier>(['Basic', 'Standard', 'Premium']);
export const parseGatewayType: (raw: string | null | undefined) => GatewayType = closedUnion<GatewayType>(['Vpn', 'ExpressRoute', 'LocalGateway']);
export const parseVpnType: (raw: string | null | undefined) => VpnType = closedUnion<VpnType>(['RouteBased', 'PolicyBased']);
export const parsePeeringState: (raw: string | null | undefined) => PeeringState = closedUnion<PeeringState>(['Connected', 'Initiated', 'Disconnected']);
export const parsePeeringSyncLevel: (raw: string | null | undefined) => PeeringSyncLevel =
  closedUnion<PeeringSyncLevel>(['FullyInSync', 'RemoteNotInSync', 'LocalNotInSync', 'LocalAndRemoteNotInSync']);
/**
 * `*` is how the portal and some exporters spell "All". `Unknown` comes only from snapshots: the
 * ARM reader refuses a rule protocol Azure does not have (map-gateways.ts protocolOf).
 */
export const parseLoadBalancerProtocol: (raw: string | null | undefined) => LoadBalancerProtocol =
  closedUnion<LoadBalancerProtocol>(['Tcp', 'Udp', 'All'], { '*': 'All' });
export const parsePrivateLinkConnectionStatus: (raw: string | null | undefined) => PrivateLinkConnectionStatus =
  closedUnion<PrivateLinkConnectionStatus>(['Approved', 'Pending', 'Rejected', 'Disconnected']);
export const parsePrivateDnsResolutionPolicy: (raw: string | null | undefined) => PrivateDnsResolutionPolicy =
  closedUnion<PrivateDnsResolutionPolicy>(['Default', 'NxDomainRedirect']);
