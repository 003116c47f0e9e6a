/**
 * Draws the app icon (build/icons/512x512.png and build/icon.png) with no image tooling: a
 * deep-blue rounded square, a white globe ring with a meridian and an equator, and an amber arrow
 * leaving it to the upper right (traffic egressing). Run: `npx tsx build/make-icon.ts`.
 * The PNGs are committed; electron-builder reads them (see electron-builder.yml).
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
/** Supersampling per axis, for smooth edges. */
const SAMPLES = 4;

type Rgba = readonly [number, number, number, number];
const CLEAR: Rgba = [0, 0, 0, 0];
const BLUE: Rgba = [11, 61, 145, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const AMBER: Rgba = [255, 176, 32, 255];

function insideRoundedSquare(x: number, y: number): boolean {
  const r = 96, lo = 16, hi = SIZE - 16;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = Math.min(Math.max(x, lo + r), hi - r);
  const cy = Math.min(Math.max(y, lo + r), hi - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideTriangle(px: number, py: number, a: readonly [number, number], b: readonly [number, number], c: readonly [number, number]): boolean {
  const side = (p: readonly [number, number], q: readonly [number, number]) => (q[0] - p[0]) * (py - p[1]) - (q[1] - p[1]) * (px - p[0]);
  const s1 = side(a, b), s2 = side(b, c), s3 = side(c, a);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

function colourAt(x: number, y: number): Rgba {
  if (!insideRoundedSquare(x, y)) return CLEAR;
  // Arrow: shaft from the globe centre towards the upper right, head at the tip.
  const tip: [number, number] = [430, 82];
  if (insideTriangle(x, y, tip, [330, 100], [412, 182])) return AMBER;
  if (distanceToSegment(x, y, 236, 276, 385, 127) <= 22) return AMBER;
  const cx = 236, cy = 276, r = 150;
  const d = Math.hypot(x - cx, y - cy);
  if (Math.abs(d - r) <= 14) return WHITE;
  if (d < r) {
    const meridian = Math.abs(Math.hypot((x - cx) * 2.2, y - cy) - r) <= 10;
    const equator = Math.abs(y - cy) <= 8;
    if (meridian || equator) return WHITE;
  }
  return BLUE;
}

function renderRgba(): Buffer {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    const row = y * (SIZE * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
          // Premultiplied accumulation so edges against transparency do not darken.
          for (let i = 0; i < 3; i++) sum[i] = (sum[i] ?? 0) + (c[i] ?? 0) * (c[3] / 255);
          sum[3] = (sum[3] ?? 0) + c[3];
        }
      }
      const n = SAMPLES * SAMPLES;
      const alpha = (sum[3] ?? 0) / n;
      const offset = row + 1 + x * 4;
      for (let i = 0; i < 3; i++) raw[offset + i] = alpha === 0 ? 0 : Math.round(((sum[i] ?? 0) / n) * 255 / alpha);
      raw[offset + 3] = Math.round(alpha);
    }
  }
  return raw;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function encodePng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(renderRgba(), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const png = encodePng();
writeFileSync(new URL('./icons/512x512.png', import.meta.url), png);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`Wrote build/icons/512x512.png and build/icon.png (${png.length} bytes).`);
