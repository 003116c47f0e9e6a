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
import { pdfText, savePdf } from './evidence/poppler';

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
    expect(table).toMatch(/ {2}any {13}UDP 123 {2}via fw, exit public-ip: fw-policy\/net\/ntp-anywhere/);
    expect(formatReach(computeReach(https), { color: false })).toContain('app (subnet)  UNRESTRICTED: any public destination (TCP 443)');
  });

  it('the evidence PDF says UDP 123, not TCP 443', async () => {
    const text = pdfText(savePdf('reach-headline-ntp', await writeEvidencePdf({ snapshot: ntp, result: resolveEgress(ntp, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT })));
    const section = text.slice(text.lastIndexOf('app (subnet): '));
    expect(section).toContain('Any public destination (UDP 123) — no restriction on these ports.');
    expect(section).not.toContain('Any public destination (TCP 443)');
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
