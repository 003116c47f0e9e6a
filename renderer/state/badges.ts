/**
 * The verdict badge each subnet / NIC gets in the list: derived from the resolver's verdict, exit
 * method and the appliances passed (`via`). The UI never recomputes a verdict; it only names it.
 */
import type { EgressPath, PathSource, SourceRole } from '../../shared/egress/types';
import { assertNever } from '../../shared/model/assert';

export { assertNever };

export type BadgeKind =
  | 'via-firewall'
  | 'via-nva'
  | 'nat-gateway'
  | 'public-ip'
  | 'load-balancer'
  | 'default-outbound'
  | 'private'
  | 'on-premises'
  | 'no-outbound'
  | 'dropped'
  | 'denied'
  | 'unknown'
  // Platform subnets: Azure-managed instances only, egressing with their own platform IPs.
  | 'platform-firewall'
  | 'platform-firewall-management'
  | 'platform-gateway'
  | 'platform-bastion'
  | 'platform-route-server';

export const BADGE_KINDS: readonly BadgeKind[] = [
  'via-firewall', 'via-nva', 'nat-gateway', 'public-ip', 'load-balancer', 'default-outbound',
  'private', 'on-premises', 'no-outbound', 'dropped', 'denied', 'unknown',
  'platform-firewall', 'platform-firewall-management', 'platform-gateway', 'platform-bastion', 'platform-route-server',
];

/** What a badge needs from a path; `source.role` is optional so older results still badge. */
export type BadgeInput = Pick<EgressPath, 'verdict' | 'exit' | 'via'> & { readonly source?: Pick<PathSource, 'role'> };

export function isPlatformBadge(kind: BadgeKind): boolean {
  return kind.startsWith('platform-');
}

function platformBadge(role: Exclude<SourceRole, 'workload'>): BadgeKind {
  switch (role) {
    case 'azure-firewall': return 'platform-firewall';
    case 'firewall-management': return 'platform-firewall-management';
    case 'gateway': return 'platform-gateway';
    case 'bastion': return 'platform-bastion';
    case 'route-server': return 'platform-route-server';
    default: return assertNever(role);
  }
}

/** Tone drives the badge colour: calm for managed egress, amber for implicit, red for broken. */
export type BadgeTone = 'good' | 'neutral' | 'warn' | 'bad';

export interface Badge {
  readonly kind: BadgeKind;
  readonly text: string;
  readonly tone: BadgeTone;
}

export function badgeKind(path: BadgeInput): BadgeKind {
  const role = path.source?.role;
  // A platform subnet is named by what runs there, unless its path is broken: then the break shows.
  const broken = path.verdict === 'dropped' || path.verdict === 'denied' || path.verdict === 'no-outbound';
  // Firewall and gateway egress is modelled, so their `unknown` is a missing fact worth showing;
  // Bastion and Route Server egress is Azure's own and never modelled.
  const unknownModelled = path.verdict === 'unknown' && (role === 'azure-firewall' || role === 'firewall-management' || role === 'gateway');
  if (role !== undefined && role !== 'workload' && !broken && !unknownModelled) return platformBadge(role);
  switch (path.verdict) {
    case 'internet':
      // An appliance in the path is what a reviewer cares about first: it inspects the traffic.
      if (path.via.some((v) => v.kind === 'azure-firewall')) return 'via-firewall';
      if (path.via.some((v) => v.kind === 'nva' || v.kind === 'internal-load-balancer')) return 'via-nva';
      switch (path.exit) {
        case 'nat-gateway': return 'nat-gateway';
        case 'public-ip': return 'public-ip';
        case 'load-balancer': return 'load-balancer';
        case 'default-outbound': return 'default-outbound';
        case 'virtual-network': case 'peering': case 'private-endpoint': case 'service-endpoint':
        case null: return 'unknown';
        default: return assertNever(path.exit);
      }
    case 'private': return 'private';
    case 'on-premises': return 'on-premises';
    case 'no-outbound': return 'no-outbound';
    case 'dropped': return 'dropped';
    case 'denied': return 'denied';
    case 'unknown': return 'unknown';
    default: return assertNever(path.verdict);
  }
}

export function badgeText(kind: BadgeKind): string {
  switch (kind) {
    case 'via-firewall': return 'Internet via firewall';
    case 'via-nva': return 'Internet via NVA';
    case 'nat-gateway': return 'Internet via NAT';
    case 'public-ip': return 'Internet via public IP';
    case 'load-balancer': return 'Internet via LB outbound';
    case 'default-outbound': return 'Default outbound';
    case 'private': return 'Private (never internet)';
    case 'on-premises': return 'On-premises';
    case 'no-outbound': return 'No outbound';
    case 'dropped': return 'Dropped';
    case 'denied': return 'Denied';
    case 'unknown': return 'Unknown';
    case 'platform-firewall': return 'Platform: firewall';
    case 'platform-firewall-management': return 'Platform: firewall management';
    case 'platform-gateway': return 'Platform: gateway';
    case 'platform-bastion': return 'Platform: Bastion';
    case 'platform-route-server': return 'Platform: Route Server';
    default: return assertNever(kind);
  }
}

export function badgeTone(kind: BadgeKind): BadgeTone {
  switch (kind) {
    case 'via-firewall':
    case 'via-nva':
    case 'nat-gateway':
      return 'good';
    case 'public-ip':
    case 'load-balancer':
    case 'private':
    case 'on-premises':
    case 'no-outbound':
    case 'platform-firewall':
    case 'platform-firewall-management':
    case 'platform-gateway':
    case 'platform-bastion':
    case 'platform-route-server':
      return 'neutral';
    case 'default-outbound':
    case 'unknown':
      return 'warn';
    case 'dropped':
    case 'denied':
      return 'bad';
    default: return assertNever(kind);
  }
}

export function badgeFor(path: BadgeInput): Badge {
  const kind = badgeKind(path);
  return { kind, text: badgeText(kind), tone: badgeTone(kind) };
}

