/**
 * A VNet's subnets as the input gives them: by the VNet's own list (`subnetIds`) and by each
 * subnet's VNet reference, since a subnet listed on its own may be missing from its VNet's list.
 * Read wherever the engine asks what a VNet holds (its address owners, the subnet that holds an
 * address, its GatewaySubnet): kept per model index, the back-references gathered in one pass.
 */
import { cached, innerMap } from '../model/cache';
import type { ResourceId } from '../model/ids';
import type { ModelIndex } from '../model/model-index';
import type { Subnet, VirtualNetwork } from '../model/topology';

export interface VnetSubnets {
  /** Every subnet ID the VNet lists or that names the VNet, including any the index holds no subnet for. */
  readonly ids: ReadonlySet<ResourceId>;
  /** The subnets of `ids` the index holds, sorted by ID. */
  readonly subnets: readonly Subnet[];
}

const subnetsByIndex = new WeakMap<ModelIndex, Map<ResourceId, VnetSubnets>>();
const backReferencesByIndex = new WeakMap<ModelIndex, ReadonlyMap<ResourceId, readonly ResourceId[]>>();

/** The VNet's subnets (see VnetSubnets), worked out once per model index and VNet. */
export function subnetsOfVnet(index: ModelIndex, vnet: VirtualNetwork): VnetSubnets {
  return cached(innerMap(subnetsByIndex, index), vnet.id, () => {
    const ids = new Set<ResourceId>(vnet.subnetIds);
    for (const id of backReferences(index).get(vnet.id) ?? []) ids.add(id);
    const subnets = [...ids].sort().map((id) => index.subnets.get(id)).filter((s): s is Subnet => s !== undefined);
    return { ids, subnets };
  });
}

/** Per VNet ID, the subnets whose VNet reference names it: one pass over the index's subnets. */
function backReferences(index: ModelIndex): ReadonlyMap<ResourceId, readonly ResourceId[]> {
  return cached(backReferencesByIndex, index, () => {
    const byVnet = new Map<ResourceId, ResourceId[]>();
    for (const [subnetId, owner] of index.subnetVirtualNetwork) {
      const list = byVnet.get(owner.id);
      if (list === undefined) byVnet.set(owner.id, [subnetId]);
      else list.push(subnetId);
    }
    return byVnet;
  });
}
