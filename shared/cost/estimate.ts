/**
 * Cost attribution (issue 13), pure and deterministic:
 *   estimateCost(input, resolveResult, { traffic, split, fallbackRegion }) → CostResult (`egress-atlas/cost@1`)
 *
 * For every source whose modelled path reaches the internet (workload subnets and NICs with a path
 * of their own), the monthly list-price cost of what the path passes:
 *   - NAT gateway hours, Azure Firewall deployment hours, public IP hours: the resource's fixed
 *     monthly cost (hourly price × 730 h), divided among the sources whose path uses it, evenly (the
 *     default) or by share of bytes;
 *   - NAT gateway and firewall data processed: the source's GB × the per-GB price;
 *   - internet data transfer out: on the bytes sent out of Azure only (flow logs split sent /
 *     received, destinations.md §2.1), the tiers applied to each egress zone's total GB with one
 *     first-100-GB allowance for the whole account (§8.1: account-wide, not per subnet or zone),
 *     shared by GB; missing when a costed source has no bytes, as the account's total is then unknown;
 *   - VNet peering per GB (both directions, §8.1) where the path crosses VNets before leaving Azure:
 *     the price table has no peering meter, so the line is missing and a gap names the peering.
 * Bytes come from a TrafficResult (flow-log bytes to public destinations, allowed, scaled to a month
 * from the span of the records that carry bytes) or, failing that, from NAT gateway `ByteCount` / firewall `DataProcessed`
 * metrics in the snapshot (`pull --metrics`; scaled from their window to a month, divided evenly
 * among the sources using the resource). A NAT gateway's ByteCount total (In + Out) prices its data
 * processed; its `Direction eq 'Out'` series, when the snapshot has it, prices internet egress. Where a price or
 * the bytes are missing the line's figure is null and a gap says why: never a silent 0.
 */
import { effectiveTags } from '../model/tags';
import { isPublicIp, parseIp } from '../model/ip';
import { toResourceId, type ResourceId } from '../model/ids';
import type { ResourceMetric } from '../model/snapshot';
import type { AzureFirewall, NatGateway, NetworkResource, PublicIpAddress, PublicIpPrefix } from '../model/topology';
import type { ResolveInput } from '../egress/index';
import type { EgressPath, ResolveResult } from '../egress/types';
import type { TrafficResult } from '../traffic/types';
import { PRICE_TABLE, priceDateText, priceIn, pricingPageText, tieredCost, zoneOfRegion } from './prices';
import type { EgressTier, EgressZone, ListPrice, PriceTable } from './prices';
import type {
  BytesBasis, CostContributor, CostGap, CostItem, CostLine, CostPriceRef, CostResource, CostResult, CostRollup,
  InternetEgressZoneCost, SourceCost, SplitMethod,
} from './types';
import { COST_SCHEMA } from './types';

/**
 * Bytes per billed GB. The reference does not say which GB Azure bills; 2^30 is assumed and
 * reported in every result (`bytesPerGb`), so a reader can redo the arithmetic with 10^9.
 */
export const BYTES_PER_GB = 1024 ** 3;

export interface CostOptions {
  /** Observed traffic (`analyzeTraffic`): per-source bytes from flow logs. */
  readonly traffic?: TrafficResult | null;
  /** How a shared resource's fixed cost is divided; default `even`. */
  readonly split?: SplitMethod;
  /**
   * Price resources in a region the table lacks at this region's listed price (each figure says it
   * was substituted). Null (the default): such figures are missing.
   */
  readonly fallbackRegion?: string | null;
  readonly prices?: PriceTable;
}

/** Metrics that carry bytes through a NAT gateway / firewall (Azure Monitor names, Total aggregation). */
const BYTE_METRICS: Readonly<Record<'nat-gateway' | 'azure-firewall', string>> = { 'nat-gateway': 'bytecount', 'azure-firewall': 'dataprocessed' };

const UNTAGGED = '(untagged)';

/**
 * A firewall whose tier the input does not give (a trimmed export, a Resource Graph projection)
 * bills at one of three rates: Standard, Premium and Basic deployment and data processed are priced
 * apart (https://learn.microsoft.com/azure/firewall/choose-firewall-sku), so no tier stands in.
 */
const FIREWALL_TIER_MISSING = 'Azure Firewall tier (sku.tier) not in the input: Basic, Standard and Premium are priced differently, so no price applies';

/** Why a NAT gateway that is not Standard has no price: its SKU is StandardV2 (or one Azure added), or not in the input at all. */
function natSkuMissing(nat: NatGateway): string {
  return nat.skuName === 'Unknown'
    ? 'NAT gateway SKU (sku.name) not in the input: it may be Standard or StandardV2, priced apart'
    : `NAT gateway SKU ${nat.skuName}`;
}

const key = (id: string): string => id.toLowerCase();

function tagValue(tags: Readonly<Record<string, string>>, wanted: 'owner' | 'costcentre'): string | null {
  for (const [k, v] of Object.entries(tags)) {
    const norm = k.toLowerCase().replace(/[-_ ]/g, '');
    if (wanted === 'owner' ? norm === 'owner' : norm === 'costcenter' || norm === 'costcentre') return v;
  }
  return null;
}

function hoursBetween(from: string | null, to: string | null): number | null {
  if (from === null || to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms > 0 ? ms / 3_600_000 : null;
}

/** Bytes in a log record count as internet egress when the destination is public (or a name: firewall logs). */
function countsAsInternet(destination: string): boolean {
  const ip = parseIp(destination);
  return ip === null || isPublicIp(ip);
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

/**
 * The span of the log records that carry bytes: flow-log bytes are scaled to a month by it, not by
 * the window of every log given (firewall logs carry no bytes, destinations.md §1, and may cover days
 * the flow logs do not). Inside the traffic window's start (`--since`).
 */
function bytesWindow(traffic: TrafficResult): { readonly from: string | null; readonly to: string | null } {
  let from: string | null = null;
  let to: string | null = null;
  const spans = [...traffic.sources.flatMap((s) => s.observed), ...traffic.unattributed].filter((x) => x.bytes !== null);
  for (const { firstSeen, lastSeen } of spans) {
    if (firstSeen !== null && (from === null || firstSeen < from)) from = firstSeen;
    if (lastSeen !== null && (to === null || lastSeen > to)) to = lastSeen;
  }
  const start = traffic.window.from;
  return { from: from !== null && start !== null && from < start ? start : from, to };
}

/**
 * Tiered cost of a zone's GB when only `freeGb` of the tiers' leading free band is this zone's (the
 * first-100-GB allowance is one per account, destinations.md §8.1): GB of the band beyond it are
 * billed at the first paid tier's rate; the volume tiers above stay on the zone's own GB.
 */
function tieredWithAllowance(tiers: readonly EgressTier[], gb: number, freeGb: number): { readonly usd: number; readonly byTier: readonly { readonly tier: EgressTier; readonly gb: number }[] } {
  const base = tieredCost(tiers, gb);
  const free = tiers[0]?.usdPerGb === 0 ? tiers[0] : undefined;
  const paid = tiers[1];
  const inFree = free === undefined ? 0 : base.byTier.find((b) => b.tier === free)?.gb ?? 0;
  const billed = Math.max(0, inFree - freeGb);
  if (free === undefined || paid === undefined || billed === 0) return base;
  const byTier = base.byTier.map((b) => (b.tier === free ? { tier: b.tier, gb: b.gb - billed } : b.tier === paid ? { tier: b.tier, gb: b.gb + billed } : b));
  if (!byTier.some((b) => b.tier === paid)) byTier.push({ tier: paid, gb: billed });
  return { usd: base.usd + billed * paid.usdPerGb, byTier };
}

/** The width (GB) of a zone's leading free band: the first-100-GB allowance as the table lists it. */
function freeBandGb(tiers: readonly EgressTier[]): number {
  const first = tiers[0];
  return first !== undefined && first.usdPerGb === 0 ? first.toGb ?? Number.POSITIVE_INFINITY : 0;
}

/** A VNet boundary a path crosses before leaving Azure: a peering, or a VNet's connection to a virtual hub. */
interface Crossing {
  readonly id: string;
  readonly name: string;
  /** `vnet-a → vnet-b` in words. */
  readonly between: string;
}

interface PathPlan {
  readonly path: EgressPath;
  readonly region: string | null;
  readonly owner: string | null;
  readonly costCentre: string | null;
  readonly tagsFrom: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly natGateways: readonly NatGateway[];
  readonly firewalls: readonly AzureFirewall[];
  /** Fixed-cost resources on the path, in path order (keys into the resource table). */
  readonly fixed: readonly string[];
  /** VNet peerings / hub connections the path crosses (per-GB charges, both directions: §8.1). */
  readonly crossings: readonly Crossing[];
  /** Charges on the path that no line prices (a load balancer, an NVA), each a not-costed gap. */
  readonly leftOut: readonly string[];
  contributors: CostContributor[];
  /** Some contributor's records carry bytes (flow logs): the observed total is a measurement, even 0. */
  hasBytes: boolean;
  observedBytes: number;
  /** Of observedBytes, the sent ones (src→dst), or both directions where a record did not split them. */
  observedEgressBytes: number;
  /** Some of observedEgressBytes are both directions (the log gave one total): an upper bound. */
  egressUpperBound: boolean;
  basis: BytesBasis;
  monthlyBytes: number | null;
  /** Of those, the bytes internet egress is priced on: a NAT gateway's Out series where known, else monthlyBytes. */
  egressMonthlyBytes: number | null;
}

interface PricedResource {
  readonly entry: Omit<CostResource, 'usedBy'>;
  readonly tags: Readonly<Record<string, string>>;
  readonly users: string[];
}

export function estimateCost(input: ResolveInput, resolved: ResolveResult, options: CostOptions = {}): CostResult {
  const table = options.prices ?? PRICE_TABLE;
  const hours = table.hoursPerMonth;
  const split: SplitMethod = options.split ?? 'even';
  const fallback = options.fallbackRegion ?? null;
  const model = input.model;
  const gaps: CostGap[] = [];
  const gapKeys = new Set<string>();
  const addGap = (gap: CostGap): void => {
    const k = `${gap.code}|${gap.scope}|${gap.message}`;
    if (!gapKeys.has(k)) {
      gapKeys.add(k);
      gaps.push(gap);
    }
  };
  const notes: string[] = [];

  const all = new Map<string, NetworkResource>();
  for (const list of [model.virtualNetworks, model.subnets, model.networkInterfaces, model.natGateways, model.azureFirewalls, model.publicIpAddresses, model.publicIpPrefixes] as readonly (readonly NetworkResource[])[]) {
    for (const r of list) all.set(key(r.id), r);
  }
  const find = (id: ResourceId): NetworkResource | undefined => all.get(key(id));
  const natById = new Map(model.natGateways.map((n) => [key(n.id), n]));
  const fwById = new Map(model.azureFirewalls.map((f) => [key(f.id), f]));
  const pipById = new Map(model.publicIpAddresses.map((p) => [key(p.id), p]));
  const prefixById = new Map(model.publicIpPrefixes.map((p) => [key(p.id), p]));

  const priceRef = (priced: { price: ListPrice; pricedAt: string; substituted: boolean }): CostPriceRef => ({
    meter: priced.price.meter, usdPerUnit: priced.price.usd, pricedAt: priced.pricedAt, substituted: priced.substituted,
    sourceId: priced.price.sourceId, priceDate: priceDateText(table, priced.price.sourceId),
  });
  const noRegionPrice = (what: string, price: ListPrice, region: string | null): string =>
    `no ${region ?? '(unknown region)'} price for ${what} in the price table (it lists ${price.region} only${fallback === null ? '; --fallback-region ' + price.region + ' uses that price' : ''})`;

  // ---- Fixed-cost resources: NAT gateways, firewalls, their public IPs; instance public IPs on a path.
  const resources = new Map<string, PricedResource>();
  const fixedEntry = (id: string, name: string, kind: CostResource['kind'], region: string | null, tags: Readonly<Record<string, string>>,
    priced: { price: ListPrice; pricedAt: string; substituted: boolean } | null, missing: string | null): void => {
    if (resources.has(key(id))) return;
    if (missing !== null) addGap({ code: 'price-missing', scope: id, message: missing });
    resources.set(key(id), {
      entry: {
        id, name, kind, region,
        monthlyFixedUsd: priced === null ? null : round(priced.price.usd * hours, 6),
        price: priced === null ? null : priceRef(priced),
        missing,
      },
      tags,
      users: [],
    });
  };
  const addPublicIp = (pip: PublicIpAddress): void => {
    if (pip.version !== 'IPv4') {
      fixedEntry(pip.id, pip.name, 'public-ip', pip.location, pip.tags, null, 'IPv6 public IP: the price table has Standard static IPv4 only');
      return;
    }
    if (pip.skuName !== 'Standard') {
      fixedEntry(pip.id, pip.name, 'public-ip', pip.location, pip.tags, null, `public IP SKU ${pip.skuName}: the price table has Standard (static) only`);
      return;
    }
    const priced = priceIn(table.publicIpStandard, pip.location, fallback);
    fixedEntry(pip.id, pip.name, 'public-ip', pip.location, pip.tags, priced, priced === null ? noRegionPrice('a Standard static public IP', table.publicIpStandard, pip.location) : null);
  };
  const addPrefix = (prefix: PublicIpPrefix): void => {
    fixedEntry(prefix.id, prefix.name, 'public-ip-prefix', prefix.location, prefix.tags, null, 'public IP prefix: the per-IP rate is not confirmed against Microsoft\'s pricing page, so the table has no price');
  };
  const natParts = (nat: NatGateway): string[] => {
    const ids: string[] = [key(nat.id)];
    if (nat.skuName === 'Standard') fixedEntry(nat.id, nat.name, 'nat-gateway', nat.location, nat.tags, priceIn(table.natGateway.hour, nat.location, fallback), null);
    else fixedEntry(nat.id, nat.name, 'nat-gateway', nat.location, nat.tags, null, `${natSkuMissing(nat)}: the price table has Standard only (StandardV2 pricing is not confirmed against Microsoft's pricing page)`);
    for (const id of nat.publicIpAddressIds) {
      const pip = pipById.get(key(id));
      if (pip) { addPublicIp(pip); ids.push(key(id)); }
    }
    for (const id of nat.publicIpPrefixIds) {
      const prefix = prefixById.get(key(id));
      if (prefix) { addPrefix(prefix); ids.push(key(id)); }
    }
    return ids;
  };
  const firewallParts = (fw: AzureFirewall): string[] => {
    const ids: string[] = [key(fw.id)];
    if (fw.skuTier === 'Unknown') fixedEntry(fw.id, fw.name, 'azure-firewall', fw.location, fw.tags, null, FIREWALL_TIER_MISSING);
    else {
      const deployment = table.firewall[fw.skuTier].deployment;
      const priced = priceIn(deployment, fw.location, fallback);
      fixedEntry(fw.id, fw.name, 'azure-firewall', fw.location, fw.tags, priced, priced === null ? noRegionPrice(`Azure Firewall ${fw.skuTier} deployment`, deployment, fw.location) : null);
    }
    for (const config of [...fw.ipConfigurations, ...(fw.managementIpConfiguration ? [fw.managementIpConfiguration] : [])]) {
      const pip = config.publicIpAddressId === null ? undefined : pipById.get(key(config.publicIpAddressId));
      if (pip) { addPublicIp(pip); ids.push(key(pip.id)); }
    }
    return ids;
  };
  // Every NAT gateway and firewall is listed, used or not: a bypassed one still bills its hours.
  const natPartsById = new Map(model.natGateways.map((n) => [key(n.id), natParts(n)]));
  const fwPartsById = new Map(model.azureFirewalls.map((f) => [key(f.id), firewallParts(f)]));

  // ---- VNet boundaries on a path: destinations.md §8.1, "cross-VNet hops add VNet peering per-GB
  // both directions". Where each hop sits (source subnet, firewall, NVA NIC, virtual hub) is read
  // from the model; a change of VNet is one crossing, named after the peering that carries it.
  const subnetById = new Map(model.subnets.map((x) => [key(x.id), x]));
  const vnetById = new Map(model.virtualNetworks.map((v) => [key(v.id), v]));
  const nicById = new Map(model.networkInterfaces.map((n) => [key(n.id), n]));
  const hubById = new Map(model.virtualHubs.map((h) => [key(h.id), h]));
  const vnetOfSubnet = (subnetId: string | null | undefined): string | null => {
    if (!subnetId) return null;
    const subnet = subnetById.get(key(subnetId));
    return subnet ? key(subnet.virtualNetworkId) : key(subnetId).split('/subnets/')[0] ?? null;
  };
  const nameOf = (id: string): string => vnetById.get(id)?.name ?? hubById.get(id)?.name ?? id.slice(id.lastIndexOf('/') + 1);
  const crossingsOf = (path: EgressPath): Crossing[] => {
    const out: Crossing[] = [];
    let at: string | null = null;
    const enter = (next: string | null): void => {
      if (next === null) return;
      if (at !== null && at !== next) {
        const between = `${nameOf(at)} → ${nameOf(next)}`;
        const hub = hubById.get(next) ?? hubById.get(at);
        if (hub) {
          const spoke = hub === hubById.get(next) ? at : next;
          const connection = hub.connections.find((c) => c.remoteVirtualNetworkId !== null && key(c.remoteVirtualNetworkId) === spoke);
          out.push({ id: connection?.id ?? hub.id, name: connection?.name ?? `${nameOf(spoke)} connection to ${hub.name}`, between });
        } else {
          const from = at;
          const peering = vnetById.get(from)?.peerings.find((pe) => pe.remoteVirtualNetworkId !== null && key(pe.remoteVirtualNetworkId) === next)
            ?? vnetById.get(next)?.peerings.find((pe) => pe.remoteVirtualNetworkId !== null && key(pe.remoteVirtualNetworkId) === from);
          out.push({ id: peering?.id ?? next, name: peering?.name ?? `peering ${between} (not in the snapshot)`, between });
        }
      }
      at = next;
    };
    for (const step of path.steps) {
      if (step.kind === 'source') enter(vnetOfSubnet(step.subnet.id));
      else if (step.kind === 'virtual-hub') enter(key(step.hub.id));
      else if (step.kind === 'azure-firewall') {
        const fw = fwById.get(key(step.firewall.id));
        if (fw?.virtualHubId) enter(key(fw.virtualHubId));
        else enter(vnetOfSubnet(fw?.ipConfigurations[0]?.subnetId));
      } else if (step.kind === 'virtual-appliance') enter(vnetOfSubnet(nicById.get(key(step.nic.id))?.ipConfigurations[0]?.subnetId));
    }
    return out;
  };

  // ---- The paths that are costed.
  const plans: PathPlan[] = [];
  const notCosted: { source: string; reason: string }[] = [];
  for (const path of resolved.paths) {
    const role = path.source.role ?? 'workload';
    if (role !== 'workload') {
      notCosted.push({ source: path.source.id, reason: `platform subnet (${role}): its internet traffic is that of the sources it carries, costed on their paths` });
      continue;
    }
    if (path.verdict !== 'internet') {
      notCosted.push({ source: path.source.id, reason: `verdict ${path.verdict}: no internet egress on this path` });
      continue;
    }
    const own = find(toResourceId(path.source.id));
    const tagged = own ? effectiveTags(own, find) : null;
    const tags = tagged?.tags ?? {};
    const region = own?.location ?? null;
    const natGateways: NatGateway[] = [];
    const firewalls: AzureFirewall[] = [];
    const fixed: string[] = [];
    const push = (ids: readonly string[]): void => { for (const id of ids) if (!fixed.includes(id)) fixed.push(id); };
    for (const step of path.steps) {
      if (step.kind === 'nat-gateway') {
        const nat = natById.get(key(step.natGateway.id));
        if (nat && !natGateways.includes(nat)) { natGateways.push(nat); push(natPartsById.get(key(nat.id)) ?? []); }
      } else if (step.kind === 'azure-firewall') {
        const fw = fwById.get(key(step.firewall.id));
        if (fw && !firewalls.includes(fw)) { firewalls.push(fw); push(fwPartsById.get(key(fw.id)) ?? []); }
      } else if (step.kind === 'public-ip' && step.owner === 'instance') {
        const pip = pipById.get(key(step.resourceId));
        if (pip) { addPublicIp(pip); push([key(pip.id)]); }
      }
    }
    if (region === null) addGap({ code: 'region-unknown', scope: path.source.id, message: 'the source has no region: regional prices and the egress zone cannot be chosen' });
    // What the path passes that no line prices: the gap says so, and the source (with the total) is
    // then not complete, as `complete` promises every charge of the path has a figure.
    const leftOut: string[] = [];
    const leaveOut = (message: string): void => {
      leftOut.push(message);
      addGap({ code: 'not-costed', scope: path.source.id, message });
    };
    if (path.exit === 'load-balancer') leaveOut('load balancer outbound: the load balancer and its frontend public IPs are not priced (not in the price table)');
    if (path.via.some((v) => v.kind === 'nva' || v.kind === 'internal-load-balancer')) leaveOut('the path passes a network virtual appliance / internal load balancer: their VMs and rules are not priced');
    if (path.steps.some((st) => st.kind === 'public-ip' && st.owner === 'hub-firewall')) leaveOut('secured-hub firewall public IPs are not ARM resources in the snapshot: not priced');
    plans.push({
      path, region, tags, owner: tagValue(tags, 'owner'), costCentre: tagValue(tags, 'costcentre'),
      tagsFrom: tagged === null ? null : (tagged.inheritedFrom?.id ?? (Object.keys(tags).length > 0 ? path.source.id : null)),
      natGateways, firewalls, fixed, crossings: crossingsOf(path), leftOut,
      contributors: [], hasBytes: false, observedBytes: 0, observedEgressBytes: 0, egressUpperBound: false,
      basis: { kind: 'none', description: '' }, monthlyBytes: null, egressMonthlyBytes: null,
    });
    for (const id of fixed) resources.get(id)?.users.push(path.source.id);
  }
  const planById = new Map(plans.map((p) => [key(p.path.source.id), p]));
  const pathIds = new Set(resolved.paths.map((p) => key(p.source.id)));

  // ---- Bytes: flow logs first.
  const traffic = options.traffic ?? null;
  let logScale: number | null = null;
  let logHours: number | null = null;
  const byteWindow = traffic === null ? null : bytesWindow(traffic);
  if (traffic !== null && byteWindow !== null) {
    logHours = hoursBetween(byteWindow.from, byteWindow.to);
    logScale = logHours === null ? null : hours / logHours;
    if (logScale === null) notes.push('The log records that carry bytes have no time span: their bytes cannot be scaled to a month, so no byte figures come from them.');
    else notes.push(`Flow-log bytes are scaled to a month by the span of the records that carry bytes (${byteWindow.from ?? '?'} → ${byteWindow.to ?? '?'}, ${round(logHours ?? 0, 2)} h), not by the window of every log given: firewall logs carry no bytes.`);
    for (const s of traffic.sources) {
      // A NIC with a path of its own is costed on that path (or not at all); others on their subnet's.
      const plan = pathIds.has(key(s.source.id)) ? planById.get(key(s.source.id)) : planById.get(key(s.subnet.id));
      if (!plan) continue;
      let bytes = 0;
      let logsCarryBytes = false;
      for (const o of s.observed) {
        if (o.bytes === null) continue;
        logsCarryBytes = true;
        if (o.action === 'allow' && countsAsInternet(o.destination)) {
          bytes += o.bytes;
          // Internet data transfer out bills the bytes sent (§8.1, "Data Transfer Out"); flow logs give
          // them apart (§2.1). A record with one total only leaves both directions in: an upper bound.
          const sent = o.bytesSent ?? null;
          plan.observedEgressBytes += sent ?? o.bytes;
          if (sent === null) plan.egressUpperBound = true;
        }
      }
      const res = find(toResourceId(s.source.id));
      const tags = res ? effectiveTags(res, find).tags : plan.tags;
      plan.contributors.push({ source: s.source, owner: tagValue(tags, 'owner'), costCentre: tagValue(tags, 'costcentre'), observedBytes: bytes });
      if (logsCarryBytes) plan.hasBytes = true;
      plan.observedBytes += bytes;
    }
  }
  // Then NAT gateway / firewall byte metrics: the unfiltered Total (a NAT gateway's ByteCount over
  // both directions, In + Out, as its data processed is "bytes processed inbound and outbound"
  // [nat-metrics]); the per-Direction records `pull --metrics` also keeps are not added on top.
  // Of several windows (merged snapshots), the latest.
  // Internet data transfer bills the outbound bytes only: where a NAT gateway's `Direction eq 'Out'`
  // series of the same window is there, internet egress is priced on it.
  const metricOf = new Map<string, ResourceMetric>();
  const outbound: ResourceMetric[] = [];
  for (const m of input.metrics) {
    const name = m.metricName.toLowerCase();
    const k = key(m.resourceId);
    if (m.aggregation !== 'Total' || !Number.isFinite(m.value) || m.value < 0) continue;
    if (!((natById.has(k) && name === BYTE_METRICS['nat-gateway']) || (fwById.has(k) && name === BYTE_METRICS['azure-firewall']))) continue;
    if (m.filter !== null) {
      if (natById.has(k) && /^direction eq 'out'$/i.test(m.filter.trim())) outbound.push(m);
      continue;
    }
    const previous = metricOf.get(k);
    if (previous === undefined || Date.parse(m.windowEnd) > Date.parse(previous.windowEnd)) metricOf.set(k, m);
  }
  const outboundOf = (m: ResourceMetric): ResourceMetric | undefined =>
    outbound.find((o) => key(o.resourceId) === key(m.resourceId) && o.windowStart === m.windowStart && o.windowEnd === m.windowEnd);
  let usedLogs = false;
  let usedMetrics = false;
  for (const plan of plans) {
    const window = byteWindow === null ? '' : `${byteWindow.from ?? '?'} → ${byteWindow.to ?? '?'}`;
    if (plan.hasBytes && logScale !== null && logHours !== null && byteWindow !== null) {
      usedLogs = true;
      plan.monthlyBytes = plan.observedBytes * logScale;
      plan.egressMonthlyBytes = plan.observedEgressBytes * logScale;
      plan.basis = {
        kind: 'flow-logs', observedBytes: plan.observedBytes, egressBytes: plan.observedEgressBytes, egressUpperBound: plan.egressUpperBound,
        window: byteWindow, scale: round(logScale, 6),
        description: `flow logs: ${plan.observedBytes} B allowed to public destinations in ${round(logHours, 2)} h (${window}) × ${round(logScale, 4)} = ${round(plan.monthlyBytes / BYTES_PER_GB, 6)} GB/month (both directions, as NAT gateway and firewall data processed bill them)`
          + (plan.egressUpperBound
            ? `; internet egress on ${plan.observedEgressBytes} B = ${round(plan.egressMonthlyBytes / BYTES_PER_GB, 6)} GB/month, partly both directions (the logs give one total): an upper bound, as it bills bytes sent only`
            : `; internet egress on the ${plan.observedEgressBytes} B sent (src→dst) = ${round(plan.egressMonthlyBytes / BYTES_PER_GB, 6)} GB/month`),
      };
      continue;
    }
    const metered = [...plan.natGateways.map((n) => n.id), ...plan.firewalls.map((f) => f.id)].map((id) => metricOf.get(key(id))).find((m) => m !== undefined);
    if (metered) {
      const mHours = hoursBetween(metered.windowStart, metered.windowEnd);
      const users = resources.get(key(metered.resourceId))?.users.length ?? 1;
      if (mHours !== null) {
        usedMetrics = true;
        const scale = hours / mHours;
        plan.monthlyBytes = (metered.value * scale) / users;
        const out = outboundOf(metered);
        plan.egressMonthlyBytes = out === undefined ? plan.monthlyBytes : (out.value * scale) / users;
        const name = find(toResourceId(metered.resourceId))?.name ?? metered.resourceId;
        const isNat = natById.has(key(metered.resourceId));
        plan.basis = {
          kind: 'metrics', metric: metered.metricName, resourceId: metered.resourceId, resourceBytes: metered.value, outboundBytes: out?.value ?? null,
          sharedAmong: users, scale: round(scale, 6),
          description: `metric ${metered.metricName} (Total) of ${name}: ${metered.value} B in ${round(mHours, 2)} h (${metered.windowStart} → ${metered.windowEnd}) × ${round(scale, 4)} ÷ ${users} source(s) using it (evenly) = ${round(plan.monthlyBytes / BYTES_PER_GB, 6)} GB/month (${isNat ? 'both directions, In + Out' : 'all data the firewall processed'})`
            + (out === undefined
              ? '; internet egress on the same bytes: an upper bound, as it bills outbound bytes only'
              : `; internet egress on the Direction Out series: ${out.value} B × ${round(scale, 4)} ÷ ${users} = ${round(plan.egressMonthlyBytes / BYTES_PER_GB, 6)} GB/month`),
        };
        continue;
      }
    }
    const why = traffic === null
      ? 'no flow logs given and no NAT gateway ByteCount / firewall DataProcessed metric on the path'
      : plan.contributors.length === 0 ? 'no log records for this source, and no NAT gateway / firewall byte metric on the path'
        : 'its log records carry no bytes (firewall logs do not), and no NAT gateway / firewall byte metric on the path';
    plan.basis = { kind: 'none', description: why };
    addGap({ code: 'bytes-missing', scope: plan.path.source.id, message: `per-GB figures missing: ${why}` });
  }

  // ---- Internet egress: tiers on each zone's total GB, with ONE first-100-GB allowance for the
  // account (destinations.md §8.1: "account-wide per month", not per subnet, hence not per zone either),
  // shared by GB.
  const zoneOf = (plan: PathPlan): EgressZone | null => zoneOfRegion(table, plan.region);
  const zoneTotals = new Map<EgressZone, { gb: number; sources: number }>();
  for (const plan of plans) {
    const zone = zoneOf(plan);
    if (zone === null || plan.egressMonthlyBytes === null) continue;
    const t = zoneTotals.get(zone) ?? { gb: 0, sources: 0 };
    t.gb += plan.egressMonthlyBytes / BYTES_PER_GB;
    t.sources++;
    zoneTotals.set(zone, t);
  }
  // The account's GB, every zone (and sources of no known zone) together: the allowance is the account's.
  const accountGb = plans.reduce((n, p) => n + (p.egressMonthlyBytes === null ? 0 : p.egressMonthlyBytes / BYTES_PER_GB), 0);
  const allowanceGb = Math.max(0, ...[...zoneTotals.keys()].map((z) => freeBandGb(table.internetEgress.zones[z] ?? [])));
  // Divided among the zones in proportion to their GB: how Azure divides it is not in the reference (a method note says so).
  const allowanceShare = (gb: number): number => (accountGb <= allowanceGb ? gb : allowanceGb * (gb / accountGb));
  // A costed path without bytes leaves the account's total unknown, and with it every zone's tier and
  // share of the allowance: each source's share is then missing (never priced on the known part as if
  // it were the whole), and a zone's figure on the known GB is marked incomplete, a lower bound.
  const withoutBytes = plans.filter((p) => p.egressMonthlyBytes === null);
  const unknownTotal = withoutBytes.length === 0 ? null
    : `the tiers and the one account-wide first-100-GB allowance apply to the account's total GB, unknown while ${withoutBytes.length} costed source(s) have no bytes (${withoutBytes.slice(0, 3).map((p) => p.path.source.name).join(', ')}${withoutBytes.length > 3 ? ', …' : ''})`;
  const internetEgress: InternetEgressZoneCost[] = [...zoneTotals.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([zone, t]) => {
    const tiers = table.internetEgress.zones[zone];
    if (!tiers) {
      addGap({ code: 'price-missing', scope: zone, message: `internet data transfer: the price table has no ${zone} tiers (Microsoft's tiers per zone: ${pricingPageText('bandwidth')})` });
      return { zone, monthlyGb: round(t.gb, 6), monthlyUsd: null, freeAllowanceGb: round(allowanceShare(t.gb), 6), byTier: [], sources: t.sources, complete: false };
    }
    const free = allowanceShare(t.gb);
    const cost = tieredWithAllowance(tiers, t.gb, free);
    // More GB (here or in another zone, which takes more of the allowance) never bills less: on the
    // known GB alone the zone's figure is a lower bound, but no source's share of it is known.
    if (unknownTotal !== null) addGap({ code: 'bytes-missing', scope: zone, message: `internet data transfer out (${zone}): ${unknownTotal}; ${round(cost.usd, 2)} USD/month on the known ${round(t.gb, 3)} GB is a lower bound, and each source's share of it is missing` });
    return {
      zone, monthlyGb: round(t.gb, 6), monthlyUsd: round(cost.usd, 6), freeAllowanceGb: round(free, 6),
      byTier: cost.byTier.map((b) => ({ tier: b.tier, gb: round(b.gb, 6) })), sources: t.sources, complete: unknownTotal === null,
    };
  });
  const zonesNoted = [...zoneTotals.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (accountGb > allowanceGb && (zonesNoted.length > 1 || zonesNoted.reduce((n, [, t]) => n + t.gb, 0) < accountGb)) {
    notes.push(`The ${allowanceGb} GB allowance, one for the account, is divided among the egress zones in proportion to their GB (${accountGb.toFixed(3)} GB in all): ${zonesNoted.map(([z, t]) => `${z} ${round(allowanceShare(t.gb), 3)} GB of it`).join(', ')}.`);
  }
  const egressSource = table.internetEgress.sourceIds[0] ?? '';

  // ---- How each shared resource's fixed cost divides: among how many, and their total bytes (NaN when one lacks bytes).
  const shareOf = new Map<string, { readonly among: number; readonly totalBytes: number }>();
  for (const [id, r] of resources) {
    const users = r.users.map((u) => planById.get(key(u))).filter((p): p is PathPlan => p !== undefined);
    const totalBytes = users.reduce((n, p) => n + (p.monthlyBytes ?? Number.NaN), 0);
    shareOf.set(id, { among: users.length, totalBytes });
    if (split === 'bytes' && users.length > 0 && !(Number.isFinite(totalBytes) && totalBytes > 0)) {
      notes.push(`${r.entry.name}: split evenly, not by bytes (not every source using it has bytes).`);
    }
  }

  // ---- Lines per source.
  const sources: SourceCost[] = [];
  for (const plan of plans) {
    const lines: CostLine[] = [];
    const gb = plan.monthlyBytes === null ? null : plan.monthlyBytes / BYTES_PER_GB;
    const bytesText = plan.basis.description;
    for (const id of plan.fixed) {
      const r = resources.get(id);
      if (!r) continue;
      const { among, totalBytes } = shareOf.get(id) ?? { among: 1, totalBytes: Number.NaN };
      const byBytes = split === 'bytes' && Number.isFinite(totalBytes) && totalBytes > 0;
      const share = byBytes ? (plan.monthlyBytes ?? 0) / totalBytes : 1 / among;
      const method: SplitMethod = byBytes ? 'bytes' : 'even';
      const item: CostItem = r.entry.kind === 'nat-gateway' ? 'nat-gateway-hours' : r.entry.kind === 'azure-firewall' ? 'firewall-hours' : 'public-ip-hours';
      lines.push({
        item, resource: { id: r.entry.id, name: r.entry.name }, quantity: round(hours * share, 6), unit: 'hour',
        monthlyUsd: r.entry.monthlyFixedUsd === null ? null : round(r.entry.monthlyFixedUsd * share, 6),
        price: r.entry.price, bytes: null, split: { method, among, share: round(share, 6) }, missing: r.entry.missing,
      });
    }
    const perGb = (item: CostItem, resource: { id: string; name: string }, priced: { price: ListPrice; pricedAt: string; substituted: boolean } | null, missingPrice: string | null): void => {
      const missing = priced === null ? missingPrice : gb === null ? `no bytes: ${bytesText}` : null;
      lines.push({
        item, resource, quantity: gb === null ? null : round(gb, 6), unit: 'GB',
        monthlyUsd: priced === null || gb === null ? null : round(gb * priced.price.usd, 6),
        price: priced === null ? null : priceRef(priced), bytes: bytesText, split: null, missing,
      });
    };
    for (const nat of plan.natGateways) {
      if (nat.skuName === 'Standard') perGb('nat-gateway-data', { id: nat.id, name: nat.name }, priceIn(table.natGateway.dataProcessed, nat.location, fallback), null);
      else perGb('nat-gateway-data', { id: nat.id, name: nat.name }, null, `${natSkuMissing(nat)}: no data-processed price in the table`);
    }
    for (const fw of plan.firewalls) {
      if (fw.skuTier === 'Unknown') perGb('firewall-data', { id: fw.id, name: fw.name }, null, FIREWALL_TIER_MISSING);
      else {
        const dp = table.firewall[fw.skuTier].dataProcessed;
        const priced = priceIn(dp, fw.location, fallback);
        if (priced === null) addGap({ code: 'price-missing', scope: fw.id, message: noRegionPrice(`Azure Firewall ${fw.skuTier} data processed`, dp, fw.location) });
        perGb('firewall-data', { id: fw.id, name: fw.name }, priced, priced === null ? noRegionPrice(`Azure Firewall ${fw.skuTier} data processed`, dp, fw.location) : null);
      }
    }
    for (const c of plan.crossings) {
      // §8.1 implementer notes: "cross-VNet hops add VNet peering per-GB both directions". The table
      // has no peering meter, so the line says what it would bill on and why it has no figure.
      lines.push({
        item: 'vnet-peering-data', resource: { id: c.id, name: c.name }, quantity: gb === null ? null : round(gb, 6), unit: 'GB', monthlyUsd: null, price: null,
        bytes: bytesText, split: null,
        missing: `no VNet peering per-GB price in the price table (cross-VNet hops add VNet peering per-GB charges, both directions: ${pricingPageText('virtualNetwork')})`,
      });
      addGap({ code: 'price-missing', scope: plan.path.source.id, message: `the path crosses ${c.between} over ${c.name}: the per-GB charge of that cross-VNet hop (VNet peering, both directions: ${pricingPageText('virtualNetwork')}) is not in the price table, so the path's cost is not complete` });
    }
    {
      // Internet data transfer out: the outbound bytes where a NAT gateway's Out series gave them.
      const egressGb = plan.egressMonthlyBytes === null ? null : plan.egressMonthlyBytes / BYTES_PER_GB;
      const zone = zoneOf(plan);
      const zoneCost = zone === null ? undefined : internetEgress.find((z) => z.zone === zone);
      let missing: string | null = null;
      let amount: number | null = null;
      let price: CostPriceRef | null = null;
      if (zone === null) {
        missing = `region ${plan.region ?? '(unknown)'} is in no egress zone the price table knows`;
        addGap({ code: 'price-missing', scope: plan.path.source.id, message: `internet data transfer: ${missing}` });
      } else if (egressGb === null) missing = `no bytes: ${bytesText}`;
      else if (!table.internetEgress.zones[zone]) missing = `the price table has no ${zone} internet egress tiers`;
      else if (unknownTotal !== null || !zoneCost || zoneCost.monthlyUsd === null) {
        // Short here (the zone's gap names the sources): the share depends on the account's unknown total.
        missing = unknownTotal === null ? `no ${zone} internet egress figure` : `share unknown: tiers and the one free 100 GB apply to the account's total GB, unknown while ${withoutBytes.length} costed source(s) have no bytes`;
      }
      else {
        const average = zoneCost.monthlyGb > 0 ? zoneCost.monthlyUsd / zoneCost.monthlyGb : 0;
        amount = zoneCost.monthlyGb > 0 ? round(zoneCost.monthlyUsd * (egressGb / zoneCost.monthlyGb), 6) : 0;
        price = { meter: `${table.internetEgress.meter} (${zone}, tiered; average rate over the zone's ${zoneCost.monthlyGb} GB, ${zoneCost.freeAllowanceGb} GB of them in the account's free allowance)`, usdPerUnit: round(average, 6), pricedAt: zone, substituted: false, sourceId: egressSource, priceDate: priceDateText(table, egressSource) };
      }
      lines.push({ item: 'internet-egress', resource: null, quantity: egressGb === null ? null : round(egressGb, 6), unit: 'GB', monthlyUsd: amount, price, bytes: bytesText, split: null, missing });
    }
    const known = lines.reduce((n, l) => n + (l.monthlyUsd ?? 0), 0);
    sources.push({
      source: { type: plan.path.source.type, id: plan.path.source.id, name: plan.path.source.name },
      verdict: plan.path.verdict, exit: plan.path.exit, region: plan.region, owner: plan.owner, costCentre: plan.costCentre, tagsFrom: plan.tagsFrom,
      monthlyGb: gb === null ? null : round(gb, 6), bytes: plan.basis, contributors: plan.contributors, lines,
      monthlyUsd: round(known, 6), leftOut: plan.leftOut, complete: plan.leftOut.length === 0 && lines.every((l) => l.monthlyUsd !== null),
    });
  }

  // ---- Resources, unattributed fixed costs, rollups, total.
  const resourceList: CostResource[] = [...resources.values()].map((r) => ({ ...r.entry, usedBy: [...r.users] }));
  const unused = [...resources.values()].filter((r) => r.users.length === 0);
  const unattributedUsd = unused.reduce((n, r) => n + (r.entry.monthlyFixedUsd ?? 0), 0);

  const rollup = (which: 'owner' | 'costCentre'): CostRollup[] => {
    const acc = new Map<string, { usd: number; complete: boolean; sources: Set<string> }>();
    const add = (k: string | null, usd: number, complete: boolean, source: string | null): void => {
      const name = k ?? UNTAGGED;
      const a = acc.get(name) ?? { usd: 0, complete: true, sources: new Set<string>() };
      a.usd += usd;
      a.complete = a.complete && complete;
      if (source !== null) a.sources.add(source);
      acc.set(name, a);
    };
    for (const s of sources) {
      const fixedUsd = s.lines.filter((l) => l.unit === 'hour').reduce((n, l) => n + (l.monthlyUsd ?? 0), 0);
      const variableUsd = s.lines.filter((l) => l.unit === 'GB').reduce((n, l) => n + (l.monthlyUsd ?? 0), 0);
      add(s[which], fixedUsd, s.complete, s.source.id);
      const observed = s.contributors.reduce((n, c) => n + c.observedBytes, 0);
      if (s.bytes.kind === 'flow-logs' && observed > 0) {
        // Variable cost follows the bytes: each NIC's share goes to its own owner / cost centre.
        for (const c of s.contributors) if (c.observedBytes > 0) add(c[which], variableUsd * (c.observedBytes / observed), s.complete, s.source.id);
      } else add(s[which], variableUsd, s.complete, s.source.id);
    }
    for (const r of unused) add(tagValue(r.tags, which === 'owner' ? 'owner' : 'costcentre'), r.entry.monthlyFixedUsd ?? 0, r.entry.monthlyFixedUsd !== null, null);
    return [...acc.entries()].map(([k, a]) => ({ key: k, monthlyUsd: round(a.usd, 6), complete: a.complete, sources: a.sources.size }))
      .sort((a, b) => b.monthlyUsd - a.monthlyUsd || (a.key < b.key ? -1 : 1));
  };

  notes.unshift(
    `Fixed costs (hourly list price × ${hours} h) of a NAT gateway, firewall or public IP are divided among the costed sources whose path uses it: ${split === 'even' ? 'evenly' : 'by share of bytes (evenly where bytes are missing)'}.`,
    'Per-GB charges stack along a path: NAT gateway and firewall data processed on the bytes of both directions, VNet peering on both directions where the path crosses VNets (no price in the table: missing), internet data transfer out on the bytes sent only (flow logs give them apart; a NAT gateway\'s Direction Out series).',
    `Egress zone of a source: its region's zone per ${table.zoneSourceId} (${priceDateText(table, table.zoneSourceId)}; not confirmed against Microsoft's pricing page, ${pricingPageText('bandwidth')}).`,
    `Internet data transfer tiers apply to each egress zone's total GB; the first 100 GB free (${pricingPageText('bandwidth')}) is one allowance for the whole account (not confirmed against Microsoft's pricing page), not per source or per zone: with egress in several zones it is divided among them in proportion to their GB (how Azure divides it is not confirmed: this division is Egress Atlas's assumption), and a zone's GB beyond its share are billed at its first paid tier. Each source pays its share of its zone's GB at the average rate. While a costed source has no bytes, the account's total is unknown: each source's share is then missing and a zone's figure on the known GB is a lower bound.`,
    'Variable costs roll up to the owner / cost centre of the NIC that sent the bytes (flow logs); fixed shares to the path\'s own tags (a subnet has none: its VNet\'s). Unused NAT gateways, firewalls and public IPs roll up to their own tags.',
  );
  for (const r of unused) if (r.entry.monthlyFixedUsd !== null) notes.push(`${r.entry.name}: ${r.entry.monthlyFixedUsd} USD/month that no costed path uses.`);

  const total = sources.reduce((n, s) => n + s.monthlyUsd, 0) + unattributedUsd;
  return {
    schema: COST_SCHEMA,
    currency: table.currency,
    hoursPerMonth: hours,
    bytesPerGb: BYTES_PER_GB,
    prices: { table: table.id, asOf: table.asOf, compiledFrom: table.compiledFrom, sources: table.sources },
    method: { split, fallbackRegion: fallback, notes: [...new Set(notes)] },
    bytesFrom: usedLogs && usedMetrics ? 'flow-logs+metrics' : usedLogs ? 'flow-logs' : usedMetrics ? 'metrics' : 'none',
    window: traffic === null ? null : traffic.window,
    sources,
    resources: resourceList,
    internetEgress,
    unattributed: { monthlyUsd: round(unattributedUsd, 6), resources: unused.map((r) => r.entry.id) },
    rollups: { owner: rollup('owner'), costCentre: rollup('costCentre') },
    total: { monthlyUsd: round(total, 6), complete: sources.every((s) => s.complete) && resourceList.every((r) => r.monthlyFixedUsd !== null) },
    notCosted,
    gaps,
  };
}
