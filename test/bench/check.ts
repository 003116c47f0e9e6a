/**
 * `egress-atlas check` at estate scale: 10 controls (every requirement kind, name / glob / tag
 * scopes) over the synthetic 100k-NIC estate of the resolve bench, measured once after a warm-up
 * resolve (as in the CLI, the model index is built once per estate).
 */
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { resolveEgress, type ResolveInput } from '../../shared/egress/index';
import { checkPolicy, parsePolicy, toJunit, toSarif } from '../../shared/policy/index';
import { ESTATE } from './resolve';
import type { BenchLine } from './types';

const POLICY = `version: 1
controls:
  - { id: no-default-outbound, effect: deny, forbidExits: [default-outbound] }
  - { id: has-a-way-out, effect: deny, forbidVerdicts: [no-outbound, dropped] }
  - { id: prod-inspected, effect: deny, scope: { tags: { environment: prod } }, requireVia: ["afw-*"] }
  - { id: spokes-internet-or-private, effect: audit, scope: { vnets: ["vnet-*-0??-*"] }, requireVerdicts: [internet, private] }
  - { id: egress-ips, effect: audit, scope: { resourceGroups: ["rg-hub-network-*"] }, egressIpsWithin: [20.0.0.0/8, 40.0.0.0/8, 51.0.0.0/8, 52.0.0.0/8] }
  - { id: allow-list, effect: audit, scope: { subnets: ["snet-*-01"] }, mayReach: ["*.update.microsoft.com", "*.windowsupdate.com", WindowsUpdate] }
  - { id: updates-reachable, effect: deny, mustReach: ["https://api.saas-vendor.example/v1"] }
  - { id: no-exfil, effect: deny, mustNotReach: [exfil.example.net, "203.0.113.7"] }
  - { id: storage-private, effect: audit, privateOnly: [stdata.blob.core.windows.net] }
  - { id: snat-headroom, effect: audit, maxSnatUtilisation: 80 }
`;

function timed<T>(work: () => T): { readonly value: T; readonly ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

export async function bench(): Promise<readonly BenchLine[]> {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'synthetic', json: generateSyntheticEstate(ESTATE) }]);
  const input: ResolveInput = { model, effectiveRoutes, metrics: [], gaps };
  const warm = timed(() => resolveEgress(input, {}));
  const policy = parsePolicy(POLICY, 'bench.yaml');
  const check = timed(() => checkPolicy(input, policy, { now: new Date('2026-11-26T00:00:00Z') }));
  const result = check.value;
  const violations = result.controls.reduce((n, c) => n + c.violations.length, 0);
  const sarif = timed(() => JSON.stringify(toSarif(result, { policyUri: 'bench.yaml', toolVersion: 'bench' })));
  const junit = timed(() => toJunit(result));
  const statuses = result.controls.map((c) => `${c.id}=${c.status}`).join(' ');
  return [
    {
      name: `check, ${policy.controls.length} controls`, value: check.ms / 1000, unit: 's', target: 10,
      note: `${result.sources.length} sources, ${violations.toLocaleString('en-US')} violations; after a ${(warm.ms / 1000).toFixed(2)} s warm-up resolve; ${statuses}`,
    },
    { name: 'check output, SARIF + JUnit', value: (sarif.ms + junit.ms) / 1000, unit: 's', note: `SARIF ${(sarif.value.length / 1e6).toFixed(1)} MB, JUnit ${(junit.value.length / 1e6).toFixed(1)} MB` },
  ];
}
