/**
 * Each demo estate loads through normalizeArm and resolves to the verdicts Azure's rules predict
 * (worked out from the egress rules, not copied from the resolver's output). A NIC's expected path
 * is its own path when the resolver lists one, else its subnet's (NICs without their own public IP
 * or load balancer egress as their subnet does).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm, type NormalizeResult } from '../../../shared/arm/index';
import { DEFAULT_DEMO, DEMO_ESTATES, findDemo, TRAINING_TOUR } from '../../../shared/demo/index';
import { resolveEgress, type EgressPath, type ExitMethod, type FindingCode, type ResolveResult, type Verdict } from '../../../shared/egress/index';

interface Expectation {
  /** Subnet or NIC name. */
  readonly source: string;
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  readonly egressIps?: readonly string[];
  /** Names of the appliances passed (last segment of each `via` ID), in order; a prefix is enough. */
  readonly via?: readonly string[];
  readonly snatPorts?: number;
  /** Finding codes that must be on the path. */
  readonly findings?: readonly FindingCode[];
}

interface Resolved {
  readonly normalized: NormalizeResult;
  readonly result: ResolveResult;
}

const cache = new Map<string, Resolved>();

function resolveDemo(name: string): Resolved {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const demo = findDemo(name);
  if (demo === undefined) throw new Error(`no demo ${name}`);
  const normalized = normalizeArm(demo.documents);
  const result = resolveEgress({ ...normalized, metrics: [] }, {});
  const resolved = { normalized, result };
  cache.set(name, resolved);
  return resolved;
}

const last = (id: string): string => id.split('/').pop() ?? id;

/** The path that decides a source's egress: the NIC's own path, else the NIC's subnet's path. */
function effectivePath({ normalized, result }: Resolved, source: string): EgressPath {
  const own = result.paths.filter((p) => p.source.name === source);
  if (own.length > 1) throw new Error(`ambiguous source ${source}`);
  if (own[0] !== undefined) return own[0];
  const nic = normalized.model.networkInterfaces.find((n) => n.name === source);
  const subnetId = nic?.ipConfigurations[0]?.subnetId;
  const subnetPath = result.paths.find((p) => p.source.type === 'subnet' && p.source.id === subnetId);
  if (subnetPath === undefined) throw new Error(`no path for ${source}`);
  return subnetPath;
}

function check(name: string, expectations: readonly Expectation[]): void {
  for (const e of expectations) {
    it(`${e.source}: ${e.verdict}${e.exit === null ? '' : ` via ${e.exit}`}`, () => {
      const path = effectivePath(resolveDemo(name), e.source);
      expect({ verdict: path.verdict, exit: path.exit }).toEqual({ verdict: e.verdict, exit: e.exit });
      if (e.egressIps !== undefined) expect([...path.egressIps].sort()).toEqual([...e.egressIps].sort());
      if (e.via !== undefined) expect(path.via.map((v) => last(v.id)).slice(0, e.via.length)).toEqual(e.via);
      if (e.snatPorts !== undefined) expect(path.snatPorts).toBe(e.snatPorts);
      for (const code of e.findings ?? []) expect(path.findings.map((f) => f.code)).toContain(code);
    });
  }
}

describe('every demo estate', () => {
  it('has the four demos, bank first and default, each findable case-insensitively', () => {
    expect(DEMO_ESTATES.map((d) => d.name)).toEqual(['bank', 'manufacturer', 'health', 'training']);
    expect(DEFAULT_DEMO).toBe('bank');
    expect(findDemo('Training')?.name).toBe('training');
    expect(findDemo('nope')).toBeUndefined();
  });

  for (const demo of DEMO_ESTATES) {
    it(`${demo.name}: normalizes with no gaps, real ARM IDs, and owner/costCenter/environment on every resource`, () => {
      expect(demo.documents).toHaveLength(1);
      expect(demo.documents[0]?.fileName).toBe(`<demo:${demo.name}>`);
      const { model, gaps } = normalizeArm(demo.documents);
      expect(gaps).toEqual([]);
      const topLevel = [
        ...model.virtualNetworks, ...model.routeTables, ...model.natGateways, ...model.publicIpAddresses, ...model.publicIpPrefixes,
        ...model.networkInterfaces, ...model.azureFirewalls, ...model.firewallPolicies, ...model.networkSecurityGroups,
        ...model.loadBalancers, ...model.virtualNetworkGateways, ...model.virtualHubs, ...model.virtualWans,
      ];
      expect(topLevel.length).toBeGreaterThan(10);
      for (const r of topLevel) {
        expect(r.id).toMatch(/^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourcegroups\/rg-[a-z0-9-]+\/providers\/microsoft\.network\//);
        expect(Object.keys(r.tags)).toEqual(expect.arrayContaining(['owner', 'costCenter', 'environment']));
        expect(r.location).not.toBeNull();
      }
    });

    it(`${demo.name}: resolves deterministically with no gaps but the VMs' scale set membership`, () => {
      const first = resolveDemo(demo.name).result;
      const again = resolveEgress({ ...normalizeArm(demo.documents), metrics: [] }, {});
      expect(again).toEqual(first);
      // The demos carry NICs, not their VM resources: whether a VM that gets default outbound access
      // is a Flexible scale set instance (which never gets it [DOA]) is not in the input.
      expect(first.gaps.filter((g) => g.scope !== 'Microsoft.Compute/virtualMachines')).toEqual([]);
      // ... and only where some verdict is default outbound.
      expect(first.gaps.length === 0 || first.paths.some((p) => p.exit === 'default-outbound')).toBe(true);
      expect(first.paths.length).toBeGreaterThan(3);
    });
  }
});

describe('bank: payment spokes behind the hub firewall', () => {
  const hubNatIps = ['20.61.14.21', '20.61.14.22'];
  check('bank', [
    { source: 'snet-payments-api', verdict: 'internet', exit: 'nat-gateway', egressIps: hubNatIps, via: ['afw-hub-weu'] },
    { source: 'nic-vm-payapi-02', verdict: 'internet', exit: 'nat-gateway', egressIps: hubNatIps, via: ['afw-hub-weu'] },
    // Mistake 1: no route table → default outbound access, around the firewall [DOA].
    { source: 'snet-payments-reporting', verdict: 'internet', exit: 'default-outbound', via: [], findings: ['default-outbound'] },
    // Mistake 2: the UDR to the firewall wins over the spoke's NAT gateway [NATOV]: hub NAT IPs, not 20.61.90.7.
    { source: 'snet-card-auth', verdict: 'internet', exit: 'nat-gateway', egressIps: hubNatIps, via: ['afw-hub-weu'], findings: ['nat-gateway-bypassed'] },
    { source: 'snet-settlement-batch', verdict: 'internet', exit: 'nat-gateway', egressIps: hubNatIps, via: ['afw-hub-weu'] },
    // A private subnet is fine when its route goes to the firewall: the firewall's subnet has the method.
    { source: 'snet-settlement-db', verdict: 'internet', exit: 'nat-gateway', egressIps: hubNatIps, via: ['afw-hub-weu'] },
    { source: 'AzureFirewallSubnet', verdict: 'internet', exit: 'nat-gateway', egressIps: hubNatIps },
  ]);

  it('flags the reporting subnet as a firewall bypass at estate level', () => {
    const bypass = resolveDemo('bank').result.findings.find((f) => f.code === 'firewall-bypass');
    expect(bypass?.resourceIds?.map(last)).toContain('snet-payments-reporting');
    expect(bypass?.resourceIds?.map(last)).not.toContain('snet-payments-api');
  });
});

describe('manufacturer: Container Apps via the NVA pair, plants forced-tunnelled', () => {
  check('manufacturer', [
    // UDR 0/0 → ILB (HA ports) → NVA with forwarding → NVA subnet's NAT gateway prefix [UDR][HAP].
    { source: 'snet-aca-jobs', verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.166.40.0/30'], via: ['lbi-nva-neu'] },
    // BGP 0/0 from the plants (captured in effective routes) beats the system 0/0 [S2SFT].
    { source: 'snet-plant-floor-line1', verdict: 'on-premises', exit: null, findings: ['forced-tunnel'] },
    { source: 'nic-vm-historian-line2-01', verdict: 'on-premises', exit: null, findings: ['forced-tunnel'] },
    // Own route table (0/0 → Internet, propagation off) + instance public IPs.
    { source: 'nic-vm-build-agent-01', verdict: 'internet', exit: 'public-ip', egressIps: ['20.166.41.20'] },
    { source: 'nic-vm-build-agent-02', verdict: 'internet', exit: 'public-ip', egressIps: ['20.166.41.21'] },
    // The NVAs themselves: UDR 0/0 → Internet still uses the subnet's NAT gateway (INFERRED [NATOV]).
    { source: 'nic-vm-nva-fw-01', verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.166.40.0/30'] },
    // Image builds: UDR 0/0 → hub Azure Firewall, whose subnet shares the NAT gateway's prefix [NATOV].
    { source: 'snet-aca-builds', verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.166.40.0/30'], via: ['afw-mfg-hub-neu'] },
    { source: 'AzureFirewallSubnet', verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.166.40.0/30'] },
  ]);
});

describe('health: private subnets, legacy public egress, a subnet with no way out', () => {
  const natIps = ['51.104.30.10', '51.104.30.11'];
  check('health', [
    { source: 'snet-patient-portal-app', verdict: 'internet', exit: 'nat-gateway', egressIps: natIps },
    { source: 'nic-vm-fhir-api-01', verdict: 'internet', exit: 'nat-gateway', egressIps: natIps },
    { source: 'snet-private-endpoints', verdict: 'internet', exit: 'nat-gateway', egressIps: natIps },
    { source: 'nic-vm-pacs-gw-01', verdict: 'internet', exit: 'public-ip', egressIps: ['51.104.31.44'] },
    { source: 'nic-vm-hl7-engine-01', verdict: 'internet', exit: 'default-outbound', findings: ['default-outbound'] },
    // Private subnet, NIC-based pool of a public Standard LB with an outbound rule of 16,000 ports [LBRULES].
    { source: 'nic-vm-labweb-01', verdict: 'internet', exit: 'load-balancer', egressIps: ['51.104.32.8'], snatPorts: 16000 },
    { source: 'nic-vm-labweb-02', verdict: 'internet', exit: 'load-balancer', egressIps: ['51.104.32.8'], snatPorts: 16000 },
    // Private subnet, no explicit method: nothing leaves [DOA].
    { source: 'snet-imaging-batch', verdict: 'no-outbound', exit: null, findings: ['no-outbound'] },
    { source: 'nic-vm-imaging-batch-02', verdict: 'no-outbound', exit: null },
  ]);
});

describe('training: one subnet per rule', () => {
  const fwNatIps = ['20.93.10.12', '20.93.10.13'];
  /** `nicOnly`: the lesson is about the NIC (its public IP or LB pool), not the subnet. */
  const bySubnet: Readonly<Record<string, Omit<Expectation, 'source'> & { readonly nic: string; readonly nicOnly?: true }>> = {
    'snet-01-default-outbound': { nic: 'nic-vm-lesson01-01', verdict: 'internet', exit: 'default-outbound', findings: ['default-outbound'] },
    'snet-02-private-no-method': { nic: 'nic-vm-lesson02-01', verdict: 'no-outbound', exit: null, findings: ['no-outbound'] },
    'snet-03-nat-gateway': { nic: 'nic-vm-lesson03-01', verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.93.10.1'], snatPorts: 64512 },
    // Lessons 4–6: a VM without the public IP / pool membership would still use default outbound.
    'snet-04-instance-public-ip': { nic: 'nic-vm-lesson04-01', verdict: 'internet', exit: 'public-ip', egressIps: ['20.93.10.4'], nicOnly: true },
    'snet-05-lb-outbound-rule': { nic: 'nic-vm-lesson05-02', verdict: 'internet', exit: 'load-balancer', egressIps: ['20.93.10.5'], snatPorts: 10000, nicOnly: true },
    // One VM in the pool: 1,024 ports from the default allocation table [LBOUT].
    'snet-06-lb-implicit-snat': { nic: 'nic-vm-lesson06-01', verdict: 'internet', exit: 'load-balancer', egressIps: ['20.93.10.6'], snatPorts: 1024, nicOnly: true },
    'snet-07-ip-based-backend-pool': { nic: 'nic-vm-lesson07-01', verdict: 'internet', exit: 'default-outbound' },
    'snet-08-udr-none': { nic: 'nic-vm-lesson08-01', verdict: 'dropped', exit: null },
    'snet-09-udr-unowned-appliance': { nic: 'nic-vm-lesson09-01', verdict: 'dropped', exit: null, findings: ['next-hop-unreachable'] },
    'snet-10-nva-without-forwarding': { nic: 'nic-vm-lesson10-01', verdict: 'dropped', exit: null, findings: ['nva-ip-forwarding-disabled'] },
    'snet-11-nva-with-forwarding': { nic: 'nic-vm-lesson11-01', verdict: 'internet', exit: 'public-ip', egressIps: ['20.93.10.11'], via: ['nic-vm-nva-forward-01'] },
    'snet-12-firewall-with-nat': { nic: 'nic-vm-lesson12-01', verdict: 'internet', exit: 'nat-gateway', egressIps: fwNatIps, via: ['afw-training'] },
    'snet-13-nat-bypassed-by-udr': { nic: 'nic-vm-lesson13-01', verdict: 'internet', exit: 'nat-gateway', egressIps: fwNatIps, via: ['afw-training'], findings: ['nat-gateway-bypassed'] },
    'snet-14-vpn-forced-tunnel': { nic: 'nic-vm-lesson14-01', verdict: 'on-premises', exit: null, findings: ['forced-tunnel'] },
    // Hub firewall (AZFW_Hub) public IPs; 2 IPs × 2,496 ports × 2 instances minimum [FWNAT].
    'snet-15-vwan-routing-intent': { nic: 'nic-vm-lesson15-01', verdict: 'internet', exit: 'public-ip', egressIps: ['20.93.20.1', '20.93.20.2'], via: ['afw-vhub-training'] },
    'snet-16-vwan-no-internet-security': { nic: 'nic-vm-lesson16-01', verdict: 'internet', exit: 'default-outbound', via: [], findings: ['default-outbound'] },
    'snet-17-nsg-deny-internet': { nic: 'nic-vm-lesson17-01', verdict: 'denied', exit: null },
    // Evidence (captured routes: system only) beats configuration (0/0 → firewall).
    'snet-18-route-drift': { nic: 'nic-vm-lesson18-01', verdict: 'internet', exit: 'default-outbound', findings: ['route-drift'] },
  };

  it('the tour covers every lesson subnet once, in lesson order, each with a title and a paragraph', () => {
    expect(TRAINING_TOUR.map((l) => l.subnetName)).toEqual(Object.keys(bySubnet));
    for (const lesson of TRAINING_TOUR) {
      expect(lesson.title.length).toBeGreaterThan(5);
      expect(lesson.text.length).toBeGreaterThan(120);
      expect(lesson.text).toMatch(/https:\/\/learn\.microsoft\.com\//);
    }
  });

  it('every lesson subnet exists and carries its lesson tag in the ARM JSON', () => {
    const json = JSON.stringify(findDemo('training')?.documents[0]?.json);
    const { model } = resolveDemo('training').normalized;
    for (const lesson of TRAINING_TOUR) {
      expect(model.subnets.filter((s) => s.name === lesson.subnetName)).toHaveLength(1);
      expect(json).toContain(`"lesson":"${lesson.subnetName}"`);
    }
  });

  for (const [subnet, e] of Object.entries(bySubnet)) {
    check('training', e.nicOnly === true ? [{ ...e, source: e.nic }] : [{ ...e, source: subnet }, { ...e, source: e.nic }]);
  }

  it('lesson 7: the IP-based pool is flagged (the VM falls back to default outbound)', () => {
    const { result } = resolveDemo('training');
    const path = effectivePath(resolveDemo('training'), 'nic-vm-lesson07-01');
    const flagged = [...path.findings, ...result.findings].filter((f) => f.code === 'ip-based-backend-pool');
    expect(flagged.map((f) => f.resourceIds?.map(last))).toEqual([expect.arrayContaining(['lbe-training-ip-pool'])]);
  });
});
