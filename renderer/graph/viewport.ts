/**
 * Where the graph's camera goes: pure geometry, no cytoscape (unit-tested in node).
 */
import { READABLE_ZOOM } from './style';

export interface Box { readonly x1: number; readonly y1: number; readonly w: number; readonly h: number }

export interface Viewport {
  readonly zoom: number;
  readonly pan: { readonly x: number; readonly y: number };
  /** False when the box did not fit at a readable zoom: only part of it is in view. */
  readonly whole: boolean;
}

/**
 * The viewport that shows `box` (model coordinates) in a `width` × `height` pane: fitted with a
 * margin, but never below READABLE_ZOOM (labels would drop under 11 px on screen and be hidden).
 * When it does not fit at that zoom, the readable window starts where the reading does: at the
 * box's left edge (the graph flows left to right, sources first) and, vertically, around `anchorY`
 * (the selected source) or at the box's top. Pure: unit-tested without a canvas.
 */
export function readableViewport(box: Box, width: number, height: number, options: { readonly padding: number; readonly maxZoom: number; readonly anchorY?: number }): Viewport {
  const { padding, maxZoom } = options;
  const w = Math.max(1, width - 2 * padding);
  const h = Math.max(1, height - 2 * padding);
  const fitZoom = Math.min(maxZoom, w / Math.max(1, box.w), h / Math.max(1, box.h));
  const zoom = Math.max(READABLE_ZOOM, fitZoom);
  const fitsX = box.w * zoom <= w + 0.5;
  const fitsY = box.h * zoom <= h + 0.5;
  const x = fitsX ? width / 2 - (box.x1 + box.w / 2) * zoom : padding - box.x1 * zoom;
  let y: number;
  if (fitsY) y = height / 2 - (box.y1 + box.h / 2) * zoom;
  else {
    // Centre on the anchor (the selected source), else start at the top, where reading starts; do
    // not scroll past the box's top or bottom edge.
    const centre = options.anchorY ?? box.y1;
    const top = Math.min(Math.max(centre - h / zoom / 2, box.y1), box.y1 + box.h - h / zoom);
    y = padding - top * zoom;
  }
  return { zoom, pan: { x, y }, whole: fitsX && fitsY };
}

