import { describe, expect, it } from 'vitest';
import {
  buildDefaultGraph, buildEgressGraph, chooseDefaultView, edgeId, graphElementCount, pathElementIds,
} from '../../../shared/graph';
import type { GraphNode, VerdictCounts } from '../../../shared/graph';
import type { Verdict } from '../../../shared/egress/types';
import { emptyNetworkModel } from '../../../shared/model/topology';
import { hop, hubSpokeModel, hubSpokeResult, ids, path, result, rid } from './hub-spoke-fixture';

const zeroCounts: VerdictCounts = { internet: 0, private: 0, 'on-premises': 0, dropped: 0, denied: 0, 'no-outbound': 0, unknown: 0 };

function vnetCompound(id: string, label: string, sublabel: string): GraphNode {
  return { kind: 'vnet', id, label, sublabel, parent: null, resourceId: id, compound: true, subnetCount: 0, nicCount: 0, verdictCounts: zeroCounts };
}

function subnetNode(id: string, label: string, sublabel: string, parent: string, verdict: Verdict, exit: 'public-ip' | 'nat-gateway' | null, inspected: boolean, nicExceptionCount = 0): GraphNode {
  return { kind: 'subnet', id, label, sublabel, parent, resourceId: id, verdict, exit, inspected, pathCount: 1 + nicExceptionCount, nicExceptionCount };
}

function publicIp(id: string, address: string, name: string): GraphNode {
  return { kind: 'public-ip', id, label: address, sublabel: name, parent: null, resourceId: id, address };
}

describe('buildEgressGraph: full view of a hub-spoke estate', () => {
  const graph = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' });

  it('draws VNet compounds, path sources, appliances, exits, egress IPs and sinks', () => {
    expect(graph.nodes).toEqual<GraphNode[]>([
      vnetCompound(ids.hub, 'vnet-hub', '10.0.0.0/16'),
      vnetCompound(ids.spoke1, 'vnet-spoke1', '10.1.0.0/16'),
      vnetCompound(ids.spoke2, 'vnet-spoke2', '10.2.0.0/16'),
      { kind: 'azure-firewall', id: ids.firewall, label: 'fw-hub', sublabel: '10.0.1.4', parent: ids.hub, resourceId: ids.firewall },
      { kind: 'nat-gateway', id: ids.nat, label: 'nat-spoke2', sublabel: 'NAT gateway', parent: null, resourceId: ids.nat },
      {
        kind: 'nic', id: ids.nic, label: 'vm1-nic', sublabel: '10.1.1.10', parent: ids.spoke1, resourceId: ids.nic,
        verdict: 'internet', exit: 'public-ip', inspected: false, subnetId: ids.app,
      },
      publicIp(ids.pipFirewall, '20.0.0.1', 'pip-fw'),
      publicIp(ids.pipNat, '20.0.0.2', 'pip-nat'),
      publicIp(ids.pipVm, '20.0.0.3', 'pip-vm1'),
      { kind: 'virtual-network-gateway', id: ids.gateway, label: 'vgw-hub', sublabel: 'Vpn gateway', parent: ids.hub, resourceId: ids.gateway },
      subnetNode(ids.mgmt, 'mgmt', '10.0.2.0/24', ids.hub, 'on-premises', null, false),
      subnetNode(ids.app, 'app', '10.1.1.0/24', ids.spoke1, 'internet', 'public-ip', true, 1),
      subnetNode(ids.data, 'data', '10.1.2.0/24', ids.spoke1, 'internet', 'public-ip', true),
      subnetNode(ids.locked, 'locked', '10.1.3.0/24', ids.spoke1, 'denied', null, true),
      subnetNode(ids.web, 'web', '10.2.1.0/24', ids.spoke2, 'internet', 'nat-gateway', false),
      { kind: 'dropped', id: 'denied', reason: 'denied', label: 'Denied', sublabel: 'NSG or firewall deny', parent: null, resourceId: null },
      { kind: 'internet', id: 'internet', label: 'Internet', sublabel: '', parent: null, resourceId: null },
      { kind: 'on-premises', id: 'on-premises', label: 'On-premises', sublabel: '', parent: null, resourceId: null },
    ]);
  });

  it('links each path source → via → exit → egress IP → sink, merging shared edges', () => {
    const edge = (source: string, target: string, sourceIds: string[]) => ({
      id: edgeId(source, target), source, target, weight: sourceIds.length, sourceIds, label: '',
    });
    expect(graph.edges).toEqual([
      edge(ids.firewall, ids.pipFirewall, [ids.app, ids.data]),
      edge(ids.firewall, 'denied', [ids.locked]),
      edge(ids.nat, ids.pipNat, [ids.web]),
      edge(ids.nic, ids.pipVm, [ids.nic]),
      edge(ids.pipFirewall, 'internet', [ids.app, ids.data]),
      edge(ids.pipNat, 'internet', [ids.web]),
      edge(ids.pipVm, 'internet', [ids.nic]),
      edge(ids.gateway, 'on-premises', [ids.mgmt]),
      edge(ids.mgmt, ids.gateway, [ids.mgmt]),
      edge(ids.app, ids.firewall, [ids.app]),
      edge(ids.data, ids.firewall, [ids.data]),
      edge(ids.locked, ids.firewall, [ids.locked]),
      edge(ids.web, ids.nat, [ids.web]),
    ]);
  });

  it('indexes the elements of one path for highlighting', () => {
    expect(pathElementIds(graph, ids.data)).toEqual({
      nodeIds: [ids.firewall, ids.pipFirewall, ids.data, 'internet'].sort(),
      edgeIds: [edgeId(ids.firewall, ids.pipFirewall), edgeId(ids.pipFirewall, 'internet'), edgeId(ids.data, ids.firewall)].sort(),
    });
    expect(pathElementIds(graph, ids.locked)).toEqual({
      nodeIds: [ids.firewall, ids.locked, 'denied'].sort(),
      edgeIds: [edgeId(ids.firewall, 'denied'), edgeId(ids.locked, ids.firewall)].sort(),
    });
    expect(pathElementIds(graph, 'not-a-source')).toEqual({ nodeIds: [], edgeIds: [] });
    expect(pathElementIds(graph, 'constructor')).toEqual({ nodeIds: [], edgeIds: [] });
  });

  it('every highlighted edge of a path lists that path source', () => {
    for (const p of hubSpokeResult.paths) {
      for (const id of pathElementIds(graph, p.source.id).edgeIds) {
        expect(graph.edges.find((e) => e.id === id)?.sourceIds).toContain(p.source.id);
      }
    }
  });

  it('gives the same graph whatever the order of the paths', () => {
    const reversed = { ...hubSpokeResult, paths: [...hubSpokeResult.paths].reverse() };
    expect(buildEgressGraph(hubSpokeModel, reversed, { kind: 'full' })).toEqual(graph);
  });
});

describe('buildEgressGraph: path shapes', () => {
  it('passes a vWAN hub before its secured-hub firewall and fans out over several egress IPs', () => {
    const hubId = rid('virtualhubs', 'hub-weu');
    const firewallId = rid('azurefirewalls', 'fw-vwan');
    const model = {
      ...hubSpokeModel,
      azureFirewalls: [{ ...hubSpokeModel.azureFirewalls[0]!, id: firewallId, name: 'fw-vwan', ipConfigurations: [], virtualHubId: hubId, hubPrivateIpAddress: '10.100.0.132' }],
    };
    const graph = buildEgressGraph(model, result([
      path({ id: ids.app, verdict: 'internet', exit: 'public-ip', via: [firewallId], egressIps: ['52.0.0.1', '52.0.0.2'] }),
    ]), { kind: 'full' });
    expect(graph.edges.map((e) => [e.source, e.target])).toEqual([
      [firewallId, 'public-ip:52.0.0.1'],
      [firewallId, 'public-ip:52.0.0.2'],
      [hubId, firewallId],
      [ids.app, hubId],
      ['public-ip:52.0.0.1', 'internet'],
      ['public-ip:52.0.0.2', 'internet'],
    ]);
    expect(graph.nodes.find((n) => n.id === firewallId)).toEqual({
      kind: 'azure-firewall', id: firewallId, label: 'fw-vwan', sublabel: '10.100.0.132', parent: null, resourceId: firewallId,
    });
    expect(graph.nodes.find((n) => n.id === hubId)).toEqual({
      kind: 'virtual-hub', id: hubId, label: 'hub-weu', sublabel: 'Virtual WAN hub', parent: null, resourceId: hubId,
    });
  });

  it('draws default outbound as a pseudo-exit and keeps the exit off non-internet paths', () => {
    const graph = buildEgressGraph(hubSpokeModel, result([
      path({ id: ids.app, verdict: 'internet', exit: 'default-outbound' }),
      path({ id: ids.web, verdict: 'denied', exit: 'nat-gateway', egressIps: ['20.0.0.2'] }),
      path({ id: ids.data, verdict: 'no-outbound' }),
      path({ id: ids.locked, verdict: 'dropped', via: ['10.9.9.9'] }),
    ]), { kind: 'full' });
    expect(graph.edges.map((e) => [e.source, e.target])).toEqual([
      [ids.app, 'default-outbound'],
      [ids.data, 'no-outbound'],
      [ids.locked, '10.9.9.9'],
      [ids.web, 'denied'],
      ['10.9.9.9', 'dropped'],
      ['default-outbound', 'internet'],
    ]);
    expect(graph.nodes.filter((n) => n.parent === null && n.kind !== 'vnet').map((n) => [n.id, n.kind, n.label])).toEqual([
      ['10.9.9.9', 'nva', '10.9.9.9'],
      ['default-outbound', 'default-outbound', 'Default outbound'],
      ['denied', 'dropped', 'Denied'],
      ['dropped', 'dropped', 'Dropped'],
      ['internet', 'internet', 'Internet'],
      ['no-outbound', 'dropped', 'No outbound'],
    ]);
  });

  it('still draws paths whose resources are missing from the model, named from their IDs', () => {
    const graph = buildEgressGraph(emptyNetworkModel(), hubSpokeResult, { kind: 'full' });
    expect(graph.nodes.find((n) => n.id === ids.firewall)).toEqual({
      kind: 'azure-firewall', id: ids.firewall, label: 'fw-hub', sublabel: 'Azure Firewall', parent: null, resourceId: ids.firewall,
    });
    expect(graph.nodes.find((n) => n.id === ids.app)).toMatchObject({ kind: 'subnet', label: 'app', parent: ids.spoke1, sublabel: '' });
    // The NIC's VNet is unknown without the model: it sits at the top level.
    expect(graph.nodes.find((n) => n.id === ids.nic)).toMatchObject({ kind: 'nic', parent: null, subnetId: null });
    expect(graph.nodes.find((n) => n.id === '20.0.0.1')).toBeUndefined();
    expect(graph.nodes.find((n) => n.id === 'public-ip:20.0.0.1')).toMatchObject({ kind: 'public-ip', resourceId: null, address: '20.0.0.1' });
  });

  it('names a load balancer exit from a child ID in the hops, and ends an unknown verdict at the unknown sink', () => {
    const lbId = rid('loadbalancers', 'lb-outbound');
    const nicB = rid('networkinterfaces', 'vm2-nic');
    const graph = buildEgressGraph(hubSpokeModel, result([
      path({ type: 'nic', id: nicB, verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.7'], hops: [hop('load-balancer', `${lbId}/outboundrules/egress`)] }),
      path({ id: ids.web, verdict: 'unknown', exit: 'nat-gateway', hops: [] }),
    ]), { kind: 'full' });
    expect(graph.edges.map((e) => [e.source, e.target])).toEqual([
      [lbId, 'public-ip:20.0.0.7'],
      [ids.nat, 'unknown'],
      [nicB, lbId],
      [ids.web, ids.nat],
      ['public-ip:20.0.0.7', 'internet'],
    ]);
    expect(graph.nodes.find((n) => n.id === lbId)).toEqual({
      kind: 'load-balancer', id: lbId, label: 'lb-outbound', sublabel: 'outbound rules', parent: null, resourceId: lbId,
    });
    // The NAT gateway comes from the subnet in the model when the hops do not name it.
    expect(graph.nodes.find((n) => n.kind === 'nat-gateway')?.id).toBe(ids.nat);
    expect(graph.nodes.find((n) => n.id === 'unknown')).toEqual({ kind: 'unknown', id: 'unknown', label: 'Unknown', sublabel: 'not enough data', parent: null, resourceId: null });
    // A NIC the model does not know has no VNet: the overview groups it under one "Unknown VNet".
    const overview = buildEgressGraph(hubSpokeModel, result([
      path({ type: 'nic', id: nicB, verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.7'] }),
    ]), { kind: 'overview' });
    expect(overview.nodes.map((n) => [n.id, n.label, n.sublabel])).toEqual([
      ['vnet:unknown', 'Unknown VNet', '1 NIC · 1 internet'],
      ['internet', 'Internet', ''],
    ]);
    expect(overview.edges.map((e) => [e.source, e.target, e.label])).toEqual([['vnet:unknown', 'internet', 'Load balancer, 20.0.0.7']]);
  });

  it('uses the hops to place a route loop as a cycle between appliances', () => {
    const nvaA = rid('networkinterfaces', 'nva-a');
    const nvaB = rid('networkinterfaces', 'nva-b');
    const graph = buildEgressGraph(hubSpokeModel, result([
      path({ id: ids.app, verdict: 'dropped', via: [nvaA, nvaB, nvaA], hops: [hop('virtual-appliance', nvaA), hop('virtual-appliance', nvaB)] }),
    ]), { kind: 'full' });
    expect(graph.edges.map((e) => [e.source, e.target])).toEqual([
      [nvaA, nvaB],
      [nvaA, 'dropped'],
      [nvaB, nvaA],
      [ids.app, nvaA],
    ]);
    expect(graph.nodes.find((n) => n.id === nvaB)?.kind).toBe('nva');
  });
});

describe('buildEgressGraph: views', () => {
  it('overview: one node per VNet with verdict counts; exits private to one VNet fold into the edge label', () => {
    const graph = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'overview' });
    expect(graph.nodes.filter((n) => n.kind === 'vnet')).toEqual([
      { ...vnetCompound(ids.hub, 'vnet-hub', '1 subnet · 1 on-premises'), compound: false, subnetCount: 1, verdictCounts: { ...zeroCounts, 'on-premises': 1 } },
      { ...vnetCompound(ids.spoke1, 'vnet-spoke1', '3 subnets, 1 NIC · 3 internet, 1 denied'), compound: false, subnetCount: 3, nicCount: 1, verdictCounts: { ...zeroCounts, internet: 3, denied: 1 } },
      { ...vnetCompound(ids.spoke2, 'vnet-spoke2', '1 subnet · 1 internet'), compound: false, subnetCount: 1, verdictCounts: { ...zeroCounts, internet: 1 } },
    ]);
    expect(graph.nodes.map((n) => n.kind)).toEqual(['vnet', 'vnet', 'vnet', 'azure-firewall', 'virtual-network-gateway', 'dropped', 'internet', 'on-premises']);
    expect(graph.nodes.every((n) => n.parent === null)).toBe(true);
    expect(graph.edges.map((e) => [e.source, e.target, e.weight, e.label])).toEqual([
      [ids.firewall, 'denied', 1, ''],
      [ids.firewall, 'internet', 2, '20.0.0.1'],
      [ids.gateway, 'on-premises', 1, ''],
      [ids.hub, ids.gateway, 1, ''],
      [ids.spoke1, ids.firewall, 3, ''],
      [ids.spoke1, 'internet', 1, '20.0.0.3'],
      [ids.spoke2, 'internet', 1, 'nat-spoke2, 20.0.0.2'],
    ]);
    expect(pathElementIds(graph, ids.web)).toEqual({
      nodeIds: [ids.spoke2, 'internet'].sort(), edgeIds: [edgeId(ids.spoke2, 'internet')],
    });
  });

  it('overview keeps an exit shared by several VNets', () => {
    const shared = path({ id: ids.web, verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.2'], hops: [hop('nat-gateway', ids.nat)] });
    const graph = buildEgressGraph(hubSpokeModel, result([shared, { ...shared, source: { ...shared.source, id: ids.app, name: 'app' } }]), { kind: 'overview' });
    expect(graph.edges.map((e) => [e.source, e.target, e.weight])).toEqual([
      [ids.nat, ids.pipNat, 2],
      [ids.pipNat, 'internet', 2],
      [ids.spoke1, ids.nat, 1],
      [ids.spoke2, ids.nat, 1],
    ]);
  });

  it('path view holds only the elements of the chosen paths', () => {
    const graph = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'path', sourceIds: [ids.web] });
    expect(graph.nodes.map((n) => n.id)).toEqual([ids.spoke2, ids.nat, ids.pipNat, ids.web, 'internet']);
    expect(graph.edges.map((e) => e.id)).toEqual([edgeId(ids.nat, ids.pipNat), edgeId(ids.pipNat, 'internet'), edgeId(ids.web, ids.nat)]);
    expect(Object.keys(graph.pathIndex)).toEqual([ids.web]);
    const two = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'path', sourceIds: [ids.app, ids.nic] });
    expect(two.nodes.map((n) => n.id)).toEqual([ids.hub, ids.spoke1, ids.firewall, ids.nic, ids.pipFirewall, ids.pipVm, ids.app, 'internet']);
  });

  it('chooses the full view under the element budget and the overview above it', () => {
    const full = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' });
    expect(graphElementCount(full)).toBe(31);
    expect(chooseDefaultView(hubSpokeResult, 40)).toEqual({ kind: 'full' });
    expect(chooseDefaultView(hubSpokeResult, 20)).toEqual({ kind: 'overview' });
    expect(chooseDefaultView(result([]))).toEqual({ kind: 'full' });
  });

  it('builds the default view with its graph: the full graph kept under the budget, else the overview', () => {
    const full = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' });
    expect(buildDefaultGraph(hubSpokeModel, hubSpokeResult, 40)).toEqual({ view: { kind: 'full' }, graph: full });
    expect(buildDefaultGraph(hubSpokeModel, hubSpokeResult, 20)).toEqual({
      view: { kind: 'overview' }, graph: buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'overview' }),
    });
  });
});
