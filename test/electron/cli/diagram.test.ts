/**
 * `egress-atlas diagram`: writes draw.io, SVG and Mermaid files from a demo or input files, with the
 * snapshot's hash in the title block, and the PNG of the SVG; hostile names from an input file come
 * out as text; usage mistakes exit 2.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import { childrenNamed, parseXml, type XmlElement } from '../../shared/policy/xml';

let dir = '';
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'egress-atlas-diagram-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function cli(args: readonly string[]): Promise<CliRun> {
  return runCliIn(dir, args);
}

const PINNED = ['--timestamp', '2026-11-26T06:00:00Z'];

function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = element.name === name ? [element] : [];
  for (const child of element.children) found.push(...descendants(child, name));
  return found;
}

/** UserObject cells by the resource name at the end of their armId. */
function cellsByName(doc: XmlElement): Map<string, { readonly id: string; readonly parent: string; readonly style: string }> {
  const out = new Map<string, { id: string; parent: string; style: string }>();
  for (const object of descendants(doc, 'UserObject')) {
    const cell = childrenNamed(object, 'mxCell')[0];
    const name = (object.attributes['armId'] ?? '').split('/').pop() ?? '';
    out.set(name, { id: object.attributes['id'] ?? '', parent: cell?.attributes['parent'] ?? '', style: cell?.attributes['style'] ?? '' });
  }
  return out;
}

describe('egress-atlas diagram', () => {
  it('writes a draw.io file of the bank demo: VNets holding their subnets, Azure icons, the hash', async () => {
    const run = await cli(['diagram', '--demo', 'bank', '--format', 'drawio', '--out', 'bank.drawio', ...PINNED]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^wrote bank\.drawio \(drawio, full view: \d+ nodes, \d+ edges; snapshot [0-9a-f]{12}\)\n$/);
    const xml = await readFile(join(dir, 'bank.drawio'), 'utf8');
    const doc = parseXml(xml);
    const cells = cellsByName(doc);
    const hub = cells.get('vnet-hub-weu');
    expect(hub?.style).toMatch(/^swimlane;/);
    expect(cells.get('azurefirewallsubnet')?.parent).toBe(hub?.id);
    expect(cells.get('snet-payments-reporting')?.parent).toBe(cells.get('vnet-payments-api-weu')?.id);
    expect(cells.get('afw-hub-weu')?.style).toContain('image=img/lib/azure2/networking/Firewalls.svg;');
    expect(cells.get('ng-hub-egress-weu')?.style).toContain('image=img/lib/azure2/networking/NAT.svg;');
    // Default outbound: dashed as well as coloured, so it does not look like a firewalled subnet.
    expect(cells.get('snet-payments-reporting')?.style).toContain('dashed=1;');
    expect(cells.get('snet-payments-api')?.style).not.toContain('dashed=1;');
    // snet-card-auth's own NAT gateway, bypassed by the route to the firewall: drawn as in the app
    // (dashed, with the legend entry), not left out (it once was: "18 nodes, 14 edges").
    expect(run.stderr).toContain('full view: 19 nodes, 15 edges;');
    expect(cells.get('ng-card-auth-weu')?.style).toContain('image=img/lib/azure2/networking/NAT.svg;');
    expect(cells.get('ng-card-auth-weu')?.style).toContain('dashed=1;');
    expect(cells.get('ng-hub-egress-weu')?.style).not.toContain('dashed=1;');
    expect(xml).toContain('value="NAT gateway attached but bypassed by a route"');
    const snapshot = await cli(['snapshot', '--demo', 'bank', '--out', 'bank.json']);
    expect(snapshot.code).toBe(0);
    const written = JSON.parse(await readFile(join(dir, 'bank.json'), 'utf8')) as { sha256: string; contentSha256: string };
    const fromFile = await cli(['diagram', 'bank.json', '--format', 'drawio', '--out', 'file.drawio', ...PINNED]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const fileXml = await readFile(join(dir, 'file.drawio'), 'utf8');
    expect(fileXml).toContain(`Snapshot SHA-256: ${written.sha256}`);
    // The content hash too: it stays the same when the same resources are imported again.
    expect(fileXml).toContain(`Content SHA-256: ${written.contentSha256}`);
  });

  it('writes an SVG (light unless --theme dark) and draws only the path of --source', async () => {
    const light = await cli(['diagram', '--demo', 'bank', '--source', 'snet-payments-reporting', '--format', 'svg', '--out', 'one.svg', ...PINNED]);
    expect(light.code, light.stderr).toBe(0);
    const svg = await readFile(join(dir, 'one.svg'), 'utf8');
    const texts = descendants(parseXml(svg), 'text').map((t) => t.text);
    expect(texts).toContain('snet-payments-reporting');
    expect(texts).not.toContain('snet-payments-api');
    expect(texts).toContain('Scope: 2 subscriptions; demo bank; sources: snet-payments-reporting');
    expect(texts).toContain('Exported: 2026-11-26T06:00:00.000Z');
    expect(svg).toContain('fill="#ffffff"');
    const dark = await cli(['diagram', '--demo', 'bank', '--format', 'svg', '--theme', 'dark', '--out', 'dark.svg', ...PINNED]);
    expect(dark.code).toBe(0);
    expect(await readFile(join(dir, 'dark.svg'), 'utf8')).toContain('fill="#0d1117"');
  });

  it('prints Mermaid to stdout with --out -', async () => {
    const run = await cli(['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-', ...PINNED]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('flowchart LR\n');
    expect(run.stdout).toContain('subgraph v1["vnet-hub-weu<br/>10.100.0.0/22"]');
    expect(run.stdout.match(/^\s*subgraph /gm)?.length).toBe(run.stdout.match(/^\s*end$/gm)?.length);
  });

  it('draws one box per VNet with --view overview', async () => {
    const run = await cli(['diagram', '--demo', 'bank', '--view', 'overview', '--format', 'mermaid', '--out', '-', ...PINNED]);
    expect(run.code, run.stderr).toBe(0);
    // No VNet subgraph (only the title block's and the legend's).
    expect(run.stdout).not.toMatch(/^\s*subgraph v\d+/m);
    expect(run.stdout).toMatch(/n\d+\["vnet-hub-weu<br\/>/);
    expect((await cli(['diagram', '--demo', 'bank', '--view', 'overview', '--source', 'snet-card-auth', '--format', 'svg', '--out', 'x.svg'])).code).toBe(2);
  });

  it('keeps hostile names from an input file as text in every format', async () => {
    const sub = '00000000-0000-0000-0000-000000000001';
    const vnetName = 'vnet-<b>x</b>&amp;';
    const subnetName = 'snet"><script>alert(1)</script>%%end';
    const vnetId = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${vnetName}`;
    await writeFile(join(dir, 'hostile.json'), JSON.stringify([{
      id: vnetId, name: vnetName, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ id: `${vnetId}/subnets/${subnetName}`, name: subnetName, properties: { addressPrefix: '10.0.1.0/24' } }] },
    }]), 'utf8');
    for (const format of ['drawio', 'svg', 'mermaid'] as const) {
      const run = await cli(['diagram', 'hostile.json', '--format', format, '--out', `hostile.${format}`, ...PINNED]);
      expect(run.code, run.stderr).toBe(0);
      const text = await readFile(join(dir, `hostile.${format}`), 'utf8');
      expect(text, format).not.toContain('<script>');
      expect(text, format).not.toContain('<b>');
      if (format !== 'mermaid') {
        const all = descendants(parseXml(text), format === 'svg' ? 'text' : 'UserObject')
          .map((e) => (format === 'svg' ? e.text : e.attributes['label'] ?? ''));
        expect(all.some((t) => t.startsWith(subnetName)), format).toBe(true);
        expect(all.some((t) => t.startsWith(vnetName)), format).toBe(true);
      }
    }
  });

  it('writes a PNG of the same drawing: 2x the SVG, fonts embedded (the text is drawn), light or dark', async () => {
    const svgRun = await cli(['diagram', '--demo', 'bank', '--format', 'svg', '--out', 'p.svg', ...PINNED]);
    expect(svgRun.code, svgRun.stderr).toBe(0);
    const svg = await readFile(join(dir, 'p.svg'), 'utf8');
    const svgWidth = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
    const svgHeight = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1]);
    const run = await cli(['diagram', '--demo', 'bank', '--format', 'png', '--out', 'p.png', ...PINNED]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wrote p\.png \(png, \d+×\d+ px at 2x, full view/);
    const png = await readFile(join(dir, 'p.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(Math.round(svgWidth * 2));
    expect(png.readUInt32BE(20)).toBe(Math.round(svgHeight * 2));
    // The same SVG without its text gives a different, smaller image: the labels were drawn.
    const { svgToPng } = await import('../../../electron/evidence/svg-to-png');
    const bare = await svgToPng(svg.replace(/<text\b[\s\S]*?<\/text>/g, ''), { scale: 2, background: '#ffffff' });
    expect(Buffer.from(bare.png).equals(png)).toBe(false);
    expect(png.length).toBeGreaterThan(bare.png.length * 1.2);
    const dark = await cli(['diagram', '--demo', 'bank', '--format', 'png', '--theme', 'dark', '--scale', '1', '--out', 'd.png', ...PINNED]);
    expect(dark.code, dark.stderr).toBe(0);
    const darkPng = await readFile(join(dir, 'd.png'));
    expect(darkPng.readUInt32BE(16)).toBe(Math.round(svgWidth));
  }, 60_000);

  it('an SVG the renderer cannot draw is a clear error, not a WebAssembly trap', async () => {
    const { svgToPng } = await import('../../../electron/evidence/svg-to-png');
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"', {})).rejects.toThrow(/^the PNG could not be drawn \(resvg: .+\); --format svg writes the same diagram$/);
  });

  it('scales a PNG down rather than pass 16,384 px a side or 120 million pixels', async () => {
    const { fittingScale } = await import('../../../electron/evidence/svg-to-png');
    expect(fittingScale(1000, 800, 2)).toBe(2);
    expect(fittingScale(20_000, 1000, 2)).toBeCloseTo(16_384 / 20_000, 6);
    expect(fittingScale(9000, 9000, 2)).toBeCloseTo(Math.sqrt(120_000_000 / 81_000_000), 6);
  });

  it('exits 2 for png to stdout or a bad --scale, a missing --format or --out, and an unknown source', async () => {
    const stdoutPng = await cli(['diagram', '--demo', 'bank', '--format', 'png', '--out', '-']);
    expect(stdoutPng.code).toBe(2);
    expect(stdoutPng.stderr).toContain('--format png writes a binary file');
    const badScale = await cli(['diagram', '--demo', 'bank', '--format', 'png', '--scale', '9', '--out', 'x.png']);
    expect(badScale.code).toBe(2);
    expect(badScale.stderr).toContain('--scale needs a number from 0.5 to 4');
    expect((await cli(['diagram', '--demo', 'bank', '--out', 'x.svg'])).code).toBe(2);
    expect((await cli(['diagram', '--demo', 'bank', '--format', 'svg'])).code).toBe(2);
    expect((await cli(['diagram', '--demo', 'bank', '--format', 'visio', '--out', 'x'])).code).toBe(2);
    const unknown = await cli(['diagram', '--demo', 'bank', '--source', 'nope', '--format', 'svg', '--out', 'x.svg']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--source "nope" matches no subnet or NIC');
  });

  it('refuses --theme for mermaid and drawio (they have no theme), as --scale without png is refused', async () => {
    for (const format of ['mermaid', 'drawio']) {
      const run = await cli(['diagram', '--demo', 'bank', '--format', format, '--out', '-', '--theme', 'dark', ...PINNED]);
      expect({ format, code: run.code, stdout: run.stdout }).toEqual({ format, code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^error: --theme applies to --format svg and png only\n/);
    }
    // --theme light is refused too: it would be as silently ignored as dark.
    expect((await cli(['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-', '--theme', 'light'])).code).toBe(2);
  });

  it('a --timestamp day or time that does not exist is a usage error, never a rolled-over date in the file', async () => {
    for (const timestamp of ['2026-02-30T00:00:00Z', '2026-02-29', '2026-11-26T06:00:00+24:00']) {
      const run = await cli(['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-', '--timestamp', timestamp]);
      expect({ timestamp, code: run.code, stdout: run.stdout }).toEqual({ timestamp, code: 2, stdout: '' });
      expect(run.stderr).toContain(`--timestamp "${timestamp}" names a day or a time of day that does not exist`);
    }
    // 24:00 exists (the end of a day) but is not read: said so, not called a time that does not exist.
    const endOfDay = await cli(['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-', '--timestamp', '2026-11-26T24:00:00Z']);
    expect({ code: endOfDay.code, stdout: endOfDay.stdout }).toEqual({ code: 2, stdout: '' });
    expect(endOfDay.stderr).toContain('--timestamp "2026-11-26T24:00:00Z" uses 24:00 (the end of the day), which is not supported: write 00:00 of the next day');
    const zoneless = await cli(['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-', '--timestamp', '2026-11-26T06:00:00']);
    expect(zoneless.code).toBe(2);
    expect(zoneless.stderr).toContain('--timestamp "2026-11-26T06:00:00" has no time zone');
    // An offset with or without its colon names the same instant.
    for (const timestamp of ['2026-11-26T07:00:00+01:00', '2026-11-26T07:00:00+0100']) {
      const run = await cli(['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-', '--timestamp', timestamp]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('2026-11-26T06:00:00.000Z');
    }
  });
});

/** An ARM export (no capture time of its own) of `count` VNets with one subnet each, on default outbound. */
function armExport(count: number): string {
  return JSON.stringify(Array.from({ length: count }, (_unused, i) => {
    const name = `vnet-${String(i).padStart(4, '0')}`;
    const vnetId = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${name}`;
    return {
      id: vnetId, name, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: [`10.${Math.floor(i / 250)}.${i % 250}.0/24`] }, subnets: [{ id: `${vnetId}/subnets/snet-a`, name: 'snet-a', properties: { addressPrefix: `10.${Math.floor(i / 250)}.${i % 250}.0/26` } }] },
    };
  }));
}

describe('egress-atlas diagram: title block of an ARM-export input', () => {
  it('--timestamp pins the output; the read time is not called a capture time', async () => {
    // README: "`--timestamp` pins the output." An ARM export carries no capture time, so the import
    // is stamped with its read time (electron/snapshot/load.ts): that used to be the wall clock, so
    // `Captured:` and `Snapshot SHA-256:` changed at every run, and `Captured` came after `Exported`.
    await writeFile(join(dir, 'arm.json'), armExport(1), 'utf8');
    const args = ['diagram', 'arm.json', '--format', 'mermaid', '--out', '-', '--timestamp', '2026-01-01T00:00:00Z'];
    const first = await cli(args);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toContain('%% Captured: not recorded in the input files; read at 2026-01-01T00:00:00.000Z\n');
    expect(first.stdout).toContain('%% Exported: 2026-01-01T00:00:00.000Z\n');
    // The content hash, the same whenever the same files are read.
    expect(first.stdout).toMatch(/Content SHA-256: [0-9a-f]{64}/);
    const svg = await cli(['diagram', 'arm.json', '--format', 'svg', '--out', '-', '--timestamp', '2026-01-01T00:00:00Z']);
    expect(svg.stdout).toContain('>Captured: not recorded in the input files; read at 2026-01-01T00:00:00.000Z</text>');
  });

  it('a snapshot input keeps its capture time', async () => {
    const saved = await cli(['snapshot', '--demo', 'bank', '--out', 'captured.json']);
    expect(saved.code, saved.stderr).toBe(0);
    const run = await cli(['diagram', 'captured.json', '--format', 'mermaid', '--out', '-', '--timestamp', '2026-12-01T00:00:00Z']);
    expect(run.stdout).toMatch(/%% Captured: \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
  });

  it('past Mermaid\'s edge limit the warning gives advice that fits the view drawn', async () => {
    await writeFile(join(dir, 'many.json'), armExport(520), 'utf8');
    const overview = await cli(['diagram', 'many.json', '--view', 'overview', '--format', 'mermaid', '--out', 'many.mmd', ...PINNED]);
    expect(overview.code, overview.stderr).toBe(0);
    expect(overview.stderr).toMatch(/^warning: \d+ (edges|characters) is more than Mermaid's default max(Edges|TextSize) \(\d+\): GitHub will not render it; this is already the VNet overview: narrow it with --source, or use --format svg or drawio\n/);
    expect(overview.stderr).not.toContain('--view overview');
    const full = await cli(['diagram', 'many.json', '--view', 'full', '--format', 'mermaid', '--out', 'many.mmd', ...PINNED]);
    expect(full.stderr).toContain('narrow it with --source or --view overview\n');
  });
});
