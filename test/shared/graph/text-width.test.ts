import { describe, expect, it } from 'vitest';
import { ELLIPSIS, estimateTextWidth, truncateToWidth } from '../../../shared/graph';

describe('estimateTextWidth', () => {
  it('sums DejaVu Sans advance widths, scaled to the font size', () => {
    expect(estimateTextWidth('', 12)).toBe(0);
    // i = 278, W = 989 thousandths of an em (regular).
    expect(estimateTextWidth('i', 10)).toBeCloseTo(2.78, 5);
    expect(estimateTextWidth('W', 10)).toBeCloseTo(9.89, 5);
    expect(estimateTextWidth('10.0.1.4', 10)).toBeCloseTo((5 * 636 + 3 * 318) / 100, 5);
    expect(estimateTextWidth('ab', 24)).toBe(2 * estimateTextWidth('ab', 12));
  });

  it('makes bold wider than regular and counts a whole em for wide scripts', () => {
    expect(estimateTextWidth('Internet', 12, 'bold')).toBeGreaterThan(estimateTextWidth('Internet', 12));
    expect(estimateTextWidth('東京', 10)).toBe(20);
    // A surrogate pair is one character, not two.
    expect(estimateTextWidth('😀', 10)).toBe(10);
  });
});

describe('truncateToWidth', () => {
  it('keeps text that fits', () => {
    expect(truncateToWidth('vnet-hub', 200, 12, 'bold')).toBe('vnet-hub');
  });

  it('cuts text that does not fit and ends it with an ellipsis, within the width', () => {
    const text = 'snet-application-gateway-backend-westeurope-001';
    const cut = truncateToWidth(text, 120, 12);
    expect(cut.endsWith(ELLIPSIS)).toBe(true);
    expect(text.startsWith(cut.slice(0, -1))).toBe(true);
    expect(estimateTextWidth(cut, 12)).toBeLessThanOrEqual(120);
    // One more character would not have fitted.
    const longer = `${text.slice(0, cut.length)}${ELLIPSIS}`;
    expect(estimateTextWidth(longer, 12)).toBeGreaterThan(120);
  });
});
