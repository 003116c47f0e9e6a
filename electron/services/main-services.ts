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
  DemoInfo, EgressAtlasApi, ImportedFile, IpcError, IpcResult, OpenedEstate, PullRequest, TrafficAnswer,
} from '../../shared/ipc/contract';
import { InputError, SnapshotIntegrityError } from '../../shared/model/errors';
import type { Snapshot } from '../../shared/model/snapshot';
import type { CheckResult } from '../../shared/policy/types';
import { createEstateStore, type EstateStore } from './estate-store';
import { createPullJobs, type PulledEstate, type PullFunction, type PullJobs } from './pull-jobs';
import type { RecentStore } from './recent-store';
import { assertNever } from '../../shared/model/assert';
import { LARGE_ESTATE_SOURCES, type LoadProgress, type LoadStatus } from '../../shared/ipc/contract';
import { flowOverviewOf, flowSourceWindow, sourceDetails } from './flow-service';
import { loadEstateFromPaths } from './load-estate';

export type { PullFunction } from './pull-jobs';

export interface EvidenceInput {
  readonly snapshot: Snapshot;
  readonly result: ResolveResult;
  /** Sources to include; null = every path in the result. */
  readonly sourceIds: readonly string[] | null;
  /** Estate title, for the report heading. */
  readonly title: string;
  /** Logs added to the estate (`traffic`), for the Observed destinations and Cost by owner sections; null: none. */
  readonly logs?: TrafficAnswer | null;
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
  /**
   * What one source (by path source ID) or every source (null) can reach; no match: no sources.
   * `defaultRoute`: the estate's default-route resolve, already held, so it is not resolved again.
   */
  readonly reach: (snapshot: Snapshot, sourceId: string | null, defaultRoute?: ResolveResult) => ReachResult;
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
  /**
   * Log files against a snapshot and its default-route result → traffic analysis and cost estimate.
   * Throws InputError naming the file and row for a log that does not parse. Absent: `traffic` answers `unsupported`.
   */
  readonly traffic?: (snapshot: Snapshot, result: ResolveResult, files: readonly ImportedFile[]) => TrafficAnswer;
  /** Sample log files shipped for a demo (by demo name); absent or empty: none. */
  readonly sampleLogs?: (demoName: string) => readonly ImportedFile[];
  readonly newId?: () => string;
  /** Electron's Open dialog (main side): the chosen paths, or null when cancelled. Absent: `openFileDialog` answers `unsupported`. */
  readonly chooseFiles?: () => Promise<readonly string[] | null>;
}

export interface StartLoadOptions {
  /**
   * Read at once, but build only once the page first asks `loadStatus`, or this many ms after
   * reading ends if it does not. Building and resolving block this process's event loop (they are synchronous), so
   * a page still fetching its scripts then would see no progress at all; once it polls, it is
   * answered between stages. Absent: build as soon as the files are read.
   */
  readonly startWhenPolledOrAfterMs?: number;
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
  /**
   * Loads files on the main side in the background (`ui FILE`, the Open dialog); the page follows
   * it with `loadStatus` (bytes read, resources, sources resolved) and then opens the estate.
   */
  readonly startLoad: (paths: readonly string[], onProgress?: (progress: LoadProgress) => void, options?: StartLoadOptions) => string;
  /** Settles when that load has finished (either way); tests, `ui FILE` start-up. */
  readonly loadSettled: (loadId: string) => Promise<LoadStatus | null>;
}

function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

function fail(code: IpcError['code'], message: string): { readonly ok: false; readonly error: IpcError } {
  return { ok: false, error: { code, message } };
}

/** InputError → `input-error` naming the file and JSON path; anything else → `internal`. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof SnapshotIntegrityError) {
    return { code: 'integrity-error', message: error.plain, file: error.file, path: error.path };
  }
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
  /** Which demo an open estate came from (for its sample logs). */
  const demoOf = new Map<string, string>();
  /** The last logs analysed per estate, for an evidence export that includes them. */
  const trafficOf = new Map<string, TrafficAnswer>();

  async function openDemo(name: string): Promise<IpcResult<OpenedEstate>> {
    const demo = deps.listDemos().find((d) => d.name === name);
    const snapshot = demo ? await deps.loadDemo(name) : null;
    if (!demo || !snapshot) return fail('not-found', `No demo estate named "${name}"`);
    const opened = estates.add(demo.title, snapshot);
    demoOf.set(opened.summary.estateId, name);
    return ok(await withRecent(opened, demo.title, { kind: 'demo', demoName: name }));
  }

  /**
   * Keeps an opened estate in the recent list, best effort: a data directory that cannot be written
   * (read-only home, EACCES, ENOSPC) costs the recent entry and says so, never the estate the user
   * asked to open (as for a pull, see openPulled).
   */
  async function withRecent(opened: OpenedEstate, title: string, source: Parameters<RecentStore['add']>[1]): Promise<OpenedEstate> {
    try {
      await deps.recent.add(title, source);
      return opened;
    } catch (error) {
      return { ...opened, notice: `The estate is open, but it could not be kept in the recent list (${toIpcError(error).message}): to open it again later, open it the same way` };
    }
  }

  /**
   * The pulled estate is delivered whatever happens to the recent list: keeping a copy there (so the
   * pull can be reopened without signing in again) is best effort. A data directory that cannot be
   * written (EACCES, ENOSPC, ENOTDIR) costs that copy and a notice, not the pull, and is never
   * reported as an Azure error: the pull itself succeeded.
   */
  async function openPulled(request: PullRequest, snapshot: Snapshot): Promise<PulledEstate> {
    const title = pullTitle(request, snapshot);
    const opened = estates.add(title, snapshot);
    const fileName = `live-pull-${stamp(snapshot.metadata.capturedAt)}.json`;
    try {
      await deps.recent.add(title, { kind: 'live-pull', files: [{ name: fileName, text: deps.formatSnapshot(snapshot) }] });
      return { estate: opened, notice: null };
    } catch (error) {
      return {
        estate: opened,
        notice: `The estate is open, but no copy could be kept in the recent list (${toIpcError(error).message}): to open it again later, pull again`,
      };
    }
  }

  const pullJobs: PullJobs | null = deps.pull
    ? createPullJobs({ pull: deps.pull, openPulled, toError: toPullError, toLocalError: toIpcError, newId: () => `pull-${newId()}` })
    : null;

  function unknownEstate(estateId: string): { readonly ok: false; readonly error: IpcError } {
    return fail('not-found', `No open estate with ID "${estateId}" (it may have been closed; open it again)`);
  }

  function resolveCached(estateId: string, destination: string | null): ResolveResult | undefined {
    return estates.resolve(estateId, destination, (snapshot) => deps.resolve(snapshot, destination));
  }

  /** Background loads by ID; the last few are kept so a slow page still sees the outcome. */
  interface LoadEntry { status: LoadStatus; settled: Promise<void>; begin: () => void }
  const loads = new Map<string, LoadEntry>();
  function startLoad(paths: readonly string[], onProgress?: (progress: LoadProgress) => void, options: StartLoadOptions = {}): string {
    const loadId = `load-${newId()}`;
    let begin: () => void = () => undefined;
    const started = new Promise<void>((resolve) => { begin = resolve; });
    const entry: LoadEntry = { status: { loadId, progress: null, estateId: null, error: null }, settled: Promise.resolve(), begin };
    loads.set(loadId, entry);
    while (loads.size > 8) loads.delete(loads.keys().next().value as string);
    const wait = options.startWhenPolledOrAfterMs;
    if (wait === undefined) begin();
    // The grace period counts from the end of reading: a slow page still gets its first answer.
    const beforeBuild = (): Promise<void> => {
      if (wait !== undefined) setTimeout(begin, wait).unref();
      return started;
    };
    entry.settled = (async () => {
      try {
        const opened = await loadEstateFromPaths(
          { addLoaded: (title, snapshot) => estates.add(title, snapshot), resolve: services.resolve }, paths,
          { onProgress: (progress) => { entry.status = { ...entry.status, progress }; onProgress?.(progress); }, beforeBuild },
        );
        entry.status = { ...entry.status, estateId: opened.summary.estateId };
      } catch (error) {
        entry.status = { ...entry.status, error: toIpcError(error) };
      }
    })();
    return loadId;
  }

  /** The estate and its default-route result, or the not-found answer. */
  function withDefaultResult<T>(estateId: string, use: (snapshot: Snapshot, result: ResolveResult, summary: OpenedEstate['summary']) => IpcResult<T>): IpcResult<T> {
    const estate = estates.get(estateId);
    const result = estate ? resolveCached(estateId, null) : undefined;
    return estate && result ? use(estate.snapshot, result, estate.summary) : unknownEstate(estateId);
  }

  const services: MainServices = {
    listDemos: () => guarded(async () => ok(deps.listDemos().map(({ name, title, description }) => ({ name, title, description })))),

    openDemo: ({ name }) => guarded(() => openDemo(name)),

    importFiles: ({ files }) => guarded(async () => {
      const snapshot = await deps.importFiles(files);
      const title = titleForFiles(files);
      const opened = estates.add(title, snapshot);
      return ok(await withRecent(opened, title, { kind: 'files', files }));
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
          return ok(await withRecent(opened, entry.title, source));
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
      // The default route is the estate's cached resolve (a large estate's list holds it already).
      const result = estates.reach(estateId, sourceId, (snapshot) => deps.reach(snapshot, sourceId, resolveCached(estateId, null)));
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

    exportEvidence: ({ estateId, destination, sourceIds, withTraffic }) => guarded(async () => {
      const writeEvidence = deps.writeEvidence;
      if (!writeEvidence) return fail('unsupported', 'Evidence PDF export is not available in this build');
      const estate = estates.get(estateId);
      const result = resolveCached(estateId, destination);
      if (!estate || !result) return unknownEstate(estateId);
      const logs = withTraffic === true ? (trafficOf.get(estateId) ?? null) : null;
      if (withTraffic === true && logs === null) return fail('not-found', 'No logs were added to this estate (add them again, then export)');
      const bytes = await writeEvidence({ snapshot: estate.snapshot, result, sourceIds, title: estate.summary.title, logs });
      const fileName = `${slug(estate.summary.title)}-evidence-${stamp(new Date().toISOString())}.pdf`;
      return ok({ fileName, base64: Buffer.from(bytes).toString('base64') });
    }),

    traffic: ({ estateId, files }) => guarded(async () => {
      const analyse = deps.traffic;
      if (!analyse) return fail('unsupported', 'Observed traffic is not available in this build');
      const estate = estates.get(estateId);
      // Observed destinations are judged against the default route (0.0.0.0/0), as `egress-atlas traffic` does.
      const result = resolveCached(estateId, null);
      if (!estate || !result) return unknownEstate(estateId);
      const answer = analyse(estate.snapshot, result, files);
      trafficOf.set(estateId, answer);
      return ok(answer);
    }),

    sampleLogs: ({ estateId }) => guarded(async () => {
      if (!estates.get(estateId)) return unknownEstate(estateId);
      const demo = demoOf.get(estateId);
      return ok({ files: demo === undefined || !deps.sampleLogs ? [] : deps.sampleLogs(demo) });
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

    startLoad,

    loadSettled: async (loadId) => {
      const entry = loads.get(loadId);
      if (!entry) return null;
      await entry.settled;
      return entry.status;
    },

    loadStatus: ({ loadId }) => guarded(async () => {
      const entry = loads.get(loadId);
      entry?.begin();
      return entry ? ok(entry.status) : fail('not-found', `No load with ID "${loadId}"`);
    }),

    openFileDialog: () => guarded(async () => {
      if (!deps.chooseFiles) return fail('unsupported', 'The Open dialog is only available in the desktop app; drop the files on the page instead');
      const paths = await deps.chooseFiles();
      return ok({ loadId: paths === null || paths.length === 0 ? null : startLoad(paths) });
    }),

    estateOverview: ({ estateId, grouping }) => guarded(async () => withDefaultResult(estateId, (snapshot, result, summary) => ok({
      summary,
      sourceCount: result.paths.length,
      large: result.paths.length > LARGE_ESTATE_SOURCES,
      destination: result.destination,
      overview: flowOverviewOf(snapshot.model, result, grouping),
      gaps: result.gaps,
      findings: result.findings,
    }))),

    flowSources: ({ estateId, grouping, bandId, offset, limit }) => guarded(async () => withDefaultResult(estateId, (snapshot, result) =>
      ok(flowSourceWindow(snapshot.model, result, grouping, bandId, offset, limit)))),

    sourcePath: ({ estateId, sourceId }) => guarded(async () => withDefaultResult(estateId, (snapshot, result) => {
      const details = sourceDetails(snapshot.model, result, sourceId);
      return details ? ok(details) : fail('not-found', `No source "${sourceId}" in this estate`);
    })),

    pullSettled: async (jobId) => {
      await pullJobs?.settled(jobId);
    },
  };
  return services;
}

