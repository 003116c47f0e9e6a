/**
 * A snapshot file is user input: it may be hand-edited, truncated or written by another version.
 * Every field the resolver reads is checked here against a small schema, and the first problem
 * becomes an InputError naming the file, the JSON path and what was expected.
 */
import { describeFound } from '../../shared/arm/reader';
import { InputError } from '../../shared/model/errors';
import { toResourceId } from '../../shared/model/ids';
import {
  parseFirewallSkuName, parseFirewallSkuTier, parseGatewayType, parseLoadBalancerProtocol, parseLoadBalancerSku, parseNatGatewaySku,
  parsePeeringState, parsePeeringSyncLevel, parsePrivateDnsResolutionPolicy, parsePrivateLinkConnectionStatus, parsePublicIpSku, parseVpnType,
} from '../../shared/model/arm-values';
import type { AzureFirewall, FirewallPolicy, FirewallRule, NetworkModel, VirtualNetworkPeering } from '../../shared/model/topology';

type Scalar = 'string' | 'number' | 'boolean';

/** A field type; `?` variants allow null (the field itself must be present). */
type FieldType =
  | Scalar | `${Scalar}?`
  | 'id' | 'id?'
  | 'strings' | 'strings?' | 'ids'
  /** An array of arrays of resource IDs. */
  | 'idLists'
  | 'tags'
  | { readonly enum: readonly string[] }
  /** May be absent (a field added after snapshots were first written); checked when present. */
  | { readonly optional: FieldType }
  | { readonly list: Schema }
  | { readonly object: Schema; readonly nullable?: boolean }
  | { readonly variants: { readonly key: string; readonly schemas: Readonly<Record<string, Schema>> } };

type Schema = Readonly<Record<string, FieldType>>;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ID_EXPECTED = 'a canonical (lower-case) ARM resource ID';

class Checker {
  constructor(private readonly file: string) {}

  fail(path: string, expected: string, value: unknown): never {
    throw new InputError(this.file, path, expected, describeFound(value));
  }

  check(value: unknown, type: FieldType, path: string): void {
    if (typeof type === 'string') {
      this.checkSimple(value, type, path);
      return;
    }
    if ('optional' in type) {
      if (value !== undefined) this.check(value, type.optional, path);
      return;
    }
    if ('enum' in type) {
      if (typeof value !== 'string' || !type.enum.includes(value)) this.fail(path, type.enum.map((e) => `"${e}"`).join(' or '), value);
      return;
    }
    if ('list' in type) {
      if (!Array.isArray(value)) this.fail(path, 'an array', value);
      const items: readonly unknown[] = value;
      items.forEach((item, i) => this.object(item, type.list, `${path}[${i}]`));
      return;
    }
    if ('object' in type) {
      if (value === null && type.nullable === true) return;
      this.object(value, type.object, path);
      return;
    }
    if (!isRecord(value)) this.fail(path, 'an object', value);
    const tag = value[type.variants.key];
    const schema = typeof tag === 'string' ? type.variants.schemas[tag] : undefined;
    if (schema === undefined) this.fail(`${path}.${type.variants.key}`, Object.keys(type.variants.schemas).map((k) => `"${k}"`).join(' or '), tag);
    this.object(value, schema, path);
  }

  object(value: unknown, schema: Schema, path: string): void {
    if (!isRecord(value)) this.fail(path, 'an object', value);
    for (const [key, type] of Object.entries(schema)) this.check(value[key], type, `${path}.${key}`);
  }

  private checkSimple(value: unknown, type: Exclude<FieldType, object>, path: string): void {
    switch (type) {
      case 'string': case 'number': case 'boolean':
        if (typeof value !== type || (type === 'number' && !Number.isFinite(value))) this.fail(path, `a ${type}`, value);
        return;
      case 'string?': case 'number?': case 'boolean?':
        if (value !== null) this.checkSimple(value, type.slice(0, -1) as Scalar, path);
        return;
      case 'id':
        if (typeof value !== 'string' || value === '' || toResourceId(value) !== value) this.fail(path, ID_EXPECTED, value);
        return;
      case 'id?':
        if (value !== null) this.checkSimple(value, 'id', path);
        return;
      case 'idLists': {
        if (!Array.isArray(value)) this.fail(path, 'an array of arrays of resource IDs', value);
        const lists: readonly unknown[] = value;
        lists.forEach((list, i) => this.checkSimple(list, 'ids', `${path}[${i}]`));
        return;
      }
      case 'strings':
      case 'ids': {
        if (!Array.isArray(value)) this.fail(path, type === 'ids' ? 'an array of resource IDs' : 'an array of strings', value);
        const items: readonly unknown[] = value;
        items.forEach((item, i) => this.checkSimple(item, type === 'ids' ? 'id' : 'string', `${path}[${i}]`));
        return;
      }
      case 'strings?':
        if (value !== null) this.checkSimple(value, 'strings', path);
        return;
      case 'tags':
        if (!isRecord(value)) this.fail(path, 'an object of tag names to string values', value);
        for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') this.fail(`${path}.${k}`, 'a string', v);
        return;
    }
  }
}

const BASE: Schema = { id: 'id', name: 'string', subscriptionId: 'string', resourceGroup: 'string', location: 'string?', tags: 'tags' };

function resource(kind: string, fields: Schema): Schema {
  return { ...BASE, kind: { enum: [kind] }, ...fields };
}

const FIREWALL_IP_CONFIG: Schema = { id: 'id', name: 'string', privateIpAddress: 'string?', subnetId: 'id?', publicIpAddressId: 'id?' };

const FIREWALL_RULE: FieldType = {
  variants: {
    key: 'kind',
    schemas: {
      network: {
        name: 'string', collection: 'string', priority: 'number', action: { enum: ['Allow', 'Deny'] }, protocols: 'strings',
        sourceAddresses: 'strings', destinationAddresses: 'strings', destinationFqdns: 'strings', destinationPorts: 'strings',
        // Added with IP group support; older snapshots lack them (normalizeSnapshotModel fills them in).
        sourceIpGroupIds: { optional: 'ids' }, destinationIpGroupIds: { optional: 'ids' },
      },
      application: {
        name: 'string', collection: 'string', priority: 'number', action: { enum: ['Allow', 'Deny'] }, protocols: 'strings',
        sourceAddresses: 'strings', targetFqdns: 'strings', fqdnTags: 'strings', sourceIpGroupIds: { optional: 'ids' },
        webCategories: { optional: 'strings' }, targetUrls: { optional: 'strings' },
      },
    },
  },
};

const RECORD_SET: FieldType = {
  variants: {
    key: 'recordType',
    schemas: {
      A: { id: 'id', name: 'string', fqdn: 'string', ipv4Addresses: 'strings' },
      CNAME: { id: 'id', name: 'string', fqdn: 'string', cname: 'string?' },
    },
  },
};

function recordSetList(path: string, value: unknown, checker: Checker): void {
  if (!Array.isArray(value)) checker.fail(path, 'an array', value);
  const items: readonly unknown[] = value;
  items.forEach((record, i) => checker.check(record, RECORD_SET, `${path}[${i}]`));
}

/** Rules are validated one by one (a list of a union). */
function rulesList(path: string, value: unknown, checker: Checker): void {
  if (!Array.isArray(value)) checker.fail(path, 'an array', value);
  const items: readonly unknown[] = value;
  items.forEach((rule, i) => checker.check(rule, FIREWALL_RULE, `${path}[${i}]`));
}

const MODEL_SCHEMAS: { readonly [K in keyof NetworkModel]: Schema } = {
  virtualNetworks: resource('virtualNetwork', {
    addressPrefixes: 'strings', subnetIds: 'ids',
    peerings: { list: {
      id: 'id', name: 'string', remoteVirtualNetworkId: 'id?', remoteAddressPrefixes: 'strings', allowVirtualNetworkAccess: 'boolean',
      allowForwardedTraffic: 'boolean', allowGatewayTransit: 'boolean', useRemoteGateways: 'boolean', peeringState: 'string',
      // Added with subnet peering / address-space sync; older snapshots lack them (normalizeSnapshotModel fills them in).
      remoteVirtualNetworkAddressPrefixes: { optional: 'strings?' }, peeringSyncLevel: { optional: 'string' },
      peerCompleteVnets: { optional: 'boolean' }, localSubnetNames: { optional: 'strings' }, remoteSubnetNames: { optional: 'strings' },
      enableOnlyIPv6Peering: { optional: 'boolean' },
      // A peering not in the input, implied by the remote side's Connected one; absent = in the input.
      inferredFrom: { optional: 'id' },
    } },
    // Added with private DNS support; absent = Azure-provided DNS.
    dnsServers: { optional: 'strings' },
    defaultPublicNatGatewayId: { optional: 'id' },
    // Hub connections naming this VNet whose hub is not in the input; absent = none (and in older snapshots).
    unseenHubConnectionIds: { optional: 'ids' },
  }),
  subnets: resource('subnet', {
    virtualNetworkId: 'id', addressPrefixes: 'strings', routeTableId: 'id?', natGatewayId: 'id?', networkSecurityGroupId: 'id?',
    defaultOutboundAccess: 'boolean?', delegations: 'strings',
    // provisioningState: added with the endpoint state check; absent = not in the input.
    serviceEndpoints: { list: { service: 'string', locations: 'strings', provisioningState: { optional: 'string' } } }, privateEndpointNetworkPolicies: 'string?',
    // Added with service endpoint policies; absent = none.
    serviceEndpointPolicyIds: { optional: 'ids' },
    // Added with service gateways (API 2025-05-01); absent = none.
    serviceGatewayId: { optional: 'id' },
    // GatewaySubnets only: gateways whose IP configurations the subnet lists; absent = none listed.
    attachedGatewayIds: { optional: 'ids' }, applicationGatewayIds: { optional: 'ids' },
    // Listed IP configurations whose owner the input lacks; absent = none (and in older snapshots).
    unreadIpConfigurations: { optional: { object: { count: 'number', firstOwnerId: 'id' } } },
  }),
  routeTables: resource('routeTable', {
    routes: { list: { id: 'id', name: 'string', addressPrefix: 'string', nextHopType: 'string', nextHopIpAddress: 'string?', hasBgpOverride: 'boolean' } },
    disableBgpRoutePropagation: 'boolean',
  }),
  natGateways: resource('natGateway', {
    skuName: 'string', publicIpAddressIds: 'ids', publicIpPrefixIds: 'ids', idleTimeoutInMinutes: 'number?', subnetIds: 'ids',
    // StandardV2's IPv6 lists, kept apart; absent in older snapshots (= none said).
    publicIpAddressV6Ids: { optional: 'ids' }, publicIpPrefixV6Ids: { optional: 'ids' },
    // A StandardV2 gateway attached to a whole VNet (sourceVirtualNetwork); absent = not said.
    sourceVirtualNetworkId: { optional: 'id' },
  }),
  publicIpAddresses: resource('publicIpAddress', {
    ipAddress: 'string?', skuName: 'string', version: { enum: ['IPv4', 'IPv6'] }, ipConfigurationId: 'id?', publicIpPrefixId: 'id?',
  }),
  publicIpPrefixes: resource('publicIpPrefix', {
    ipPrefix: 'string?', prefixLength: 'number?', version: { enum: ['IPv4', 'IPv6'] }, skuName: 'string',
  }),
  networkInterfaces: resource('networkInterface', {
    ipConfigurations: { list: {
      id: 'id', name: 'string', primary: 'boolean', privateIpAddress: 'string?', privateIpAddressVersion: { enum: ['IPv4', 'IPv6'] },
      subnetId: 'id?', publicIpAddressId: 'id?', loadBalancerBackendAddressPoolIds: 'ids', applicationSecurityGroupIds: { optional: 'ids' },
    } },
    // null (not in the input) since IP forwarding is no longer assumed off; older snapshots hold a boolean.
    enableIPForwarding: 'boolean?', networkSecurityGroupId: 'id?', virtualMachineId: 'id?', flexibleScaleSetMember: 'boolean', virtualMachineCaptured: { optional: 'boolean' }, primary: 'boolean?', privateEndpointId: { optional: 'id?' },
    dnsServers: { optional: 'strings' },
    // NICs its VM lists that the input lacks; absent = none (and in older snapshots).
    missingSiblingNicIds: { optional: 'ids' },
    // Added with reading the NIC's default outbound state; absent in older snapshots (= not said).
    defaultOutboundConnectivityEnabled: { optional: 'boolean' },
    // The VM's availability set and its members in the input; absent = no VM document names one.
    availabilitySet: { optional: { object: { id: 'id', virtualMachineIds: 'ids', missingNetworkInterfaceIds: { optional: 'idLists' }, listedBySet: { optional: 'ids' } } } },
  }),
  azureFirewalls: resource('azureFirewall', {
    skuName: 'string', skuTier: 'string', ipConfigurations: { list: FIREWALL_IP_CONFIG },
    managementIpConfiguration: { object: FIREWALL_IP_CONFIG, nullable: true }, firewallPolicyId: 'id?', virtualHubId: 'id?',
    hubPrivateIpAddress: 'string?', hubPublicIpAddresses: 'strings', hubPublicIpCount: { optional: 'number?' },
    snatPrivateRanges: { optional: 'strings?' }, snatAutoLearnPrivateRanges: { optional: 'boolean' },
    // Added with threat intelligence / DNS proxy reading; absent in older snapshots (= not said).
    threatIntelMode: { optional: 'string?' }, dnsProxyEnabled: { optional: 'boolean?' },
    // Absent in older snapshots (= captured).
    rulesCaptured: { optional: 'boolean' },
  }),
  firewallPolicies: resource('firewallPolicy', {
    basePolicyId: 'id?', snatPrivateRanges: 'strings?', threatIntelMode: 'string?', ruleCollectionGroupIds: 'ids',
    snatAutoLearnPrivateRanges: { optional: 'boolean' }, loadedRuleCollectionGroupIds: { optional: 'ids' },
    dnsProxyEnabled: { optional: 'boolean?' }, ruleCollectionGroupsCaptured: { optional: 'boolean' },
  }),
  networkSecurityGroups: resource('networkSecurityGroup', {
    securityRules: { list: {
      name: 'string', priority: 'number', direction: { enum: ['Inbound', 'Outbound'] }, access: { enum: ['Allow', 'Deny'] },
      protocol: 'string', sourceAddressPrefixes: 'strings', destinationAddressPrefixes: 'strings', destinationPortRanges: 'strings',
      sourcePortRanges: { optional: 'strings' },
      isDefault: 'boolean', sourceApplicationSecurityGroupIds: { optional: 'ids' }, destinationApplicationSecurityGroupIds: { optional: 'ids' },
    } },
  }),
  loadBalancers: resource('loadBalancer', {
    skuName: 'string',
    frontendIpConfigurations: { list: { id: 'id', name: 'string', privateIpAddress: 'string?', subnetId: 'id?', publicIpAddressId: 'id?', publicIpPrefixId: 'id?' } },
    backendAddressPools: { list: { id: 'id', name: 'string', backendIpConfigurationIds: 'ids', backendIpAddresses: 'strings' } },
    loadBalancingRules: { list: {
      id: 'id', name: 'string', frontendIpConfigurationIds: 'ids', backendAddressPoolIds: 'ids', protocol: 'string',
      frontendPort: 'number', backendPort: 'number', disableOutboundSnat: 'boolean',
    } },
    outboundRules: { list: {
      id: 'id', name: 'string', frontendIpConfigurationIds: 'ids', backendAddressPoolId: 'id?', allocatedOutboundPorts: 'number?',
      protocol: 'string', idleTimeoutInMinutes: 'number?',
    } },
  }),
  virtualNetworkGateways: resource('virtualNetworkGateway', {
    gatewayType: 'string', vpnType: 'string?', virtualNetworkId: 'id?', gatewayDefaultSiteId: 'id?', enableBgp: 'boolean', publicIpAddressIds: 'ids',
  }),
  virtualHubs: resource('virtualHub', {
    virtualWanId: 'id?', addressPrefix: 'string?', azureFirewallId: 'id?',
    // enableInternetSecurity null = not in the input; older snapshots hold a boolean. staticRoutes,
    // associatedRouteTableId, routeTables and the hub gateways are absent in older snapshots (= not read / not said).
    connections: { list: {
      id: 'id', name: 'string', remoteVirtualNetworkId: 'id?', enableInternetSecurity: 'boolean?',
      staticRoutes: { optional: { list: { name: 'string', addressPrefixes: 'strings', nextHopIpAddress: 'string?' } } },
      associatedRouteTableId: { optional: 'id' }, provisioningState: { optional: 'string' },
    } },
    routingPolicies: { list: { name: 'string', destinations: 'strings', nextHopId: 'id?', provisioningState: { optional: 'string' } } },
    routeTables: { optional: { list: {
      id: 'id', name: 'string', labels: 'strings',
      routes: { list: { name: 'string', destinationType: 'string', destinations: 'strings', nextHopType: 'string', nextHop: 'string?' } },
    } } },
    expressRouteGatewayId: { optional: 'id?' }, vpnGatewayId: { optional: 'id?' },
    // Pre-existing route tables, BGP peerings, hub NVAs and the connections' read state: absent in
    // older snapshots (= none in the input; connections as read).
    legacyRouteTables: { optional: { list: { id: 'id', name: 'string', routes: { list: { destinations: 'strings', nextHops: 'strings' } } } } },
    bgpConnectionIds: { optional: 'ids' },
    bgpConnections: { optional: { list: { id: 'id', name: 'string', peerIp: 'string?', peerAsn: 'number?', hubVirtualNetworkConnectionId: 'id?' } } },
    networkVirtualAppliances: { optional: { list: { id: 'id', name: 'string', vendor: 'string?' } } },
    connectionsRead: { optional: 'boolean' }, nvasRead: { optional: 'boolean' }, bgpConnectionsRead: { optional: 'boolean' },
  }),
  virtualWans: resource('virtualWan', { virtualHubIds: 'ids' }),
  ipGroups: resource('ipGroup', { ipAddresses: 'strings', ipAddressesCaptured: { optional: 'boolean' } }),
  privateEndpoints: resource('privateEndpoint', {
    subnetId: 'id?', networkInterfaceIds: 'ids',
    connections: { list: { id: 'id', name: 'string', privateLinkServiceId: 'id?', groupIds: 'strings', status: 'string', manual: 'boolean' } },
    customDnsConfigs: { list: { fqdn: 'string', ipAddresses: 'strings' } },
    ipConfigurations: { list: { name: 'string', groupId: 'string?', memberName: 'string?', privateIpAddress: 'string?' } },
    privateDnsZoneGroups: { list: {
      id: 'id', name: 'string',
      privateDnsZoneConfigs: { list: {
        name: 'string', privateDnsZoneId: 'id?',
        recordSets: { list: { recordType: 'string', recordSetName: 'string', fqdn: 'string?', ipAddresses: 'strings' } },
      } },
    } },
  }),
  privateDnsZones: resource('privateDnsZone', {
    virtualNetworkLinks: { list: {
      id: 'id', name: 'string', virtualNetworkId: 'id?', registrationEnabled: 'boolean', resolutionPolicy: 'string', linkState: 'string?',
    } },
    // recordSets: a list of a union, checked by recordSetList.
    numberOfRecordSets: 'number?', recordSetsCaptured: 'boolean', otherRecordSetIds: { optional: 'ids' },
  }),
};

/** Resource lists added after snapshot@1 was first written: absent = none (normalizeSnapshotModel adds them). */
const ADDED_MODEL_KEYS: ReadonlySet<string> = new Set<keyof NetworkModel>(['ipGroups', 'privateEndpoints', 'privateDnsZones']);

const METADATA: Schema = {
  capturedAt: 'string',
  source: { enum: ['live-pull', 'import', 'demo', 'synthetic'] },
  origin: 'strings',
  capturedBy: 'string?',
  scope: { object: { tenantId: 'string?', subscriptionIds: 'strings', managementGroupId: 'string?', cloud: 'string?' } },
  toolVersion: 'string',
  // Added with input file hashes; imports only (demos and pulls read no files). `capturedAt`
  // (a snapshot input's own capture time) was added later still.
  inputs: { optional: { list: { name: 'string', size: 'number', sha256: 'string', capturedAt: { optional: 'string' } } } },
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

const EFFECTIVE_ROUTES: Schema = {
  networkInterfaceId: 'id',
  routes: { list: {
    name: 'string?', source: 'string', state: 'string', addressPrefixes: 'strings', nextHopType: 'string',
    nextHopIpAddresses: 'strings', disableBgpRoutePropagation: 'boolean?',
  } },
};

const METRIC: Schema = {
  resourceId: 'id', metricName: 'string', filter: 'string?', aggregation: { enum: ['Total', 'Maximum', 'Average'] },
  windowStart: 'string', windowEnd: 'string', value: 'number', unit: 'string',
};

const GAP: Schema = {
  code: { enum: ['unsupported-resource-type', 'access-denied', 'throttled', 'timeout', 'request-failed', 'effective-routes-unavailable',
    'metrics-unavailable', 'missing-reference', 'skipped-input', 'not-modelled'] },
  scope: 'string',
  message: 'string',
};

/** Throws InputError at the first field that does not match the snapshot@1 shape. */
export function validateSnapshotShape(file: string, json: Readonly<Record<string, unknown>>): void {
  const checker: Checker = new Checker(file);
  checker.check(json.sha256, 'string', '$.sha256');
  if (!SHA256_HEX.test(String(json.sha256))) checker.fail('$.sha256', 'a 64-digit lower-case hex SHA-256', json.sha256);
  // Optional: snapshots written before it existed lack it (the loader computes it).
  if (json.contentSha256 !== undefined && (typeof json.contentSha256 !== 'string' || !SHA256_HEX.test(json.contentSha256))) {
    checker.fail('$.contentSha256', 'a 64-digit lower-case hex SHA-256', json.contentSha256);
  }
  checker.object(json.metadata, METADATA, '$.metadata');
  const inputs = (json.metadata as Readonly<Record<string, unknown>>).inputs as readonly Readonly<Record<string, unknown>>[] | undefined;
  inputs?.forEach((input, i) => {
    if (!Number.isInteger(input.size) || (input.size as number) < 0) checker.fail(`$.metadata.inputs[${i}].size`, 'a size in bytes (a non-negative integer)', input.size);
    if (!SHA256_HEX.test(input.sha256 as string)) checker.fail(`$.metadata.inputs[${i}].sha256`, 'a 64-digit lower-case hex SHA-256', input.sha256);
  });
  const model = json.model;
  if (!isRecord(model)) checker.fail('$.model', 'an object with the 14 resource lists', model);
  for (const [key, schema] of Object.entries(MODEL_SCHEMAS)) {
    const path = `$.model.${key}`;
    const list = model[key];
    if (list === undefined && ADDED_MODEL_KEYS.has(key)) continue;
    if (!Array.isArray(list)) checker.fail(path, 'an array', list);
    const items: readonly unknown[] = list;
    items.forEach((item, i) => {
      checker.object(item, schema, `${path}[${i}]`);
      if (key === 'azureFirewalls' || key === 'firewallPolicies') rulesList(`${path}[${i}].rules`, (item as Readonly<Record<string, unknown>>).rules, checker);
      if (key === 'privateDnsZones') recordSetList(`${path}[${i}].recordSets`, (item as Readonly<Record<string, unknown>>).recordSets, checker);
    });
  }
  checker.check(json.effectiveRoutes, { list: EFFECTIVE_ROUTES }, '$.effectiveRoutes');
  checker.check(json.metrics, { list: METRIC }, '$.metrics');
  checker.check(json.gaps, { list: GAP }, '$.gaps');
  const gaps = json.gaps as readonly Readonly<Record<string, unknown>>[];
  gaps.forEach((gap, i) => {
    if (gap.count !== undefined && (typeof gap.count !== 'number' || !Number.isInteger(gap.count) || gap.count < 0)) {
      checker.fail(`$.gaps[${i}].count`, 'a non-negative integer', gap.count);
    }
  });
}

/** Peering fields a snapshot written before subnet peering / address-space sync support lacks. */
type AddedPeeringField = 'remoteVirtualNetworkAddressPrefixes' | 'peeringSyncLevel' | 'peerCompleteVnets' | 'localSubnetNames' | 'remoteSubnetNames' | 'enableOnlyIPv6Peering';
type StoredPeering = Omit<VirtualNetworkPeering, AddedPeeringField> & Partial<Pick<VirtualNetworkPeering, AddedPeeringField>>;

function normalizePeering(peering: VirtualNetworkPeering): VirtualNetworkPeering {
  const stored: StoredPeering = peering;
  return {
    ...peering,
    peeringState: parsePeeringState(stored.peeringState),
    remoteVirtualNetworkAddressPrefixes: stored.remoteVirtualNetworkAddressPrefixes ?? null,
    peeringSyncLevel: parsePeeringSyncLevel(stored.peeringSyncLevel),
    // Before subnet peering every peering was a whole-VNet peering.
    peerCompleteVnets: stored.peerCompleteVnets ?? true,
    localSubnetNames: stored.localSubnetNames ?? [],
    remoteSubnetNames: stored.remoteSubnetNames ?? [],
    enableOnlyIPv6Peering: stored.enableOnlyIPv6Peering ?? false,
  };
}

/** Resource lists a snapshot written before IP groups / private endpoints were modelled lacks. */
type AddedModelKey = 'ipGroups' | 'privateEndpoints' | 'privateDnsZones';

/** Firewall fields a snapshot written before IP group / SNAT / rule-collection-group capture support lacks. */
type StoredRule =
  | (Omit<Extract<FirewallRule, { kind: 'network' }>, 'sourceIpGroupIds' | 'destinationIpGroupIds'>
    & Partial<Pick<Extract<FirewallRule, { kind: 'network' }>, 'sourceIpGroupIds' | 'destinationIpGroupIds'>>)
  | (Omit<Extract<FirewallRule, { kind: 'application' }>, 'sourceIpGroupIds'> & Partial<Pick<Extract<FirewallRule, { kind: 'application' }>, 'sourceIpGroupIds'>>);
type StoredFirewall = Omit<AzureFirewall, 'snatPrivateRanges' | 'snatAutoLearnPrivateRanges'> & Partial<Pick<AzureFirewall, 'snatPrivateRanges' | 'snatAutoLearnPrivateRanges'>>;
type StoredPolicy = Omit<FirewallPolicy, 'snatAutoLearnPrivateRanges' | 'loadedRuleCollectionGroupIds'>
  & Partial<Pick<FirewallPolicy, 'snatAutoLearnPrivateRanges' | 'loadedRuleCollectionGroupIds'>>;

function ruleWithDefaults(rule: StoredRule): FirewallRule {
  return rule.kind === 'network'
    ? { ...rule, sourceIpGroupIds: rule.sourceIpGroupIds ?? [], destinationIpGroupIds: rule.destinationIpGroupIds ?? [] }
    : { ...rule, sourceIpGroupIds: rule.sourceIpGroupIds ?? [] };
}

/**
 * Older snapshots: no IP groups, no SNAT auto-learn, and no record of which rule collection groups
 * were loaded. Such snapshots merged a policy's rules only when its groups were captured, so a
 * policy with rules had its listed groups loaded, one without had none (the old reading).
 */
function withFirewallFieldDefaults(model: NetworkModel): NetworkModel {
  const stored = model as Omit<NetworkModel, AddedModelKey> & Partial<Pick<NetworkModel, AddedModelKey>>;
  return {
    ...model,
    ipGroups: stored.ipGroups ?? [],
    privateEndpoints: (stored.privateEndpoints ?? []).map((pe) => ({
      ...pe, connections: pe.connections.map((c) => ({ ...c, status: parsePrivateLinkConnectionStatus(c.status) })),
    })),
    privateDnsZones: (stored.privateDnsZones ?? []).map((zone) => ({
      ...zone, virtualNetworkLinks: zone.virtualNetworkLinks.map((l) => ({ ...l, resolutionPolicy: parsePrivateDnsResolutionPolicy(l.resolutionPolicy) })),
    })),
    azureFirewalls: model.azureFirewalls.map((fw) => {
      const old: StoredFirewall = fw;
      return { ...fw, rules: fw.rules.map(ruleWithDefaults), snatPrivateRanges: old.snatPrivateRanges ?? null, snatAutoLearnPrivateRanges: old.snatAutoLearnPrivateRanges ?? false };
    }),
    firewallPolicies: model.firewallPolicies.map((policy) => {
      const old: StoredPolicy = policy;
      return {
        ...policy,
        rules: policy.rules.map(ruleWithDefaults),
        snatAutoLearnPrivateRanges: old.snatAutoLearnPrivateRanges ?? false,
        loadedRuleCollectionGroupIds: old.loadedRuleCollectionGroupIds ?? (policy.rules.length > 0 ? policy.ruleCollectionGroupIds : []),
      };
    }),
  };
}

/**
 * A validated snapshot model with every closed-union field (SKUs, gateway and VPN type, peering
 * state and sync level, LB rule protocols) parsed as the ARM normalizer parses it, and peering
 * fields added since older snapshots were written filled with their defaults. Older snapshots (or
 * hand-edited ones) may spell these in any casing ("standard", "Standard "): the resolver compares
 * union members directly, so they are normalized once here. Call after the hash check (the hash
 * covers the file as written). Other fields and resources are passed through unchanged.
 */
export function normalizeSnapshotModel(stored: NetworkModel): NetworkModel {
  const model = withFirewallFieldDefaults(stored);
  return {
    ...model,
    virtualNetworks: model.virtualNetworks.map((vnet) => (vnet.peerings.length === 0 ? vnet : { ...vnet, peerings: vnet.peerings.map(normalizePeering) })),
    natGateways: model.natGateways.map((nat) => ({ ...nat, skuName: parseNatGatewaySku(nat.skuName) })),
    publicIpAddresses: model.publicIpAddresses.map((pip) => ({ ...pip, skuName: parsePublicIpSku(pip.skuName) })),
    publicIpPrefixes: model.publicIpPrefixes.map((prefix) => ({ ...prefix, skuName: parsePublicIpSku(prefix.skuName) })),
    azureFirewalls: model.azureFirewalls.map((fw) => ({ ...fw, skuName: parseFirewallSkuName(fw.skuName), skuTier: parseFirewallSkuTier(fw.skuTier) })),
    loadBalancers: model.loadBalancers.map((lb) => ({
      ...lb,
      skuName: parseLoadBalancerSku(lb.skuName),
      loadBalancingRules: lb.loadBalancingRules.map((r) => ({ ...r, protocol: parseLoadBalancerProtocol(r.protocol) })),
      outboundRules: lb.outboundRules.map((r) => ({ ...r, protocol: parseLoadBalancerProtocol(r.protocol) })),
    })),
    virtualNetworkGateways: model.virtualNetworkGateways.map((g) => ({
      ...g, gatewayType: parseGatewayType(g.gatewayType), vpnType: g.vpnType === null ? null : parseVpnType(g.vpnType),
    })),
  };
}

/**
 * The members of a model's resources that no schema above checks (paths such as
 * `natGateways[].sourceVirtualNetworkId`): a field added to the model must be added here too, or a
 * hand-edited snapshot could carry any value in it. Tests run it over every fixture the normalizer
 * reads, so a new field without a schema fails there, not in an auditor's hands.
 */
export function fieldsWithoutSchema(model: NetworkModel): readonly string[] {
  const found = new Set<string>();
  const walk = (value: unknown, type: FieldType | undefined, path: string): void => {
    if (type === undefined) {
      found.add(path);
      return;
    }
    if (typeof type === 'string') return;
    if ('optional' in type) {
      if (value !== undefined) walk(value, type.optional, path);
      return;
    }
    if ('list' in type) {
      if (Array.isArray(value)) for (const item of value as readonly unknown[]) members(item, type.list, `${path}[]`);
      return;
    }
    if ('object' in type) {
      if (value !== null) members(value, type.object, path);
      return;
    }
    if ('variants' in type && isRecord(value)) {
      const tag = value[type.variants.key];
      const schema = typeof tag === 'string' ? type.variants.schemas[tag] : undefined;
      if (schema !== undefined) members(value, { ...schema, [type.variants.key]: 'string' }, path);
    }
  };
  const members = (value: unknown, schema: Schema, path: string): void => {
    if (!isRecord(value)) return;
    for (const [key, member] of Object.entries(value)) {
      if (member === undefined) continue;
      walk(member, schema[key], `${path}.${key}`);
    }
  };
  const lists = model as unknown as Readonly<Record<string, unknown>>;
  // A resource list no schema knows (MODEL_SCHEMAS is typed over NetworkModel's keys, but an
  // optional one added later type-checks without an entry).
  for (const key of Object.keys(lists)) if (lists[key] !== undefined && !Object.hasOwn(MODEL_SCHEMAS, key)) found.add(key);
  for (const [key, schema] of Object.entries(MODEL_SCHEMAS)) {
    const list = lists[key];
    if (!Array.isArray(list)) continue;
    // Rules and record sets are checked one by one elsewhere (rulesList, recordSetList), and walked below.
    const apart: Schema = key === 'azureFirewalls' || key === 'firewallPolicies' ? { rules: 'tags' } : key === 'privateDnsZones' ? { recordSets: 'tags' } : {};
    for (const item of list as readonly unknown[]) members(item, { ...schema, ...apart }, `${key}[]`);
  }
  // Rules and record sets: each against its own variant.
  for (const key of ['azureFirewalls', 'firewallPolicies'] as const) {
    for (const item of model[key]) for (const rule of (item as { readonly rules?: readonly unknown[] }).rules ?? []) walk(rule, FIREWALL_RULE, `${key}[].rules[]`);
  }
  for (const zone of model.privateDnsZones ?? []) for (const record of zone.recordSets ?? []) walk(record, RECORD_SET, 'privateDnsZones[].recordSets[]');
  return [...found].sort();
}
