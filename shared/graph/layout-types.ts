/**
 * A laid-out egress graph: absolute coordinates (origin top-left, y down, units = CSS px at 100 %
 * zoom = PDF pt at scale 1), so the app and the evidence PDF draw the same picture.
 */
import type { GraphNode } from './types';
import type { FontWeight } from './text-width';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** One line of text to draw: `x`, `y` are the top-left of its box; draw it centred (leaves) or left-aligned (compounds) within `width`. */
export interface TextLine {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly fontSize: number;
  readonly weight: FontWeight;
  readonly align: 'center' | 'left';
}

export interface NodeBox {
  readonly id: string;
  readonly kind: GraphNode['kind'];
  /** Top-left corner, absolute. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** A VNet box drawn around its children. */
  readonly compound: boolean;
  readonly parent: string | null;
  /** Label and sublabel as displayed (truncated with an ellipsis to `maxLabelWidth`); the full text stays in the graph node. */
  readonly lines: readonly TextLine[];
}

export interface EdgeRoute {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Polyline from the source box's border to the target box's border, bend points in between. */
  readonly points: readonly Point[];
  /** Placed edge label (overview folded exits), or null. */
  readonly label: TextLine | null;
}

export type LayoutEngine = 'elk' | 'quick';

export interface GraphLayout {
  readonly engine: LayoutEngine;
  /** Bounding box of everything: all coordinates lie in [0, width] × [0, height]. */
  readonly width: number;
  readonly height: number;
  /** Same order as the graph's nodes (compounds before their children). */
  readonly nodes: readonly NodeBox[];
  /** Same order as the graph's edges. */
  readonly edges: readonly EdgeRoute[];
  /** The font family the widths were estimated for. */
  readonly fontFamily: string;
}

export interface LayoutOptions {
  /** `auto` (default): ELK up to `quickThreshold` elements, the quick layered layout above. */
  readonly engine?: 'auto' | LayoutEngine;
  /** Nodes + edges above which `auto` uses the quick layout. Default 6,000. */
  readonly quickThreshold?: number;
  /** Default 12. */
  readonly labelFontSize?: number;
  /** Default 10. */
  readonly sublabelFontSize?: number;
  /** Labels wider than this are truncated with an ellipsis. Default 200. */
  readonly maxLabelWidth?: number;
  /**
   * Nodes whose label and sublabel are never truncated (their box grows to fit): the PDF's
   * bypassed NAT gateway, whose sublabel says it is bypassed (export/labels.ts). Default none.
   */
  readonly wholeTextIds?: ReadonlySet<string>;
}
