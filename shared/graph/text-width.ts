/**
 * Deterministic text widths without a DOM: advance widths of DejaVu Sans (the font the evidence PDF
 * embeds, from the `dejavu-fonts-ttf` package; metrics close to Verdana), in thousandths of an em,
 * measured once with pdfkit's `widthOfString` at 1000 pt. The app should draw labels with
 * `GRAPH_FONT_FAMILY` so that boxes sized here fit at 100 % zoom; narrower fallback fonts only
 * leave more room.
 */

export const GRAPH_FONT_FAMILY = "'DejaVu Sans', Verdana, 'Segoe UI', Arial, sans-serif";

export type FontWeight = 'regular' | 'bold';

/** Code points 32..126. */
const REGULAR_ASCII: readonly number[] = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

const BOLD_ASCII: readonly number[] = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

export const ELLIPSIS = '\u2026';

function charWidthPerMille(codePoint: number, weight: FontWeight): number {
  if (codePoint >= 32 && codePoint <= 126) {
    const table = weight === 'bold' ? BOLD_ASCII : REGULAR_ASCII;
    return table[codePoint - 32] ?? 1000;
  }
  if (codePoint === 0x2026) return 1000; // …
  // CJK, Hangul and other full-width scripts take a whole em; anything else is treated as a wide Latin letter.
  if (codePoint >= 0x2e80) return 1000;
  return weight === 'bold' ? 780 : 720;
}

/** Width in px (or pt) of `text` drawn at `fontSize`. */
export function estimateTextWidth(text: string, fontSize: number, weight: FontWeight = 'regular'): number {
  let perMille = 0;
  for (const ch of text) perMille += charWidthPerMille(ch.codePointAt(0) ?? 32, weight);
  return (perMille * fontSize) / 1000;
}

/** `text` if it fits in `maxWidth`, else its longest prefix that fits followed by an ellipsis. */
export function truncateToWidth(text: string, maxWidth: number, fontSize: number, weight: FontWeight = 'regular'): string {
  if (estimateTextWidth(text, fontSize, weight) <= maxWidth) return text;
  const budget = (maxWidth * 1000) / fontSize - charWidthPerMille(0x2026, weight);
  let used = 0;
  let kept = '';
  for (const ch of text) {
    const width = charWidthPerMille(ch.codePointAt(0) ?? 32, weight);
    if (used + width > budget) break;
    used += width;
    kept += ch;
  }
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
