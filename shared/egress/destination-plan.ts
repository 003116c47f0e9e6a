/**
 * From what the user asked (`--destination`, the what-if box) to what the engine evaluates: one
 * destination for the whole estate, or, for a host name, one per way the name resolves (private
 * DNS zones are linked per virtual network, so `stpatients.blob.core.windows.net` can be a
 * private endpoint from one VNet and a public address from another) [PEDNS]
 * https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 */
import { resolveName } from '../dns';
import type { DnsUndecided } from '../dns';
import type { Gap } from '../model/gaps';
import type { ResourceId } from '../model/ids';
import { formatCidr, formatIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import { Ipv4Set } from '../model/ip-set';
import type { ModelIndex } from '../model/model-index';
import type { ServiceTagIndex } from '../model/service-tags';
import type { VirtualNetwork } from '../model/topology';
import { DOCS } from './docs';
import type { EgressDestination } from './destination';
import { asServiceTag, parseDestinationSpec } from './destination-spec';
import type { DestinationSpec } from './destination-spec';
import type { DnsStep } from './steps';
import type { DestinationInfo, Finding } from './types';

export type DestinationPlan =
  | { readonly kind: 'not-evaluated'; readonly label: string; readonly reason: string; readonly gap: Gap; readonly finding: Finding | null; readonly info: DestinationInfo | null }
  | { readonly kind: 'fixed'; readonly destination: EgressDestination; readonly label: string; readonly info: DestinationInfo; readonly spec: DestinationSpec }
  | { readonly kind: 'name'; readonly name: string; readonly label: string; readonly info: DestinationInfo; readonly userAddress: IpAddress | null; readonly spec: DestinationSpec };

export interface PlanOptions {
  readonly destination?: string | null;
  readonly destinationPort?: number;
  readonly protocol?: 'Tcp' | 'Udp';
  /** `--resolve name=ip`: what a host name resolves to publicly, when the user knows it. */
  readonly resolve?: Readonly<Record<string, string>>;
}

function info(spec: DestinationSpec, interpretation: string): DestinationInfo {
  // A text that reads two ways says which reading was taken (and how to ask for the other).
  const text = spec.reading ? `${interpretation} (${spec.reading})` : interpretation;
  return { kind: spec.target.kind, label: spec.label, port: spec.port, protocol: spec.protocol, interpretation: text };
}

function ipv6NotModelled(label: string, spec: DestinationSpec): DestinationPlan {
  return {
    kind: 'not-evaluated', label, reason: 'IPv6 egress is not modelled',
    gap: { code: 'not-modelled', scope: label, message: 'IPv6 egress (NAT gateway StandardV2, LB IPv6 outbound rules, no default outbound for IPv6) is not modelled.' },
    finding: { code: 'ipv6-not-modelled', severity: 'info', message: `Destination ${label} is IPv6; IPv6 egress is not modelled, so every path is unknown.`, advice: 'Evaluate an IPv4 destination.', resourceIds: [], docs: DOCS.natGatewayResource },
    info: info(spec, 'IPv6: not modelled'),
  };
}

function userAddressFor(name: string, resolve: Readonly<Record<string, string>> | undefined): IpAddress | null {
  for (const [key, value] of Object.entries(resolve ?? {})) {
    if (key.trim().toLowerCase().replace(/\.$/, '') === name) return parseIp(value);
  }
  return null;
}

/** Reads the destination once for a whole resolve. */
export function planDestination(options: PlanOptions, tags: ServiceTagIndex | undefined): DestinationPlan {
  const parsed = parseDestinationSpec(options.destination ?? '', { port: options.destinationPort, protocol: options.protocol });
  if (parsed.kind === 'error') {
    const text = options.destination?.trim() ?? '';
    return { kind: 'not-evaluated', label: text, reason: parsed.message, gap: { code: 'not-modelled', scope: text, message: `Destination ${parsed.message}; no path was evaluated.` }, finding: null, info: null };
  }
  // `AzureCloud.NewRegion` reads as a host name when its suffix is no region this version knows;
  // service tag data that lists it says it is a tag (the data names no host).
  const candidate = parsed.spec.tagCandidate;
  const spec = candidate !== undefined && tags?.tag(candidate) ? asServiceTag(parsed.spec, candidate) : parsed.spec;
  const flow = `${spec.protocol.toUpperCase()} ${spec.port}`;
  const target = spec.target;
  switch (target.kind) {
    case 'default-route':
      return { kind: 'fixed', destination: { kind: 'default-route' }, label: '0.0.0.0/0', info: info(spec, `the internet as a whole (0.0.0.0/0), ${flow}`), spec };
    case 'address': {
      const label = formatIp(target.ip);
      if (target.ip.version === 6) return ipv6NotModelled(label, spec);
      return { kind: 'fixed', destination: { kind: 'address', ip: target.ip, text: label }, label, info: info(spec, `one address, ${label}, ${flow}`), spec };
    }
    case 'cidr': {
      const label = formatCidr(target.cidr);
      if (target.cidr.version === 6) return ipv6NotModelled(label, spec);
      const set = rangeSet([target.cidr]);
      return { kind: 'fixed', destination: { kind: 'range', cidrs: [target.cidr], set, text: label }, label, info: info(spec, `every address in ${label}, ${flow}; a path is shown where one route decides the whole range`), spec };
    }
    case 'service-tag': {
      const set = tags?.prefixes(target.tag) ?? null;
      if (!set || set.isEmpty()) {
        const why = tags ? `the service tag data (change number ${tags.changeNumber}) does not list ${target.tag}` : 'no service tag data was given (use --service-tags FILE with Microsoft\'s ServiceTags_Public JSON)';
        return {
          kind: 'not-evaluated', label: target.tag, reason: `service tag ${target.tag} has no prefixes: ${why}`,
          gap: { code: 'not-modelled', scope: target.tag, message: `Service tag ${target.tag}: ${why}, so no path was evaluated.` }, finding: null,
          info: info(spec, `service tag ${target.tag}: no prefix data`),
        };
      }
      const cidrs = set.toCidrs().map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
      return {
        kind: 'fixed', destination: { kind: 'range', cidrs, set, text: target.tag }, label: target.tag, spec,
        info: info(spec, `service tag ${target.tag}: ${cidrs.length} IPv4 prefixes from the service tag data (change number ${tags?.changeNumber ?? '?'}), ${flow}`),
      };
    }
    case 'fqdn': {
      const userAddress = userAddressFor(target.name, options.resolve);
      return {
        kind: 'name', name: target.name, label: target.name, spec, userAddress,
        info: info(spec, `host name ${target.name}, ${flow}: application rules match the name; routing uses the address it resolves to`),
      };
    }
  }
}

function rangeSet(cidrs: readonly Cidr[]): Ipv4Set {
  return cidrs.reduce((set, c) => set.union(Ipv4Set.fromCidr(c)), Ipv4Set.empty());
}

/**
 * How a name resolves from one VNet, as a step and the destination the engine routes by (null:
 * NXDOMAIN). `undecided`: the answer waits for a fact the snapshot lacks and the public path is
 * not known to be it (a linked zone may answer instead): the path ends unknown at the DNS step,
 * naming that fact.
 */
export interface NameResolutionPlan {
  readonly dns: DnsStep;
  readonly destination: EgressDestination | null;
  /** Key of the engine context: sources whose name resolves the same way share one. */
  readonly key: string;
  readonly undecided?: DnsUndecided;
}

/**
 * Resolves a host name from a VNet: a linked privatelink zone's record (private endpoint), else
 * the user's `--resolve` address, else the public path with the address unknown.
 *
 * `--resolve name=ip` is the user's own statement of the answer: it is used where the snapshot
 * cannot tell how the name resolves (custom DNS servers, a name that may or may not be CNAMEd into
 * a linked privatelink zone), and the DNS step says what may answer otherwise. It does not
 * override a private answer the snapshot holds (a linked zone's record, a known private endpoint).
 */
export function resolveNameFrom(index: ModelIndex, vnet: VirtualNetwork, plan: Extract<DestinationPlan, { kind: 'name' }>): NameResolutionPlan {
  const resolution = resolveName(index, vnet.id as ResourceId, plan.name);
  const vnetRef = { id: vnet.id, name: vnet.name };
  const base = { kind: 'dns' as const, name: plan.name, vnet: vnetRef, zone: null, link: null, record: null, chain: resolution.chain };
  const user = plan.userAddress;
  const given = (note: string): NameResolutionPlan | null => (user
    ? { dns: { ...base, resolution: 'user', addresses: [formatIp(user)], note }, destination: { kind: 'name', name: plan.name, address: user, text: plan.name }, key: `user:${formatIp(user)}` }
    : null);
  const stopped = (note: string, fact: DnsUndecided): NameResolutionPlan => ({
    dns: { ...base, resolution: 'unknown', addresses: [], note }, destination: { kind: 'name', name: plan.name, address: null, text: plan.name }, key: `undecided:${vnet.id}`, undecided: fact,
  });
  switch (resolution.kind) {
    case 'private': {
      const first = resolution.addresses.map((a) => parseIp(a)).find((a): a is IpAddress => a !== null) ?? null;
      return {
        dns: { ...base, resolution: 'private', zone: resolution.zone, link: resolution.link, record: resolution.record, addresses: resolution.addresses, note: null },
        destination: first ? { kind: 'name', name: plan.name, address: first, text: plan.name } : null,
        key: `private:${first ? formatIp(first) : ''}`,
      };
    }
    case 'nxdomain':
      // Public DNS sends a name into the privatelink zone only when the resource has private
      // endpoint connections [PEDNS]; if the snapshot knows none for it, they may exist outside it
      // (then NXDOMAIN) or not (then the public answer): not known. This is the "private DNS zone
      // linked but no record" failure of https://learn.microsoft.com/azure/private-link/private-endpoint-dns
      if (resolution.conditional) {
        const note = `the linked zone ${resolution.zone.name} has no record for it, and no private endpoint for ${plan.name} is in the snapshot: it resolves publicly if the resource has no private endpoint connections at all, and not at all (NXDOMAIN) if it has some elsewhere`;
        return given(`${note}; the answer used is the one given with --resolve`) ?? stopped(note, resolution.conditional);
      }
      return { dns: { ...base, resolution: 'not-resolved', zone: resolution.zone, link: resolution.link, addresses: [], note: resolution.reason }, destination: null, key: 'nxdomain' };
    case 'public':
      return given(resolution.reason) ?? { dns: { ...base, resolution: 'public', addresses: [], note: resolution.reason }, destination: { kind: 'name', name: plan.name, address: null, text: plan.name }, key: 'public' };
    case 'unknown': {
      if (resolution.undecided) {
        // A linked zone, not public DNS, may answer (or the answer is not usable): not the public path.
        return (resolution.privateAnswer ? null : given(`${resolution.reason} The answer used is the one given with --resolve.`)) ?? stopped(resolution.reason, resolution.undecided);
      }
      // Custom DNS servers and a private answer the snapshot knows for the name: they may return the
      // private address or the public one, so neither path (nor the user's public address) is the answer.
      if (resolution.privateAnswer) {
        const answer = resolution.privateAnswer;
        const what = `${answer.kind === 'private-endpoint' ? 'private endpoint' : 'private DNS zone'} ${answer.source.name}${answer.addresses.length > 0 ? ` (${answer.addresses.join(', ')})` : ''}`;
        const note = `${resolution.reason} ${what} serves ${plan.name} privately, so those servers may answer with its private address.`;
        return {
          dns: { ...base, resolution: 'unknown', addresses: [], note },
          destination: { kind: 'name', name: plan.name, address: null, text: plan.name, mayResolvePrivately: { resourceId: answer.source.id, what, addresses: answer.addresses } },
          key: `custom-dns:${vnet.id}`,
        };
      }
      // The user states the answer; custom DNS servers (VMs, forwarders to zones outside the
      // snapshot) may answer otherwise, and the step says so [DNSOWN]
      // https://learn.microsoft.com/azure/virtual-network/virtual-networks-name-resolution-for-vms-and-role-instances#name-resolution-that-uses-your-own-dns-server
      const servers = resolution.customDnsServers ?? [];
      const userNote = servers.length > 0
        ? `Virtual network ${vnet.name} uses custom DNS servers (${servers.join(', ')}), which may answer otherwise (forwarders, conditional zones not in the snapshot); the answer used is the one given with --resolve.`
        : resolution.reason;
      return given(userNote) ?? { dns: { ...base, resolution: 'unknown', addresses: [], note: resolution.reason }, destination: { kind: 'name', name: plan.name, address: null, text: plan.name }, key: 'public' };
    }
  }
}
