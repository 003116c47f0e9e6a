import { describe, expect, it } from 'vitest';
import { writeEvidencePdf } from '../../../electron/evidence';
import { EvidenceDocument, monoLines } from '../../../electron/evidence/evidence-document';
import type { EgressPath } from '../../../shared/egress/types';
import type { Snapshot } from '../../../shared/model/snapshot';
import { EXPORTED_AT, fixtureResult, fixtureSnapshot, IDS } from './fixture';
import { pdfFonts, pdfInfo, pdfText, renderGray, savePdf } from './poppler';

const TAG = '部門: 決済';
const EXPLANATION = '東京リージョンのサブネットから出るトラフィックは、既定の送信アクセスで Azure が所有するパブリック IP を使います。'.repeat(3);

/** The fixture with a Japanese cost-centre tag on subnet-zürich-東京 and a long Japanese hop explanation. */
function cjkInput() {
  const base = fixtureSnapshot();
  const snapshot: Snapshot = {
    ...base,
    model: {
      ...base.model,
      subnets: base.model.subnets.map((s) => (s.id === IDS.zurich ? { ...s, tags: { Owner: 'Zoë Müller', 'Cost-Center': TAG } } : s)),
    },
  };
  const result = fixtureResult();
  const paths: readonly EgressPath[] = result.paths.map((p) => (p.source.id !== IDS.zurich ? p : {
    ...p,
    // The internet hop's explanation names the egress: a long Japanese text there must wrap.
    steps: p.steps.map((step) => (step.kind === 'terminal' && step.reason.kind === 'egress' ? { ...step, reason: { ...step.reason, egressText: EXPLANATION } } : step)),
  }));
  return { snapshot, result: { ...result, paths }, selection: null, exportedBy: '監査 Zoë', exportedAt: EXPORTED_AT } as const;
}

const fallbackFonts = (file: string) => pdfFonts(file).filter((f) => f.name.endsWith('+NotoSansJP-Regular'));

describe('CJK glyph fallback', async () => {
  const input = cjkInput();
  const bytes = await writeEvidencePdf(input);
  const file = savePdf('cjk', bytes);
  const text = pdfText(file);

  it('embeds a Noto Sans JP subset, with a Unicode map, when names or tags are Japanese', () => {
    const fonts = fallbackFonts(file);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatchObject({ embedded: true, subset: true, unicode: true });
    // Subset: the 5.4 MB font adds kilobytes, not megabytes.
    expect(bytes.length).toBeLessThan(150_000);
  });

  it('does not embed the fallback in evidence without CJK', async () => {
    const latin = savePdf('cjk-latin-only', await writeEvidencePdf({ ...input, selection: { sourceIds: [IDS.web] }, exportedBy: 'Zoë Auditor' }));
    expect(fallbackFonts(latin)).toHaveLength(0);
    expect(pdfFonts(latin).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''))).toEqual(['DejaVuSans-Bold', 'DejaVuSans', 'DejaVuSansMono']);
  });

  it('keeps the real characters in the text layer, bold and monospace included', () => {
    expect(text).toContain('subnet-zürich-東京 (subnet): Internet');
    expect(text).toContain(`Zoë Müller · cost centre: ${TAG}`);
    expect(text).toContain('Subnet subnet-zürich-東京 (10.1.3.0/24)');
    expect(text).toContain('監査 Zoë');
    // The long explanation wraps over several lines; every character survives.
    expect(text.replace(/\s+/g, '')).toContain(EXPLANATION.replace(/\s+/g, ''));
    expect(pdfInfo(file).Author).toBe('監査 Zoë');
  });

  it('writes bookmark titles as Unicode (UTF-16BE) strings', () => {
    const title = Buffer.from(`\ufeffsubnet-zürich-東京`, 'utf16le').swap16();
    expect(Buffer.from(bytes).includes(Buffer.concat([Buffer.from('/Title ('), title]))).toBe(true);
  });

  it('gives byte-identical output for the same CJK input and export time', async () => {
    const again = await writeEvidencePdf(cjkInput());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('draws real glyphs, not one missing-glyph box for every character', async () => {
    // With DejaVu alone every CJK character is the same .notdef box: the pages would be identical.
    const ed = new EvidenceDocument({ title: 't', subject: 's', author: 'a', keywords: 'k', createdAt: EXPORTED_AT, producer: 'p' });
    for (const ch of ['東', '京', '決']) {
      ed.newPage();
      ed.drawText(ch, 100, 100, { font: 'Sans-Bold', size: 96, width: 300 });
    }
    const glyphs = savePdf('cjk-glyphs', await ed.finish());
    // Only the glyph: the footers differ from page to page.
    const [east, capital, decide] = [1, 2, 3].map((page) => renderGray(glyphs, page, { x: 90, y: 90, width: 200, height: 150 }));
    // Something is drawn there at all.
    expect(east?.subarray(-200 * 150).some((v) => v < 128)).toBe(true);
    expect(east?.equals(capital ?? Buffer.alloc(0))).toBe(false);
    expect(capital?.equals(decide ?? Buffer.alloc(0))).toBe(false);
    expect(pdfText(glyphs)).toContain('東');
  });

  it('lays out wrapped and centred CJK text within its box', async () => {
    const ed = new EvidenceDocument({ title: 't', subject: 's', author: 'a', keywords: 'k', createdAt: EXPORTED_AT, producer: 'p' });
    ed.newPage();
    const width = 120;
    const height = ed.measure(EXPLANATION, { size: 9, width });
    const oneLine = ed.measure('東京', { size: 9, width });
    // About 150 CJK characters at 9 pt (9 pt each) in 120 pt: at least 11 lines.
    expect(height / oneLine).toBeGreaterThanOrEqual(11);
    ed.drawText(EXPLANATION, 50, 60, { size: 9, width });
    ed.drawText('subnet-zürich-東京-sehr-lang-東京-東京-東京', 300, 60, { size: 9, width: 100, height: 12, align: 'center' });
    const file = savePdf('cjk-layout', await ed.finish());
    const layout = pdfText(file, true);
    // A one-line box keeps one line and ends with an ellipsis.
    expect(layout).toMatch(/subnet-zürich-東京\S*…/);
    expect(layout).not.toContain('東京-東京-東京');
  });

  it('counts wide characters as two monospace columns', () => {
    // 7 pt DejaVu Sans Mono: 200 pt hold 47 columns.
    expect(monoLines('a'.repeat(60), 7, 200).map((l) => l.length)).toEqual([47, 13]);
    const lines = monoLines('東'.repeat(60), 7, 200);
    expect(lines.map((l) => [...l].length)).toEqual([23, 23, 14]);
  });
});
