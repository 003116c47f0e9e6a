/**
 * Outbound details from a review of afbe95b: NICs whose default outbound flag is false as their normal
 * state (private endpoints, NICs attached to no VM), and the wording of load-balancing-rule SNAT.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { terminalOf } from '../../../shared/egress/steps';
import { ModelBuilder } from '../../support/model-builder';
import { explanations, resolve } from './support';
import { RG, nicJson, normalize, type JsonObject } from './nsg-support';

const vnetId = `${RG}/virtualNetworks/vnet-app`;
const peSubnetId = `${vnetId}/subnets/snet-pe`;

/** A VNet with one ordinary subnet (defaultOutboundAccess not set, no NAT gateway, no route table). */
function vnet(): JsonObject {
  return {
    name: 'vnet-app', id: vnetId, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ name: 'snet-pe', id: peSubnetId, properties: { addressPrefix: '10.1.1.0/24' } }] },
  };
}

function withProps(nic: JsonObject, props: JsonObject): JsonObject {
  return { ...nic, properties: { ...(nic.properties as JsonObject), ...props } };
}

describe('defaultOutboundConnectivityEnabled = false on NICs that no VM sends from', () => {
  /**
   * Azure prints `"defaultOutboundConnectivityEnabled": false` on private endpoint NICs (e.g. a
   * captured `az network nic show` of a PE NIC: kind Regular, managedBy the endpoint,
   * defaultOutboundConnectivityEnabled: false), and on NICs not attached to a VM (a NIC created by a
   * REST PUT and read back: false). The field "tracks if default outbound access is being utilized"
   * (MicrosoftDocs/azure-docs default-outbound-access.md, NOTE under "Add an explicit outbound
   * method"): a NIC without a VM never utilizes it. Private endpoints "initiate no outbound
   * connections" (the tool's own words in resolve.ts privateEndpointsOnly). model-index.ts
   * defaultOutboundDiffers gives every such NIC its own entry, and outbound.ts defaultOutbound turns
   * it into `unknown` ("...which is the case while its VM is deallocated"): a PE subnet, a common
   * documented layout, fills the report with one unknown per private endpoint.
   */
  it('a private endpoints subnet whose PE NICs say false: no unknown sources, the PE NICs answer with the subnet', () => {
    const pe = (name: string, ip: string): JsonObject => withProps(nicJson(`${name}.nic-1234`, peSubnetId, ip), {
      privateEndpoint: { id: `${RG}/privateEndpoints/${name}` }, defaultOutboundConnectivityEnabled: false,
    });
    const model = normalize([vnet(), pe('pe-kv', '10.1.1.4'), pe('pe-sql', '10.1.1.5'), pe('pe-blob', '10.1.1.6')], 'rest');
    const result = resolve(model);
    expect(result.paths.filter((p) => p.verdict === 'unknown').map((p) => p.source.name)).toEqual([]);
    expect(result.paths.map((p) => p.source.type)).toEqual(['subnet']);
  });

  it('a NIC attached to no VM says false: not an unknown that blames "its VM" being deallocated', () => {
    const model = normalize([vnet(), withProps(nicJson('spare-nic', peSubnetId, '10.1.1.9'), { defaultOutboundConnectivityEnabled: false })], 'rest');
    const result = resolve(model);
    const unknown = result.paths.filter((p) => p.verdict === 'unknown');
    const facts = unknown.map((p) => { const r = terminalOf(p.steps).reason; return r.kind === 'undecided' ? r.missingFact : r.kind; });
    expect(facts).toEqual([]);
  });
});

describe('explanation of load-balancing-rule SNAT through several rules', () => {
  /**
   * afbe95b makes the exit the SNAT of ALL the pool's rules: ports = MIN(table by pool size ×
   * number of frontend IPs, 1024) [LBOUT load-balancer-outbound-connections.md, "Default port
   * allocation table"]. explain.ts still says "the backend pool of a load-balancing rule ... which
   * programs outbound SNAT to 20.0.0.1, 20.0.0.2 with 1024 ports per instance (default table by pool
   * size)": one rule does not SNAT to both frontends (each rule's own frontend), and for 60 VMs the
   * table by pool size gives 512, not 1024: an auditor checking the figure against the table finds
   * it contradicts the stated basis (the × 2 frontends is not said).
   */
  it('60 VMs, rules https (fe1) and dns (fe2): the hop names the rules and the per-frontend multiplication', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.0.0/20');
    const lb = b.loadBalancer('lb', {
      frontends: [{ name: 'fe1', publicIpId: b.publicIp('pip1', '20.0.0.1') }, { name: 'fe2', publicIpId: b.publicIp('pip2', '20.0.0.2') }],
      pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe1', pool: 'pool', port: 443 }, { name: 'dns', frontend: 'fe2', pool: 'pool', port: 53 }],
    });
    const nics = Array.from({ length: 60 }, (_, i) => b.nic(s, `vm${String(i).padStart(2, '0')}-nic`, `10.0.1.${i + 4}`,
      { vmId: `/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm${i}` as ResourceId, poolIds: [ModelBuilder.poolId(lb, 'pool')] }));
    const path = resolve(b.build()).paths.find((p) => p.source.id === nics[0]);
    expect(path).toMatchObject({ verdict: 'internet', exit: 'load-balancer', snatPorts: 1024 });
    const hop = explanations(path!).split('\n').find((l) => l.startsWith('LB lb')) ?? '';
    // Not "a load-balancing rule" for two rules, nor "rule dns, https".
    expect(hop).not.toMatch(/of a load-balancing rule with/);
    expect(hop).not.toMatch(/\brule dns, https\b/);
    // The 1,024 is 512 (60 VMs) × 2 frontend IPs: the basis says the frontends, not "by pool size" alone.
    expect(hop).toMatch(/frontend/i);
  });
});
