/**
 * A diagram SVG (shared/graph/export `toSvg`) rasterised to PNG in Node, for `egress-atlas diagram
 * --format png`: resvg compiled to WebAssembly (`@resvg/resvg-wasm`, no native binary, no
 * browser), drawing text with the same embedded fonts as the evidence PDF (DejaVu Sans, and Noto
 * Sans JP for the CJK characters DejaVu lacks), so the PNG does not depend on the machine's fonts.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { evidenceFontFiles, fallbackFontFile } from './fonts';

/** Chromium's and most viewers' practical limits; a bigger request is drawn at a smaller scale. */
const MAX_SIDE_PX = 16_384;
const MAX_PIXELS = 120_000_000;

export interface PngImage {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The scale used (the requested one, or less when the image would exceed the limits). */
  readonly scale: number;
}

type ResvgModule = typeof import('@resvg/resvg-wasm');
let ready: Promise<ResvgModule> | null = null;

async function resvg(): Promise<ResvgModule> {
  ready ??= (async () => {
    const module = await import('@resvg/resvg-wasm');
    const require = createRequire(import.meta.url);
    await module.initWasm(await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    return module;
  })();
  return ready;
}

/** The scale at which a `width` × `height` SVG fits the PNG limits, at most `wanted`. */
export function fittingScale(width: number, height: number, wanted: number): number {
  const bySide = MAX_SIDE_PX / Math.max(width, height, 1);
  const byArea = Math.sqrt(MAX_PIXELS / Math.max(width * height, 1));
  return Math.max(0.1, Math.min(wanted, bySide, byArea));
}

function svgSize(svg: string): { readonly width: number; readonly height: number } {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(open)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(open)?.[1]);
  if (!Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) {
    throw new Error('the SVG has no width and height on its <svg> element');
  }
  return { width, height };
}

export async function svgToPng(svg: string, options: { readonly scale?: number; readonly background?: string } = {}): Promise<PngImage> {
  const { Resvg } = await resvg();
  const size = svgSize(svg);
  const scale = fittingScale(size.width, size.height, options.scale ?? 2);
  const files = evidenceFontFiles();
  const fontBuffers = await Promise.all([files.Sans, files['Sans-Bold'], fallbackFontFile()].map(async (f) => new Uint8Array(await readFile(f))));
  try {
    const renderer = new Resvg(svg, {
      font: { fontBuffers, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
      fitTo: { mode: 'zoom', value: scale },
      ...(options.background === undefined ? {} : { background: options.background }),
    });
    try {
      const image = renderer.render();
      try {
        return { png: image.asPng(), width: image.width, height: image.height, scale };
      } finally {
        image.free();
      }
    } finally {
      renderer.free();
    }
  } catch (error) {
    // A panic inside the WebAssembly renderer surfaces as `RuntimeError: unreachable`: say what
    // failed and what still works, rather than that word.
    const reason = error instanceof Error ? error.message : String(error);
    throw new PngRenderError(`the PNG could not be drawn (resvg: ${reason}); --format svg writes the same diagram`);
  }
}

export class PngRenderError extends Error {
  override readonly name = 'PngRenderError';
}
