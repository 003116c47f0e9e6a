/**
 * The demo estates' destination stories (issue 9), asked the way the CLI and the app ask them: the
 * demo's ARM documents through normalizeArm, the demo's service tag excerpt, one destination per
 * resolve. Expectations come from Azure's rules (firewall application rules match the name; private
 * DNS zones answer per linked VNet; a private endpoint's /32 beats the default route), not from the
 * resolver's output.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm, type NormalizeResult } from '../../../shared/arm/index';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress, type EgressPath, type ResolveResult } from '../../../shared/egress/index';
import type { DnsStep, FirewallRuleStep } from '../../../shared/egress/steps';

/**
 * The demos hold NICs but not their VM resources, so default-outbound verdicts carry one gap naming
 * the VMs' Flexible scale set membership (such instances never get default outbound access [DOA]).
 */
function gapsBesideVmssMembership(result: { readonly gaps: readonly { readonly scope: string }[] }): readonly unknown[] {
  return result.gaps.filter((g) => g.scope !== 'Microsoft.Compute/virtualMachines');
}

const normalized = new Map<string, NormalizeResult>();

function normalizedDemo(name: string): NormalizeResult {
  const hit = normalized.get(name);
  if (hit !== undefined) return hit;
  const demo = findDemo(name);
  if (demo === undefined) throw new Error(`no demo ${name}`);
  const result = normalizeArm(demo.documents);
  normalized.set(name, result);
  return result;
}

const resolved = new Map<string, ResolveResult>();

/** One what-if, as `electron/snapshot/demo-snapshot.ts` builds the input (the demo's service tags included). */
function whatIf(demoName: string, destination: string): ResolveResult {
  const key = `${demoName} ${destination}`;
  const hit = resolved.get(key);
  if (hit !== undefined) return hit;
  const demo = findDemo(demoName);
  if (demo === undefined) throw new Error(`no demo ${demoName}`);
  const result = resolveEgress({ ...normalizedDemo(demoName), metrics: [], serviceTags: demo.serviceTags }, { destination });
  resolved.set(key, result);
  return result;
}

function pathOf(result: ResolveResult, source: string): EgressPath {
  const found = result.paths.filter((p) => p.source.name === source);
  if (found.length !== 1) throw new Error(`${found.length} paths for ${source} (to ${result.destination})`);
  return found[0] as EgressPath;
}

const last = (id: string): string => id.split('/').pop() ?? id;

function outcome(path: EgressPath): { verdict: string; exit: string | null; via: readonly string[] } {
  return { verdict: path.verdict, exit: path.exit, via: path.via.map((v) => last(v.id)) };
}

function firewallStep(path: EgressPath): FirewallRuleStep {
  const step = path.steps.find((s): s is FirewallRuleStep => s.kind === 'firewall-rule');
  if (step === undefined) throw new Error(`no firewall rule step on ${path.source.name}`);
  return step;
}

/** The rule that allowed the flow, as `collection/name`, or the decision kind when none did. */
function firewallDecision(path: EgressPath): string {
  const { decision } = firewallStep(path);
  return decision.kind === 'allow' || decision.kind === 'deny' ? `${decision.kind} ${decision.rule.collection}/${decision.rule.name}` : decision.kind;
}

function dnsStep(path: EgressPath): DnsStep {
  const step = path.steps.find((s): s is DnsStep => s.kind === 'dns');
  if (step === undefined) throw new Error(`no dns step on ${path.source.name}`);
  return step;
}

describe('bank: the approved SaaS list is the firewall policy', () => {
  const hubNatIps = ['20.61.14.21', '20.61.14.22'];

  it('api.stripe.com from snet-payments-api: internet through the hub firewall, allowed by application rule stripe', () => {
    const path = pathOf(whatIf('bank', 'api.stripe.com'), 'snet-payments-api');
    expect(outcome(path)).toEqual({ verdict: 'internet', exit: 'nat-gateway', via: ['afw-hub-weu'] });
    expect([...path.egressIps].sort()).toEqual(hubNatIps);
    expect(firewallDecision(path)).toBe('allow rcg-payments-egress/allow-approved-psp-apis/stripe');
  });

  it('the other approved PSPs and card networks are allowed by their own rules', () => {
    expect(firewallDecision(pathOf(whatIf('bank', 'https://checkout-live.adyen.com/v71/payments'), 'snet-payments-api')))
      .toBe('allow rcg-payments-egress/allow-approved-psp-apis/adyen');
    expect(firewallDecision(pathOf(whatIf('bank', 'api.visa.com'), 'snet-card-auth')))
      .toBe('allow rcg-payments-egress/allow-approved-psp-apis/card-networks');
  });

  it('exfil.example.net from snet-payments-api and snet-card-auth: denied by the firewall default (no rule names it)', () => {
    const result = whatIf('bank', 'exfil.example.net');
    for (const source of ['snet-payments-api', 'snet-card-auth']) {
      const path = pathOf(result, source);
      expect(outcome(path)).toEqual({ verdict: 'denied', exit: null, via: ['afw-hub-weu'] });
      expect(firewallDecision(path)).toBe('default-deny');
      expect(path.findings.map((f) => f.code)).toContain('firewall-default-deny');
    }
  });

  it('settlement has no PSP rule: denied too, and with named FQDNs (no FQDN tag) the firewall decides every name', () => {
    for (const destination of ['api.stripe.com', 'exfil.example.net']) {
      const result = whatIf('bank', destination);
      expect(outcome(pathOf(result, 'snet-settlement-batch'))).toEqual({ verdict: 'denied', exit: null, via: ['afw-hub-weu'] });
      expect(gapsBesideVmssMembership(result)).toEqual([]);
    }
  });

  it('…while the reporting subnet that bypasses the firewall reaches it by default outbound access', () => {
    const path = pathOf(whatIf('bank', 'exfil.example.net'), 'snet-payments-reporting');
    expect(outcome(path)).toEqual({ verdict: 'internet', exit: 'default-outbound', via: [] });
  });
});

describe('manufacturer: image builds reach the package feeds through the hub firewall, nothing broader', () => {
  const egressPrefix = ['20.166.40.0/30'];

  for (const [destination, rule] of [
    ['pypi.org', 'pypi'],
    ['files.pythonhosted.org', 'pypi'],
    ['registry.npmjs.org', 'npm'],
    ['crfabrikammfg.azurecr.io', 'container-registries'],
  ] as const) {
    it(`${destination} from snet-aca-builds: internet via afw-mfg-hub-neu, allowed by rule ${rule}`, () => {
      const path = pathOf(whatIf('manufacturer', destination), 'snet-aca-builds');
      expect(outcome(path)).toEqual({ verdict: 'internet', exit: 'nat-gateway', via: ['afw-mfg-hub-neu'] });
      expect(path.egressIps).toEqual(egressPrefix);
      expect(firewallDecision(path)).toBe(`allow rcg-package-feeds/allow-package-feeds/${rule}`);
    });
  }

  for (const destination of ['example.com', 'someone-elses.azurecr.io', 'upload.pypi.org.example.net']) {
    it(`${destination} from snet-aca-builds: denied by the firewall default`, () => {
      const path = pathOf(whatIf('manufacturer', destination), 'snet-aca-builds');
      expect(outcome(path)).toEqual({ verdict: 'denied', exit: null, via: ['afw-mfg-hub-neu'] });
      expect(firewallDecision(path)).toBe('default-deny');
    });
  }

  it('the existing story holds for a name: Container Apps jobs still go through the NVA pair (no readable rules), build agents out of their own IPs', () => {
    const result = whatIf('manufacturer', 'example.com');
    expect(outcome(pathOf(result, 'snet-aca-jobs'))).toEqual({ verdict: 'internet', exit: 'nat-gateway', via: ['lbi-nva-neu', 'nic-vm-nva-fw-01'] });
    expect(outcome(pathOf(result, 'nic-vm-build-agent-01'))).toMatchObject({ verdict: 'internet', exit: 'public-ip' });
    expect(outcome(pathOf(result, 'snet-plant-floor-line1'))).toMatchObject({ verdict: 'on-premises' });
  });
});

describe('health: stpatients behind a private endpoint, resolved per VNet', () => {
  const name = 'stpatients.blob.core.windows.net';

  it('carries the private endpoint, its NIC, the privatelink zone, its VNet link and the A record as ARM resources', () => {
    const { model, gaps } = normalizedDemo('health');
    expect(gaps).toEqual([]);
    const endpoint = model.privateEndpoints.find((e) => e.name === 'pe-stpatients-blob');
    expect(endpoint?.connections.map((c) => ({ target: last(c.privateLinkServiceId ?? ''), groupIds: c.groupIds, status: c.status })))
      .toEqual([{ target: 'stpatients', groupIds: ['blob'], status: 'Approved' }]);
    expect(endpoint?.customDnsConfigs).toEqual([{ fqdn: name, ipAddresses: ['10.50.0.7'] }]);
    expect(endpoint?.privateDnsZoneGroups.flatMap((g) => g.privateDnsZoneConfigs.map((c) => last(c.privateDnsZoneId ?? '')))).toEqual(['privatelink.blob.core.windows.net']);
    const nic = model.networkInterfaces.find((n) => n.name === 'pe-stpatients-blob.nic');
    expect(nic?.ipConfigurations.map((c) => c.privateIpAddress)).toEqual(['10.50.0.7']);
    const zone = model.privateDnsZones.find((z) => z.name === 'privatelink.blob.core.windows.net');
    expect(zone?.virtualNetworkLinks.map((l) => last(l.virtualNetworkId ?? ''))).toEqual(['vnet-health-prod-uks']);
    expect(zone?.recordSets.filter((r) => r.recordType === 'A').map((r) => r.fqdn)).toEqual(['stpatients.privatelink.blob.core.windows.net']);
  });

  for (const source of ['snet-patient-portal-app', 'snet-fhir-api', 'snet-private-endpoints']) {
    it(`from ${source} (linked VNet): resolves privately to 10.50.0.7 and stays private through pe-stpatients-blob`, () => {
      const path = pathOf(whatIf('health', name), source);
      expect(outcome(path)).toEqual({ verdict: 'private', exit: 'private-endpoint', via: ['pe-stpatients-blob'] });
      const dns = dnsStep(path);
      expect({ resolution: dns.resolution, zone: dns.zone?.name, link: dns.link?.name, addresses: dns.addresses })
        .toEqual({ resolution: 'private', zone: 'privatelink.blob.core.windows.net', link: 'link-vnet-health-prod-uks', addresses: ['10.50.0.7'] });
    });
  }

  it('from snet-legacy-hl7 (its VNet has no link): resolves publicly and leaves by default outbound access', () => {
    const path = pathOf(whatIf('health', name), 'snet-legacy-hl7');
    expect(outcome(path)).toEqual({ verdict: 'internet', exit: 'default-outbound', via: [] });
    const dns = dnsStep(path);
    expect({ resolution: dns.resolution, vnet: dns.vnet.name, zone: dns.zone }).toEqual({ resolution: 'public', vnet: 'vnet-legacy-hl7-uks', zone: null });
    expect(dns.note).toContain('pe-stpatients-blob');
    expect(path.findings.map((f) => f.code)).toContain('default-outbound');
  });

  it('the same name, the same estate: private from the linked VNet, public from the unlinked one', () => {
    const result = whatIf('health', name);
    const byVnet = new Map(result.paths.map((p) => [p.source.name, p.steps.find((s): s is DnsStep => s.kind === 'dns')?.resolution]));
    expect(byVnet.get('snet-patient-portal-app')).toBe('private');
    expect(byVnet.get('snet-legacy-hl7')).toBe('public');
    expect(result.destinationInfo?.interpretation).toMatch(/privately from 1 VNet/);
  });

  it('a storage account with no private endpoint: service endpoint from snet-imaging-batch, the NAT gateway elsewhere (the link falls back to public DNS)', () => {
    const result = whatIf('health', 'stimagingarchive.blob.core.windows.net');
    expect(outcome(pathOf(result, 'snet-imaging-batch'))).toEqual({ verdict: 'private', exit: 'service-endpoint', via: [] });
    expect(dnsStep(pathOf(result, 'snet-imaging-batch')).resolution).toBe('public');
    expect(outcome(pathOf(result, 'snet-patient-portal-app'))).toEqual({ verdict: 'internet', exit: 'nat-gateway', via: [] });
  });

  it('service tag Storage (from the demo excerpt): the service endpoint routes carry it from snet-imaging-batch only', () => {
    const result = whatIf('health', 'Storage');
    expect(result.destinationInfo?.kind).toBe('service-tag');
    expect(gapsBesideVmssMembership(result)).toEqual([]);
    expect(outcome(pathOf(result, 'snet-imaging-batch'))).toEqual({ verdict: 'private', exit: 'service-endpoint', via: [] });
    expect(outcome(pathOf(result, 'snet-patient-portal-app'))).toEqual({ verdict: 'internet', exit: 'nat-gateway', via: [] });
  });

  it('the service endpoint carries storage only: imaging batch still has no way to the internet', () => {
    expect(outcome(pathOf(whatIf('health', 'packages.microsoft.com'), 'snet-imaging-batch'))).toEqual({ verdict: 'no-outbound', exit: null, via: [] });
  });
});
