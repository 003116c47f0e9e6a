/**
 * What a virtual network peering actually carries, per source subnet. A peering is not "the remote
 * VNet": it carries
 *  - `remoteAddressSpace`, which can be smaller than the remote VNet's current space
 *    (`remoteVirtualNetworkAddressSpace`): after a remote address-space change the new range is
 *    peered only once the peering is synced (`peeringSyncLevel` shows the lag) [PEERSYNC]
 *    https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space
 *  - with subnet peering (`peerCompleteVnets: false`), only the `remoteSubnetNames` subnets, and only
 *    for the `localSubnetNames` subnets. In the current release "forward route from non-peered subnet
 *    to peered subnet exists ... although the packet gets dropped and don't reach VM" [SUBPEER]
 *    https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
 *  - traffic only while `peeringState` is `Connected` [PEER]
 *    https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
 */
import { innerMap } from '../model/cache';
import { cidrContainsCidr, cidrContainsIp, formatIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import { nameFromResourceId, type ResourceId } from '../model/ids';
import type { ModelIndex } from '../model/model-index';
import type { Subnet, VirtualNetwork, VirtualNetworkPeering } from '../model/topology';

export type PeeringReach =
  | { readonly kind: 'carried' }
  | { readonly kind: 'not-carried'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

function containsAddress(prefixes: readonly string[], address: IpAddress): boolean {
  for (const prefix of prefixes) {
    const cidr = parseCidr(prefix);
    if (cidr && cidrContainsIp(cidr, address)) return true;
  }
  return false;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Whether a subnet peering lists this local subnet (names compare case-insensitively, as Azure's do). */
export function peeringIncludesLocalSubnet(peering: VirtualNetworkPeering, subnet: Subnet): boolean {
  return peering.peerCompleteVnets || peering.localSubnetNames.some((n) => sameName(n, subnet.name));
}

/**
 * The prefixes the peering carries toward the remote VNet: `remoteAddressSpace` as reported, or,
 * when the input did not carry it, the remote VNet's space from the model (null when neither is known).
 */
export function carriedRemotePrefixes(index: ModelIndex, peering: VirtualNetworkPeering): readonly string[] | null {
  if (peering.remoteAddressPrefixes.length > 0) return peering.remoteAddressPrefixes;
  const remote = peering.remoteVirtualNetworkId ? index.virtualNetworks.get(peering.remoteVirtualNetworkId) : undefined;
  return remote ? remote.addressPrefixes : null;
}

function syncNote(peering: VirtualNetworkPeering): string {
  switch (peering.peeringSyncLevel) {
    case 'RemoteNotInSync':
    case 'LocalAndRemoteNotInSync':
      return ` The peering's sync level is ${peering.peeringSyncLevel}: the remote address space changed and the peering was not synced, so the new range is not peered until it is (Sync the peering).`;
    case 'LocalNotInSync':
      return ` The peering's sync level is LocalNotInSync: this side's address space changed and was not synced to the remote side.`;
    case 'FullyInSync':
    case 'Unknown':
      return '';
  }
}

/** The remote peering that points back at the local VNet, when the remote VNet is in the model. */
function backPeering(index: ModelIndex, localVnet: VirtualNetwork, peering: VirtualNetworkPeering): VirtualNetworkPeering | undefined {
  if (!peering.remoteVirtualNetworkId) return undefined;
  return (index.peerings.get(peering.remoteVirtualNetworkId) ?? []).find((ref) => ref.peering.remoteVirtualNetworkId === localVnet.id)?.peering;
}

/**
 * Whether `peering` (owned by `localSubnet`'s VNet) carries traffic from `localSubnet` to `address`
 * (a next-hop appliance IP or a destination in the peered VNet). Pure; never throws.
 *
 * - `carried`: the peering is Connected, carries the address, and (subnet peering) both subnets
 *   take part; with the remote VNet in the model, its peering back carries the local subnet's range.
 * - `not-carried`: one of those fails; `reason` says which Azure rule, in words for the explanation.
 * - `unknown`: the snapshot cannot tell (peering state unknown, remote VNet and its space unknown).
 */
export function peeringReach(index: ModelIndex, peering: VirtualNetworkPeering, localSubnet: Subnet, address: string | IpAddress): PeeringReach {
  const ip = typeof address === 'string' ? parseIp(address.trim()) : address;
  const label = typeof address === 'string' ? address.trim() : undefined;
  if (!ip) return { kind: 'unknown', reason: `"${label ?? ''}" is not an IP address.` };
  const shown = label ?? formatIp(ip);
  const remoteName = peering.remoteVirtualNetworkId ?? 'the remote virtual network';

  // [PEER] only a Connected peering carries traffic.
  if (peering.peeringState === 'Unknown') {
    return { kind: 'unknown', reason: `The state of peering ${peering.name} is not known, so whether it carries traffic is unknown.` };
  }
  if (peering.peeringState !== 'Connected') {
    return { kind: 'not-carried', reason: `Peering ${peering.name} is ${peering.peeringState}, not Connected: it carries no traffic until both sides are peered.` };
  }
  // allowVirtualNetworkAccess = false ("Block all traffic to the remote virtual network") "only
  // changes the definition of the VirtualNetwork service tag. It doesn't fully prevent traffic flow
  // across the peer connection": NSG rules that allow the peer's addresses (or its application
  // security groups) explicitly still let traffic through [PEERMANAGE]. Whether it flows depends on
  // rules the default ones do not decide, and with no NSG it is not documented: not known.
  // https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
  // Decided last: the checks below drop the traffic whatever the NSGs say.
  const blockedBy = (p: VirtualNetworkPeering, from: string, to: string): PeeringReach =>
    ({ kind: 'unknown', reason: `Peering ${p.name} blocks traffic from ${from} to ${to} by default (allowVirtualNetworkAccess = false), which only takes the peered range out of the VirtualNetwork service tag: NSG rules that allow its addresses explicitly still let traffic through, so whether this traffic flows is not known.` });
  const remoteLabel = peering.remoteVirtualNetworkId ? nameFromResourceId(peering.remoteVirtualNetworkId) : 'the remote virtual network';
  // [SUBPEER] --enable-only-ipv6: the peering is done over IPv6 only.
  if (peering.enableOnlyIPv6Peering && ip.version === 4) {
    return { kind: 'not-carried', reason: `Peering ${peering.name} peers IPv6 only (enableOnlyIPv6Peering), and ${shown} is IPv4.` };
  }

  const carried = carriedRemotePrefixes(index, peering);
  if (carried === null) {
    return { kind: 'unknown', reason: `Peering ${peering.name} reports no remote address space and ${remoteName} is not in the snapshot, so what it carries is unknown.` };
  }
  const remote = peering.remoteVirtualNetworkId ? index.virtualNetworks.get(peering.remoteVirtualNetworkId) : undefined;
  if (!containsAddress(carried, ip)) {
    const remoteSpace = [...(peering.remoteVirtualNetworkAddressPrefixes ?? []), ...(remote?.addressPrefixes ?? [])];
    if (containsAddress(remoteSpace, ip)) {
      const why = peering.peerCompleteVnets
        ? `is in the address space of ${remoteName} but not in what peering ${peering.name} carries (remoteAddressSpace ${carried.join(', ') || 'empty'}).${syncNote(peering)}`
        : `is in ${remoteName} but not in a subnet that subnet peering ${peering.name} includes (remote subnets: ${peering.remoteSubnetNames.join(', ') || 'none'}; remoteAddressSpace ${carried.join(', ') || 'empty'}).${syncNote(peering)}`;
      return { kind: 'not-carried', reason: `${shown} ${why}` };
    }
    return { kind: 'not-carried', reason: `${shown} is not in the address space peering ${peering.name} carries (${carried.join(', ') || 'none'}).` };
  }

  if (!peering.peerCompleteVnets) {
    if (!peeringIncludesLocalSubnet(peering, localSubnet)) {
      return {
        kind: 'not-carried',
        reason: `Subnet ${localSubnet.name} is not one of the local subnets of subnet peering ${peering.name} (${peering.localSubnetNames.join(', ') || 'none'}). Azure still installs the route to the peered range, but the packets are dropped and never reach the remote VM.`,
      };
    }
    if (remote) {
      // The remote subnet holding the address must be one the peering names.
      const holder = remote.subnetIds.map((id) => index.subnets.get(id)).find((s) => s !== undefined && containsAddress(s.addressPrefixes, ip));
      if (holder && !peering.remoteSubnetNames.some((n) => sameName(n, holder.name))) {
        return { kind: 'not-carried', reason: `${shown} is in remote subnet ${holder.name}, which subnet peering ${peering.name} does not include (remote subnets: ${peering.remoteSubnetNames.join(', ') || 'none'}).` };
      }
    }
  }

  // The way back: the remote side's peering must carry the local subnet's range, or replies (and
  // the remote appliance's forwarding back) have no route. Only checkable when that peering is in the model.
  const localVnet = index.subnetVirtualNetwork.get(localSubnet.id);
  const back = localVnet ? backPeering(index, localVnet, peering) : undefined;
  // The peering back is not in the input, only implied by this one being Connected (an export that
  // lost it, not-exported.ts): what it carries and allows (forwarded traffic, VNet access) is not known.
  if (back?.inferredFrom !== undefined) {
    const localName = localVnet?.name ?? 'the local virtual network';
    return { kind: 'unknown', reason: `The peering back from ${remoteLabel} to ${localName} is not in the input (peering ${peering.name} is Connected, so it exists and was not exported): what it carries, and whether it allows forwarded traffic and virtual network access, are not known.` };
  }
  if (back && back.remoteAddressPrefixes.length > 0) {
    const backCidrs = back.remoteAddressPrefixes.map(parseCidr).filter((c) => c !== null);
    const missing = localSubnet.addressPrefixes.filter((p) => {
      const cidr = parseCidr(p);
      return cidr !== null && (!peering.enableOnlyIPv6Peering || cidr.version === 6) && !backCidrs.some((b) => cidrContainsCidr(b, cidr));
    });
    if (missing.length > 0) {
      return {
        kind: 'not-carried',
        reason: `The peering back from ${remoteName} (${back.name}) does not carry subnet ${localSubnet.name}'s range ${missing.join(', ')}, so replies cannot return.${syncNote(back)}`,
      };
    }
    if (!back.peerCompleteVnets && !back.remoteSubnetNames.some((n) => sameName(n, localSubnet.name))) {
      return { kind: 'not-carried', reason: `The peering back from ${remoteName} (${back.name}) is a subnet peering that does not include subnet ${localSubnet.name}, so replies cannot return.` };
    }
  }
  const localLabel = localVnet?.name ?? 'the local virtual network';
  if (!peering.allowVirtualNetworkAccess) return blockedBy(peering, localLabel, remoteLabel);
  // The remote side's flag takes the local range out of the remote VNet's VirtualNetwork tag: its
  // NSGs' default rules (AllowVnetInBound) no longer admit the traffic, explicit rules may [PEERMANAGE].
  if (back && !back.allowVirtualNetworkAccess) return blockedBy(back, remoteLabel, localLabel);
  return { kind: 'carried' };
}


/**
 * A peering of `vnet` whose state the input does not give (`Unknown`), and the range of it that
 * `covers` accepts (the destination's address or range). Route computation leaves such a peering
 * out (only a Connected peering installs routes [PEER]), so a destination in the remote VNet falls
 * to a broader route (the 10.0.0.0/8 → None system route, say) that a Connected peering's route
 * would beat: what happens to it is not known. Null when no such peering holds the destination.
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
 */
export function unknownStatePeering(index: ModelIndex, vnet: VirtualNetwork, covers: (prefix: Cidr) => boolean): { readonly peering: VirtualNetworkPeering; readonly prefix: Cidr } | null {
  for (const { peering } of index.peerings.get(vnet.id) ?? []) {
    if (peering.peeringState !== 'Unknown') continue;
    const space = [...(carriedRemotePrefixes(index, peering) ?? []), ...(peering.remoteVirtualNetworkAddressPrefixes ?? [])];
    for (const text of space) {
      const prefix = parseCidr(text);
      if (prefix && covers(prefix)) return { peering, prefix };
    }
  }
  return null;
}

/**
 * The peering Virtual WAN makes in a VNet it connects to a hub: `RemoteVnetToHubPeering_<guid>`, to
 * the hub's managed VNet (`HV_<hub>_<guid>` in a Microsoft-managed subscription). Nothing else
 * names a hub connection from the spoke's side; Microsoft's own Azure Landing Zone review checklist
 * tells a VNet connected to Virtual WAN by this name (`isVWAN`, Azure/review-checklists
 * checklists/alz_checklist.en.json: "For subnets in VNets not connected to Virtual WAN").
 */
const VWAN_PEERING = /^RemoteVnetToHubPeering_/i;

/** Per model: each VNet's Virtual WAN peering (see VWAN_PEERING), or null. */
const vwanPeeringCache = new WeakMap<ModelIndex, Map<ResourceId, VirtualNetworkPeering | null>>();

export function vwanPeeringOf(index: ModelIndex, virtualNetworkId: ResourceId): VirtualNetworkPeering | null {
  const perVnet = innerMap(vwanPeeringCache, index);
  const known = perVnet.get(virtualNetworkId);
  if (known !== undefined) return known;
  const found = (index.peerings.get(virtualNetworkId) ?? []).find((p) => VWAN_PEERING.test(p.peering.name))?.peering ?? null;
  perVnet.set(virtualNetworkId, found);
  return found;
}

/**
 * Whether a VNet's Virtual WAN peering (vwanPeeringOf) says its hub connection is up: none, or
 * Connected. Initiated or Disconnected means the two sides are not peered, and only a Connected
 * peering carries traffic [PEER] https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
 * What a hub router then programs into the spoke is not documented; a state not in the input
 * (Unknown) is not known to be Connected either.
 */
export function vwanPeeringDown(index: ModelIndex, virtualNetworkId: ResourceId): VirtualNetworkPeering | null {
  const peering = vwanPeeringOf(index, virtualNetworkId);
  return peering !== null && peering.peeringState !== 'Connected' ? peering : null;
}
