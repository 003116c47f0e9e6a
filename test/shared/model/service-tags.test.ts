/**
 * Service tag data: the download file and REST shapes, bad input, and the index.
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 * (discovery API: https://learn.microsoft.com/rest/api/virtualnetwork/service-tags/list)
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/model/errors';
import { Ipv4Set } from '../../../shared/model/ip-set';
import { buildServiceTagIndex, parseServiceTags, validateServiceTagSet, type ServiceTagSet } from '../../../shared/model/service-tags';

/** `ServiceTags_Public_YYYYMMDD.json` (download id 56519): numbers are numbers, features listed, IPv6 mixed in. */
const DOWNLOAD_FILE = {
  changeNumber: 376,
  cloud: 'Public',
  values: [
    { name: 'AzureCloud.WestEurope', id: 'AzureCloud.WestEurope', properties: {
      changeNumber: 61, region: 'westeurope', regionId: 18, platform: 'Azure', systemService: '',
      addressPrefixes: ['13.69.0.0/17', '20.61.0.0/16', '2603:1020:200::/46'], networkFeatures: ['API', 'NSG', 'UDR', 'FW'] } },
    { name: 'Storage', id: 'Storage', properties: {
      changeNumber: 120, region: '', regionId: 0, platform: 'Azure', systemService: 'AzureStorage',
      addressPrefixes: ['13.65.107.32/28', '13.69.40.0/24', '20.60.26.0/23'], networkFeatures: ['API', 'NSG', 'UDR', 'FW', 'VSE'] } },
    { name: 'Storage.WestEurope', id: 'Storage.WestEurope', properties: {
      changeNumber: 42, region: 'westeurope', regionId: 18, platform: 'Azure', systemService: 'AzureStorage',
      addressPrefixes: ['13.69.40.0/24', '20.60.26.0/23', '2603:1020:201::/48'], networkFeatures: ['API', 'NSG', 'UDR', 'FW', 'VSE'] } },
    { name: 'AzureFrontDoor.Frontend', id: 'AzureFrontDoor.Frontend', properties: {
      changeNumber: 9, region: '', regionId: 0, platform: 'Azure', systemService: 'AzureFrontDoor',
      addressPrefixes: ['13.107.246.0/24'], networkFeatures: null } },
  ],
};

/** `GET .../locations/westeurope/serviceTags` as the REST example shows it: string change numbers, no features. */
const REST_LIST = {
  name: 'public',
  id: '/subscriptions/subId/providers/Microsoft.Network/serviceTags/public',
  type: 'Microsoft.Network/serviceTags',
  changeNumber: '63',
  cloud: 'Public',
  values: [
    { name: 'ApiManagement', id: 'ApiManagement', properties: { changeNumber: '7', region: '', systemService: 'AzureApiManagement', addressPrefixes: ['13.64.39.16/32', '40.74.146.80/31'] } },
    { name: 'ServiceBus.EastUS2', id: 'ServiceBus.EastUS2', properties: { changeNumber: '1', region: 'eastus2', systemService: 'AzureServiceBus', addressPrefixes: ['13.68.110.36/32', '40.70.146.64/29'] } },
  ],
};

/** The paged `serviceTagDetails` API: `{ value, nextLink }`, per-tag change numbers only. */
const DETAILS_PAGE = {
  value: [
    { id: 'Storage.WestEurope', name: 'Storage.WestEurope', serviceTagChangeNumber: '42', properties: { changeNumber: '42', region: 'westeurope', systemService: 'AzureStorage', addressPrefixes: ['13.69.40.0/24'], state: 'GA' } },
    { id: 'Sql', name: 'Sql', serviceTagChangeNumber: '77', properties: { changeNumber: '77', region: '', systemService: 'AzureSQL', addressPrefixes: ['13.69.105.0/27'], state: 'GA' } },
  ],
  nextLink: 'https://management.azure.com/subscriptions/subId/providers/Microsoft.Network/locations/westeurope/serviceTagDetails?api-version=2025-05-01&$skipToken=2',
};

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseServiceTags', () => {
  it('reads the downloadable ServiceTags_Public file: change number, cloud, regions, features (null kept), IPv4 and IPv6', () => {
    const set = parseServiceTags(DOWNLOAD_FILE, 'ServiceTags_Public_20251109.json');
    expect(set.changeNumber).toBe(376);
    expect(set.cloud).toBe('Public');
    expect(set.tags.map((t) => t.name)).toEqual(['AzureCloud.WestEurope', 'Storage', 'Storage.WestEurope', 'AzureFrontDoor.Frontend']);
    expect(set.tags[2]).toEqual({ name: 'Storage.WestEurope', region: 'westeurope', systemService: 'AzureStorage',
      addressPrefixes: ['13.69.40.0/24', '20.60.26.0/23', '2603:1020:201::/48'], networkFeatures: ['API', 'NSG', 'UDR', 'FW', 'VSE'] });
    expect(set.tags[3]?.networkFeatures).toBeNull();
  });

  it('reads the serviceTags REST answer: changeNumber as a string, no networkFeatures', () => {
    const set = parseServiceTags(REST_LIST, 'az-list-service-tags.json');
    expect(set.changeNumber).toBe(63);
    expect(set.cloud).toBe('Public');
    expect(set.tags[1]).toEqual({ name: 'ServiceBus.EastUS2', region: 'eastus2', systemService: 'AzureServiceBus',
      addressPrefixes: ['13.68.110.36/32', '40.70.146.64/29'], networkFeatures: null });
  });

  it('reads a serviceTagDetails page: the highest per-tag change number stands for the data', () => {
    const set = parseServiceTags(DETAILS_PAGE, 'details.json');
    expect(set.changeNumber).toBe(77);
    expect(set.cloud).toBe('');
    expect(set.tags.map((t) => t.name)).toEqual(['Storage.WestEurope', 'Sql']);
  });

  it('reads its own normalized shape back (what snapshots store)', () => {
    const set = parseServiceTags(DOWNLOAD_FILE, 'f.json');
    expect(parseServiceTags(JSON.parse(JSON.stringify(set)), 'again.json')).toEqual(set);
    expect(validateServiceTagSet(JSON.parse(JSON.stringify(set)), 'snap.json', '$.serviceTags')).toEqual(set);
  });

  it.each([
    ['not an object', [], '$', 'service tags document'],
    ['no values', { changeNumber: 1, cloud: 'Public' }, '$.values', 'array of service tags'],
    ['values not an array', { values: 'Storage' }, '$.values', 'array of service tags'],
    ['a bad change number', { ...REST_LIST, changeNumber: 'sixty-three' }, '$.changeNumber', 'non-negative integer'],
    ['a tag without a name', { values: [{ properties: { addressPrefixes: [] } }] }, '$.values[0].name', 'service tag name'],
    ['a tag without properties', { values: [{ name: 'Storage' }] }, '$.values[0].properties', 'addressPrefixes'],
    ['a prefix that is not a CIDR', { values: [{ name: 'Storage', properties: { addressPrefixes: ['13.69.40.0/24', '13.69.400.0/24'] } }] },
      '$.values[0].properties.addressPrefixes[1]', 'CIDR prefix'],
    ['networkFeatures not a list', { values: [{ name: 'Storage', properties: { addressPrefixes: [], networkFeatures: 'NSG' } }] },
      '$.values[0].properties.networkFeatures', 'array of strings'],
    ['the same tag twice (any casing)', { values: [{ name: 'Storage', properties: { addressPrefixes: [] } }, { name: 'storage', properties: { addressPrefixes: [] } }] },
      '$.values[1].name', 'not listed before'],
  ])('refuses %s with an InputError naming file, JSON path and expectation', (_what, json, path, expected) => {
    const error = inputError(() => parseServiceTags(json, 'tags.json'));
    expect(error.file).toBe('tags.json');
    expect(error.path).toBe(path);
    expect(error.expected).toContain(expected);
    expect(error.message).toMatch(/^tags\.json: \$/);
  });

  it('refuses a stored set with a missing field, at its path under the snapshot', () => {
    const error = inputError(() => validateServiceTagSet({ changeNumber: 1, cloud: 'Public', tags: [{ name: 'Storage', region: '', addressPrefixes: [], networkFeatures: null }] }, 'snap.json', '$.serviceTags'));
    expect([error.file, error.path]).toEqual(['snap.json', '$.serviceTags.tags[0].systemService']);
  });
});

describe('buildServiceTagIndex', () => {
  const index = buildServiceTagIndex(parseServiceTags(DOWNLOAD_FILE, 'f.json'));

  it('looks tags up by name in any casing, regional tags included; IPv4 prefixes only; null for a tag not in the data', () => {
    expect(index.prefixes('storage.westeurope')?.toCidrs()).toEqual(['13.69.40.0/24', '20.60.26.0/23']);
    expect(index.prefixes('STORAGE')?.equals(Ipv4Set.fromCidr('13.65.107.32/28').union(Ipv4Set.fromCidr('13.69.40.0/24')).union(Ipv4Set.fromCidr('20.60.26.0/23')))).toBe(true);
    expect(index.prefixes(' AzureCloud.westeurope ')?.contains('20.61.14.21')).toBe(true);
    // Internet, VirtualNetwork and AzureLoadBalancer are resolved by the platform, not listed [TAG].
    expect(index.prefixes('Internet')).toBeNull();
    expect(index.prefixes('Sql')).toBeNull();
    expect(index.tag('storage.westeurope')?.name).toBe('Storage.WestEurope');
    expect([index.changeNumber, index.cloud]).toEqual([376, 'Public']);
  });

  it('builds each tag\'s set once (lazily) and returns the same object', () => {
    expect(index.prefixes('Storage')).toBe(index.prefixes('storage'));
  });

  it('lists the tags containing an address, most specific first', () => {
    // 13.69.40.0/24 is in Storage and Storage.WestEurope (same /24: the smaller tag first) and AzureCloud.WestEurope's /17.
    expect(index.tagsContaining('13.69.40.10')).toEqual(['Storage.WestEurope', 'Storage', 'AzureCloud.WestEurope']);
    expect(index.tagsContaining('13.65.107.33')).toEqual(['Storage']);
    expect(index.tagsContaining('20.61.14.21')).toEqual(['AzureCloud.WestEurope']);
    expect(index.tagsContaining('8.8.8.8')).toEqual([]);
    expect(index.tagsContaining('2603:1020:201::1')).toEqual([]);
    expect(index.tagsContaining('not an ip')).toEqual([]);
  });

  it('handles a download-sized file quickly: 3,000 tags, 70,000 IPv4 prefixes', () => {
    const tags = Array.from({ length: 3000 }, (_, t) => ({
      name: `Tag${t}.Region${t % 60}`, region: `region${t % 60}`, systemService: 'Svc', networkFeatures: null,
      addressPrefixes: Array.from({ length: 24 }, (_, p) => {
        const n = t * 24 + p;
        return `${20 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}.0/24`;
      }),
    }));
    const big: ServiceTagSet = { changeNumber: 410, cloud: 'Public', tags };
    const started = performance.now();
    const bigIndex = buildServiceTagIndex(big);
    expect(bigIndex.prefixes('tag2999.region59')?.size()).toBe(24 * 256);
    expect(bigIndex.tagsContaining('20.0.0.1')).toEqual(['Tag0.Region0']);
    for (let i = 0; i < 1000; i++) bigIndex.tagsContaining(`21.${i & 255}.${i & 255}.9`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
