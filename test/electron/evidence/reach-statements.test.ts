/**
 * What the "What this source can reach" block states, against `computeReach` (reach --format json)
 * for the same input. Bank auditors file the PDF as proof: a port the opening entry allows and the
 * PDF leaves out, "nothing is allowed" for traffic that goes on-premises, or an Unknown entry
 * counted as "allowed" are false statements in filed evidence. From an audit of the PDF
 * (test/audit/pdf.test.ts, now these scenarios).
 */
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { writeEvidencePdf } from '../../../electron/evidence';
import { resolveEgress } from '../../../shared/egress/index';
import { computeReach, nothingListedText, reachPortsText, unrestrictedOn, type ReachSource } from '../../../shared/egress/reach';
import { VERDICTS } from '../../../shared/egress/types';
import type { Snapshot } from '../../../shared/model/snapshot';
import { EXPORTED_AT } from './fixture';
import { pdfText, reachBlock, savePdf } from './poppler';

async function layoutOf(name: string, snapshot: Snapshot): Promise<string> {
  const bytes = await writeEvidencePdf({ snapshot, result: resolveEgress(snapshot, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT });
  return pdfText(savePdf(`reach-statements-${name}`, bytes), true);
}


function sourceOf(sources: readonly ReachSource[], name: string): ReachSource {
  const found = sources.find((s) => s.source.name === name);
  if (!found) throw new Error(`no reach for ${name}`);
  return found;
}

describe('the opening entry\'s ports and protocols (health demo)', async () => {
  const health = demoSnapshot(pickDemo('health'), EXPORTED_AT);
  const reach = computeReach(health, {});
  const layout = await layoutOf('health', health);

  it('premise: snet-legacy-pacs is opened by one entry on every TCP and UDP port; snet-fhir-api by TCP 0-442, 443, 444-65535 (and UDP)', () => {
    expect(sourceOf(reach.sources, 'snet-legacy-pacs').allowed.map((e) => [e.kind, e.ports, e.protocols])).toEqual([['any', ['*'], ['Tcp', 'Udp']]]);
    expect(sourceOf(reach.sources, 'snet-fhir-api').allowed.map((e) => [e.kind, e.ports, e.protocols])).toEqual([
      ['any', ['0-442', '443', '444-65535'], ['Tcp']], ['any', ['*'], ['Udp']],
    ]);
  });

  it('unrestrictedOn states the opening entry\'s ports, contiguous ranges merged (the app badge and the CLI line use it too)', () => {
    expect(unrestrictedOn(sourceOf(reach.sources, 'snet-legacy-pacs'))).toBe('TCP/UDP any port');
    expect(unrestrictedOn(sourceOf(reach.sources, 'snet-fhir-api'))).toBe('TCP any port');
    expect(reachPortsText({ ports: ['0-442', '443', '444-65535'], protocols: ['Tcp'] })).toBe('TCP any port');
    // A gap stays a gap: TCP 443 is not among these.
    expect(reachPortsText({ ports: ['0-442', '444-65535'], protocols: ['TCP'] })).toBe('TCP 0-442, 444-65535');
    expect(reachPortsText({ ports: ['80', '443'], protocols: ['Tcp'] })).toBe('TCP 80, 443');
  });

  it('snet-legacy-pacs reads "any public destination" on every TCP and UDP port, not "TCP 443"', () => {
    const block = reachBlock(layout, 'snet-legacy-pacs');
    expect(block).toContain('Any public destination (TCP/UDP any port) — no restriction on these ports.');
    expect(block).not.toContain('(TCP 443)');
  });

  it('snet-fhir-api states every TCP port in the headline and lists its UDP entry', () => {
    const block = reachBlock(layout, 'snet-fhir-api');
    expect(block).toContain('Any public destination (TCP any port) — no restriction on these ports.');
    expect(block).toContain('Also allowed (1 more entry)');
    expect(block).toMatch(/Any any public destination Udp any (port )?Internet via NAT gateway/);
  });

  it('every unrestricted source of the demo states the ports of its opening entry', () => {
    for (const source of reach.sources.filter((s) => s.unrestricted && s.followsSubnet !== true)) {
      const type = source.source.type === 'nic' ? 'NIC exception' : 'subnet';
      if (!layout.includes(`${source.source.name} (${type}): `)) continue;
      expect(reachBlock(layout, source.source.name, type)).toContain(`Any public destination (${unrestrictedOn(source) ?? ''})`);
    }
  });
});

describe('an Unknown reach entry is not counted as allowed (bank demo, snet-card-auth)', async () => {
  const bank = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
  const reach = computeReach(bank, {});
  const layout = await layoutOf('bank', bank);

  it('premise: 7 entries, time.windows.com UDP 123 Unknown (the firewall resolves the name itself)', () => {
    const cardAuth = sourceOf(reach.sources, 'snet-card-auth');
    expect(cardAuth.allowed.filter((e) => e.verdict === 'unknown').map((e) => e.value)).toEqual(['time.windows.com']);
    expect(cardAuth.allowed).toHaveLength(7);
  });

  it('counts 6 allowed and 1 it may reach, apart', () => {
    const block = reachBlock(layout, 'snet-card-auth');
    expect(block).toContain('Restricted: 6 public destinations allowed by the rules on this path, and 1 public destination it may reach (verdict Unknown: see the gaps), each with the rule that allows it; any other public destination is not.');
    expect(block).not.toMatch(/7 public destinations allowed/);
  });
});

describe('a source with nothing listed: the words follow how its default route ends', () => {
  it('a forced tunnel is "not known beyond Azure", never "no public destination is allowed"', () => {
    const text = nothingListedText('on-premises');
    expect(text).toContain('on-premises network (forced tunnel)');
    expect(text).toContain('is not in the input');
    expect(text).not.toMatch(/is allowed/);
  });

  it('no verdict reads "No public destination is allowed"; each says what the input shows', () => {
    for (const verdict of Object.keys(VERDICTS) as (keyof typeof VERDICTS)[]) expect(nothingListedText(verdict)).not.toContain('No public destination is allowed');
    expect(nothingListedText('unknown')).toBe('Not known: the default route (0.0.0.0/0, TCP 443) could not be decided (see the gaps), so what this source can reach is not known.');
    expect(nothingListedText('dropped')).toBe('No public destination is reached: the default route (0.0.0.0/0, TCP 443) ends Dropped, and no rule on this path allows a named public destination.');
    expect(nothingListedText('private')).toContain('never to the internet');
  });

  it('manufacturer demo: snet-plant-floor-line1 (on-premises, nothing listed) says what leaves Azure and that the rest is not in the input', async () => {
    const manufacturer = demoSnapshot(pickDemo('manufacturer'), EXPORTED_AT);
    const line1 = sourceOf(computeReach(manufacturer, {}).sources, 'snet-plant-floor-line1');
    expect([line1.defaultRoute, line1.allowed.length]).toEqual(['on-premises', 0]);
    const block = reachBlock(await layoutOf('manufacturer', manufacturer), 'snet-plant-floor-line1');
    expect(block).toContain(nothingListedText('on-premises'));
    expect(block).not.toContain('No public destination is allowed');
  });

  it('training demo: a dropped, a denied and a no-outbound subnet say "is reached", with their verdict', async () => {
    const training = demoSnapshot(pickDemo('training'), EXPORTED_AT);
    const layout = await layoutOf('training', training);
    expect(reachBlock(layout, 'snet-08-udr-none')).toContain(nothingListedText('dropped'));
    expect(reachBlock(layout, 'snet-17-nsg-deny-internet')).toContain(nothingListedText('denied'));
    expect(reachBlock(layout, 'snet-02-private-no-method')).toContain(nothingListedText('no-outbound'));
    expect(reachBlock(layout, 'snet-14-vpn-forced-tunnel')).toContain(nothingListedText('on-premises'));
  }, 60_000);
});
