/**
 * The "Recent" list, persisted as JSON in the app's data directory:
 *   <dataDir>/recent.json          the entries (newest first)
 *   <dataDir>/recent/<id>.json     the imported texts of a `files` / `live-pull` entry
 * Browser mode cannot reopen a file by path (the page only ever saw its content), so the texts
 * themselves are kept, within a size budget; an entry whose texts were too large (or were evicted)
 * stays listed and `load` reports it as no longer reopenable.
 *
 * A missing or unreadable recent.json is an empty list, never a startup failure.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportedFile, RecentEntry } from '../../shared/ipc/contract';
import { assertNever } from '../../shared/model/assert';

/**
 * The recent list and the copies of opened files describe a bank's network: only the signed-in
 * user may read them (other accounts on a shared machine get nothing), whatever the umask.
 */
const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_DIR = 0o700;

export type RecentSource =
  | { readonly kind: 'demo'; readonly demoName: string }
  | { readonly kind: 'files'; readonly files: readonly ImportedFile[] }
  | { readonly kind: 'live-pull'; readonly files: readonly ImportedFile[] };

export type LoadedRecent =
  | { readonly entry: RecentEntry; readonly source: RecentSource }
  /** Listed, but its texts were not kept (too large or evicted by newer entries). */
  | { readonly entry: RecentEntry; readonly source: null };

export interface RecentStore {
  list(): Promise<readonly RecentEntry[]>;
  /** Adds (or moves to the top, when the same demo or the same texts were opened before). */
  add(title: string, source: RecentSource): Promise<RecentEntry>;
  load(id: string): Promise<LoadedRecent | null>;
}

export interface RecentStoreOptions {
  /** null: keep the list in memory only (nothing written). */
  readonly dataDir: string | null;
  readonly maxEntries?: number;
  /** Characters of texts kept for one entry. */
  readonly maxEntryChars?: number;
  /** Characters of texts kept across all entries. */
  readonly maxTotalChars?: number;
  readonly now?: () => Date;
}

const RECENT_FORMAT = 'egress-atlas/recent@1';

interface StoredEntry {
  readonly id: string;
  readonly title: string;
  readonly openedAt: string;
  readonly kind: RecentEntry['kind'];
  /** Same demo or same texts → same key, so reopening moves the entry instead of duplicating it. */
  readonly contentKey: string;
  readonly demoName: string | null;
  /** Characters of texts on disk; 0 when none are kept. */
  readonly storedChars: number;
}

function toRecentEntry(entry: StoredEntry): RecentEntry {
  return { id: entry.id, title: entry.title, openedAt: entry.openedAt, kind: entry.kind };
}

function contentKeyOf(source: RecentSource): string {
  switch (source.kind) {
    case 'demo':
      return `demo:${source.demoName}`;
    case 'files':
    case 'live-pull': {
      const hash = createHash('sha256');
      for (const file of source.files) hash.update(`${file.name.length}:${file.name}${file.text.length}:`).update(file.text);
      return `${source.kind}:${hash.digest('hex')}`;
    }
    default:
      return assertNever(source);
  }
}


function isStoredEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.id === 'string' && /^[A-Za-z0-9-]+$/.test(e.id) && typeof e.title === 'string'
    && typeof e.openedAt === 'string' && (e.kind === 'demo' || e.kind === 'files' || e.kind === 'live-pull')
    && typeof e.contentKey === 'string' && (e.demoName === null || typeof e.demoName === 'string')
    && typeof e.storedChars === 'number';
}

function isImportedFiles(value: unknown): value is readonly ImportedFile[] {
  return Array.isArray(value) && value.every((f: unknown) => typeof f === 'object' && f !== null
    && typeof (f as Record<string, unknown>).name === 'string' && typeof (f as Record<string, unknown>).text === 'string');
}

export function createRecentStore(options: RecentStoreOptions): RecentStore {
  const maxEntries = options.maxEntries ?? 20;
  const maxEntryChars = options.maxEntryChars ?? 16 * 1024 * 1024;
  const maxTotalChars = options.maxTotalChars ?? 64 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  const dataDir = options.dataDir;
  const textsDir = dataDir === null ? null : join(dataDir, 'recent');
  /** In-memory texts when there is no data directory. */
  const memoryTexts = new Map<string, readonly ImportedFile[]>();
  let entries: StoredEntry[] | null = null;
  /** Writes run one after another so two opens in quick succession cannot interleave. */
  let queue: Promise<unknown> = Promise.resolve();

  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function readEntries(): Promise<StoredEntry[]> {
    if (entries) return entries;
    entries = [];
    if (dataDir === null) return entries;
    try {
      const parsed: unknown = JSON.parse(await readFile(join(dataDir, 'recent.json'), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && (parsed as Record<string, unknown>).format === RECENT_FORMAT) {
        const list = (parsed as Record<string, unknown>).entries;
        if (Array.isArray(list)) entries = list.filter(isStoredEntry).slice(0, maxEntries);
      }
    } catch {
      // First launch or a damaged file: start with an empty list.
    }
    return entries;
  }

  /** mkdir's mode applies only to folders it creates: an existing one (an older version's) is made owner-only too. */
  async function ownerOnlyDir(path: string): Promise<void> {
    await mkdir(path, { recursive: true, mode: OWNER_ONLY_DIR });
    await chmod(path, OWNER_ONLY_DIR);
  }

  async function writeEntries(list: readonly StoredEntry[]): Promise<void> {
    if (dataDir === null) return;
    await ownerOnlyDir(dataDir);
    const target = join(dataDir, 'recent.json');
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify({ format: RECENT_FORMAT, entries: list }, null, 2)}\n`, { encoding: 'utf8', mode: OWNER_ONLY_FILE });
    await rename(temp, target);
  }

  async function writeTexts(id: string, files: readonly ImportedFile[]): Promise<void> {
    if (textsDir === null) {
      memoryTexts.set(id, files);
      return;
    }
    await ownerOnlyDir(textsDir);
    // A fresh file renamed over the old one: a mode given to writeFile applies only when it creates
    // the file, and a copy left by an older version may be world-readable.
    const target = join(textsDir, `${id}.json`);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(files), { encoding: 'utf8', mode: OWNER_ONLY_FILE });
    await rename(temp, target);
  }

  async function dropTexts(id: string): Promise<void> {
    memoryTexts.delete(id);
    if (textsDir !== null) await rm(join(textsDir, `${id}.json`), { force: true });
  }

  async function readTexts(id: string): Promise<readonly ImportedFile[] | null> {
    if (textsDir === null) return memoryTexts.get(id) ?? null;
    try {
      const parsed: unknown = JSON.parse(await readFile(join(textsDir, `${id}.json`), 'utf8'));
      return isImportedFiles(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  /** Newest first: keeps texts while the running total stays within budget, drops the rest. */
  async function enforceBudget(list: StoredEntry[]): Promise<StoredEntry[]> {
    let total = 0;
    const kept: StoredEntry[] = [];
    for (const entry of list) {
      if (entry.storedChars > 0 && total + entry.storedChars > maxTotalChars) {
        await dropTexts(entry.id);
        kept.push({ ...entry, storedChars: 0 });
        continue;
      }
      total += entry.storedChars;
      kept.push(entry);
    }
    return kept;
  }

  return {
    async list() {
      return (await readEntries()).map(toRecentEntry);
    },

    add(title, source) {
      return serialized(async () => {
        const list = await readEntries();
        const contentKey = contentKeyOf(source);
        const previous = list.find((e) => e.contentKey === contentKey);
        const id = previous?.id ?? randomUUID();
        let storedChars = 0;
        if (source.kind !== 'demo') {
          const chars = source.files.reduce((sum, f) => sum + f.text.length + f.name.length, 0);
          if (chars <= maxEntryChars) {
            await writeTexts(id, source.files);
            storedChars = chars;
          } else {
            await dropTexts(id);
          }
        }
        const entry: StoredEntry = {
          id, title, openedAt: now().toISOString(), kind: source.kind, contentKey,
          demoName: source.kind === 'demo' ? source.demoName : null, storedChars,
        };
        const ordered = [entry, ...list.filter((e) => e.id !== id)];
        for (const dropped of ordered.slice(maxEntries)) await dropTexts(dropped.id);
        // The cache follows what was written: a list that could not be written (read-only data
        // directory) must not show an entry the caller was told was not kept.
        const kept = await enforceBudget(ordered.slice(0, maxEntries));
        await writeEntries(kept);
        entries = kept;
        return toRecentEntry(entry);
      });
    },

    async load(id) {
      const entry = (await readEntries()).find((e) => e.id === id);
      if (!entry) return null;
      const recent = toRecentEntry(entry);
      if (entry.kind === 'demo') {
        return entry.demoName === null ? { entry: recent, source: null } : { entry: recent, source: { kind: 'demo', demoName: entry.demoName } };
      }
      const files = entry.storedChars > 0 ? await readTexts(entry.id) : null;
      return files ? { entry: recent, source: { kind: entry.kind, files } } : { entry: recent, source: null };
    },
  };
}
