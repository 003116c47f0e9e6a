/**
 * "Unrestricted" says on which ports. A source can be unrestricted without its default route (TCP
 * 443) getting out: a firewall rule allowing `*` on UDP 123 (NTP anywhere) lets any public
 * destination out on UDP 123 while TCP 443 is denied. The CLI table and the evidence PDF used to
 * print "any public destination (TCP 443)" for every unrestricted source: for this one, a false
 * statement about the port an auditor checks first.
 */
import { describe, expect, it } from 'vitest';
import { writeEvidencePdf } from '../../electron/evidence';
import { formatReach } from '../../electron/cli/format-table';
import { resolveEgress } from '../../shared/egress/index';
import { computeReach, nothingListedText, unrestrictedOn } from '../../shared/egress/reach';
import { demoSnapshot, pickDemo } from '../../electron/cli/estate';
import { networkRule } from '../support/model-builder';
import { snapshotOfModel } from '../support/jump-host';
import { hubSpokeFirewall } from '../shared/egress/support';
import { EXPORTED_AT } from './evidence/fixture';
import { pdfText, reachBlock, savePdf } from './evidence/poppler';

const ntp = snapshotOfModel(hubSpokeFirewall([networkRule('ntp-anywhere', { protocols: ['UDP'], destinationAddresses: ['*'], destinationPorts: ['123'] })]).b.build());
const https = snapshotOfModel(hubSpokeFirewall([networkRule('https-anywhere', { destinationAddresses: ['*'], destinationPorts: ['443'] })]).b.build());

describe('unrestricted on which ports', () => {
  it('premise: app is unrestricted on UDP 123 only; its default route is denied', () => {
    const app = computeReach(ntp).sources.find((s) => s.source.name === 'app');
    expect(app?.defaultRoute).toBe('denied');
    expect(app?.unrestricted).toBe(true);
    expect(app ? unrestrictedOn(app) : null).toBe('UDP 123');
    const open = computeReach(https).sources.find((s) => s.source.name === 'app');
    expect(open ? unrestrictedOn(open) : null).toBe('TCP 443');
  });

  it('the CLI table says UDP 123, not TCP 443, and prints the ports of each any entry', () => {
    const table = formatReach(computeReach(ntp), { color: false });
    expect(table).toContain('app (subnet)  UNRESTRICTED: any public destination (UDP 123)');
    // The firewall's own subnet gets out on every port of TCP and UDP (no NSG): its line says so,
    // and no line claims TCP 443 alone.
    expect(table.split('\n').filter((l) => l.includes('UNRESTRICTED'))).toEqual([
      'AzureFirewallSubnet (subnet)  UNRESTRICTED: any public destination (TCP/UDP any port)',
      'app (subnet)  UNRESTRICTED: any public destination (UDP 123)',
    ]);
    expect(table).toMatch(/ {2}any {13}UDP 123 {2}-> internet {2}via fw, exit public-ip: fw-policy\/net\/ntp-anywhere/);
    expect(formatReach(computeReach(https), { color: false })).toContain('app (subnet)  UNRESTRICTED: any public destination (TCP 443)');
  });

  it('the evidence PDF says UDP 123, not TCP 443', async () => {
    const text = pdfText(savePdf('reach-headline-ntp', await writeEvidencePdf({ snapshot: ntp, result: resolveEgress(ntp, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT })));
    const section = text.slice(text.lastIndexOf('app (subnet): '));
    expect(section).toContain('Any public destination (UDP 123) — no restriction on these ports.');
    expect(section).not.toContain('Any public destination (TCP 443)');
  });
});


describe('the PDF headline of a source opened on TCP 443 only', () => {
  // The headline said "no restriction on this path" whenever its ports were exactly TCP 443 (a relic
  // of when it always said TCP 443): filed evidence then stated that a firewall letting out one port
  // restricts nothing. It speaks of its own ports only, and says what holds on the others.
  it('a firewall allowing any destination on TCP 443 alone: "no restriction on these ports", only on these ports', async () => {
    const app = computeReach(https).sources.find((s) => s.source.name === 'app');
    expect(app?.unrestricted).toBe(true);
    expect(app?.allowed.map((e) => [e.kind, e.protocols, e.ports])).toEqual([['any', ['Tcp'], ['443']]]);
    const layout = pdfText(savePdf('reach-headline-https', await writeEvidencePdf({ snapshot: https, result: resolveEgress(https, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT })), true);
    const block = reachBlock(layout, 'app');
    expect(block).toContain('Any public destination (TCP 443) — no restriction on these ports. Only on these ports: no other public destination is listed for this source.');
    expect(block).not.toContain('no restriction on this path');
  });

  const training = demoSnapshot(pickDemo('training'), EXPORTED_AT);
  const trainingLayout = writeEvidencePdf({ snapshot: training, result: resolveEgress(training, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT })
    .then((bytes) => pdfText(savePdf('reach-headline-training', bytes), true));

  it('training nic-vm-lesson06-01 (TCP 443 out, its other ports Unknown): no "only", the may-reach entry listed below', async () => {
    const block = reachBlock(await trainingLayout, 'nic-vm-lesson06-01', 'NIC exception');
    expect(block).toContain('Any public destination (TCP 443) — no restriction on these ports. Other ports: only as listed below.');
    expect(block).toContain('Also 1 more entry it may reach (verdict Unknown: see the gaps)');
    expect(block).not.toContain('no restriction on this path');
    expect(block).not.toContain('Only on these ports');
  });

  it('a source open on every TCP and UDP port says no more than "no restriction on these ports"', async () => {
    expect(reachBlock(await trainingLayout, 'snet-01-default-outbound')).toMatch(/Any public destination \(TCP\/UDP any port\) — no restriction on these ports\. Allowed by:/);
  });
});

describe('a source with nothing listed, in the app, the CLI and the PDF alike', () => {
  it('a forced tunnel is not "no public destination allowed": what the on-premises network lets out is not in the input', () => {
    // manufacturer's snet-plant-floor-line1 sends 0.0.0.0/0 to the VPN gateway (forced tunnel):
    // the CLI table used to print "restricted ... (no public destination allowed)".
    const snapshot = demoSnapshot(pickDemo('manufacturer'), new Date(0));
    const table = formatReach(computeReach(snapshot), { color: false }).split('\n');
    const head = table.findIndex((l) => l.startsWith('snet-plant-floor-line1 (subnet)'));
    expect(table[head]).toBe('snet-plant-floor-line1 (subnet)  FORCED TUNNEL: beyond Azure not known (default route: on-premises)');
    expect(table[head + 1]).toBe(`  (${nothingListedText('on-premises')})`);
    expect(nothingListedText('on-premises')).toMatch(/^Not known beyond Azure: .* is not in the input/);
  });
});
