/**
 * Node box sizes and label lines, shared by the ELK and quick layouts so both size nodes alike.
 */
import type { LayoutOptions, TextLine } from './layout-types';
import { estimateTextWidth, truncateToWidth } from './text-width';
import type { GraphNode } from './types';

export interface ResolvedLayoutOptions {
  readonly engine: 'auto' | 'elk' | 'quick';
  readonly quickThreshold: number;
  readonly labelFontSize: number;
  readonly sublabelFontSize: number;
  readonly maxLabelWidth: number;
  readonly wholeTextIds: ReadonlySet<string>;
}

export const DEFAULT_QUICK_THRESHOLD = 6_000;

const NO_IDS: ReadonlySet<string> = new Set();

export function resolveLayoutOptions(options: LayoutOptions | undefined): ResolvedLayoutOptions {
  return {
    engine: options?.engine ?? 'auto',
    quickThreshold: options?.quickThreshold ?? DEFAULT_QUICK_THRESHOLD,
    labelFontSize: options?.labelFontSize ?? 12,
    sublabelFontSize: options?.sublabelFontSize ?? 10,
    maxLabelWidth: options?.maxLabelWidth ?? 200,
    wholeTextIds: options?.wholeTextIds ?? NO_IDS,
  };
}

/** Padding inside a leaf box and around a compound's children. */
export const LEAF_PADDING_X = 10;
export const LEAF_PADDING_Y = 6;
export const COMPOUND_PADDING = 14;
export const MIN_LEAF_WIDTH = 72;
const LINE_HEIGHT_FACTOR = 1.25;

export function lineHeight(fontSize: number): number {
  return Math.ceil(fontSize * LINE_HEIGHT_FACTOR);
}

/** The label and sublabel as displayed, truncated to the max width (unless the node is in `wholeTextIds`). */
export function displayTexts(node: GraphNode, o: ResolvedLayoutOptions): { label: string; sublabel: string } {
  if (o.wholeTextIds.has(node.id)) return { label: node.label, sublabel: node.sublabel };
  return {
    label: truncateToWidth(node.label, o.maxLabelWidth, o.labelFontSize, 'bold'),
    sublabel: truncateToWidth(node.sublabel, o.maxLabelWidth, o.sublabelFontSize, 'regular'),
  };
}

function textBlockWidth(node: GraphNode, o: ResolvedLayoutOptions): number {
  const { label, sublabel } = displayTexts(node, o);
  return Math.ceil(Math.max(estimateTextWidth(label, o.labelFontSize, 'bold'), estimateTextWidth(sublabel, o.sublabelFontSize, 'regular')));
}

/** Two text lines tall (the sublabel line is kept even when empty so rows align). */
export function leafSize(node: GraphNode, o: ResolvedLayoutOptions): { width: number; height: number } {
  return {
    width: Math.max(MIN_LEAF_WIDTH, textBlockWidth(node, o) + 2 * LEAF_PADDING_X),
    height: 2 * LEAF_PADDING_Y + lineHeight(o.labelFontSize) + lineHeight(o.sublabelFontSize),
  };
}

/** Space a compound reserves above its children for its two title lines. */
export function compoundTopPadding(o: ResolvedLayoutOptions): number {
  return COMPOUND_PADDING / 2 + lineHeight(o.labelFontSize) + lineHeight(o.sublabelFontSize) + COMPOUND_PADDING / 2;
}

export function compoundMinWidth(node: GraphNode, o: ResolvedLayoutOptions): number {
  return textBlockWidth(node, o) + 2 * COMPOUND_PADDING;
}

/** Label lines for a box at (x, y) of the given width. */
export function textLines(node: GraphNode, compound: boolean, x: number, y: number, width: number, o: ResolvedLayoutOptions): TextLine[] {
  const { label, sublabel } = displayTexts(node, o);
  const labelHeight = lineHeight(o.labelFontSize);
  const inset = compound ? COMPOUND_PADDING : LEAF_PADDING_X;
  // A leaf with no sublabel gets its one line centred vertically (sinks, bare names).
  const singleLineOffset = !compound && sublabel.length === 0 ? lineHeight(o.sublabelFontSize) / 2 : 0;
  const top = compound ? y + COMPOUND_PADDING / 2 : y + LEAF_PADDING_Y + singleLineOffset;
  const align = compound ? 'left' : 'center';
  const lines: TextLine[] = [{ text: label, x: x + inset, y: top, width: width - 2 * inset, fontSize: o.labelFontSize, weight: 'bold', align }];
  if (sublabel.length > 0) {
    lines.push({ text: sublabel, x: x + inset, y: top + labelHeight, width: width - 2 * inset, fontSize: o.sublabelFontSize, weight: 'regular', align });
  }
  return lines;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
