/**
 * Application security groups in NSG rules.
 * [ASG] https://learn.microsoft.com/azure/virtual-network/application-security-groups
 * [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 */
import { describe, expect, it } from 'vitest';
import { evaluateNsg, evaluateNsgChain, evaluateNsgForDestination } from '../../../shared/egress/nsg';
import { toResourceId } from '../../../shared/model/ids';
import { buildModelIndex } from '../../../shared/model/model-index';
import { ModelBuilder, securityRule } from '../../support/model-builder';
import { INTERNET, RG, SHAPES, from, nicJson, normalize, nsgJson, onlyNsg, to, type JsonObject } from './nsg-support';

// ASG IDs in the casing Azure sometimes returns (RG upper-case in one place, lower in another).
const ASG_WEB = `${RG}/applicationSecurityGroups/ASG-Web`;
const ASG_WEB_LOWER = ASG_WEB.toLowerCase();
const ASG_DB = `${RG}/applicationSecurityGroups/asg-db`;
const VNET = `${RG}/virtualNetworks/vnet-app`;
const SUBNET = `${VNET}/subnets/snet-app`;
const WEB = toResourceId(ASG_WEB);
const DB = toResourceId(ASG_DB);

function vnetJson(nsgId: string): JsonObject {
  return {
    name: 'vnet-app', id: VNET, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [
      { name: 'snet-app', id: SUBNET, properties: { addressPrefix: '10.1.1.0/24', networkSecurityGroup: { id: nsgId } } },
    ] },
  };
}

/** Web servers may not reach the internet; everyone else may (AllowInternetOutBound). */
const DENY_WEB_TO_INTERNET = nsgJson('nsg-app', [
  { name: 'deny-web-internet', priority: 100, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: 'Internet',
    sourceApplicationSecurityGroups: [{ id: ASG_WEB }] },
]);
const NSG_ID = String(DENY_WEB_TO_INTERNET.id);

describe('ASGs: ARM mapping', () => {
  for (const shape of SHAPES) {
    // [ASG] NICs join an ASG per IP configuration (`applicationSecurityGroups`); rules name ASGs in
    // `sourceApplicationSecurityGroups` / `destinationApplicationSecurityGroups`.
    it(`reads rule ASGs and NIC ipconfig memberships (${shape} shape), IDs canonicalised whatever the casing`, () => {
      const model = normalize([
        DENY_WEB_TO_INTERNET,
        nsgJson('nsg-db', [{ name: 'deny-to-db', priority: 120, direction: 'Inbound', access: 'Deny', protocol: '*', destinationApplicationSecurityGroups: [{ id: ASG_DB }] }]),
        nicJson('vm-web-nic', SUBNET, '10.1.1.4', [ASG_WEB_LOWER]),
        nicJson('vm-plain-nic', SUBNET, '10.1.1.5'),
      ], shape);
      const rule = onlyNsg(model, 'nsg-app').securityRules.find((r) => r.name === 'deny-web-internet');
      expect(rule?.sourceApplicationSecurityGroupIds).toEqual([WEB]);
      expect(rule?.sourceAddressPrefixes).toEqual([]);
      expect(rule?.destinationApplicationSecurityGroupIds).toBeUndefined();
      expect(onlyNsg(model, 'nsg-db').securityRules.find((r) => r.name === 'deny-to-db')?.destinationApplicationSecurityGroupIds).toEqual([DB]);
      // Default rules carry no ASGs and keep their old shape.
      expect(onlyNsg(model, 'nsg-app').securityRules.find((r) => r.name === 'AllowInternetOutBound')).not.toHaveProperty('sourceApplicationSecurityGroupIds');
      const web = model.networkInterfaces.find((n) => n.name === 'vm-web-nic');
      expect(web?.ipConfigurations[0]?.applicationSecurityGroupIds).toEqual([WEB]);
      expect(model.networkInterfaces.find((n) => n.name === 'vm-plain-nic')?.ipConfigurations[0]).not.toHaveProperty('applicationSecurityGroupIds');
    });
  }
});

describe('ASGs: rule matching', () => {
  // [ASG] "The rules that specify an application security group as the source or destination are
  // only applied to the network interfaces that are members of the application security group."
  it('a source-ASG rule applies to member NICs only', () => {
    const nsg = onlyNsg(normalize([DENY_WEB_TO_INTERNET], 'rest'), 'nsg-app');
    expect(evaluateNsg(nsg, INTERNET, from('10.1.1.4/32', [WEB])).rule.name).toBe('deny-web-internet');
    expect(evaluateNsg(nsg, INTERNET, from('10.1.1.5/32', [DB])).rule.name).toBe('AllowInternetOutBound');
    expect(evaluateNsgForDestination(nsg, INTERNET, from('10.1.1.4/32', [WEB]), 'Outbound')).toMatchObject({ access: 'Deny', rules: [{ rule: { name: 'deny-web-internet' } }] });
    expect(evaluateNsgForDestination(nsg, to('8.8.8.8'), from('10.1.1.5/32', [DB]), 'Outbound').access).toBe('Allow');
  });

  // [ASG] a NIC that is not a member is not subject to the rule "even though the network security
  // group is associated to the subnet": the subnet entry stands for a NIC in no ASG.
  it('the subnet-level entry (no memberships) is never matched by an ASG rule', () => {
    const nsg = onlyNsg(normalize([DENY_WEB_TO_INTERNET], 'az'), 'nsg-app');
    const subnetEntry = from('10.1.1.0/24');
    expect(evaluateNsg(nsg, INTERNET, subnetEntry).access).toBe('Allow');
    expect(evaluateNsgForDestination(nsg, INTERNET, subnetEntry, 'Outbound').access).toBe('Allow');
  });

  // [ASG] ASG members are network interfaces; an internet address is never one.
  it('a destination-ASG rule never matches an internet destination', () => {
    const rules = [securityRule('deny-to-web', 100, 'Deny', '*', { destinationApplicationSecurityGroupIds: [WEB] })];
    const nsg = { ...onlyNsg(normalize([nsgJson('n', [])], 'rest'), 'n'), securityRules: rules };
    const source = from('10.1.1.4/32', [WEB]);
    expect(evaluateNsg(nsg, to('8.8.8.8'), source).rule.name).toBe('AllowInternetOutBound');
    expect(evaluateNsgForDestination(nsg, INTERNET, source, 'Outbound').access).toBe('Allow');
    // The same rule as it comes from ARM (no destination prefix, only the ASG).
    const fromArm = onlyNsg(normalize([nsgJson('n2', [{ name: 'deny-to-web', priority: 100, direction: 'Outbound', access: 'Deny',
      destinationApplicationSecurityGroups: [{ id: ASG_WEB }] }])], 'az'), 'n2');
    expect(evaluateNsgForDestination(fromArm, INTERNET, source, 'Outbound').access).toBe('Allow');
  });

  // [ASG] a NIC can be a member of several ASGs: any membership named in the rule matches.
  it('matches when any of several memberships is named by the rule', () => {
    const nsg = onlyNsg(normalize([DENY_WEB_TO_INTERNET], 'rest'), 'nsg-app');
    expect(evaluateNsgChain([nsg], INTERNET, from('10.1.1.4/32', [DB, WEB]), 'Outbound').access).toBe('Deny');
  });
});

describe('ASGs: NIC entries in the model index', () => {
  // A member of an ASG that the subnet's NSG references may be treated differently from the subnet
  // entry [ASG], so it gets its own entry; members of other ASGs and plain NICs do not.
  for (const shape of SHAPES) {
    it(`lists NICs in an ASG referenced by the subnet NSG under subnetNicsWithOwnEgress (${shape})`, () => {
      const model = normalize([
        vnetJson(NSG_ID), DENY_WEB_TO_INTERNET,
        nicJson('vm-web-nic', SUBNET, '10.1.1.4', [ASG_WEB]),
        nicJson('vm-db-nic', SUBNET, '10.1.1.6', [ASG_DB]),
        nicJson('vm-plain-nic', SUBNET, '10.1.1.5'),
      ], shape);
      const index = buildModelIndex(model);
      expect(index.subnetNicsWithOwnEgress.get(toResourceId(SUBNET))?.map((n) => n.name)).toEqual(['vm-web-nic']);
      expect(index.subnetNics.get(toResourceId(SUBNET))?.map((n) => n.name).sort()).toEqual(['vm-db-nic', 'vm-plain-nic', 'vm-web-nic']);
    });
  }

  it('the model builder supports ASG memberships and ASG rules (same rule through the index)', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('v', ['10.2.0.0/16']);
    const asg = toResourceId(`${RG}/applicationSecurityGroups/asg-batch`);
    const nsg = b.nsg('nsg', [securityRule('deny-batch', 100, 'Deny', 'Internet', { sourceAddressPrefixes: [], sourceApplicationSecurityGroupIds: [asg] })]);
    const subnet = b.subnet(vnet, 'batch', '10.2.1.0/24', { networkSecurityGroupId: nsg });
    b.nic(subnet, 'member', '10.2.1.4', { asgIds: [asg] });
    b.nic(subnet, 'other', '10.2.1.5');
    const index = buildModelIndex(b.build());
    expect(index.subnetNicsWithOwnEgress.get(subnet)?.map((n) => n.name)).toEqual(['member']);
  });
});
