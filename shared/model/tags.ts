/**
 * Whose tags speak for a resource. ARM child resources carry no tags of their own (a subnet has
 * none; its VNet does), so a resource without tags inherits those of its nearest modelled parent,
 * and every view says where they came from.
 */
import { parentResourceId, toResourceId, type ResourceId } from './ids';
import type { NetworkResource } from './topology';

export interface EffectiveTags {
  readonly tags: Readonly<Record<string, string>>;
  /** The parent whose tags these are; null when they are the resource's own (or there are none). */
  readonly inheritedFrom: NetworkResource | null;
}

export function effectiveTags(resource: NetworkResource, findResource: (id: ResourceId) => NetworkResource | null | undefined): EffectiveTags {
  if (Object.keys(resource.tags).length > 0) return { tags: resource.tags, inheritedFrom: null };
  for (let id = parentResourceId(toResourceId(resource.id)); id.includes('/providers/'); id = parentResourceId(id)) {
    const parent = findResource(id);
    if (parent && Object.keys(parent.tags).length > 0) return { tags: parent.tags, inheritedFrom: parent };
  }
  return { tags: resource.tags, inheritedFrom: null };
}
