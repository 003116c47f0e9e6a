/**
 * The demo estates: the embedded default of `egress-atlas resolve --demo [name]` and the app's
 * start screen. Each is ARM REST JSON (as `az rest` or Resource Graph would return it), so it goes
 * through exactly the same `normalizeArm` path as a user's own export.
 */
import type { ArmDocument } from '../arm/index';
import type { ServiceTagSet } from '../model/service-tags';
import type { ArmResource, CapturedRoutes } from './arm-builders';
import { bankEstate } from './bank';
import { healthResources } from './health';
import { DEMO_SERVICE_TAGS_EXCERPT } from './service-tags';
import { manufacturerEstate } from './manufacturer';
import { trainingEstate } from './training';

export { TRAINING_TOUR, type TrainingLesson } from './training';
export { DEMO_SERVICE_TAGS_EXCERPT } from './service-tags';
export { generateSyntheticEstate, type SyntheticEstate, type SyntheticEstateOptions } from './synthetic';

export interface DemoEstate {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly documents: readonly ArmDocument[];
  /** Service tag data that ships with the demo: a small, labelled excerpt (see ./service-tags.ts). */
  readonly serviceTags: ServiceTagSet;
}

export const DEFAULT_DEMO = 'bank';

/** One bundle document: `{ resources, effectiveRouteTables }` (the normalizer's bundle form). */
function bundle(name: string, resources: readonly ArmResource[], effectiveRoutes: readonly CapturedRoutes[] = []): readonly ArmDocument[] {
  const effectiveRouteTables: Record<string, { readonly value: readonly unknown[] }> = {};
  for (const captured of effectiveRoutes) effectiveRouteTables[captured.networkInterfaceId] = { value: captured.routes };
  return [{ fileName: `<demo:${name}>`, json: { resources, effectiveRouteTables } }];
}

function estate(name: string, title: string, description: string, build: () => readonly ArmDocument[]): DemoEstate {
  let cached: readonly ArmDocument[] | null = null;
  // Built on first read: the start screen lists demos without paying for all their JSON.
  return {
    name, title, description,
    serviceTags: DEMO_SERVICE_TAGS_EXCERPT,
    get documents(): readonly ArmDocument[] {
      cached ??= build();
      return cached;
    },
  };
}

export const DEMO_ESTATES: readonly DemoEstate[] = [
  estate('bank', 'Bank payment spokes behind a hub firewall',
    'Payment spokes reach approved card-network and PSP APIs only through a hub Azure Firewall with a NAT gateway (two allow-listed IPs). Find the reporting subnet that bypasses the firewall and the card-auth NAT gateway nobody uses.',
    () => { const e = bankEstate(); return bundle('bank', e.resources, e.effectiveRoutes); }),
  estate('manufacturer', 'Manufacturer: Container Apps, NVA pair and forced-tunnelled plants',
    'Container Apps jobs pull packages through an HA-ports internal load balancer and an NVA pair with a NAT gateway; plant-floor subnets are forced-tunnelled on-premises by a BGP default route; build agents escape with their own public IPs. Image builds reach only the package feeds their hub Azure Firewall names (what-if pypi.org, then example.com).',
    () => { const e = manufacturerEstate(); return bundle('manufacturer', e.resources, e.effectiveRoutes); }),
  estate('health', 'Health provider: private subnets and legacy public egress',
    'Private subnets with a shared NAT gateway and private endpoints, two legacy services still on direct public egress, a load-balancer outbound-rule pool, and a private imaging subnet whose updates silently fail. What-if stpatients.blob.core.windows.net: private from the VNet linked to its privatelink zone, public from the legacy HL7 VNet.',
    () => bundle('health', healthResources())),
  estate('training', 'Training: one subnet per egress rule',
    'Eighteen lessons, one subnet each: default outbound, private subnets, NAT gateway, public IPs, load balancers, UDRs, NVAs, Azure Firewall, VPN forced tunnelling, Virtual WAN routing intent, NSGs and route drift.',
    () => { const e = trainingEstate(); return bundle('training', e.resources, e.effectiveRoutes); }),
];

/** Finds a demo by name (case-insensitive); undefined when there is none. */
export function findDemo(name: string): DemoEstate | undefined {
  const wanted = name.trim().toLowerCase();
  return DEMO_ESTATES.find((d) => d.name === wanted);
}
