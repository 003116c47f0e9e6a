/**
 * A NIC that follows its subnet's path on TCP 443 but whose NSG rules treat other ports otherwise
 * (a rule for its application security group opens TCP 22 to the internet) is a reach source of
 * its own: `computeReach` lists it, `check` judges it. The evidence PDF has no path section for
 * such a NIC (its default route is its subnet's), so its subnet's section must say what it reaches
 * beyond the subnet: a PDF that left it out would show an auditor less than the engine knows.
 */
import { describe, expect, it } from 'vitest';
import { writeEvidencePdf } from '../../../electron/evidence';
import { resolveEgress } from '../../../shared/egress/index';
import { computeReach } from '../../../shared/egress/reach';
import { jumpHostSnapshot, snapshotOfModel } from '../../support/jump-host';
import { securityRule } from '../../support/model-builder';
import { hubEndpointEstate } from '../../shared/egress/support';
import { EXPORTED_AT } from './fixture';
import { pdfText, savePdf } from './poppler';

const squash = (s: string): string => s.replace(/\s+/g, '');

describe('evidence PDF: NICs that reach more than their subnet on other ports', async () => {
  const snapshot = jumpHostSnapshot();
  const result = resolveEgress(snapshot, {});
  const text = pdfText(savePdf('reach-nic-sources', await writeEvidencePdf({ snapshot, result, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT })));
  const section = text.slice(text.lastIndexOf('app (subnet): '));

  it('premise: nic-jump has no path of its own, and reach answers for it on its own', () => {
    expect(result.paths.map((p) => p.source.name)).toEqual(['app']);
    const jump = computeReach(snapshot).sources.find((s) => s.source.name === 'nic-jump');
    expect(jump?.allowed.map((e) => [e.kind, e.ports, e.protocols, e.verdict])).toEqual(expect.arrayContaining([['any', ['22'], ['Tcp'], 'internet']]));
  });

  it('the subnet\'s section names the NIC and what it reaches beyond the subnet, with the rule', () => {
    expect(section).toContain('NICs in this subnet with reach of their own (1)');
    expect(section).toContain('nic-jump');
    expect(squash(section)).toContain(squash('any public destination'));
    expect(squash(section)).toContain('allow-ssh-jump');
    // nic-web's NSG rules treat every port as the subnet's do: it is not listed.
    expect(section).not.toContain('nic-web');
  });
});

describe('evidence PDF: a NIC that follows its subnet but whose own NSG denies a private endpoint', async () => {
  // The subnet reaches the hub's private endpoint; nic-locked's own NSG denies its address [NSG]:
  // the subnet's section must not let its entry stand for that NIC.
  const { b, web } = hubEndpointEstate();
  b.nic(web, 'nic-locked', '10.1.4.4', { nsgId: b.nsg('nsg-nic-locked', [securityRule('deny-pe', 100, 'Deny', '10.0.5.6')]) });
  const snapshot = snapshotOfModel(b.build());
  const result = resolveEgress(snapshot, {});
  const text = pdfText(savePdf('reach-nic-endpoints', await writeEvidencePdf({ snapshot, result, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT })));
  const section = squash(text.slice(text.lastIndexOf('web (subnet): ')));

  it('names the NIC and the endpoint it does not reach', () => {
    expect(section).toContain(squash('NICs in this subnet with reach of their own (1)'));
    expect(section).toContain('nic-locked');
    expect(section).toContain(squash('Not reached from this NIC'));
    expect(section).toContain('stpatients.blob.core.windows.net');
  });
});
