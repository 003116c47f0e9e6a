/**
 * IP groups, rule IP-group references, rule collection group capture and SNAT settings, from ARM
 * JSON as Azure returns it (REST shape, az flattened shape, PowerShell casing) through the real
 * normalizer.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { toResourceId } from '../../../shared/model/ids';
import { buildModelIndex } from '../../../shared/model/model-index';
import { asAzOutput, problemOf, type Problem } from './helpers';

const NET = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/RG-Hub/providers/Microsoft.Network';
const id = (raw: string) => toResourceId(raw);

/** IpGroups_Get (REST shape), per the azure-rest-api-specs ipGroups.json `IpGroupPropertiesFormat`. */
const IP_GROUP_REST = {
  id: `${NET}/ipGroups/ipg-onprem`, name: 'ipg-onprem', type: 'Microsoft.Network/ipGroups', location: 'westeurope',
  tags: { owner: 'netops' },
  properties: {
    provisioningState: 'Succeeded',
    ipAddresses: ['10.0.0.0', '10.1.0.0/32', '10.2.0.0-10.2.0.31'],
    firewalls: [{ id: `${NET}/azureFirewalls/afw-hub` }],
    firewallPolicies: [{ id: `${NET}/firewallPolicies/fwp-hub` }],
  },
};

function normalize(json: unknown, fileName = 'ipg.json') {
  return normalizeArm([{ fileName, json }]);
}

function errorOf(json: unknown, fileName = 'ipg.json'): Problem {
  return problemOf(json, fileName);
}

describe('Microsoft.Network/ipGroups', () => {
  // https://learn.microsoft.com/azure/firewall/ip-groups: "Single address: 10.0.0.0, CIDR
  // notation: 10.1.0.0/32, Address range: 10.2.0.0-10.2.0.31".
  it('normalizes an IP group (REST shape) with single addresses, CIDRs and ranges', () => {
    const { model, gaps } = normalize([IP_GROUP_REST]);
    expect(gaps).toEqual([]);
    expect(model.ipGroups).toEqual([{
      id: id(`${NET}/ipGroups/ipg-onprem`), name: 'ipg-onprem', kind: 'ipGroup', subscriptionId: '11111111-1111-1111-1111-111111111111',
      resourceGroup: 'RG-Hub', location: 'westeurope', tags: { owner: 'netops' }, ipAddresses: ['10.0.0.0', '10.1.0.0/32', '10.2.0.0-10.2.0.31'],
      ipAddressesCaptured: true,
    }]);
  });

  // Same page; `az network ip-group show -o json` prints the properties flattened.
  it('reads the flattened az shape the same way', () => {
    const { model } = normalize(asAzOutput(IP_GROUP_REST));
    expect(model.ipGroups[0]?.ipAddresses).toEqual(['10.0.0.0', '10.1.0.0/32', '10.2.0.0-10.2.0.31']);
  });

  // Same page (Get-AzIpGroup): PowerShell objects spell the field `IpAddresses`.
  it('reads the PowerShell casing IpAddresses', () => {
    const { model } = normalize({ id: `${NET}/ipGroups/ps`, name: 'ps', type: 'Microsoft.Network/ipGroups', IpAddresses: ['192.168.0.0/24'] });
    expect(model.ipGroups[0]?.ipAddresses).toEqual(['192.168.0.0/24']);
  });

  // Same page: entries are addresses, CIDRs or ranges; anything else is bad input.
  it('rejects an entry that is not an address, CIDR or range, naming file, path and expectation', () => {
    const bad = { ...IP_GROUP_REST, properties: { ipAddresses: ['10.0.0.0/8', '10.2.0.31-10.2.0.0'] } };
    const error = errorOf([bad], 'groups.json');
    expect(error).toMatchObject({ file: 'groups.json', path: '$[0].properties.ipAddresses[1]', found: '"10.2.0.31-10.2.0.0"' });
    expect(error.expected).toContain('range like "10.2.0.0-10.2.0.31"');
  });
});

describe('firewall rules referencing IP groups', () => {
  const policy = {
    id: `${NET}/firewallPolicies/fwp-hub`, name: 'fwp-hub', type: 'Microsoft.Network/firewallPolicies',
    properties: { ruleCollectionGroups: [{ id: `${NET}/firewallPolicies/fwp-hub/ruleCollectionGroups/rcg` }] },
  };
  const group = {
    id: `${NET}/firewallPolicies/fwp-hub/ruleCollectionGroups/rcg`, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
    properties: { priority: 200, ruleCollections: [{
      ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name: 'c', priority: 100, action: { type: 'Allow' },
      rules: [
        { ruleType: 'NetworkRule', name: 'n', ipProtocols: ['TCP'], sourceAddresses: [], sourceIpGroups: [`${NET}/ipGroups/ipg-onprem`],
          destinationAddresses: [], destinationIpGroups: [`${NET}/ipGroups/IPG-Partners`], destinationPorts: ['443'] },
        { ruleType: 'ApplicationRule', name: 'a', sourceIpGroups: [`${NET}/ipGroups/ipg-onprem`], protocols: [{ protocolType: 'Https', port: 443 }],
          targetFqdns: ['github.com'] },
      ],
    }] },
  };

  // https://learn.microsoft.com/azure/firewall/ip-groups: "a source or destination address in
  // network rules", "a source address in application rules"; IDs compare case-insensitively.
  it('policy network and application rules carry their IP group IDs (canonical)', () => {
    const { model } = normalize([policy, group, IP_GROUP_REST]);
    expect(model.firewallPolicies[0]?.rules).toEqual([
      expect.objectContaining({ kind: 'network', sourceAddresses: [], sourceIpGroupIds: [id(`${NET}/ipGroups/ipg-onprem`)], destinationIpGroupIds: [id(`${NET}/ipGroups/ipg-partners`)] }),
      expect.objectContaining({ kind: 'application', sourceIpGroupIds: [id(`${NET}/ipGroups/ipg-onprem`)] }),
    ]);
    expect(model.firewallPolicies[0]?.loadedRuleCollectionGroupIds).toEqual([id(group.id)]);
  });

  // Same page; the az CLI output (flattened) carries the same keys.
  it('reads the az shape of the rule collection group', () => {
    const { model } = normalize([asAzOutput(policy), asAzOutput(group)]);
    expect(model.firewallPolicies[0]?.rules[0]).toMatchObject({ sourceIpGroupIds: [id(`${NET}/ipGroups/ipg-onprem`)] });
  });

  // A group referenced but not in the input is a dangling reference: reported as a gap.
  it('reports a referenced IP group that is not in the input as a missing-reference gap', () => {
    const { model } = normalize([policy, group, IP_GROUP_REST]);
    const gaps = buildModelIndex(model).gaps.filter((g) => g.message.startsWith('IP group'));
    expect(gaps).toEqual([expect.objectContaining({ code: 'missing-reference', scope: id(policy.id) })]);
    expect(gaps[0]?.message).toContain('ipg-partners');
  });
});

describe('SNAT settings', () => {
  // https://learn.microsoft.com/azure/firewall/snat-private-range ("Auto-learn SNAT routes"):
  // `"snat": { "autoLearnPrivateRanges": "Enabled" }` on the policy.
  it('maps policy snat.privateRanges and snat.autoLearnPrivateRanges', () => {
    const { model } = normalize([{ id: `${NET}/firewallPolicies/p`, name: 'p', type: 'Microsoft.Network/firewallPolicies',
      properties: { snat: { privateRanges: ['IANAPrivateRanges', '20.0.0.0/8'], autoLearnPrivateRanges: 'Enabled' } } }]);
    expect(model.firewallPolicies[0]).toMatchObject({ snatPrivateRanges: ['IANAPrivateRanges', '20.0.0.0/8'], snatAutoLearnPrivateRanges: true });
  });

  // Same page: the value is "Enabled" or "Disabled"; anything else is bad input.
  it('rejects an autoLearnPrivateRanges value other than Enabled / Disabled, naming the path', () => {
    const error = errorOf([{ id: `${NET}/firewallPolicies/p`, name: 'p', type: 'Microsoft.Network/firewallPolicies',
      properties: { snat: { autoLearnPrivateRanges: 'Sometimes' } } }]);
    expect(error).toMatchObject({ path: '$[0].properties.snat.autoLearnPrivateRanges', expected: '"Enabled" or "Disabled"' });
  });

  // Same page, classic rules: `additionalProperties` `"Network.SNAT.PrivateRanges": "IANAPrivateRanges , IPRange1, IPRange2"`.
  it('maps a classic firewall\'s additionalProperties SNAT settings (az flattened shape)', () => {
    const { model } = normalize(asAzOutput({ id: `${NET}/azureFirewalls/fw`, name: 'fw', type: 'Microsoft.Network/azureFirewalls',
      properties: { additionalProperties: { 'Network.SNAT.PrivateRanges': 'IANAPrivateRanges , 192.168.1.0/24, 192.168.1.10', 'Network.SNAT.AutoLearnPrivateRanges': 'Disabled' } } }));
    expect(model.azureFirewalls[0]).toMatchObject({ snatPrivateRanges: ['IANAPrivateRanges', '192.168.1.0/24', '192.168.1.10'], snatAutoLearnPrivateRanges: false });
  });
});
