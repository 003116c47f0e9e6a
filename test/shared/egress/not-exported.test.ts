/**
 * A resource (or a child) missing from an otherwise valid export while the rest of the input still
 * references it by ID: the next hop it may own, or the load balancer outbound it decides, is
 * `unknown` naming the missing resource and what references it, never "no owner, dropped" or "no
 * outbound" (test/audit/not-exported.test.ts classes A and B). Controls: the same deletion with
 * nothing referencing what is missing, or a missing resource that cannot hold the address, keeps
 * the confident answer.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import { DEMO_ESTATES } from '../../../shared/demo';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type EstateName = 'manufacturer' | 'training';

function estate(name: EstateName) {
  const found = DEMO_ESTATES.find((d) => d.name === name);
  if (found === undefined) throw new Error(`no demo ${name}`);
  return found;
}

function resource(json: Json, name: string): Json {
  const found = (json.resources as Json[]).find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
}

const dropResource = (name: string) => (j: Json): void => {
  const before = (j.resources as Json[]).length;
  j.resources = (j.resources as Json[]).filter((r) => r.name !== name);
  if (j.resources.length !== before - 1) throw new Error(`no single resource ${name}`);
};

const dropChild = (resourceName: string, key: string, child: string) => (j: Json): void => {
  const props = resource(j, resourceName).properties;
  const before = (props[key] as Json[]).length;
  props[key] = (props[key] as Json[]).filter((c) => c.name !== child);
  if (props[key].length !== before - 1) throw new Error(`no single child ${resourceName}.${key}/${child}`);
};

const both = (...steps: ((j: Json) => void)[]) => (j: Json): void => { for (const step of steps) step(j); };

/** `verdict/exit :: last hop rule :: explanation` for `source` (a subnet, or a NIC that has its own path). */
function said(name: EstateName, mutate: (j: Json) => void, source: string, destination: string | null = null): string {
  const json = structuredClone(estate(name).documents[0]?.json);
  mutate(json);
  const normalized = normalizeArm([{ fileName: `${name}.json`, json }]);
  const result = resolveEgress({
    model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps, serviceTags: estate(name).serviceTags,
  }, { destination });
  const path = result.paths.find((p) => p.source.id.endsWith(`/${source.toLowerCase()}`));
  if (path === undefined) throw new Error(`no path for ${source}`);
  const hop = explainPath(path).at(-1);
  return `${path.verdict}/${path.exit ?? '-'} :: ${hop?.rule ?? ''} :: ${hop?.explanation ?? ''}`;
}

describe('A. a next-hop owner not in the input but referenced by it', () => {
  it.each([
    ['training', 'snet-12-firewall-with-nat', null, 'afw-training', /Azure Firewall afw-training \(referenced by the ipConfiguration of public IP pip-afw-training; it may hold next hop 10\.60\.254\.4 in subnet AzureFirewallSubnet/],
    ['training', 'snet-13-nat-bypassed-by-udr', 'api.stripe.com', 'afw-training', /Azure Firewall afw-training \(referenced by the ipConfiguration of public IP pip-afw-training/],
    ['manufacturer', 'snet-aca-builds', null, 'afw-mfg-hub-neu', /Azure Firewall afw-mfg-hub-neu \(referenced by the ipConfiguration of public IP pip-afw-mfg-hub-neu/],
    ['manufacturer', 'snet-aca-builds', 'api.stripe.com', 'afw-mfg-hub-neu', /Azure Firewall afw-mfg-hub-neu \(referenced by/],
    ['training', 'snet-11-nva-with-forwarding', null, 'nic-vm-nva-forward-01', /NIC nic-vm-nva-forward-01 \(referenced by the ipConfiguration of public IP pip-vm-nva-forward-01; it may hold next hop 10\.60\.201\.4 in subnet snet-nva-forwarding/],
    ['manufacturer', 'snet-aca-jobs', null, 'lbi-nva-neu', /load balancer lbi-nva-neu \(referenced by the backend pools of IP configuration ipconfig1 of NIC nic-vm-nva-fw-01; it may hold next hop 10\.200\.0\.10 in subnet snet-nva/],
  ] as const)('%s %s (%s) without %s: unknown, naming it and what references it', (name, source, destination, deleted, naming) => {
    const answer = said(name, dropResource(deleted), source, destination);
    expect(answer).toMatch(/^unknown\/- :: Not in the snapshot: /);
    expect(answer).toMatch(naming);
  });

  it('control: the same deletion with nothing referencing the firewall stays dropped', () => {
    const unreferenced = both(dropResource('afw-training'), (j) => { resource(j, 'pip-afw-training').properties.ipConfiguration = undefined; });
    expect(said('training', unreferenced, 'snet-12-firewall-with-nat')).toMatch(/^dropped\/- :: Next hop 10\.60\.254\.4 has no owner/);
  });

  it('control: lesson 09 (an appliance nobody owns) stays dropped, with or without a referenced firewall missing (a firewall holds addresses only in AzureFirewallSubnet)', () => {
    expect(said('training', () => undefined, 'snet-09-udr-unowned-appliance')).toMatch(/^dropped\/- :: Next hop 10\.60\.99\.4 has no owner/);
    expect(said('training', dropResource('afw-training'), 'snet-09-udr-unowned-appliance')).toMatch(/^dropped\/- :: Next hop 10\.60\.99\.4 has no owner/);
  });

  it('control: the unmutated estates keep their confident answers', () => {
    const none = (): void => undefined;
    expect(said('training', none, 'snet-12-firewall-with-nat')).toMatch(/^internet\/nat-gateway/);
    expect(said('training', none, 'snet-11-nva-with-forwarding')).toMatch(/^internet\/public-ip/);
    expect(said('manufacturer', none, 'snet-aca-jobs')).toMatch(/^internet\/nat-gateway/);
    expect(said('manufacturer', none, 'snet-aca-builds')).toMatch(/^internet\/nat-gateway/);
  });
});

describe('B. a child removed while others still reference it', () => {
  it.each([
    ['training', 'snet-12-firewall-with-nat', dropChild('vnet-training-lessons', 'subnets', 'AzureFirewallSubnet'), /subnet azurefirewallsubnet \(referenced by IP configuration ipconfig1 of Azure Firewall afw-training; it may hold next hop 10\.60\.254\.4 in virtual network vnet-training-lessons/],
    ['manufacturer', 'snet-aca-builds', dropChild('vnet-mfg-hub-neu', 'subnets', 'AzureFirewallSubnet'), /subnet azurefirewallsubnet \(referenced by IP configuration ipconfig1 of Azure Firewall afw-mfg-hub-neu/],
    ['manufacturer', 'snet-aca-jobs', dropChild('vnet-mfg-hub-neu', 'subnets', 'snet-nva'), /subnet snet-nva \(referenced by .*; it may hold next hop 10\.200\.0\.10 in virtual network vnet-mfg-hub-neu/],
    ['training', 'snet-11-nva-with-forwarding', dropChild('vnet-training-lessons', 'subnets', 'snet-nva-forwarding'), /subnet snet-nva-forwarding \(referenced by IP configuration ipconfig1 of NIC nic-vm-nva-forward-01/],
    ['training', 'snet-12-firewall-with-nat', dropChild('afw-training', 'ipConfigurations', 'ipconfig1'), /IP configuration ipconfig1 of Azure Firewall afw-training \(referenced by the ipConfiguration of public IP pip-afw-training; it may hold next hop 10\.60\.254\.4 in subnet AzureFirewallSubnet/],
    ['training', 'snet-11-nva-with-forwarding', dropChild('nic-vm-nva-forward-01', 'ipConfigurations', 'ipconfig1'), /IP configuration ipconfig1 of NIC nic-vm-nva-forward-01 \(referenced by the ipConfiguration of public IP pip-vm-nva-forward-01/],
    ['manufacturer', 'snet-aca-jobs', dropChild('lbi-nva-neu', 'frontendIPConfigurations', 'fe-nva'), /frontend fe-nva of load balancer lbi-nva-neu \(referenced by load-balancing rule ha-ports of load balancer lbi-nva-neu; it may hold next hop 10\.200\.0\.10 in subnet snet-nva/],
  ] as const)('%s %s: unknown, naming the missing child and what references it', (name, source, mutate, naming) => {
    const answer = said(name, mutate, source);
    expect(answer).toMatch(/^unknown\/- :: Not in the snapshot: /);
    expect(answer).toMatch(naming);
  });

  it('a firewall with no IP configuration at all, nothing referencing one: unknown (Azure has no such firewall in a virtual network)', () => {
    const bare = both(dropChild('afw-training', 'ipConfigurations', 'ipconfig1'), (j) => { resource(j, 'pip-afw-training').properties.ipConfiguration = undefined; });
    expect(said('training', bare, 'snet-12-firewall-with-nat')).toMatch(/^unknown\/- :: Not in the snapshot: the IP configurations of Azure Firewall afw-training \(none is in the input, and a firewall in a virtual network has at least one/);
  });

  it('a NIC with no IP configuration at all, nothing referencing one: unknown', () => {
    const bare = both(dropChild('nic-vm-nva-forward-01', 'ipConfigurations', 'ipconfig1'), (j) => { resource(j, 'pip-vm-nva-forward-01').properties.ipConfiguration = undefined; });
    expect(said('training', bare, 'snet-11-nva-with-forwarding')).toMatch(/^unknown\/- :: Not in the snapshot: the IP configurations of NIC nic-vm-nva-forward-01 \(none is in the input, and a NIC has at least one/);
  });

  it('a public load balancer frontend its outbound rule still uses: unknown for the pool member, naming the frontend', () => {
    const answer = said('training', dropChild('lbe-training-outbound-rule', 'frontendIPConfigurations', 'fe-public'), 'nic-vm-lesson05-01');
    expect(answer).toMatch(/^unknown\/- :: Unknown: outbound rule outbound-lesson05 of load balancer lbe-training-outbound-rule: frontend fe-public not in the input/);
  });

  it('control: the frontend and every rule and public IP that named it removed: no outbound, as before', () => {
    const gone = both(dropChild('lbe-training-outbound-rule', 'frontendIPConfigurations', 'fe-public'), dropChild('lbe-training-outbound-rule', 'outboundRules', 'outbound-lesson05'),
      (j) => { resource(j, 'pip-lbe-training-outbound-rule').properties.ipConfiguration = undefined; });
    expect(said('training', gone, 'nic-vm-lesson05-01')).toMatch(/^no-outbound\/- :: No outbound method/);
    expect(said('training', () => undefined, 'nic-vm-lesson05-01')).toMatch(/^internet\/load-balancer/);
  });
});
