/**
 * The verdict badge each subnet / NIC gets in the list: derived from the resolver's verdict, exit
 * method and the appliances passed (`via`). The UI never recomputes a verdict; it only names it.
 */
import type { EgressPath } from '../../shared/egress/types';

export type BadgeKind =
  | 'via-firewall'
  | 'via-nva'
  | 'nat-gateway'
  | 'public-ip'
  | 'load-balancer'
  | 'default-outbound'
  | 'on-premises'
  | 'no-outbound'
  | 'dropped'
  | 'denied'
  | 'unknown';

export const BADGE_KINDS: readonly BadgeKind[] = [
  'via-firewall', 'via-nva', 'nat-gateway', 'public-ip', 'load-balancer', 'default-outbound',
  'on-premises', 'no-outbound', 'dropped', 'denied', 'unknown',
];

/** Tone drives the badge colour: calm for managed egress, amber for implicit, red for broken. */
export type BadgeTone = 'good' | 'neutral' | 'warn' | 'bad';

export interface Badge {
  readonly kind: BadgeKind;
  readonly text: string;
  readonly tone: BadgeTone;
}

function isFirewallId(id: string): boolean {
  return id.toLowerCase().includes('/providers/microsoft.network/azurefirewalls/');
}

function isNvaId(id: string): boolean {
  return id.toLowerCase().includes('/providers/microsoft.network/networkinterfaces/');
}

export function badgeKind(path: Pick<EgressPath, 'verdict' | 'exit' | 'via'>): BadgeKind {
  switch (path.verdict) {
    case 'internet':
      // An appliance in the path is what a reviewer cares about first: it inspects the traffic.
      if (path.via.some(isFirewallId)) return 'via-firewall';
      if (path.via.some(isNvaId)) return 'via-nva';
      switch (path.exit) {
        case 'nat-gateway': return 'nat-gateway';
        case 'public-ip': return 'public-ip';
        case 'load-balancer': return 'load-balancer';
        case 'default-outbound': return 'default-outbound';
        case null: return 'unknown';
        default: return assertNever(path.exit);
      }
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
    case 'on-premises': return 'On-premises';
    case 'no-outbound': return 'No outbound';
    case 'dropped': return 'Dropped';
    case 'denied': return 'Denied';
    case 'unknown': return 'Unknown';
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
    case 'on-premises':
    case 'no-outbound':
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

export function badgeFor(path: Pick<EgressPath, 'verdict' | 'exit' | 'via'>): Badge {
  const kind = badgeKind(path);
  return { kind, text: badgeText(kind), tone: badgeTone(kind) };
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
