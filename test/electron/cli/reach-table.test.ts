/**
 * `reach` as a table (formatReach) says what the PDF and the app say: a forced tunnel is not
 * counted among the restricted, an Unknown entry reads "may reach" (never like an allowed one), and
 * ports are written as the PDF writes them. From a review of the outputs (test/audit, now these).
 */
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { formatReach } from '../../../electron/cli/format-table';
import { computeReach, forcedTunnelListedText, type ReachEntry, type ReachResult } from '../../../shared/egress/reach';
import { EXPORTED_AT } from '../evidence/fixture';

const training = computeReach(demoSnapshot(pickDemo('training'), EXPORTED_AT));
const table = formatReach(training, { color: false });
const lines = table.split('\n');

describe('the reach table of the training demo', () => {
  it('counts the forced tunnel apart in the footer, not among the restricted (its heading: "FORCED TUNNEL: beyond Azure not known")', () => {
    // It read "27 sources: 21 unrestricted, 6 restricted": snet-14-vpn-forced-tunnel, whose
    // internet traffic goes to an on-premises proxy the input does not hold, among the restricted.
    expect(training.sources.filter((s) => !s.unrestricted && s.defaultRoute === 'on-premises').map((s) => s.source.name)).toEqual(['snet-14-vpn-forced-tunnel']);
    expect(lines.filter((l) => l.trim() !== '').at(-1)).toBe('27 sources: 21 unrestricted, 5 restricted, 1 forced tunnel | gaps: 1');
  });

  it('prints the verdict of an unrestricted source\'s other `any` entry: nic-vm-lesson06-01\'s TCP/UDP entry may reach, it is not allowed', () => {
    // Printed in the opening entry's shape, with no verdict, the Unknown entry (exit -) read as a
    // second allowed one; the PDF says "Also 1 more entry it may reach (verdict Unknown: see the gaps)".
    const head = lines.findIndex((l) => l.startsWith('nic-vm-lesson06-01 (NIC)'));
    expect(lines[head]).toMatch(/^nic-vm-lesson06-01 \(NIC\) {2}UNRESTRICTED:\s+any public destination \(TCP 443\)$/);
    expect(lines.slice(head + 1, head + 3)).toEqual([
      '  any             TCP 443  -> internet  via no inspection, exit load-balancer: no inspection and no NSG on the path',
      '  any             TCP/UDP any port  -> unknown (may reach: see gaps)  via no inspection, exit -: only TCP 443 is resolved past load balancer lbe-training-implicit-snat (its rule SNATs TCP only)',
    ]);
  });
});

describe('entries of a restricted source and of a forced tunnel', () => {
  const entry = (over: Partial<ReachEntry>): ReachEntry => ({
    kind: 'fqdn', value: 'packages.example.com', ports: ['443'], protocols: ['Https'], verdict: 'internet', exit: 'nat-gateway',
    via: [], egressIps: [], rule: 'fw/app/allow', ...over,
  });
  const source = (name: string, defaultRoute: 'denied' | 'on-premises', allowed: readonly ReachEntry[]): ReachResult['sources'][number] => ({
    source: { id: `/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/${name}`, name, type: 'subnet' },
    unrestricted: false, defaultRoute, allowed, private: [],
  });

  it('writes ports as the PDF does (ranges merged, `*` as "any port") and says "may reach" for an Unknown entry', () => {
    const reach: ReachResult = {
      schema: training.schema, gaps: [],
      sources: [source('app', 'denied', [
        entry({ kind: 'cidr', value: '20.0.0.0/8', protocols: ['Tcp'], ports: ['80', '443', '81-442'] }),
        entry({ kind: 'fqdn', value: 'unresolved.example.com', verdict: 'unknown', exit: null, ports: ['*'], protocols: ['Tcp'] }),
      ])],
    };
    // The output starts with the first source: no blank line before it (README's reach example).
    expect(formatReach(reach, { color: false }).split('\n').slice(0, 3)).toEqual([
      'app (subnet)  restricted (default route: denied)',
      '  cidr            20.0.0.0/8  TCP 80-443  -> internet (nat-gateway)  rule fw/app/allow',
      '  fqdn            unresolved.example.com  TCP any port  -> unknown (may reach: see gaps)  rule fw/app/allow',
    ]);
  });

  it('a forced tunnel that lists entries says the rest goes on-premises, in the sentence the app and the PDF use', () => {
    const allowed = [entry({})];
    const reach: ReachResult = { schema: training.schema, gaps: [], sources: [source('plant', 'on-premises', allowed)] };
    const out = formatReach(reach, { color: false }).split('\n');
    expect(out[0]).toBe('plant (subnet)  FORCED TUNNEL: beyond Azure not known (default route: on-premises)');
    expect(out[1]).toBe(`  (${forcedTunnelListedText(allowed)})`);
    expect(forcedTunnelListedText(allowed)).toBe('Forced tunnel: 1 public destination allowed by the rules on this path, each with the rule that allows it; any other internet-bound traffic goes to the on-premises network, and what it reaches from there is not in the input.');
    expect(out.at(-2)).toBe('1 source: 0 unrestricted, 0 restricted, 1 forced tunnel | gaps: 0');
  });
});
