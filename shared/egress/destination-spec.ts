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
  /**
   * How a text that could be read two ways was read, and how to ask for the other reading (a host
   * name written like a service tag, a service tag whose region this version does not know). The
   * destination's interpretation shows it, so the reading is never a silent guess.
   */
  readonly reading?: string;
  /**
   * For a host name written in a service tag's shape (`Name.Suffix`): that text as a tag. Service tag
   * data that lists it decides for the tag (destination-plan.ts), since no tag data names a host.
   */
  readonly tagCandidate?: string;
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

/** A service tag's shape: `Storage`, `AzureCloud`, or regional `Storage.WestEurope` (readTagShaped decides). */
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
 * The region suffixes of regional service tags (`Storage.WestEurope`, `AzureCloud.eastus2`),
 * lower case: every suffix and `region` of Microsoft's ServiceTags_Public (change number 376,
 * 2025-11-09) and ServiceTags_AzureGovernment files, which spell some regions short (`norwaye`,
 * `germanywc`, `brazilse`), plus the ARM names of the Azure China regions. A tag's suffix is its
 * region [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview; none of
 * these is a top-level domain.
 */
const TAG_REGIONS: ReadonlySet<string> = new Set([
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral',
  'brazilne', 'brazilse', 'brazilsouth', 'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralfrance', 'centralindia',
  'centralus', 'centraluseuap', 'chilec', 'chilecentral', 'eastasia', 'eastus', 'eastus2', 'eastus2euap', 'eastus2stage',
  'eastusstg', 'francecentral', 'francesouth', 'germanyn', 'germanynorth', 'germanywc', 'germanywestcentral',
  'indonesiacentral', 'israelcentral', 'israelnorthwest', 'italynorth', 'japaneast', 'japanwest', 'jioindiacentral',
  'jioindiawest', 'koreacentral', 'koreasouth', 'malaysiasouth', 'malaysiawest', 'mexicocentral', 'newzealandnorth',
  'northcentralus', 'northcentralusstage', 'northeurope', 'northeurope2', 'norwaye', 'norwayeast', 'norwayw', 'norwaywest',
  'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest', 'southcentralus', 'southcentralus2',
  'southcentralusstg', 'southeastasia', 'southeastus', 'southeastus3', 'southfrance', 'southindia', 'spaincentral',
  'swedencentral', 'swedensouth', 'switzerlandn', 'switzerlandnorth', 'switzerlandw', 'switzerlandwest', 'taiwannorth',
  'taiwannorthwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'usstagec', 'usstagee', 'westcentralus', 'westeurope',
  'westindia', 'westus', 'westus2', 'westus3',
  'usdodcentral', 'usdodeast', 'usgovarizona', 'usgovtexas', 'usgovvirginia',
  'chinaeast', 'chinaeast2', 'chinaeast3', 'chinanorth', 'chinanorth2', 'chinanorth3',
]);

/** The dotted service tags whose suffix is not a region (same files), lower case. */
const DOTTED_TAGS: ReadonlySet<string> = new Set([
  'azureactivedirectory.serviceendpoint', 'azurefrontdoor.backend', 'azurefrontdoor.firstparty', 'azurefrontdoor.frontend',
  'azurefrontdoor.microsoftsecurity', 'azuremonitor.core', 'azureportal.azureappserviceux',
]);

/**
 * The service tag names a regional tag is built on (the part before the dot), lower case, from the
 * same files: a host name that starts with one (`Grafana.com`) is read as the host, and says so.
 */
const TAG_BASES: ReadonlySet<string> = new Set([
  'actiongroup', 'apimanagement', 'appconfiguration', 'appservice', 'appservicemanagement', 'applicationinsightsavailability',
  'autonomousdevelopmentplatform', 'azureactivedirectory', 'azureactivedirectorydomainservices', 'azureadvancedthreatprotection',
  'azurearcinfrastructure', 'azureattestation', 'azurebackup', 'azurebotservice', 'azurecloud', 'azurecognitivesearch',
  'azureconnectors', 'azurecontainerregistry', 'azurecosmosdb', 'azuredataexplorermanagement', 'azuredatalake',
  'azuredatabricks', 'azuredevops', 'azuredevspaces', 'azuredeviceupdate', 'azuredigitaltwins', 'azureeventgrid',
  'azurefrontdoor', 'azurehealthcareapis', 'azureinformationprotection', 'azureiothub', 'azurekeyvault',
  'azureloadtestinginstancemanagement', 'azuremachinelearning', 'azuremachinelearninginference', 'azuremanagedgrafana',
  'azuremonitor', 'azuremonitorforsap', 'azureopendatasets', 'azureportal', 'azureresourcemanager', 'azuresecuritycenter',
  'azuresentinel', 'azuresignalr', 'azuresiterecovery', 'azuresphere', 'azurespringcloud', 'azurestack',
  'azuretrafficmanager', 'azureupdatedelivery', 'azurewebpubsub', 'batchnodemanagement', 'chaosstudio',
  'cognitiveservicesfrontend', 'cognitiveservicesmanagement', 'datafactory', 'datafactorymanagement',
  'dynamics365businesscentral', 'dynamics365formarketingemail', 'eopexternalpublishedips', 'eventhub', 'gatewaymanager',
  'grafana', 'guestandhybridmanagement', 'hdinsight', 'kustoanalytics', 'logicapps', 'logicappsmanagement',
  'm365managementactivityapi', 'm365managementactivityapiwebhook', 'marketplace', 'microsoftazurefluidrelay',
  'microsoftcloudappsecurity', 'microsoftcontainerregistry', 'microsoftdefenderforendpoint',
  'microsoftpurviewpolicydistribution', 'onedscollector', 'powerbi', 'powerplatforminfra', 'powerplatformplex',
  'powerqueryonline', 'sccservice', 'scuba', 'securitycopilot', 'serialconsole', 'servicebus', 'servicefabric', 'sql',
  'sqlmanagement', 'storage', 'storagemover', 'storagesyncservice', 'videoindexer', 'windowsadmincenter',
  'windowsvirtualdesktop',
]);

/**
 * A top-level domain's shape: letters only (or an IDN's `xn--` form). "The highest-level component
 * label will be alphabetic" (RFC 1123 section 2.1), so a last label with a digit is no internet host's.
 */
const TLD_LIKE = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

/** How a name in a service tag's shape (`Word` or `Word.Word`) is read. */
type NameReading =
  | { readonly kind: 'tag'; readonly reading?: string }
  | { readonly kind: 'host'; readonly reading?: string; readonly tagCandidate: string };

/**
 * Service tag or host name, by the real rule rather than by letter case (DNS names are
 * case-insensitive [RFC4343] https://www.rfc-editor.org/rfc/rfc4343, so `GitHub.com` is the host
 * github.com). A service tag is `Name` or `Name.Suffix` where the suffix is an Azure region [TAG]
 * https://learn.microsoft.com/azure/virtual-network/service-tags-overview (or one of the few dotted
 * tags listed above). So: one word is a tag (a host name to resolve has a dot); a known region
 * suffix makes a tag; a suffix that cannot be a top-level domain (a digit: a region this version
 * does not know, like a new `eastus4`) is read as a tag and says so; any other suffix is a
 * top-level domain, so the text is a host name. `tag:X` forces the tag, a trailing dot the host.
 * Null: not in a tag's shape (three labels, hyphens…), so only a host name or an error.
 */
function readTagShaped(text: string): NameReading | null {
  if (!TAG_NAME.test(text)) return null;
  const dot = text.indexOf('.');
  if (dot < 0) return { kind: 'tag' };
  const base = text.slice(0, dot);
  const suffix = text.slice(dot + 1);
  if (TAG_REGIONS.has(suffix.toLowerCase()) || DOTTED_TAGS.has(text.toLowerCase())) return { kind: 'tag' };
  const host = text.toLowerCase();
  if (!TLD_LIKE.test(suffix)) {
    return {
      kind: 'tag',
      reading: `read as a service tag: ${suffix} is not an Azure region this version knows, and no top-level domain has a digit, so ${text} is no internet host name; for a host name write ${host}. (with a trailing dot)`,
    };
  }
  if (TAG_BASES.has(base.toLowerCase())) {
    return {
      kind: 'host', tagCandidate: text,
      reading: `read as the host name ${host}: ${base} is also a service tag's name, but ${suffix} is no Azure region; for a service tag write tag:${text}`,
    };
  }
  return { kind: 'host', tagCandidate: text };
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

/** Every form a destination may take, as error messages list them. */
export const DESTINATION_FORMS = 'an IP address, a CIDR (20.50.0.0/16), an FQDN (api.stripe.com), a URL (https://api.stripe.com/v1) or a service tag (Storage.WestEurope), optionally with :port and /tcp or /udp';

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
  // An ARM resource ID names a resource, not where traffic goes: say which forms are accepted.
  if (/^\/?(subscriptions|providers)\//i.test(text)) return { kind: 'error', message: resourceIdMessage(text) };
  const split = splitSuffixes(text);
  if (split.error) return { kind: 'error', message: `"${text}": ${split.error}` };
  const port = split.port ?? defaultPort;
  const protocol = split.protocol ?? defaultProtocol;
  const rest = split.rest;
  if (rest.includes('/')) {
    const cidr = parseCidr(rest);
    if (!cidr || !/\/\d+$/.test(rest)) return { kind: 'error', message: notCidrMessage(text, rest) };
    if (cidr.prefixLength === 0 && cidr.version === 4) return ok({ kind: 'default-route' }, port, protocol, text);
    return ok({ kind: 'cidr', cidr }, port, protocol, text);
  }
  const ip = parseIp(rest);
  if (ip) return ok({ kind: 'address', ip }, port, protocol, text);
  // `Internet:53/udp`, `internet/udp`: the default route with that port / protocol, not a service
  // tag (Internet is never in the service tag data, so as a tag it would never be evaluated).
  if (isInternet(rest)) return ok({ kind: 'default-route' }, port, protocol, text);
  const shaped = readTagShaped(rest);
  if (shaped?.kind === 'tag') return ok({ kind: 'service-tag', tag: rest }, port, protocol, text, undefined, shaped.reading);
  const host = asciiHost(rest)?.toLowerCase().replace(/\.$/, '') ?? '';
  if (isHostName(host)) return ok({ kind: 'fqdn', name: host }, port, protocol, text, undefined, shaped?.reading, shaped?.tagCandidate);
  return {
    kind: 'error',
    message: `"${text}" is not a destination: expected ${DESTINATION_FORMS}`,
  };
}

/**
 * `api.stripe.com/v1` is a URL without its scheme (which says the port and protocol): say so,
 * rather than only that it is no CIDR.
 */
function notCidrMessage(text: string, rest: string): string {
  const head = rest.slice(0, rest.indexOf('/'));
  const hostFirst = parseIp(head) === null && isHostName(asciiHost(head)?.toLowerCase() ?? '');
  return `"${text}": "${rest}" is not a CIDR (like 20.50.0.0/16)${hostFirst ? `; for a URL write its scheme (https://${rest})` : ''}`;
}

/** An ARM resource ID names a resource, not where its traffic goes: say what to give instead. */
function resourceIdMessage(text: string): string {
  const name = text.replace(/\/+$/, '').split('/').pop() ?? text;
  return `"${text}" is an Azure resource ID, not a destination (a destination is ${DESTINATION_FORMS}): give what the traffic is addressed to, such as the IP address or host name of ${name} (a private endpoint's private IP, a storage account's <name>.blob.core.windows.net)`;
}

function hostTarget(host: string): DestinationTarget | null {
  const ip = parseIp(host);
  if (ip) return { kind: 'address', ip };
  const name = asciiHost(host)?.toLowerCase().replace(/\.$/, '') ?? '';
  return isHostName(name) ? { kind: 'fqdn', name } : null;
}

function ok(
  target: DestinationTarget, port: number, protocol: 'Tcp' | 'Udp', text: string, applicationProtocol?: ApplicationProtocol,
  reading?: string, tagCandidate?: string,
): DestinationParse {
  const spec: DestinationSpec = {
    target, port, protocol, text, label: labelOf(target, port, protocol),
    ...(applicationProtocol ? { applicationProtocol } : {}), ...(reading ? { reading } : {}), ...(tagCandidate ? { tagCandidate } : {}),
  };
  return { kind: 'ok', spec };
}

/**
 * A host name in a service tag's shape read as that tag instead (its `tagCandidate`), once service
 * tag data lists the tag: the data names no host, so it settles the reading. The reading says so.
 */
export function asServiceTag(spec: DestinationSpec, tag: string): DestinationSpec {
  const target: DestinationTarget = { kind: 'service-tag', tag };
  const name = spec.target.kind === 'fqdn' ? spec.target.name : tag.toLowerCase();
  return {
    target, port: spec.port, protocol: spec.protocol, text: spec.text, label: labelOf(target, spec.port, spec.protocol),
    ...(spec.applicationProtocol ? { applicationProtocol: spec.applicationProtocol } : {}),
    reading: `read as the service tag ${tag}, which the service tag data lists; for the host name write ${name}. (with a trailing dot)`,
  };
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
