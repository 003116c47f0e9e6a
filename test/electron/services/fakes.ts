/** Small fakes for the main-side services: a snapshot, a resolver, reach, matrix, check and demo catalogue. */
import { MATRIX_SCHEMA, parseDestinationList, type MatrixResult } from '../../../shared/egress/matrix';
import { REACH_SCHEMA, type ReachResult } from '../../../shared/egress/reach';
import { RESOLVE_SCHEMA, type ResolveResult } from '../../../shared/egress/types';
import type { ImportedFile } from '../../../shared/ipc/contract';
import { InputError } from '../../../shared/model/errors';
import { toResourceId } from '../../../shared/model/ids';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../shared/model/snapshot';
import { emptyNetworkModel, type Subnet } from '../../../shared/model/topology';
import { CHECK_SCHEMA, parsePolicy, type CheckResult } from '../../../shared/policy/index';

export function fakeSubnet(name: string): Subnet {
  const vnet = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub';
  return {
    kind: 'subnet', id: toResourceId(`${vnet}/subnets/${name}`), name, subscriptionId: 's1', resourceGroup: 'rg',
    location: 'westeurope', tags: {}, virtualNetworkId: toResourceId(vnet), addressPrefixes: ['10.0.1.0/24'],
    routeTableId: null, natGatewayId: null, networkSecurityGroupId: null, defaultOutboundAccess: null,
    delegations: [], serviceEndpoints: [], privateEndpointNetworkPolicies: null,
  };
}

export function fakeSnapshot(origin: string, subnetNames: readonly string[] = ['snet-app']): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt: '2026-11-26T05:44:27.000Z', source: 'import', origin: [origin], capturedBy: null,
      scope: { tenantId: null, subscriptionIds: ['s1'], managementGroupId: null, cloud: null }, toolVersion: '0.1.0-test',
    },
    model: { ...emptyNetworkModel(), subnets: subnetNames.map(fakeSubnet) },
    effectiveRoutes: [],
    metrics: [],
    gaps: [],
    sha256: 'f'.repeat(64),
  };
}

export function fakeResolve(snapshot: Snapshot, destination: string | null): ResolveResult {
  if (destination !== null && !/^\d+\.\d+\.\d+\.\d+$/.test(destination)) {
    throw new InputError('<request>', '$.destination', 'a public IPv4 or IPv6 address', destination);
  }
  return { schema: RESOLVE_SCHEMA, destination: destination ?? '0.0.0.0/0', paths: [], findings: [], gaps: snapshot.gaps };
}

/** Accepts files whose text is `{"subnets":[...names]}`; anything else is an InputError. */
export function fakeImport(files: readonly ImportedFile[]): Snapshot {
  const names: string[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(file.text);
    } catch {
      throw new InputError(file.name, '$', 'JSON', file.text.slice(0, 20));
    }
    const subnets = (parsed as { subnets?: unknown }).subnets;
    if (!Array.isArray(subnets)) throw new InputError(file.name, '$.subnets', 'an array of subnet names');
    names.push(...subnets.map(String));
  }
  return fakeSnapshot(files.map((f) => f.name).join(','), names);
}

/** One unrestricted entry per subnet (or only the one asked for, matched by ID). */
export function fakeReach(snapshot: Snapshot, sourceId: string | null): ReachResult {
  const subnets = snapshot.model.subnets.filter((s) => sourceId === null || s.id === sourceId);
  return {
    schema: REACH_SCHEMA,
    sources: subnets.map((s) => ({
      source: { type: 'subnet', id: s.id, name: s.name, role: 'workload' },
      unrestricted: true, defaultRoute: 'internet', private: [],
      allowed: [{ kind: 'any', value: '*', ports: ['443'], protocols: ['Tcp'], verdict: 'internet', exit: 'default-outbound', via: [], egressIps: [], rule: 'no inspection' }],
    })),
    gaps: [],
  };
}

/** The real list parser (so a bad line is the real InputError), every cell `internet`. */
export function fakeMatrix(snapshot: Snapshot, listText: string, fileName: string): MatrixResult {
  const list = parseDestinationList(listText, fileName);
  return {
    schema: MATRIX_SCHEMA,
    destinations: list.map((d) => ({ ...d, interpretation: `fake: ${d.destination}` })),
    rows: snapshot.model.subnets.map((s) => ({
      source: { type: 'subnet', id: s.id, name: s.name, role: 'workload' },
      results: list.map((d) => ({ destination: d.destination, verdict: 'internet', exit: 'default-outbound', via: [], egressIps: [] })),
    })),
    gaps: [],
  };
}

/** The real policy parser (so a bad policy is the real PolicyError), every control passing over every subnet. */
export function fakeCheck(snapshot: Snapshot, policyText: string, fileName: string, now: Date): CheckResult {
  const policy = parsePolicy(policyText, fileName);
  const sources = snapshot.model.subnets.map((s) => ({ type: 'subnet' as const, id: s.id, name: s.name }));
  return {
    schema: CHECK_SCHEMA,
    policy: policy.fileName,
    evaluatedAt: now.toISOString(),
    destination: '0.0.0.0/0',
    sources,
    controls: policy.controls.map((c) => ({
      id: c.id, title: c.title, effect: c.effect, status: 'pass', line: c.line, inScope: sources.map((s) => s.id),
      violations: [], exceptionsApplied: [], exceptionsExpired: [], notes: [],
    })),
    summary: { controls: policy.controls.length, passed: policy.controls.length, failed: 0, notApplicable: 0, denyFailed: [] },
  };
}
