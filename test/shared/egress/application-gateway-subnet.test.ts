/**
 * A subnet dedicated to an application gateway (its instances listed in the subnet's
 * `applicationGatewayIPConfigurations`, as `az network vnet show` prints it) holds no VM the subnet
 * entry's "default outbound access" would describe; the model reads no application gateways, so
 * what the gateway's instances use to reach the internet is unknown, naming the gateway.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';

const NET = '/subscriptions/00000000-0000-0000-0000-00000000a9a9/resourceGroups/rg-web/providers/Microsoft.Network';
const VNET = `${NET}/virtualNetworks/vnet-web`;
const APPGW_SUBNET = `${VNET}/subnets/snet-appgw`;
const APP_SUBNET = `${VNET}/subnets/snet-app`;
const APPGW = `${NET}/applicationGateways/agw-web`;

/** `az network vnet show -o json` (flattened). */
function vnet(appGwSubnet: Record<string, unknown> = {}): unknown {
  return {
    id: VNET, name: 'vnet-web', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', resourceGroup: 'rg-web',
    addressSpace: { addressPrefixes: ['10.8.0.0/16'] },
    subnets: [
      { id: APPGW_SUBNET, name: 'snet-appgw', addressPrefix: '10.8.0.0/24', resourceGroup: 'rg-web', type: 'Microsoft.Network/virtualNetworks/subnets',
        applicationGatewayIPConfigurations: [{ id: `${APPGW}/gatewayIPConfigurations/appGatewayIpConfig`, resourceGroup: 'rg-web' }], ...appGwSubnet },
      { id: APP_SUBNET, name: 'snet-app', addressPrefix: '10.8.1.0/24', resourceGroup: 'rg-web', type: 'Microsoft.Network/virtualNetworks/subnets' },
    ],
    virtualNetworkPeerings: [],
  };
}

function resolveAll(resources: readonly unknown[]): ResolveResult {
  const n = normalizeArm([{ fileName: 'vnet.json', json: resources }]);
  return resolveEgress({ model: n.model, effectiveRoutes: n.effectiveRoutes, metrics: [], gaps: n.gaps });
}

const pathOf = (r: ResolveResult, id: string): EgressPath => {
  const p = r.paths.find((x) => x.source.id === id.toLowerCase());
  if (!p) throw new Error(`no path for ${id}`);
  return p;
};

describe('a subnet holding an application gateway\'s instances', () => {
  it('is unknown, naming the gateway, not "default outbound access"; its neighbour subnet is unchanged', () => {
    const result = resolveAll([vnet()]);
    const appgw = pathOf(result, APPGW_SUBNET);
    expect(appgw.verdict).toBe('unknown');
    expect(appgw.findings.map((f) => f.code)).not.toContain('default-outbound');
    expect(result.gaps.find((g) => g.scope === APPGW.toLowerCase())?.message).toMatch(/application gateway agw-web, whose instances subnet snet-appgw holds \(applicationGatewayIPConfigurations\)/);
    expect(pathOf(result, APP_SUBNET)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });

  it('the snapshot model keeps the gateway (an optional field)', () => {
    const { model } = normalizeArm([{ fileName: 'vnet.json', json: [vnet()] }]);
    expect(model.subnets.find((s) => s.name === 'snet-appgw')?.applicationGatewayIds).toEqual([APPGW.toLowerCase()]);
    expect(model.subnets.find((s) => s.name === 'snet-app')).not.toHaveProperty('applicationGatewayIds');
    // az spells it `applicationGatewayIpConfigurations` (the Python SDK's casing).
    const az = normalizeArm([{ fileName: 'vnet.json', json: [vnet({ applicationGatewayIPConfigurations: undefined, applicationGatewayIpConfigurations: [{ id: `${APPGW}/gatewayIPConfigurations/appGatewayIpConfig` }] })] }]);
    expect(az.model.subnets.find((s) => s.name === 'snet-appgw')?.applicationGatewayIds).toEqual([APPGW.toLowerCase()]);
  });

  it('a NAT gateway on the subnet still decides (it applies to the whole subnet)', () => {
    const nat = { id: `${NET}/natGateways/ng-web`, name: 'ng-web', type: 'Microsoft.Network/natGateways', location: 'westeurope', resourceGroup: 'rg-web',
      sku: { name: 'Standard' }, publicIpAddresses: [{ id: `${NET}/publicIPAddresses/pip-ng` }] };
    const pip = { id: `${NET}/publicIPAddresses/pip-ng`, name: 'pip-ng', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', resourceGroup: 'rg-web',
      ipAddress: '20.8.0.1', publicIPAddressVersion: 'IPv4', sku: { name: 'Standard' } };
    const result = resolveAll([vnet({ natGateway: { id: nat.id } }), nat, pip]);
    expect(pathOf(result, APPGW_SUBNET)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway' });
  });
});
