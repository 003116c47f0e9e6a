/**
 * Reserved subnets that host only Azure-managed instances (Azure Firewall, its management NIC,
 * VPN / ExpressRoute gateways, Bastion, Route Server). Nothing of yours runs there, and the
 * instances egress with their own platform-managed public IPs, so the workload rules (default
 * outbound, "no outbound", firewall bypass) do not apply to them.
 */
import type { Subnet } from '../model/topology';
import type { SourceRole } from './types';

/** Reserved subnet names (matched case-insensitively, as Azure does) → the platform role. */
const PLATFORM_ROLES: ReadonlyMap<string, Exclude<SourceRole, 'workload'>> = new Map([
  ['azurefirewallsubnet', 'azure-firewall'],
  ['azurefirewallmanagementsubnet', 'firewall-management'],
  ['gatewaysubnet', 'gateway'],
  ['azurebastionsubnet', 'bastion'],
  ['routeserversubnet', 'route-server'],
] as const);

/** The role of a subnet's sources: a platform role by reserved name, else `workload`. */
export function subnetRole(subnet: Subnet): SourceRole {
  // Asked for every subnet of every resolve: kept per subnet (its name does not change).
  let role = roles.get(subnet);
  if (role === undefined) {
    role = PLATFORM_ROLES.get(subnet.name.toLowerCase()) ?? 'workload';
    roles.set(subnet, role);
  }
  return role;
}

const roles = new WeakMap<Subnet, SourceRole>();

/** Subnets Azure services own (gateways, firewall, Bastion, Route Server). */
export function isPlatformSubnet(subnet: Subnet): boolean {
  return PLATFORM_ROLES.has(subnet.name.toLowerCase());
}

/** Human name of a platform role, for hops and consumers. */
export function platformRoleLabel(role: Exclude<SourceRole, 'workload'>): string {
  switch (role) {
    case 'azure-firewall': return 'Azure Firewall';
    case 'firewall-management': return 'Azure Firewall management';
    case 'gateway': return 'virtual network gateway';
    case 'bastion': return 'Azure Bastion';
    case 'route-server': return 'Azure Route Server';
  }
}
