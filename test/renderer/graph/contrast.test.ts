/**
 * Graph labels are drawn on a canvas, where axe cannot see them: check their contrast here, from
 * the stylesheet itself, in both colour schemes (WCAG 2 AA: ≥ 4.5:1 for text of this size).
 */
import { describe, expect, it } from 'vitest';
import { graphStylesheet, KIND_LOOK, MIN_LABEL_PX, SOLID_KINDS, type Theme } from '../../../renderer/graph/style';
import { TRAFFIC_BADGE_COLORS } from '../../../renderer/graph/traffic-marks';
import type { GraphNodeKind } from '../../../shared/graph/types';

/** The graph pane's background (renderer/styles.css `--bg`). */
const PAGE_BG: Readonly<Record<Theme, string>> = { light: '#f4f6f8', dark: '#121519' };

type Rgb = readonly [number, number, number];

function rgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1] ?? '', 16), parseInt(m[2] ?? '', 16), parseInt(m[3] ?? '', 16)];
}

function luminance(c: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function blend(fg: Rgb, bg: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((i) => Math.round((fg[i] ?? 0) * alpha + (bg[i] ?? 0) * (1 - alpha))) as unknown as Rgb;
}

function styleOf(theme: Theme, selector: string): Record<string, unknown> {
  const rule = graphStylesheet(theme).find((r) => r.selector === selector);
  if (!rule || !('style' in rule)) throw new Error(`no rule for ${selector}`);
  return rule.style as Record<string, unknown>;
}

describe.each(['light', 'dark'] as const)('graph label contrast, %s', (theme) => {
  const node = styleOf(theme, 'node');
  const text = rgb(String(node['color']));
  const opacity = Number(node['background-opacity']);
  const solidText = rgb(String(styleOf(theme, 'node.solid')['color']));
  const bg = rgb(PAGE_BG[theme]);

  it.each(Object.keys(KIND_LOOK) as GraphNodeKind[])('%s', (kind) => {
    const fill = rgb(KIND_LOOK[kind].color);
    const ratio = SOLID_KINDS.includes(kind) ? contrast(solidText, fill) : contrast(text, blend(fill, bg, opacity));
    expect(ratio, `${kind} label on ${KIND_LOOK[kind].color}`).toBeGreaterThanOrEqual(4.5);
  });

  it('edge labels on their background', () => {
    const edge = styleOf(theme, 'edge');
    const back = blend(rgb(String(edge['text-background-color'])), bg, Number(edge['text-background-opacity']));
    expect(contrast(rgb(String(edge['color'])), back)).toBeGreaterThanOrEqual(4.5);
  });

  it('traffic badge counts: white on the badge fill, drawn at a label size (not a blank bar)', () => {
    const badge = styleOf(theme, 'node.traffic-badge');
    expect(Number(badge['background-opacity'])).toBe(1);
    expect(Number(badge['font-size'])).toBeGreaterThanOrEqual(MIN_LABEL_PX);
    for (const fill of Object.values(TRAFFIC_BADGE_COLORS)) {
      expect(contrast(rgb(String(badge['color'])), rgb(fill)), `badge text on ${fill}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
