/**
 * The colour tokens of renderer/styles.css, both schemes: every text token keeps ≥ 4.5:1 (WCAG 2
 * AA) on every background token, so any pairing the stylesheet uses (or will use) passes. axe
 * checks what a page shows (test/e2e/a11y.test.ts); this covers states the e2e run does not reach.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CSS = readFileSync('renderer/styles.css', 'utf8');
const TEXT = ['text', 'muted', 'accent', 'good', 'neutral', 'warn', 'bad', 'changed'];
const BACKGROUNDS = ['bg', 'panel', 'panel-2', 'accent-soft', 'good-soft', 'neutral-soft', 'warn-soft', 'bad-soft'];

function tokens(block: string): Map<string, string> {
  return new Map([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

function luminance(hex: string): number {
  const lin = (i: number) => {
    const s = parseInt(hex.slice(i, i + 2), 16) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const light = tokens(/:root\s*{([^}]*)}/.exec(CSS)?.[1] ?? '');
// The dark scheme overrides every colour token (it inherits none from the light block).
const dark = tokens(/@media \(prefers-color-scheme: dark\)\s*{\s*:root\s*{([^}]*)}/.exec(CSS)?.[1] ?? '');

describe.each([['light', light], ['dark', dark]] as const)('styles.css tokens, %s', (_scheme, t) => {
  it('defines every token', () => {
    for (const name of [...TEXT, ...BACKGROUNDS, 'on-accent']) expect(t.get(name), name).toMatch(/^#/);
  });

  it.each(TEXT)('--%s on every background ≥ 4.5:1', (fg) => {
    const low = BACKGROUNDS
      .map((bg) => ({ bg, ratio: contrast(t.get(fg) ?? '#000000', t.get(bg) ?? '#000000') }))
      .filter((x) => x.ratio < 4.5)
      .map((x) => `--${x.bg} ${x.ratio.toFixed(2)}`);
    expect(low).toEqual([]);
  });

  it('--on-accent on --accent (primary buttons) ≥ 4.5:1', () => {
    expect(contrast(t.get('on-accent') ?? '', t.get('accent') ?? '')).toBeGreaterThanOrEqual(4.5);
  });
});
