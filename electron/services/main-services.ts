/**
 * The main side's operations, one function per IPC operation. The same object serves Electron's
 * `ipcMain` handlers (electron/app/ipc.ts) and the browser-mode HTTP bridge (electron/web), so the
 * two transports cannot drift apart. Requests arrive already validated (shared/ipc/validate.ts);
 * every answer is an `IpcResult`: failures are data, never exceptions across the seam.
 *
 * Everything that touches other parts of the app (demos, ARM import, resolver, evidence PDF, live
 * pull) is injected, so tests run the services on fakes and optional capabilities can be absent.
 */
import { randomUUID } from 'node:crypto';
import type { MatrixResult } from '../../shared/egress/matrix';
import type { ReachResult } from '../../shared/egress/reach';
import type { ResolveResult } from '../../shared/egress/types';
import type {
  DemoInfo, EgressAtlasApi, ImportedFile, IpcError, IpcResult, OpenedEstate, PullRequest,
} from '../../shared/ipc/contract';
import { InputError } from '../../shared/model/errors';
import type { Snapshot } from '../../shared/model/snapshot';
import type { CheckResult } from '../../shared/policy/types';
import { createEstateStore, type EstateStore } from './estate-store';
import { createPullJobs, type PullFunction, type PullJobs } from './pull-jobs';
import type { RecentStore } from './recent-store';
import { assertNever } from '../../shared/model/assert';

export type { PullFunction } from './pull-jobs';

export interface EvidenceInput {
  readonly snapshot: Snapshot;
  readonly result: ResolveResult;
  /** Sources to include; null = every path in the result. */
  readonly sourceIds: readonly string[] | null;
  /** Estate title, for the report heading. */
  readonly title: string;
}

export type EvidenceWriter = (input: EvidenceInput) => Promise<Uint8Array>;

export interface MainServiceDeps {
  readonly listDemos: () => readonly DemoInfo[];
  /** The demo's snapshot, or null when there is no demo by that name. */
  readonly loadDemo: (name: string) => Snapshot | null | Promise<Snapshot | null>;
  /** Snapshot or ARM / az JSON texts → snapshot. Throws InputError on bad input. */
  readonly importFiles: (files: readonly ImportedFile[]) => Snapshot | Promise<Snapshot>;
  /** The egress resolver. Throws InputError for a destination it cannot use. */
  readonly resolve: (snapshot: Snapshot, destination: string | null) => ResolveResult;
  /** What one source (by path source ID) or every source (null) can reach; no match: no sources. */
  readonly reach: (snapshot: Snapshot, sourceId: string | null) => ReachResult;
  /** A destinations list's text → the matrix. Throws InputError naming `fileName` and the line for a bad list. */
  readonly matrix: (snapshot: Snapshot, listText: string, fileName: string) => MatrixResult;
  /**
   * A policy file's text → the check, exception expiry judged against `now`. Throws InputError
   * (a PolicyError: every `file:line: field: problem`, one per line) for a policy that does not parse.
   */
  readonly check: (snapshot: Snapshot, policyText: string, fileName: string, now: Date) => CheckResult;
  /** The clock for `check` (tests pin it); default: the current time. */
  readonly now?: () => Date;
  /** Snapshot → the text of a snapshot file. */
  readonly formatSnapshot: (snapshot: Snapshot) => string;
  readonly recent: RecentStore;
  /** Absent: `exportEvidence` answers `unsupported`. */
  readonly writeEvidence?: EvidenceWriter;
  /** Absent: `startPull` answers `unsupported`. */
  readonly pull?: PullFunction;
  readonly newId?: () => string;
}

/** The operations, plus a hook to await a pull job (tests, orderly shutdown). */
export interface MainServices extends EgressAtlasApi {
  readonly pullSettled: (jobId: string) => Promise<void>;
  /**
   * Keeps a snapshot the main side loaded itself (`egress-atlas ui FILE`) as an open estate; the
   * page then opens it by ID (`openLoaded`) without uploading it. Not added to the recent list
   * (a whole-tenant file is too large to keep there).
   */
  readonly addLoaded: (title: string, snapshot: Snapshot) => OpenedEstate;
}

function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

function fail(code: IpcError['code'], message: string): { readonly ok: false; readonly error: IpcError } {
  return { ok: false, error: { code, message } };
}

/** InputError → `input-error` naming the file and JSON path; anything else → `internal`. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof InputError) {
    return { code: 'input-error', message: error.message, file: error.file, path: error.path };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: message.length > 0 ? message : 'Unexpected error' };
}

/** Runs an operation, turning anything it throws into error data. */
async function guarded<T>(operation: () => Promise<IpcResult<T>>, mapError: (error: unknown) => IpcError = toIpcError): Promise<IpcResult<T>> {
  try {
    return await operation();
  } catch (error) {
    return { ok: false, error: mapError(error) };
  }
}

export function titleForFiles(files: readonly ImportedFile[]): string {
  const [first, ...rest] = files;
  if (!first) return 'Imported files';
  return rest.length === 0 ? first.name : `${first.name} + ${rest.length} more`;
}

function slug(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return s.length > 0 ? s : 'estate';
}

/** `2026-11-26T05:44:27.000Z` → `20261126-0544`, for file names. */
function stamp(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[1]}${m[2]}${m[3]}-${m[4]}${m[5]}` : 'undated';
}

function pullTitle(request: PullRequest, snapshot: Snapshot): string {
  if (request.demoAzure) return 'Live pull (demo Azure)';
  const tenant = request.tenantId ?? snapshot.metadata.scope.tenantId;
  return tenant ? `Live pull ${tenant}` : 'Live pull';
}

/** A pull failure is Azure's unless it is bad input. */
function toPullError(error: unknown): IpcError {
  const mapped = toIpcError(error);
  return mapped.code === 'internal' ? { ...mapped, code: 'azure-error' } : mapped;
}

export function createMainServices(deps: MainServiceDeps): MainServices {
  const newId = deps.newId ?? (() => randomUUID());
  const now = deps.now ?? (() => new Date());
  const estates: EstateStore = createEstateStore({ newId: () => `estate-${newId()}` });

  async function openDemo(name: string): Promise<IpcResult<OpenedEstate>> {
    const demo = deps.listDemos().find((d) => d.name === name);
    const snapshot = demo ? await deps.loadDemo(name) : null;
    if (!demo || !snapshot) return fail('not-found', `No demo estate named "${name}"`);
    const opened = estates.add(demo.title, snapshot);
    await deps.recent.add(demo.title, { kind: 'demo', demoName: name });
    return ok(opened);
  }

  async function openPulled(request: PullRequest, snapshot: Snapshot): Promise<OpenedEstate> {
    const title = pullTitle(request, snapshot);
    const opened = estates.add(title, snapshot);
    // Keep the pulled snapshot's text so the pull can be reopened without signing in again.
    const fileName = `live-pull-${stamp(snapshot.metadata.capturedAt)}.json`;
    await deps.recent.add(title, { kind: 'live-pull', files: [{ name: fileName, text: deps.formatSnapshot(snapshot) }] });
    return opened;
  }

  const pullJobs: PullJobs | null = deps.pull
    ? createPullJobs({ pull: deps.pull, openPulled, toError: toPullError, newId: () => `pull-${newId()}` })
    : null;

  function unknownEstate(estateId: string): { readonly ok: false; readonly error: IpcError } {
    return fail('not-found', `No open estate with ID "${estateId}" (it may have been closed; open it again)`);
  }

  function resolveCached(estateId: string, destination: string | null): ResolveResult | undefined {
    return estates.resolve(estateId, destination, (snapshot) => deps.resolve(snapshot, destination));
  }

  return {
    listDemos: () => guarded(async () => ok(deps.listDemos().map(({ name, title, description }) => ({ name, title, description })))),

    openDemo: ({ name }) => guarded(() => openDemo(name)),

    importFiles: ({ files }) => guarded(async () => {
      const snapshot = await deps.importFiles(files);
      const title = titleForFiles(files);
      const opened = estates.add(title, snapshot);
      await deps.recent.add(title, { kind: 'files', files });
      return ok(opened);
    }),

    listRecent: () => guarded(async () => ok(await deps.recent.list())),

    openRecent: ({ id }) => guarded(async () => {
      const loaded = await deps.recent.load(id);
      if (!loaded) return fail('not-found', `No recent entry with ID "${id}"`);
      const { entry, source } = loaded;
      if (!source) {
        return fail('not-found', `"${entry.title}" was too large to keep in the recent list; import the files again`);
      }
      switch (source.kind) {
        case 'demo':
          return openDemo(source.demoName);
        case 'files':
        case 'live-pull': {
          const snapshot = await deps.importFiles(source.files);
          const opened = estates.add(entry.title, snapshot);
          await deps.recent.add(entry.title, source);
          return ok(opened);
        }
        default:
          return assertNever(source);
      }
    }),

    resolve: ({ estateId, destination }) => guarded(async () => {
      const result = resolveCached(estateId, destination);
      return result ? ok(result) : unknownEstate(estateId);
    }),

    reach: ({ estateId, sourceId }) => guarded(async () => {
      const result = estates.reach(estateId, sourceId, (snapshot) => deps.reach(snapshot, sourceId));
      return result ? ok(result) : unknownEstate(estateId);
    }),

    matrix: ({ estateId, destinations, fileName }) => guarded(async () => {
      // Keyed by the list's text alone: the file name only appears in errors, which are not cached.
      const result = estates.matrix(estateId, destinations, (snapshot) => deps.matrix(snapshot, destinations, fileName));
      return result ? ok(result) : unknownEstate(estateId);
    }),

    check: ({ estateId, policy, fileName }) => guarded(async () => {
      // Exceptions expire by the day, and the file name is part of the result (it cites it): the
      // cache key holds both with the text, so a check never outlives the day it was judged on.
      const at = now();
      const key = `${at.toISOString().slice(0, 10)}\u0000${fileName}\u0000${policy}`;
      const result = estates.check(estateId, key, (snapshot) => deps.check(snapshot, policy, fileName, at));
      return result ? ok(result) : unknownEstate(estateId);
    }),

    saveSnapshot: ({ estateId }) => guarded(async () => {
      const estate = estates.get(estateId);
      if (!estate) return unknownEstate(estateId);
      const fileName = `${slug(estate.summary.title)}-${stamp(estate.snapshot.metadata.capturedAt)}.egress-atlas.json`;
      return ok({ fileName, text: deps.formatSnapshot(estate.snapshot) });
    }),

    exportEvidence: ({ estateId, destination, sourceIds }) => guarded(async () => {
      const writeEvidence = deps.writeEvidence;
      if (!writeEvidence) return fail('unsupported', 'Evidence PDF export is not available in this build');
      const estate = estates.get(estateId);
      const result = resolveCached(estateId, destination);
      if (!estate || !result) return unknownEstate(estateId);
      const bytes = await writeEvidence({ snapshot: estate.snapshot, result, sourceIds, title: estate.summary.title });
      const fileName = `${slug(estate.summary.title)}-evidence-${stamp(new Date().toISOString())}.pdf`;
      return ok({ fileName, base64: Buffer.from(bytes).toString('base64') });
    }),

    startPull: (request) => guarded(async () => {
      if (!pullJobs) return fail('unsupported', 'Live pull from Azure is not available in this build');
      return ok({ jobId: pullJobs.start(request) });
    }),

    pullStatus: ({ jobId }) => guarded(async () => {
      const status = pullJobs?.status(jobId);
      return status ? ok(status) : fail('not-found', `No pull job with ID "${jobId}"`);
    }),

    cancelPull: ({ jobId }) => guarded(async () => {
      const cancelled = pullJobs?.cancel(jobId) ?? null;
      return cancelled === null ? fail('not-found', `No pull job with ID "${jobId}"`) : ok({ cancelled });
    }),

    openLoaded: ({ estateId }) => guarded(async () => {
      const estate = estates.get(estateId);
      return estate ? ok({ summary: estate.summary, snapshot: estate.snapshot }) : unknownEstate(estateId);
    }),

    addLoaded: (title, snapshot) => estates.add(title, snapshot),

    pullSettled: async (jobId) => {
      await pullJobs?.settled(jobId);
    },
  };
}

