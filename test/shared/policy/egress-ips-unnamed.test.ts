/**
 * `egressIpsWithin` on egress IPs whose addresses the input does not hold (a NAT gateway's public IP
 * not exported, an instance public IP without ipAddress, a secured hub firewall listing fewer
 * addresses than its count): never "outside", never a pass; "could not be proven", as the README's
 * check section says of what the input cannot show. Estates are ARM JSON (REST `properties` shape)
 * run through normalizeArm; policies as README "Egress intent as code: `check`" writes them.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { checkPolicy, parsePolicy, toSarif } from '../../../shared/policy/index';
import type { CheckResult } from '../../../shared/policy/index';
import { natGatewayId, natGatewayJson, nicJson, pipId, pipJson, subnetId, vnetJson, type Json } from '../../support/arm-json';

const NOW = new Date('2026-11-26T09:00:00Z');

function check(resources: readonly Json[], yaml: string): CheckResult {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'estate.json', json: resources }]);
  return checkPolicy({ model, effectiveRoutes, metrics: [], gaps: [...gaps] }, parsePolicy(yaml, 'policy.yaml'), { now: NOW });
}

const EGRESS_IPS = (cidr: string): string => `version: 1
controls:
  - id: egress-ips
    title: App leaves only from the allocated range
    effect: deny
    scope: { subnets: [app] }
    egressIpsWithin: [${cidr}]
`;

// ---- a workload estate: one VNet, subnet app ------------------------------------------------

describe('egressIpsWithin: an egress IP the input does not give as an address', () => {
  // README (check, `egressIpsWithin`): "every egress IP of an internet path lies in these CIDRs;
  // unknown egress IPs (default outbound access) are a violation", and "A path the engine calls
  // `unknown` never passes ... it is a violation that says it could not be proven". The NAT
  // gateway's `publicIpAddresses` names nat-pip2 (IPv4 list, natGateway.json REST schema;
  // "64,512 ports per IPv4 address", articles/nat-gateway/nat-gateway-resource.md) but its resource
  // is not in the input: its address is not known, so the control cannot be proven, not "outside"
  // (the path shows it by name, 'nat-pip2', which is no address to compare).
  it('NAT gateway naming an IPv4 public IP the input lacks: "could not be proven", not "egress IP nat-pip2 outside"', () => {
    const s = subnetId('v', 'app');
    const natId = natGatewayId('nat-app');
    const result = check([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24', props: { natGateway: { id: natId } } }]),
      pipJson('nat-pip1', '20.61.14.5'),
      natGatewayJson('nat-app', 'Standard', { publicIpAddresses: [{ id: pipId('nat-pip1') }, { id: pipId('nat-pip2') }], subnets: [{ id: s }] }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1-nic-vm'),
    ], EGRESS_IPS('20.61.14.0/24'));
    const control = result.controls[0];
    expect(control?.status).toBe('fail');
    const reasons = (control?.violations ?? []).map((v) => v.reason);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) {
      expect(reason).not.toMatch(/outside/);
      expect(reason).toMatch(/could not be proven|cannot be shown|not known|unknown/);
    }
    // SARIF states the same message: no "outside" claim on the Security tab either.
    const sarif = toSarif(result, { policyUri: 'policy.yaml', toolVersion: 'test' });
    for (const r of sarif.runs[0]?.results ?? []) expect(r.message.text).not.toMatch(/outside/);
  });

  // The same for an instance-level public IP whose record carries no `ipAddress` (not yet allocated
  // or exported without it; publicIpAddress.json: ipAddress "The IP address associated with the
  // public IP address resource"): the engine labels it 'vm1-pip', and check says it is outside.
  it('instance public IP without ipAddress in the input: "could not be proven", not "egress IP vm1-pip outside"', () => {
    const s = subnetId('v', 'app');
    const result = check([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24', props: { defaultOutboundAccess: false } }]),
      pipJson('vm1-pip', null),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s, pip: 'vm1-pip' }], 'vm1-nic-vm'),
    ], EGRESS_IPS('20.61.14.0/24'));
    const violations = result.controls[0]?.violations ?? [];
    const vm1 = violations.filter((v) => v.source.name === 'vm1-nic');
    expect(vm1.length).toBe(1);
    expect(vm1[0]?.reason).not.toMatch(/outside/);
    expect(vm1[0]?.reason).toMatch(/could not be proven|cannot be shown|not known|unknown/);
  });
});

// ---- Virtual WAN: a spoke behind a secured hub whose firewall's public IPs are listed in part ----

const WSUB = '66666666-6666-6666-6666-666666666666';
const WNET = `/subscriptions/${WSUB}/resourceGroups/rg-vwan/providers/Microsoft.Network`;
const wVnetId = (n: string): string => `${WNET}/virtualNetworks/${n}`;
const hubId = (n: string): string => `${WNET}/virtualHubs/${n}`;
const fwId = (n: string): string => `${WNET}/azureFirewalls/${n}`;

function securedHubEstate(publicIps: { readonly count: number; readonly addresses: readonly string[] }): readonly Json[] {
  return [
    {
      id: wVnetId('vnet-spoke'), name: 'vnet-spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: {
        provisioningState: 'Succeeded', addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, virtualNetworkPeerings: [],
        subnets: [{ id: `${wVnetId('vnet-spoke')}/subnets/app`, name: 'app', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.1.0/24' } }],
      },
    },
    {
      id: hubId('vhub'), name: 'vhub', type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
      properties: { provisioningState: 'Succeeded', virtualWan: { id: `${WNET}/virtualWans/vwan` }, addressPrefix: '10.255.0.0/23', sku: 'Standard', azureFirewall: { id: fwId('afw-hub') } },
    },
    {
      id: `${hubId('vhub')}/hubVirtualNetworkConnections/conn-spoke`, name: 'conn-spoke', type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
      properties: { provisioningState: 'Succeeded', remoteVirtualNetwork: { id: wVnetId('vnet-spoke') }, allowHubToRemoteVnetTransit: true, allowRemoteVnetToUseHubVnetGateways: true, enableInternetSecurity: true },
    },
    {
      id: fwId('afw-hub'), name: 'afw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
      properties: {
        provisioningState: 'Succeeded', sku: { name: 'AZFW_Hub', tier: 'Standard' }, virtualHub: { id: hubId('vhub') }, threatIntelMode: 'Alert',
        hubIPAddresses: { privateIPAddress: '10.255.0.132', publicIPs: { count: publicIps.count, addresses: publicIps.addresses.map((address) => ({ address })) } },
        networkRuleCollections: [{ name: 'allow-all', properties: { priority: 100, action: { type: 'Allow' }, rules: [{ name: 'any', protocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'] }] } }],
        applicationRuleCollections: [], natRuleCollections: [],
      },
    },
    {
      id: `${hubId('vhub')}/routingIntent/intent`, name: 'intent', type: 'Microsoft.Network/virtualHubs/routingIntent',
      properties: { provisioningState: 'Succeeded', routingPolicies: [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: fwId('afw-hub') }] },
    },
  ];
}

describe('egressIpsWithin through a secured hub firewall whose public IP list is partial', () => {
  // Azure Firewall REST (azure-firewalls/get): hubIPAddresses.publicIPs.count is "The number of
  // Public IP addresses associated with azure firewall", `addresses` their list. With several public
  // IPs "Azure Firewall randomly selects the source public IP address to use for a connection"
  // (https://learn.microsoft.com/azure/firewall/features#multiple-public-ip-addresses). count 3 with
  // one address given leaves two egress IPs the input does not name (the path names them as such,
  // with a gap). README: egressIpsWithin holds when "every egress IP of an internet path lies in
  // these CIDRs", and unknown egress IPs are a violation: the deny control does not pass.
  it('count 3, one address listed inside the range: the control does not pass', () => {
    const result = check(securedHubEstate({ count: 3, addresses: ['20.61.14.1'] }), EGRESS_IPS('20.61.14.0/24'));
    const control = result.controls[0];
    expect(control?.inScope.length).toBeGreaterThan(0);
    expect(control?.status).toBe('fail');
    expect(control?.violations[0]?.reason).toMatch(/could not be proven|cannot be shown|not known|unknown/);
    expect(result.summary.denyFailed).toEqual(['egress-ips']);
  });
});

describe('the path through a secured hub firewall whose public IP list is partial', () => {
  it('names the unlisted addresses as not in the input, counts their SNAT ports in the minimum, and records a gap', () => {
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'estate.json', json: securedHubEstate({ count: 3, addresses: ['20.61.14.1'] }) }]);
    const result = resolveEgress({ model, effectiveRoutes, metrics: [], gaps: [...gaps] });
    const path = result.paths.find((p) => p.source.name === 'app');
    expect(path?.verdict).toBe('internet');
    expect(path?.egressIps).toEqual(['20.61.14.1', expect.stringMatching(/^2 more public IPs of \S+ \(not in the input\)$/)]);
    // 2,496 ports × 2 instances at least × 3 public IPs [FWNAT].
    expect(path?.snatPorts).toBe(2_496 * 2 * 3);
    expect(result.gaps.some((g) => /hubIPAddresses\.publicIPs\.count is 3 but the input lists 1 address/.test(g.message))).toBe(true);
    // All listed: no such name, no gap.
    const whole = normalizeArm([{ fileName: 'estate.json', json: securedHubEstate({ count: 2, addresses: ['20.61.14.1', '20.61.14.2'] }) }]);
    const complete = resolveEgress({ model: whole.model, effectiveRoutes: whole.effectiveRoutes, metrics: [], gaps: [...whole.gaps] });
    expect(complete.paths.find((p) => p.source.name === 'app')?.egressIps).toEqual(['20.61.14.1', '20.61.14.2']);
  });
});
