/**
 * Resources the input held but the normalizer left out as malformed (a `skipped-input` gap whose
 * scope is their resource ID). Project rule: every verdict that depended on such a resource is
 * `unknown`, naming it. A reference by ID to it already resolves as missing; this is for what the
 * engine finds by address or by "is there one" (a next hop's owner, a VNet's gateway), where the
 * resource's absence would otherwise read as "Azure has none".
 */
import type { Gap } from '../model/gaps';
import { compareIds, isNetworkInterfaceId, nameFromResourceId, parentResourceId, parseResourceId, scaleSetInstanceOfNic, toResourceId, topLevelResourceId } from '../model/ids';
import type { ResourceId } from '../model/ids';
import type { ModelIndex } from '../model/model-index';
import type { NetworkInterface, NetworkModel, Subnet, VirtualNetwork } from '../model/topology';
import { cached, innerMap, innerWeakMap } from '../model/cache';
import { subnetsOfVnet } from './vnet-subnets';

export interface LeftOutResource {
  /** The resource left out; for a child listed on its own (a firewall's IP configuration), its top-level parent. */
  readonly id: ResourceId;
  /** Lower-case ARM type of `id`, e.g. `microsoft.network/azurefirewalls`. */
  readonly type: string;
  readonly name: string;
  /** Lower case, from the ID. */
  readonly subscriptionId: string;
  /**
   * Absent: left out as malformed (a skipped-input gap names it). Present: not left out, but a
   * resource the input holds references it by ID (referencedMissing): either it is not in the input
   * at all, or (`child`) it is, without the child that is referenced (an IP configuration, a frontend),
   * so an address it holds is not known.
   */
  readonly referenced?: ReferencedMissing;
}

/** How the input names a resource (or a resource's child) it does not hold. */
export interface ReferencedMissing {
  /** What references it, in words: `the ipConfiguration of public IP pip-afw`; empty when nothing does (a firewall with no IP configuration). */
  readonly by: string;
  /** The ID that is not in the input: the resource itself, or its child. */
  readonly missingId: ResourceId;
  /**
   * The missing child in words (`IP configuration ipconfig1`, `frontend fe-nva`); absent when the
   * resource itself is missing. With `by` empty (nothing references it: a NIC or firewall with no IP
   * configuration at all), why the input lacks it.
   */
  readonly child?: string;
  /** The VNet the resource is known to be in (its other IP configurations): counted only there. */
  readonly virtualNetworkId?: ResourceId;
}

export const LEFT_OUT_TYPES = {
  azureFirewall: 'microsoft.network/azurefirewalls',
  networkInterface: 'microsoft.network/networkinterfaces',
  loadBalancer: 'microsoft.network/loadbalancers',
  virtualNetworkGateway: 'microsoft.network/virtualnetworkgateways',
  subnet: 'microsoft.network/virtualnetworks/subnets',
} as const;

/** Kept as resources of their own in the model although ARM nests them: the type stays the child's. */
const MODELLED_CHILD_TYPES: ReadonlySet<string> = new Set([LEFT_OUT_TYPES.subnet]);

const NONE: readonly LeftOutResource[] = Object.freeze([]);

const byInput = new WeakMap<readonly Gap[], WeakMap<NetworkModel, readonly LeftOutResource[]>>();

/**
 * The left-out resources of an input, once each, sorted by ID. A `skipped-input` gap names one only
 * when the model does not hold what it names: the same code also records a copy set aside for
 * another (the resource is then judged on the copy kept) and effective routes left out of a NIC the
 * model holds. A file or JSON path scope names no resource type, so it narrows nothing and is not
 * counted here (the gap itself stays in the result).
 */
export function leftOutResources(gaps: readonly Gap[], model: NetworkModel, index: ModelIndex): readonly LeftOutResource[] {
  return cached(innerWeakMap(byInput, gaps), model, () => collect(gaps, index));
}

function collect(gaps: readonly Gap[], index: ModelIndex): readonly LeftOutResource[] {
  const held = new Set<string>();
  const holds = (id: string): boolean => {
    if (held.size === 0) for (const list of Object.values(index.model) as readonly (readonly { readonly id: string }[])[]) for (const r of list) held.add(toResourceId(r.id));
    return held.has(id);
  };
  const out = new Map<ResourceId, LeftOutResource>();
  // Nearly always none: the model's IDs are gathered only when a gap may name a left-out resource.
  for (const gap of gaps) {
    if (gap.code !== 'skipped-input') continue;
    const resource = resourceOf(gap.scope);
    if (resource === null || out.has(resource.id) || holds(resource.id) || holds(toResourceId(gap.scope))) continue;
    out.set(resource.id, resource);
  }
  if (out.size === 0) return NONE;
  return [...out.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** The resource a gap scope names, or null when it names none (a file, a JSON path, a subscription). */
function resourceOf(scope: string): LeftOutResource | null {
  const parts = parseResourceId(scope);
  if (parts === null || parts.resourceGroup === '' || !parts.type.includes('/') || parts.type.startsWith('microsoft.resources/')) return null;
  const id = toResourceId(scope);
  // A Uniform scale set instance's NIC is a network interface, whatever path its ID spells.
  if (isNetworkInterfaceId(id)) return { id, type: LEFT_OUT_TYPES.networkInterface, name: nameFromResourceId(id), subscriptionId: parts.subscriptionId.toLowerCase() };
  const segments = parts.type.split('/');
  if (segments.length <= 2 || MODELLED_CHILD_TYPES.has(parts.type)) {
    return { id, type: parts.type, name: parts.name, subscriptionId: parts.subscriptionId.toLowerCase() };
  }
  // A child listed on its own (an IP configuration, a frontend) was left out with what it belongs
  // to: what is missing is its top-level resource (normalize.ts drops the parent too).
  const parentId = topLevelResourceId(id) as ResourceId;
  if (parentId === id) return null;
  return { id: parentId, type: `${segments[0] ?? ''}/${segments[1] ?? ''}`, name: nameFromResourceId(parentId), subscriptionId: parts.subscriptionId.toLowerCase() };
}

/**
 * The left-out resources that could own a private IP of `vnet` nothing in the input owns: in
 * `subnet`, the subnet that holds the address, or (null) in no subnet the input holds.
 * - A NIC only of the VNet's subscription: "You can assign a network interface only to a virtual
 *   network in the same subscription and location as the network interface" [NIC]
 *   https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#create-a-network-interface
 * - A load balancer of any subscription: an internal frontend's "subnet/virtual network can reside
 *   in a different subscription than the load balancer" [LBXSUB]
 *   https://learn.microsoft.com/azure/load-balancer/cross-subscription-overview
 * - An Azure Firewall only in AzureFirewallSubnet, the only subnet it can be deployed to
 *   [FWSUBNET] https://learn.microsoft.com/azure/firewall/firewall-faq ; of any subscription: no
 *   firewall page says it must share its VNet's, and the general rule ("Any Azure resource that you
 *   connect to the virtual network must be in the same subscription as the virtual network",
 *   https://learn.microsoft.com/azure/virtual-network/manage-virtual-network) has the documented
 *   load balancer exception above, so it is not read as settling the firewall's.
 * - With no subnet holding the address, a left-out subnet of the VNet.
 */
export function leftOutOwners(leftOut: readonly LeftOutResource[], vnet: VirtualNetwork, subnet: Subnet | null): readonly LeftOutResource[] {
  if (leftOut.length === 0) return NONE;
  if (subnet === null) {
    const prefix = `${vnet.id}/subnets/`;
    return leftOut.filter((r) => r.type === LEFT_OUT_TYPES.subnet && r.id.startsWith(prefix));
  }
  const subscription = subscriptionOf(vnet.id);
  const firewallSubnet = subnet.name.toLowerCase() === 'azurefirewallsubnet';
  return leftOut.filter((r) => ((r.type === LEFT_OUT_TYPES.networkInterface && (subscription === null || r.subscriptionId === subscription))
    || r.type === LEFT_OUT_TYPES.loadBalancer
    || (r.type === LEFT_OUT_TYPES.azureFirewall && firewallSubnet))
    // A resource whose other IP configurations the input holds is in their VNet.
    && (r.referenced?.virtualNetworkId === undefined || r.referenced.virtualNetworkId === vnet.id));
}

const referencedByIndex = new WeakMap<ModelIndex, readonly LeftOutResource[]>();
const mergedByInput = new WeakMap<readonly LeftOutResource[], WeakMap<ModelIndex, readonly LeftOutResource[]>>();

/**
 * What may own an address nothing in the input owns: the left-out resources, then those the input
 * references but does not hold (referencedMissing). A resource referenced by ID but absent from the
 * input exists in Azure as much as a left-out one (another resource group, a filtered list, no read
 * access on the type): "no owner, dropped" would rest on its absence alone.
 */
export function possibleOwners(leftOut: readonly LeftOutResource[], index: ModelIndex): readonly LeftOutResource[] {
  const referenced = referencedMissing(index);
  if (referenced.length === 0) return leftOut;
  if (leftOut.length === 0) return referenced;
  return cached(innerWeakMap(mergedByInput, leftOut), index, () => {
    const seen = new Set(leftOut.map((r) => r.id));
    return [...leftOut, ...referenced.filter((r) => !seen.has(r.id))];
  });
}

/**
 * The resources that could own a private IP (NICs, Azure Firewalls, load balancers) and subnets
 * that the input references by ID but does not hold, once each, sorted by ID; built once per model,
 * only when a next hop has no owner (rare). A reference to a child (an IP configuration, a frontend)
 * stands for its top-level resource. Read from:
 * - a public IP's `ipConfiguration` (the IP configuration of a NIC or firewall it is attached to:
 *   "The IP configuration associated with the public IP address",
 *   https://learn.microsoft.com/rest/api/virtualnetwork/public-ip-addresses/get), not a load
 *   balancer frontend's (a public frontend, which holds no private address); a Uniform scale set
 *   instance's NIC is placed in the VNet of the scale set's NICs the input holds (scaleSetVnet);
 * - a NIC IP configuration's backend pools (the load balancer: counted in every VNet, as no Learn
 *   page found says a NIC-based pool's members share the VNet of an internal frontend);
 * - the NICs a VM lists that the input lacks (missingSiblingNicIds), placed in the VNet of the
 *   VM's NIC that lists them [VMNIC];
 * - the subnet of a NIC or firewall IP configuration, of a load balancer frontend, and a NAT gateway's subnets;
 * - a load-balancing or outbound rule's frontends, and a public IP's frontend, that the load balancer in the input does not list;
 * - a NIC or an Azure Firewall (not a secured hub's) with no IP configuration in the input. Azure
 *   has none such (paraphrased, not quoted: every NIC has one primary IP configuration,
 *   https://learn.microsoft.com/azure/virtual-network/ip-services/virtual-network-network-interface-addresses ;
 *   a firewall in a virtual network is deployed with an IP configuration in AzureFirewallSubnet,
 *   https://learn.microsoft.com/azure/firewall/firewall-faq): the export lost them.
 * A reference that names the subnet (the firewall's IP configuration) places the resource only
 * where the subnet does; a firewall is counted only in AzureFirewallSubnet anyway (leftOutOwners).
 */
export function referencedMissing(index: ModelIndex): readonly LeftOutResource[] {
  return cached(referencedByIndex, index, () => collectReferenced(index));
}

function collectReferenced(index: ModelIndex): readonly LeftOutResource[] {
  const out = new Map<ResourceId, LeftOutResource>();
  const add = (resource: LeftOutResource): void => {
    if (!out.has(resource.id)) out.set(resource.id, resource);
  };
  /**
   * The referenced ID `target` (a resource or its child), from `by`; `child`: whether a missing child
   * of a resource the input holds counts (an address holder: IP configuration, frontend); `placed`:
   * the VNet a missing resource is known to be in (counted only there), null when not known.
   */
  const reference = (target: ResourceId | null | undefined, by: string, child = true, placed: ResourceId | null = null): void => {
    if (!target) return;
    const owner = ownerOfReference(target);
    if (owner === null) return;
    const held = heldChildren(index, owner);
    if (held === undefined) {
      add({ ...owner, referenced: { by, missingId: owner.id, ...(placed === null ? {} : { virtualNetworkId: placed }) } });
      return;
    }
    if (held === null || !child || target === owner.id || held.children.has(target)) return;
    add({ ...owner, referenced: { by, missingId: target, child: `${childWords(owner.type)} ${nameFromResourceId(target)}`, ...(held.virtualNetworkId ? { virtualNetworkId: held.virtualNetworkId } : {}) } });
  };
  for (const pip of index.publicIpAddresses.values()) {
    // A public IP's ipConfiguration naming a load balancer frontend names a public frontend: a
    // frontend holds a subnet address or a public IP, never both (New-AzLoadBalancerFrontendIpConfig
    // takes -Subnet/-SubnetId or -PublicIpAddress/-PublicIpAddressId, in separate parameter sets,
    // https://learn.microsoft.com/powershell/module/az.network/new-azloadbalancerfrontendipconfig ;
    // ARM refuses both with FrontendIPConfigHasBothSubnetAndPublicIP). It owns no private next hop,
    // and the load balancer's other frontends are not in evidence.
    if (pip.ipConfigurationId !== null && ownerOfReference(pip.ipConfigurationId)?.type === LEFT_OUT_TYPES.loadBalancer) continue;
    reference(pip.ipConfigurationId, `the ipConfiguration of public IP ${pip.name}`, true, scaleSetVnet(index, pip.ipConfigurationId));
  }
  for (const nic of index.networkInterfaces.values()) {
    for (const c of nic.ipConfigurations) {
      reference(c.subnetId, `IP configuration ${c.name} of NIC ${nic.name}`);
      for (const pool of c.loadBalancerBackendAddressPoolIds) reference(pool, `the backend pools of IP configuration ${c.name} of NIC ${nic.name}`, false);
    }
    // All NICs of one VM are in one VNet: "While network interfaces in the same VM can be connected
    // to different subnets within a virtual network, the network interfaces must all be connected to
    // the same virtual network" [VMNIC]
    // https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface-vm#constraints
    for (const sibling of nic.missingSiblingNicIds ?? []) reference(sibling, `the VM of NIC ${nic.name}, which lists it`, true, vnetOfNic(nic));
    if (nic.ipConfigurations.length === 0) {
      add({ ...ownerOfReference(nic.id) ?? { id: nic.id, type: LEFT_OUT_TYPES.networkInterface, name: nic.name, subscriptionId: subscriptionOf(nic.id) ?? '' },
        referenced: { by: '', missingId: nic.id, child: 'none is in the input, and a NIC has at least one' } });
    }
  }
  for (const fw of index.azureFirewalls.values()) {
    for (const c of fw.ipConfigurations) reference(c.subnetId, `IP configuration ${c.name} of Azure Firewall ${fw.name}`);
    if (fw.managementIpConfiguration) reference(fw.managementIpConfiguration.subnetId, `the management IP configuration of Azure Firewall ${fw.name}`);
    if (fw.ipConfigurations.length === 0 && fw.virtualHubId === null && fw.skuName !== 'AZFW_Hub' && !out.has(fw.id)) {
      add({ id: fw.id, type: LEFT_OUT_TYPES.azureFirewall, name: fw.name, subscriptionId: subscriptionOf(fw.id) ?? '',
        referenced: { by: '', missingId: fw.id, child: 'none is in the input, and a firewall in a virtual network has at least one' } });
    }
  }
  for (const lb of index.loadBalancers.values()) {
    for (const f of lb.frontendIpConfigurations) reference(f.subnetId, `frontend ${f.name} of load balancer ${lb.name}`);
    for (const r of lb.loadBalancingRules) for (const id of r.frontendIpConfigurationIds) reference(id, `load-balancing rule ${r.name} of load balancer ${lb.name}`);
    for (const r of lb.outboundRules) for (const id of r.frontendIpConfigurationIds) reference(id, `outbound rule ${r.name} of load balancer ${lb.name}`);
  }
  for (const nat of index.natGateways.values()) for (const id of nat.subnetIds) reference(id, `NAT gateway ${nat.name}, which lists it`);
  if (out.size === 0) return NONE;
  return [...out.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** The owner type a referenced ID stands for (its top-level resource; a subnet stays a subnet); null for other types. */
function ownerOfReference(target: ResourceId): LeftOutResource | null {
  // A Uniform scale set instance's NIC IP configuration: the NIC (resourceOf would give the scale set).
  const nic = /\/ipconfigurations\/[^/]+$/.test(target) ? parentResourceId(target) : null;
  const resource = nic !== null && isNetworkInterfaceId(nic) ? resourceOf(nic) : resourceOf(target);
  if (resource === null || !OWNER_TYPES.has(resource.type)) return null;
  return resource;
}

const OWNER_TYPES: ReadonlySet<string> = new Set([LEFT_OUT_TYPES.networkInterface, LEFT_OUT_TYPES.loadBalancer, LEFT_OUT_TYPES.azureFirewall, LEFT_OUT_TYPES.subnet]);

/** The VNet of a NIC the input holds (of its IP configurations' subnets); null when none names a subnet. */
function vnetOfNic(nic: NetworkInterface): ResourceId | null {
  const subnetId = nic.ipConfigurations.find((c) => c.subnetId !== null)?.subnetId ?? null;
  return subnetId === null ? null : parentResourceId(subnetId);
}

/**
 * For a Uniform scale set instance's NIC IP configuration (an AKS node public IP names one), the
 * VNet of the scale set's NICs the input holds: every instance is a VM built from the scale set's
 * one network profile, and a VM's NICs are all in one VNet [VMNIC]. Null for any other ID, or when
 * the input holds no NIC of the scale set that names a subnet (the NIC then counts in its
 * subscription's VNets, like every other missing NIC).
 */
function scaleSetVnet(index: ModelIndex, target: ResourceId | null): ResourceId | null {
  if (target === null || !/\/ipconfigurations\/[^/]+$/.test(target)) return null;
  const instance = scaleSetInstanceOfNic(parentResourceId(target));
  if (instance === null) return null;
  const vnets = scaleSetVnets(index).get(toResourceId(parentResourceId(instance.vmId as ResourceId)));
  // Instances the input shows in two VNets (a network profile changed since): not placed.
  return vnets?.size === 1 ? ([...vnets][0] ?? null) : null;
}

const scaleSetVnetsByIndex = new WeakMap<ModelIndex, ReadonlyMap<ResourceId, ReadonlySet<ResourceId>>>();

/** Per Uniform scale set, the VNets of its instances' NICs the input holds: one pass over the NICs per model. */
function scaleSetVnets(index: ModelIndex): ReadonlyMap<ResourceId, ReadonlySet<ResourceId>> {
  return cached(scaleSetVnetsByIndex, index, () => {
    const byScaleSet = new Map<ResourceId, Set<ResourceId>>();
    for (const nic of index.networkInterfaces.values()) {
      const instance = scaleSetInstanceOfNic(nic.id);
      const vnet = instance === null ? null : vnetOfNic(nic);
      if (instance === null || vnet === null) continue;
      const scaleSet = toResourceId(parentResourceId(instance.vmId as ResourceId));
      const vnets = byScaleSet.get(scaleSet) ?? new Set<ResourceId>();
      vnets.add(vnet);
      byScaleSet.set(scaleSet, vnets);
    }
    return byScaleSet;
  });
}

/** What heldChildren says of a resource the input holds. */
interface HeldChildren {
  /** The IDs of its children that can be referenced (IP configurations, frontends). */
  readonly children: ReadonlySet<string>;
  /** The VNet its IP configurations are in; null when not known. */
  readonly virtualNetworkId: ResourceId | null;
}

/**
 * For a resource the input holds, its children and VNet (HeldChildren; null: no child that
 * matters, a subnet); undefined when the input does not hold it.
 */
function heldChildren(index: ModelIndex, owner: LeftOutResource): HeldChildren | null | undefined {
  switch (owner.type) {
    case LEFT_OUT_TYPES.subnet:
      return index.subnets.has(owner.id) ? null : undefined;
    case LEFT_OUT_TYPES.networkInterface: {
      const nic = index.networkInterfaces.get(owner.id);
      if (!nic) return undefined;
      return { children: new Set(nic.ipConfigurations.map((c) => c.id)), virtualNetworkId: vnetOfNic(nic) };
    }
    case LEFT_OUT_TYPES.azureFirewall: {
      const fw = index.azureFirewalls.get(owner.id);
      if (!fw) return undefined;
      const configs = [...fw.ipConfigurations, ...(fw.managementIpConfiguration ? [fw.managementIpConfiguration] : [])];
      const subnetId = fw.ipConfigurations.find((c) => c.subnetId !== null)?.subnetId ?? null;
      return { children: new Set(configs.map((c) => c.id)), virtualNetworkId: subnetId === null ? null : parentResourceId(subnetId) };
    }
    case LEFT_OUT_TYPES.loadBalancer: {
      const lb = index.loadBalancers.get(owner.id);
      if (!lb) return undefined;
      // Only frontends hold an address (a backend pool reference is not checked against the pools).
      return { children: new Set(lb.frontendIpConfigurations.map((f) => f.id)), virtualNetworkId: null };
    }
    default:
      return null;
  }
}

function childWords(type: string): string {
  return type === LEFT_OUT_TYPES.loadBalancer ? 'frontend' : 'IP configuration';
}

/**
 * How a referenced-missing resource is named in a step, as a noun and why the input shows it
 * exists: [`Azure Firewall afw`, `referenced by the ipConfiguration of public IP pip`], [`IP
 * configuration ipconfig1 of NIC nva`, `referenced by …`], [`the IP configurations of NIC nva`,
 * `none is in the input, and a NIC has at least one`].
 */
export function referencedLabel(resource: LeftOutResource): { readonly what: string; readonly why: string } {
  const ref = resource.referenced;
  if (ref === undefined) return { what: leftOutLabel(resource), why: leftOutWhy([resource]) };
  if (ref.child === undefined) return { what: leftOutLabel(resource), why: `referenced by ${ref.by}` };
  if (ref.by === '') return { what: `the IP configurations of ${leftOutLabel(resource)}`, why: ref.child };
  return { what: `${ref.child} of ${leftOutLabel(resource)}`, why: `referenced by ${ref.by}` };
}

const gatewaysByInput = new WeakMap<readonly LeftOutResource[], WeakMap<ModelIndex, Map<ResourceId, readonly LeftOutResource[]>>>();

/**
 * The left-out virtual network gateways that could be `vnet`'s own. A gateway is deployed to the
 * VNet's subnet named GatewaySubnet, which it requires [VPNGW]
 * https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub
 * so a VNet without one (and without a left-out subnet of that name) has none, left out or not.
 * Where the VNet's GatewaySubnet record lists gateway IP configurations (`ipConfigurations`, kept
 * as attachedGatewayIds: "references to the network interface IP configurations using subnet",
 * https://learn.microsoft.com/rest/api/virtualnetwork/subnets/get), the input says which gateway
 * is there: only one it names counts. Otherwise a left-out gateway counts unless another VNet's
 * GatewaySubnet names it (a gateway's IP configurations are in the GatewaySubnet of its one VNet),
 * and only when it is of the VNet's subscription: "Your virtual network gateway must be in the
 * same subscription, Azure region, and resource group as the virtual network" [S2SFILES]
 * https://learn.microsoft.com/azure/storage/files/storage-files-configure-s2s-vpn
 * Kept per input, model index and VNet: asked for each default-route subnet and destination.
 */
export function leftOutGateways(leftOut: readonly LeftOutResource[], index: ModelIndex, vnet: VirtualNetwork): readonly LeftOutResource[] {
  if (!leftOut.some((r) => r.type === LEFT_OUT_TYPES.virtualNetworkGateway)) return NONE;
  return cached(innerMap(innerWeakMap(gatewaysByInput, leftOut), index), vnet.id, () => gatewaysOf(leftOut, index, vnet));
}

function gatewaysOf(leftOut: readonly LeftOutResource[], index: ModelIndex, vnet: VirtualNetwork): readonly LeftOutResource[] {
  const gatewaySubnets = subnetsOfVnet(index, vnet).subnets.filter((s) => s.name.toLowerCase() === 'gatewaysubnet');
  const prefix = `${vnet.id}/subnets/`;
  const gatewaySubnetLeftOut = leftOut.some((r) => r.type === LEFT_OUT_TYPES.subnet && r.id.startsWith(prefix) && r.name.toLowerCase() === 'gatewaysubnet');
  if (gatewaySubnets.length === 0 && !gatewaySubnetLeftOut) return NONE;
  const listed = new Set(gatewaySubnets.flatMap((s) => s.attachedGatewayIds ?? []));
  const subscription = subscriptionOf(vnet.id);
  const found = leftOut.filter((r) => r.type === LEFT_OUT_TYPES.virtualNetworkGateway && (listed.size > 0
    ? listed.has(r.id)
    // Nothing listed here: a gateway another GatewaySubnet names is in that subnet's VNet.
    : (subscription === null || r.subscriptionId === subscription) && !placedGateways(index).has(r.id)));
  return found.length === 0 ? NONE : found;
}

const placedByIndex = new WeakMap<ModelIndex, ReadonlySet<ResourceId>>();

/** The gateways a GatewaySubnet of the input names (attachedGatewayIds): each is in that subnet's VNet. */
function placedGateways(index: ModelIndex): ReadonlySet<ResourceId> {
  return cached(placedByIndex, index, () => new Set([...index.subnets.values()].flatMap((subnet) => subnet.attachedGatewayIds ?? [])));
}

/** The subscription of a resource ID, lower case; null when the ID names none. */
function subscriptionOf(id: string): string | null {
  const subscription = parseResourceId(id)?.subscriptionId ?? '';
  return subscription === '' ? null : subscription.toLowerCase();
}

/** How a left-out resource is named in a step: its kind and name. */
export function leftOutLabel(resource: LeftOutResource): string {
  return `${KIND_WORDS[resource.type] ?? resource.type} ${resource.name}`;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  [LEFT_OUT_TYPES.azureFirewall]: 'Azure Firewall',
  [LEFT_OUT_TYPES.networkInterface]: 'NIC',
  [LEFT_OUT_TYPES.loadBalancer]: 'load balancer',
  [LEFT_OUT_TYPES.virtualNetworkGateway]: 'virtual network gateway',
  [LEFT_OUT_TYPES.subnet]: 'subnet',
};

/** `Azure Firewall afw, NIC nva-nic` (at most three, then how many more). */
export function leftOutNames(resources: readonly LeftOutResource[]): string {
  const shown = resources.slice(0, 3).map(leftOutLabel).join(', ');
  return resources.length > 3 ? `${shown} and ${resources.length - 3} more` : shown;
}

/** Why they are missing, in the words every such unknown uses (the gap says which value was malformed). */
export function leftOutWhy(resources: readonly LeftOutResource[]): string {
  return `${resources.length === 1 ? 'it was' : 'they were'} in the input but left out because malformed (see the skipped-input gap${resources.length === 1 ? '' : 's'})`;
}
