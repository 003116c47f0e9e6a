/**
 * Static file lookup for browser mode: maps a request path to a file inside the renderer's build
 * directory, refusing anything that could escape it (`..`, encoded separators, NUL, symlinks out).
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, join, posix, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The relative file path a URL path names, or null when it is not a plain path inside the root.
 * `/` and paths ending in `/` name `index.html` of that directory.
 */
export function toRelativeFilePath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  // Backslashes and NUL never appear in our asset names; on Windows a backslash is a separator.
  if (!decoded.startsWith('/') || decoded.includes('\\') || decoded.includes('\0')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const normalized = posix.normalize(decoded);
  const relative = normalized.endsWith('/') ? `${normalized}index.html` : normalized;
  return relative.slice(1);
}

export interface StaticFile {
  readonly path: string;
  readonly size: number;
  readonly contentType: string;
}

/** Finds the file for `urlPath` under `root` (both resolved through symlinks), or null. */
export async function findStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  const relative = toRelativeFilePath(urlPath);
  if (relative === null) return null;
  try {
    const realRoot = await realpath(root);
    const realFile = await realpath(join(realRoot, relative));
    if (!realFile.startsWith(realRoot + sep)) return null;
    const info = await stat(realFile);
    if (!info.isFile()) return null;
    return { path: realFile, size: info.size, contentType: contentTypeFor(realFile) };
  } catch {
    return null;
  }
}
