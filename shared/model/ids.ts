/**
 * ARM resource IDs are case-insensitive (ARM and Resource Graph disagree on casing of
 * `resourceGroups`, provider namespaces and names), so the model stores every ID in one canonical
 * form: lower case, no trailing slash. Names keep the casing the user gave them.
 */
export type ResourceId = string & { readonly __brand: 'ResourceId' };

export function toResourceId(raw: string): ResourceId {
  return raw.trim().replace(/\/+$/, '').toLowerCase() as ResourceId;
}

export interface ResourceIdParts {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** e.g. `microsoft.network/virtualnetworks/subnets` */
  readonly type: string;
  readonly name: string;
}

/** Splits `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{child}/{name}...]`. */
export function parseResourceId(id: string): ResourceIdParts | null {
  const parts = id.split('/').filter((p) => p.length > 0);
  if (parts.length < 4 || parts[0]?.toLowerCase() !== 'subscriptions') return null;
  const subscriptionId = parts[1] ?? '';
  if (parts[2]?.toLowerCase() !== 'resourcegroups' || parts[3] === undefined) {
    return { subscriptionId, resourceGroup: '', type: 'microsoft.resources/subscriptions', name: subscriptionId };
  }
  const resourceGroup = parts[3];
  const providerAt = parts.findIndex((p) => p.toLowerCase() === 'providers');
  if (providerAt < 0 || parts.length < providerAt + 4) {
    return { subscriptionId, resourceGroup, type: 'microsoft.resources/resourcegroups', name: resourceGroup };
  }
  const namespace = parts[providerAt + 1] ?? '';
  const rest = parts.slice(providerAt + 2);
  const types: string[] = [];
  let name = '';
  for (let i = 0; i + 1 < rest.length; i += 2) {
    types.push(rest[i] ?? '');
    name = rest[i + 1] ?? '';
  }
  return { subscriptionId, resourceGroup, type: `${namespace}/${types.join('/')}`.toLowerCase(), name };
}

/** A resource's own name: the last segment of its ID, casing kept (surrounding spaces and trailing slashes ignored). */
export function nameFromResourceId(id: string): string {
  const parts = id.trim().split('/').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? id;
}

/** The parent resource of a child (subnet → VNet, ipConfiguration → NIC). */
/** `/subscriptions/s/resourceGroups/rg/providers/ns/type/name[/child/...]` → the top-level resource. */
export function topLevelResourceId(id: string): string {
  const parts = id.split('/');
  return parts.length > 9 && parts[5]?.toLowerCase() === 'providers' ? parts.slice(0, 9).join('/') : id;
}

export function parentResourceId(id: ResourceId): ResourceId {
  const parts = id.split('/');
  return parts.slice(0, -2).join('/') as ResourceId;
}

/** `…/virtualMachineScaleSets/{s}/virtualMachines/{i}` (a Uniform scale set instance), and under it its NIC `/networkInterfaces/{n}`. */
const SCALE_SET_INSTANCE_VM = /\/virtualmachinescalesets\/([^/]+)\/virtualmachines\/([^/]+)$/i;
const SCALE_SET_INSTANCE_NIC = /^(.*\/virtualmachinescalesets\/([^/]+)\/virtualmachines\/([^/]+))\/networkinterfaces\/[^/]+$/i;

/**
 * A Uniform scale set instance's NIC (its only ARM home is under the instance): the instance's VM
 * ID, the scale set's name and the instance; null for any other ID. Flexible instances are plain
 * virtualMachines, with NICs under Microsoft.Network.
 */
export function scaleSetInstanceOfNic(id: string): { readonly vmId: string; readonly scaleSet: string; readonly instance: string } | null {
  const match = SCALE_SET_INSTANCE_NIC.exec(id);
  return match?.[1] === undefined ? null : { vmId: match[1], scaleSet: match[2] ?? '', instance: match[3] ?? '' };
}

/** Whether a VM ID names a Uniform scale set instance (`…/virtualMachineScaleSets/{s}/virtualMachines/{i}`). */
export function isScaleSetInstanceVm(vmId: string): boolean {
  return SCALE_SET_INSTANCE_VM.test(vmId);
}

/**
 * A Uniform scale set instance's NIC is named after the scale set's network profile, the same for
 * every instance (AKS: every node NIC of a pool is `aks-<pool>-<n>-vmss`): the model names it
 * `<name> (instance <i>)`, as the portal names instances `<scale set>_<i>`, so no two sources read
 * alike. Other names stay as they are.
 */
export function networkInterfaceName(id: string, name: string): string {
  const instance = scaleSetInstanceOfNic(id)?.instance;
  return instance === undefined ? name : `${name} (instance ${instance})`;
}

/**
 * The names a source answers to when a user names it (`--source`, a policy's scope or exception):
 * its name, and for a scale set instance's NIC also the name Azure gives it (networkInterfaceName).
 */
export function namesOf(source: { readonly id: string; readonly name: string }): readonly string[] {
  const instance = scaleSetInstanceOfNic(source.id)?.instance;
  const suffix = instance === undefined ? '' : ` (instance ${instance})`;
  return suffix !== '' && source.name.endsWith(suffix) ? [source.name, source.name.slice(0, -suffix.length)] : [source.name];
}

/**
 * Whether a canonical (lower-case) ID names a network interface: `…/providers/microsoft.network/
 * networkinterfaces/{name}`, or a Uniform scale set instance's NIC, `…/providers/microsoft.compute/
 * virtualmachinescalesets/{s}/virtualmachines/{i}/networkinterfaces/{name}` (its only ARM home).
 */
export function isNetworkInterfaceId(id: ResourceId): boolean {
  const parts = id.split('/');
  const n = parts.length;
  if (n < 3 || parts[n - 2] !== 'networkinterfaces' || parts[n - 1] === '') return false;
  if (parts[n - 3] === 'microsoft.network') return true;
  return n >= 7 && parts[n - 4] === 'virtualmachines' && parts[n - 6] === 'virtualmachinescalesets' && parts[n - 7] === 'microsoft.compute';
}

/** Orders IDs (canonical, lower case) by code unit, as every sorted list of the model is. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
