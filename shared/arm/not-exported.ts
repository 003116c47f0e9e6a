/**
 * Facts the input still shows about resources it does not hold, kept in the model so the resolver
 * answers `unknown` instead of judging a source as if they did not exist:
 *  - a hub virtual network connection whose virtual hub is not in the input still names its spoke
 *    (`remoteVirtualNetwork`): the spoke is connected to a Virtual WAN hub the input lacks, as a
 *    spoke whose `RemoteVnetToHubPeering_` peering has no hub connection in the input is
 *    (VirtualNetwork.unseenHubConnectionIds; hub-questions.ts unseenHubQuestion);
 *  - a VNet peering whose state is Connected while the remote VNet (in the input) holds no peering
 *    back: Azure shows Connected only while both peerings exist, so the other one exists and was
 *    not exported (VirtualNetworkPeering.inferredFrom) [PEERMANAGE]
 *    https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
 * Both are pure passes over the model, run by normalizeArm and again after merging with snapshots
 * (joinDetached), so saved snapshots carry them.
 */
import type { Gap } from '../model/gaps';
import { nameFromResourceId, parentResourceId, toResourceId, type ResourceId } from '../model/ids';
import type { HubVirtualNetworkConnection, NetworkModel, VirtualNetwork, VirtualNetworkPeering } from '../model/topology';
import { compareIds, sortedById, type PendingChild } from './draft-store';

/** The hub connections among children whose parent is in no input: each spoke VNet → the connections naming it. */
function orphanConnectionsBySpoke(orphans: readonly PendingChild[]): Map<ResourceId, ResourceId[]> {
  const bySpoke = new Map<ResourceId, ResourceId[]>();
  for (const orphan of orphans) {
    if (orphan.writes.kind !== 'virtualHub' || orphan.writes.field !== 'connections') continue;
    for (const item of orphan.writes.items as readonly HubVirtualNetworkConnection[]) {
      if (item.remoteVirtualNetworkId === null) continue;
      const list = bySpoke.get(item.remoteVirtualNetworkId) ?? [];
      if (!list.includes(item.id)) list.push(item.id);
      bySpoke.set(item.remoteVirtualNetworkId, list);
    }
  }
  return bySpoke;
}

/**
 * The model with each VNet that an orphan hub connection (its virtual hub in no input) names as
 * `remoteVirtualNetwork` marked as a spoke of that unseen hub (unseenHubConnectionIds, sorted,
 * merged with what a snapshot already said). A VNet not in the model is left alone: nothing of it
 * is answered.
 */
export function withUnseenHubConnections(model: NetworkModel, orphans: readonly PendingChild[]): NetworkModel {
  const bySpoke = orphanConnectionsBySpoke(orphans);
  const marked = model.virtualNetworks.some((v) => v.unseenHubConnectionIds !== undefined);
  if (bySpoke.size === 0 && !marked) return model;
  // A mark a snapshot carried whose hub the merged model now holds is stale: the hub (with its
  // connections, or without this one) answers for the spoke.
  const hubs = marked ? new Set(model.virtualHubs.map((h) => h.id)) : new Set<ResourceId>();
  let changed = false;
  const virtualNetworks = model.virtualNetworks.map((vnet) => {
    const ids = [...(vnet.unseenHubConnectionIds ?? []), ...(bySpoke.get(vnet.id) ?? [])].filter((id) => !hubs.has(parentResourceId(id)));
    if (ids.length === 0 && vnet.unseenHubConnectionIds === undefined) return vnet;
    const merged = [...new Set(ids)].sort(compareIds);
    if (vnet.unseenHubConnectionIds !== undefined && sameIds(merged, vnet.unseenHubConnectionIds)) return vnet;
    changed = true;
    if (merged.length > 0) return { ...vnet, unseenHubConnectionIds: merged };
    const { unseenHubConnectionIds: _stale, ...rest } = vnet;
    return rest;
  });
  return changed ? { ...model, virtualNetworks } : model;
}

function sameIds(a: readonly ResourceId[], b: readonly ResourceId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * Whether a gap is one withPeeringsNotExported wrote (its scope an inferred peering) for a peering
 * `model` no longer holds: a snapshot's, whose real peering the merged input now has.
 */
export function isStaleNotExportedGap(gap: Gap, model: NetworkModel): boolean {
  if (gap.code !== 'missing-reference' || !gap.scope.includes('/virtualnetworkpeerings/not-exported-pair-of-')) return false;
  const vnet = model.virtualNetworks.find((v) => v.id === parentResourceId(gap.scope as ResourceId));
  return !(vnet?.peerings.some((p) => p.id === gap.scope && p.inferredFrom !== undefined) ?? false);
}

/** The ID (and name) given to a peering implied by `remote`'s peering `link` back to `local`. */
function inferredPeeringId(local: VirtualNetwork, link: VirtualNetworkPeering): ResourceId {
  return toResourceId(`${local.id}/virtualNetworkPeerings/not-exported-pair-of-${link.name}`);
}

/**
 * The peering `local` must hold for `link` (a peering of `remote` to `local`) to be Connected:
 * state Unknown (only a Connected peering carries traffic, and which state this one is in is not
 * in the input [PEER]), the remote VNet's space as what it carries, and `allowGatewayTransit`
 * with the remote side's `useRemoteGateways`, which requires it [PEERMANAGE]. `useRemoteGateways`
 * is false: the remote side's `allowGatewayTransit` permits it, it does not show it is set, so
 * whether this VNet uses the remote gateway is not known (subnet-routes.ts unreportedGatewayTransit
 * answers `unknown` for it). The remaining flags are not known either; peering.ts peeringReach
 * answers `unknown` for traffic that a peering back decides while it is inferred.
 */
function inferredPeering(local: VirtualNetwork, remote: VirtualNetwork, link: VirtualNetworkPeering): VirtualNetworkPeering {
  const id = inferredPeeringId(local, link);
  return {
    id, name: nameFromResourceId(id), remoteVirtualNetworkId: remote.id,
    remoteAddressPrefixes: remote.addressPrefixes, remoteVirtualNetworkAddressPrefixes: remote.addressPrefixes,
    allowVirtualNetworkAccess: true, allowForwardedTraffic: false,
    allowGatewayTransit: link.useRemoteGateways, useRemoteGateways: false,
    peeringState: 'Unknown', peeringSyncLevel: 'Unknown',
    peerCompleteVnets: true, localSubnetNames: [], remoteSubnetNames: [], enableOnlyIPv6Peering: false,
    inferredFrom: link.id,
  };
}

function notExportedGap(local: VirtualNetwork, remote: VirtualNetwork, link: VirtualNetworkPeering, inferred: VirtualNetworkPeering): Gap {
  return {
    code: 'missing-reference', scope: inferred.id,
    message: `Virtual network ${local.name} holds no peering to ${remote.name} in the input, yet ${remote.name}'s peering ${link.name} to it is Connected, which Azure shows only while both peerings exist (deleting one leaves the other Disconnected): `
      + `${local.name}'s peering was not exported. It is read as a peering whose state and settings are not known (${inferred.name}), so paths it decides are unknown. Export ${local.name} with its virtualNetworkPeerings.`,
  };
}

/**
 * The model with a peering added to every VNet that lacks one back to a VNet (in the model) whose
 * peering to it is Connected (see inferredPeering), and a gap for each. Peerings inferred before (a
 * snapshot's) are taken out first and inferred again from the merged model, so a peering exported
 * since replaces its stand-in.
 */
export function withPeeringsNotExported(model: NetworkModel): { readonly model: NetworkModel; readonly gaps: readonly Gap[] } {
  const hadInferred = model.virtualNetworks.some((v) => v.peerings.some((p) => p.inferredFrom !== undefined));
  const vnets = hadInferred
    ? model.virtualNetworks.map((v) => (v.peerings.some((p) => p.inferredFrom !== undefined) ? { ...v, peerings: v.peerings.filter((p) => p.inferredFrom === undefined) } : v))
    : model.virtualNetworks;
  const byId = new Map(vnets.map((v) => [v.id, v]));
  const added = new Map<ResourceId, VirtualNetworkPeering[]>();
  const gaps: Gap[] = [];
  for (const remote of vnets) {
    for (const link of remote.peerings) {
      if (link.peeringState !== 'Connected' || link.remoteVirtualNetworkId === null || link.remoteVirtualNetworkId === remote.id) continue;
      const local = byId.get(link.remoteVirtualNetworkId);
      if (local === undefined || local.peerings.some((p) => p.remoteVirtualNetworkId === remote.id)) continue;
      const list = added.get(local.id) ?? [];
      if (list.some((p) => p.remoteVirtualNetworkId === remote.id)) continue;
      const inferred = inferredPeering(local, remote, link);
      list.push(inferred);
      added.set(local.id, list);
      gaps.push(notExportedGap(local, remote, link, inferred));
    }
  }
  if (added.size === 0) return { model: hadInferred ? { ...model, virtualNetworks: vnets } : model, gaps };
  const virtualNetworks = vnets.map((v) => {
    const extra = added.get(v.id);
    return extra === undefined ? v : { ...v, peerings: sortedById([...v.peerings, ...extra]) };
  });
  return { model: { ...model, virtualNetworks }, gaps };
}
