/**
 * What a user may ask about: "can this subnet reach X?", where X is an IP address, a CIDR, an FQDN,
 * a URL or a service tag, optionally with `:port` and `/tcp|udp`. Parsed once, here, for the CLI,
 * the app's what-if box, the PDF and destination lists alike.
 */
import { formatCidr, formatIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';

export type DestinationTarget =
  | { readonly kind: 'default-route' }
  | { readonly kind: 'address'; readonly ip: IpAddress }
  | { readonly kind: 'cidr'; readonly cidr: Cidr }
  /** A host name (from an FQDN or a URL), lower case, no trailing dot. */
  | { readonly kind: 'fqdn'; readonly name: string }
  | { readonly kind: 'service-tag'; readonly tag: string };

/** An application protocol a URL can state, spelled as Azure Firewall application rules write it (`Https:443`). */
export type ApplicationProtocol = 'Http' | 'Https' | 'Mssql';

export interface DestinationSpec {
  readonly target: DestinationTarget;
  readonly port: number;
  readonly protocol: 'Tcp' | 'Udp';
  /**
   * The application protocol the URL's scheme states (`https://host:8443/` is HTTPS on TCP 8443);
   * absent when the destination is not a URL, which says a transport and a port only.
   */
  readonly applicationProtocol?: ApplicationProtocol;
  /** How the user wrote it (trimmed), for reports. */
  readonly text: string;
  /** A short canonical form: `api.stripe.com:443/tcp`. */
  readonly label: string;
}

export type DestinationParse =
  | { readonly kind: 'ok'; readonly spec: DestinationSpec }
  | { readonly kind: 'error'; readonly message: string };

const SCHEME_PORTS: Readonly<Record<string, number>> = { https: 443, http: 80, mssql: 1433 };
const SCHEME_PROTOCOLS: Readonly<Record<string, ApplicationProtocol>> = { https: 'Https', http: 'Http', mssql: 'Mssql' };

/** A DNS label (RFC 1123). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A service tag name: `Storage`, `AzureCloud`, or regional `Storage.WestEurope`. */
const TAG_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;

/**
 * The WHATWG URL class, a standard global in Node and browsers; shared/'s ES2022 lib does not
 * declare it (no DOM, no Node types), so only the part used here is declared.
 */
declare const URL: new (input: string) => { readonly hostname: string };

/**
 * A host name with non-ASCII characters (`bücher.de`) in its ASCII form (`xn--bcher-kva.de`),
 * as WHATWG URL host parsing gives it (IDNA: mapping, then punycode per label): DNS, SNI and
 * firewall rules see that form. Null when it is not a valid host.
 * https://url.spec.whatwg.org/#host-parsing
 */
function asciiHost(host: string): string | null {
  if (!/[\u0080-\uffff]/.test(host)) return host;
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

/** `Internet` (any case) stands for the default route: the tag is "the internet" as a whole. */
function isInternet(text: string): boolean {
  return text.toLowerCase() === 'internet';
}

function isHostName(text: string): boolean {
  const labels = text.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/**
 * A service tag is written as Azure names it: `Storage`, `AzureCloud`, `Storage.WestEurope`.
 * Host names are case-insensitive and users write them in lower case, so a dotless word, or a
 * two-part name with a capital letter, is read as a tag; `tag:X` forces it.
 */
function looksLikeServiceTag(text: string): boolean {
  if (!TAG_NAME.test(text)) return false;
  return !text.includes('.') || /[A-Z]/.test(text);
}

function labelOf(target: DestinationTarget, port: number, protocol: 'Tcp' | 'Udp'): string {
  const suffix = `:${port}/${protocol.toLowerCase()}`;
  switch (target.kind) {
    case 'default-route': return '0.0.0.0/0';
    case 'address': return `${target.ip.version === 6 ? `[${formatIp(target.ip)}]` : formatIp(target.ip)}${suffix}`;
    case 'cidr': return `${formatCidr(target.cidr)}${suffix}`;
    case 'fqdn': return `${target.name}${suffix}`;
    case 'service-tag': return `${target.tag}${suffix}`;
  }
}

/** Splits `:port` and `/tcp|/udp` off the end. */
function splitSuffixes(text: string): { readonly rest: string; readonly port: number | null; readonly protocol: 'Tcp' | 'Udp' | null; readonly error: string | null } {
  let rest = text;
  let protocol: 'Tcp' | 'Udp' | null = null;
  const proto = /\/(tcp|udp)$/i.exec(rest);
  if (proto) {
    protocol = proto[1]?.toLowerCase() === 'udp' ? 'Udp' : 'Tcp';
    rest = rest.slice(0, proto.index);
  }
  let port: number | null = null;
  // `[v6]:port`, or `host:port` / `a.b.c.d:port` / `cidr:port` (a bare IPv6 address has several colons: no port).
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    rest = bracket[1] ?? '';
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const at = rest.lastIndexOf(':');
    const digits = rest.slice(at + 1);
    if (!/^\d+$/.test(digits)) return { rest, port: null, protocol, error: `"${digits}" is not a port number` };
    port = Number(digits);
    rest = rest.slice(0, at);
  }
  if (port !== null && (port < 1 || port > 65535)) return { rest, port, protocol, error: `port ${port} is outside 1-65535` };
  return { rest, port, protocol, error: null };
}

/**
 * Parses one destination. Defaults: TCP 443, or the URL scheme's port. `0.0.0.0/0` (or empty) is
 * the default route: "the internet" as a whole.
 */
export function parseDestinationSpec(raw: string, defaults: { readonly port?: number; readonly protocol?: 'Tcp' | 'Udp' } = {}): DestinationParse {
  const text = raw.trim();
  const defaultPort = defaults.port ?? 443;
  const defaultProtocol = defaults.protocol ?? 'Tcp';
  if (text === '' || text === '0.0.0.0/0' || isInternet(text)) {
    return ok({ kind: 'default-route' }, defaultPort, defaultProtocol, text || '0.0.0.0/0');
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([/?#].*)?$/i.exec(text);
  if (url) {
    const scheme = (url[1] ?? '').toLowerCase();
    const authority = url[2] ?? '';
    const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority.replace(/^[^@]*@/, ''));
    if (!hostPort) return { kind: 'error', message: `"${text}": cannot read the host of the URL` };
    const schemePort = SCHEME_PORTS[scheme];
    const port = hostPort[2] !== undefined ? Number(hostPort[2]) : schemePort;
    if (port === undefined) return { kind: 'error', message: `"${text}": unknown URL scheme "${scheme}" (use http, https or mssql, or give the port)` };
    if (port < 1 || port > 65535) return { kind: 'error', message: `"${text}": port ${port} is outside 1-65535` };
    const host = (hostPort[1] ?? '').replace(/^\[|\]$/g, '');
    const target = hostTarget(host);
    if (!target) return { kind: 'error', message: `"${text}": "${host}" is not a host name or IP address` };
    return ok(target, port, 'Tcp', text, SCHEME_PROTOCOLS[scheme]);
  }
  const tagPrefix = /^tag:(.+)$/i.exec(text);
  if (tagPrefix) {
    const split = splitSuffixes(tagPrefix[1] ?? '');
    if (split.error) return { kind: 'error', message: `"${text}": ${split.error}` };
    if (!TAG_NAME.test(split.rest)) return { kind: 'error', message: `"${text}": "${split.rest}" is not a service tag name (like Storage or Storage.WestEurope)` };
    // The Internet tag is not in the service tag data (the platform resolves it): it is the
    // default route, as `internet` alone is.
    if (isInternet(split.rest)) return ok({ kind: 'default-route' }, split.port ?? defaultPort, split.protocol ?? defaultProtocol, text);
    return ok({ kind: 'service-tag', tag: split.rest }, split.port ?? defaultPort, split.protocol ?? defaultProtocol, text);
  }
  const split = splitSuffixes(text);
  if (split.error) return { kind: 'error', message: `"${text}": ${split.error}` };
  const port = split.port ?? defaultPort;
  const protocol = split.protocol ?? defaultProtocol;
  const rest = split.rest;
  if (rest.includes('/')) {
    const cidr = parseCidr(rest);
    if (!cidr || !/\/\d+$/.test(rest)) return { kind: 'error', message: `"${text}": "${rest}" is not a CIDR (like 20.50.0.0/16)` };
    if (cidr.prefixLength === 0 && cidr.version === 4) return ok({ kind: 'default-route' }, port, protocol, text);
    return ok({ kind: 'cidr', cidr }, port, protocol, text);
  }
  const ip = parseIp(rest);
  if (ip) return ok({ kind: 'address', ip }, port, protocol, text);
  // `Internet:53/udp`, `internet/udp`: the default route with that port / protocol, not a service
  // tag (Internet is never in the service tag data, so as a tag it would never be evaluated).
  if (isInternet(rest)) return ok({ kind: 'default-route' }, port, protocol, text);
  if (looksLikeServiceTag(rest)) return ok({ kind: 'service-tag', tag: rest }, port, protocol, text);
  const host = asciiHost(rest)?.toLowerCase().replace(/\.$/, '') ?? '';
  if (isHostName(host)) return ok({ kind: 'fqdn', name: host }, port, protocol, text);
  return {
    kind: 'error',
    message: `"${text}" is not a destination: expected an IP address, a CIDR (20.50.0.0/16), an FQDN (api.stripe.com), a URL (https://api.stripe.com/v1) or a service tag (Storage.WestEurope), optionally with :port and /tcp or /udp`,
  };
}

function hostTarget(host: string): DestinationTarget | null {
  const ip = parseIp(host);
  if (ip) return { kind: 'address', ip };
  const name = asciiHost(host)?.toLowerCase().replace(/\.$/, '') ?? '';
  return isHostName(name) ? { kind: 'fqdn', name } : null;
}

function ok(target: DestinationTarget, port: number, protocol: 'Tcp' | 'Udp', text: string, applicationProtocol?: ApplicationProtocol): DestinationParse {
  const spec = { target, port, protocol, text, label: labelOf(target, port, protocol) };
  return { kind: 'ok', spec: applicationProtocol ? { ...spec, applicationProtocol } : spec };
}

/**
 * Whether an Azure Firewall target FQDN pattern matches a host name. Case-insensitive. An asterisk
 * works only on the left-most side and matches "literally anything to the left": `*.contoso.com`
 * matches `any.contoso.com` and `a.b.contoso.com` but not `contoso.com`; `*contoso.com` also
 * matches `contoso.com` and `anycontoso.com`; `*` matches everything. Other placements are not
 * supported by Azure and match nothing [FWFAQ]
 * https://learn.microsoft.com/azure/firewall/firewall-faq#how-do-wildcards-work-in-target-urls-and-target-fqdns-in-application-rules
 */
export function fqdnPatternMatches(pattern: string, name: string): boolean {
  const p = pattern.trim().toLowerCase().replace(/\.$/, '');
  const n = name.trim().toLowerCase().replace(/\.$/, '');
  if (p === '*') return true;
  if (p.startsWith('*')) {
    const tail = p.slice(1);
    if (tail.includes('*')) return false;
    return n.endsWith(tail) && n.length > (tail.startsWith('.') ? tail.length : tail.length - 1);
  }
  if (p.includes('*')) return false;
  return p === n;
}
