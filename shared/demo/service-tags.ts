/**
 * An EXCERPT of service tag data for the demo estates: five tags with a handful of prefixes each,
 * shaped like Microsoft's weekly `ServiceTags_Public_YYYYMMDD.json` (download id 56519) after
 * parsing. It is NOT the full data (the real file lists ~3,000 tags and ~70,000 IPv4 prefixes, and
 * `Storage` alone has hundreds): a demo's what-if on an address outside these prefixes says nothing
 * about the real tag. For real estates pass `--service-tags ServiceTags_Public_*.json` or pull live.
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
import type { ServiceTagSet } from '../model/service-tags';

const FEATURES = ['API', 'NSG', 'UDR', 'FW'] as const;

export const DEMO_SERVICE_TAGS_EXCERPT: ServiceTagSet = {
  changeNumber: 376,
  cloud: 'Public',
  tags: [
    {
      name: 'AzureCloud.WestEurope', region: 'westeurope', systemService: '',
      addressPrefixes: ['13.69.0.0/17', '13.73.128.0/18', '20.50.0.0/18', '20.61.0.0/16', '40.68.0.0/16', '52.166.0.0/16', '2603:1020:200::/46'],
      networkFeatures: FEATURES,
    },
    {
      name: 'AzureMonitor', region: '', systemService: 'AzureMonitor',
      addressPrefixes: ['13.69.64.96/27', '20.50.65.80/28', '40.68.61.229/32', '52.166.128.0/26', '2603:1020:206:4::40/122'],
      networkFeatures: FEATURES,
    },
    {
      name: 'Sql', region: '', systemService: 'AzureSQL',
      addressPrefixes: ['13.69.105.0/27', '40.68.37.158/32', '52.166.76.0/27', '104.40.168.0/26', '2603:1020:206:400::/123'],
      networkFeatures: FEATURES,
    },
    {
      name: 'Storage', region: '', systemService: 'AzureStorage',
      addressPrefixes: ['13.65.107.32/28', '13.69.40.0/24', '20.38.108.0/23', '20.60.26.0/23', '52.239.140.0/22', '52.239.148.0/27', '2603:1020:201::/48'],
      networkFeatures: [...FEATURES, 'VSE'],
    },
    {
      name: 'Storage.WestEurope', region: 'westeurope', systemService: 'AzureStorage',
      addressPrefixes: ['13.69.40.0/24', '20.38.108.0/23', '20.60.26.0/23', '52.239.140.0/22', '2603:1020:201::/48'],
      networkFeatures: [...FEATURES, 'VSE'],
    },
  ],
};
