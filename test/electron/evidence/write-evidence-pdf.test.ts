import { describe, expect, it } from 'vitest';
import { writeEvidencePdf } from '../../../electron/evidence';
import { EXPORTED_AT, fixtureResult, fixtureSnapshot, IDS } from './fixture';
import { pageText, pdfInfo, pdfText, renderPages, savePdf } from './poppler';

const snapshot = fixtureSnapshot();
const result = fixtureResult();
const input = { snapshot, result, selection: null, exportedBy: 'Zoë Auditor', exportedAt: EXPORTED_AT } as const;

describe('writeEvidencePdf', async () => {
  const bytes = await writeEvidencePdf(input);
  const file = savePdf('fixture', bytes);
  const text = pdfText(file);

  it('states the scope, capture, hash, exporter, destination and gaps on the cover', () => {
    const cover = pageText(file, 1);
    expect(cover).toContain('contoso.onmicrosoft.com');
    expect(cover).toContain('00000000-1111-2222-3333-444444444444');
    expect(cover).toContain('2026-11-20T10:00:00.000Z');
    expect(cover).toContain('Imported files (estate.json)');
    expect(cover).toContain('Egress Atlas 0.1.0');
    // The hash may wrap; compare without whitespace.
    expect(cover.replace(/\s+/g, '')).toContain(snapshot.sha256);
    expect(cover).toContain('Zoë Auditor');
    expect(cover).toContain('2026-11-26T06:00:00.000Z');
    expect(cover).toContain('Default route 0.0.0.0/0');
    // The two gaps of the snapshot and the two the reach block met (the Gaps section lists all four).
    expect(cover).toContain('4 (all listed under');
    expect(cover).toContain('access-denied: The account has no Reader role on rg-secret.');
  });

  it('lists both gaps with their reason', () => {
    expect(text).toContain('The account has no Reader role on rg-secret.');
    expect(text).toContain('No running VM in snet-app to read effective');
    expect(text).toContain('access-denied');
  });

  it('has a contents page whose page numbers point at the sections', () => {
    const contents = pageText(file, 2);
    expect(contents).toContain('Contents');
    const lines = pdfText(file, true).split('\f')[1]?.split('\n') ?? [];
    const pageOf = (title: string): number => {
      const line = lines.find((l) => l.includes(title));
      const match = line ? /(\d+)\s*$/.exec(line) : null;
      return match ? Number(match[1]) : -1;
    };
    const appendix = pageOf('Appendix A: captured effective routes');
    expect(appendix).toBeGreaterThan(2);
    expect(pageText(file, appendix)).toContain('Appendix A: captured effective routes');
    const natPath = pageOf('snet-web (subnet): Internet');
    expect(pageText(file, natPath)).toContain('snet-web (subnet): Internet');
  });

  it('writes each path with its verdict, hops, rules, explanations, az commands and owner tags', () => {
    for (const path of result.paths) expect(text).toContain(path.source.name);
    expect(text).toContain('snet-app (subnet): Internet');
    expect(text).toContain('snet-isolated (subnet): No outbound');
    expect(text).toContain('nic-jump (NIC exception): Internet');
    expect(text).toContain('UDR default-to-fw 0.0.0.0/0 → VirtualAppliance 10.0.1.4');
    expect(text).toContain('lost: same prefix: a user-defined route beats a system route.');
    expect(text).toContain('az network route-table show --ids');
    expect(text).toContain('netops@contoso.example · cost centre: CC-1001');
    expect(text).toContain('security · cost centre: CC-2002');
    expect(text).toContain('SNATConnectionCount');
    expect(text).toContain('64,512 available to this source');
    expect(text).toContain('Add public IPs or a prefix to the NAT gateway.');
  });

  it('says in each section what the source can reach, private endpoints and service endpoints included', () => {
    const web = text.slice(text.lastIndexOf('snet-web (subnet): Internet'));
    expect(web).toContain('What this source can reach');
    // No NSG narrows snet-web: every port of TCP and UDP, as reach's opening entry states it.
    expect(web).toContain('Any public destination (TCP/UDP any port) — no restriction on these ports.');
    expect(web).toContain('Private reach (2 endpoints)');
    expect(web).toContain('Microsoft.Storage');
    expect(web).toContain('locations: westeurope, northeurope');
    expect(web).toContain('kv-contoso.vault.azure.net');
    expect(web).toContain('kv-contoso (vaults)');
    // The NIC has no default-route path of its own in the model: it shows its subnet's reach.
    expect(text.slice(text.lastIndexOf('nic-jump (NIC exception)'))).toContain('As for its subnet snet-app');
    expect(text).toContain('Private reach (1 endpoint)');
    expect(text).not.toMatch(/\b1 endpoints\b/);
  });

  it('round-trips Unicode names and tags through the text layer', () => {
    expect(text).toContain('subnet-zürich-東京');
    expect(text).toContain('Zoë Müller · cost centre: CC-4711');
  });

  it('summarises verdicts and the uninspected, default-outbound and no-way-out sources', () => {
    expect(text).toContain('Reach the internet without inspection (3)');
    expect(text).toContain('On default outbound access (1)');
    expect(text).toContain('No way out (1)');
    expect(text).toContain('firewall-bypass');
  });

  it('lists the captured effective routes and the cited resource IDs', () => {
    expect(text).toContain('VirtualAppliance');
    expect(text).toContain('10.0.1.4');
    expect(text).toContain(IDS.natGateway);
  });

  it('sets the document metadata and numbers every page', () => {
    const info = pdfInfo(file);
    expect(info.Title).toBe('Egress evidence: contoso.onmicrosoft.com');
    expect(info.Author).toBe('Zoë Auditor');
    expect(info.Creator).toBe('Egress Atlas');
    expect(info.Subject).toContain(snapshot.sha256);
    expect(info.CreationDate).toMatch(/^2026-11-26T06:00:00/);
    expect(info.ModDate).toMatch(/^2026-11-26T06:00:00/);
    const pages = Number(info.Pages);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });

  it('makes each doc link clickable', () => {
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toContain('/URI (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview)');
    expect(raw).toContain('/URI (https://learn.microsoft.com/azure/nat-gateway/nat-overview)');
    expect(raw).toContain('/URI (https://learn.microsoft.com/azure/nat-gateway/troubleshoot-nat)');
  });

  it('has bookmarks for the sections', () => {
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/Outlines \d+ 0 R/);
    expect(raw).toContain('/PageMode /UseOutlines');
    for (const title of ['Summary', 'Path diagrams', 'Egress paths', 'snet-web \\(subnet\\): Internet', 'Appendix A: captured effective routes', 'Appendix B: resource IDs cited']) {
      expect(raw).toContain(`/Title (${title})`);
    }
  });

  it('renders every page to a non-empty PNG', () => {
    const sizes = renderPages(file, 'fixture');
    expect(sizes).toHaveLength(Number(pdfInfo(file).Pages));
    for (const size of sizes) expect(size).toBeGreaterThan(1000);
  });

  it('gives byte-identical output for the same input and export time', async () => {
    const again = await writeEvidencePdf(input);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const later = await writeEvidencePdf({ ...input, exportedAt: new Date('2026-11-27T00:00:00Z') });
    expect(Buffer.from(later).equals(Buffer.from(bytes))).toBe(false);
  });

  it('exports only the selection, and names a what-if destination', async () => {
    const selected = await writeEvidencePdf({
      ...input,
      selection: { sourceIds: [IDS.web] },
      result: { ...result, destination: '203.0.113.10' },
    });
    const selectedFile = savePdf('fixture-selection', selected);
    const selectedText = pdfText(selectedFile);
    expect(selectedText).toContain('What-if destination 203.0.113.10');
    expect(selectedText).toContain('snet-web (subnet): Internet');
    expect(selectedText).not.toContain('snet-isolated (subnet)');
    expect(selectedText).toContain('Selected: snet-web');
  });
});
