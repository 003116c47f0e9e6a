/**
 * The one typed contract between the main side (Electron main process, or the loopback HTTP
 * bridge in browser mode) and the renderer. Every operation takes one request object and answers
 * an `IpcResult`: errors are data, never exceptions across the seam.
 *
 * Channel names are `egress-atlas:<operation>`; the preload exposes one method per operation and
 * the main side validates every request with `validateRequest` (validate.ts) before acting.
 */
import type { MatrixResult } from '../egress/matrix';
import type { ReachResult } from '../egress/reach';
import type { ResolveResult } from '../egress/types';
import type { Gap } from '../model/gaps';
import type { Snapshot } from '../model/snapshot';
import type { CheckResult } from '../policy/types';

export type EstateId = string;

export interface DemoInfo {
  readonly name: string;
  readonly title: string;
  readonly description: string;
}

export interface EstateSummary {
  readonly estateId: EstateId;
  /** Demo title, file name(s) or `Live pull <tenant>`. */
  readonly title: string;
  readonly subnetCount: number;
  readonly networkInterfaceCount: number;
  readonly virtualNetworkCount: number;
}

/** An estate loaded on the main side; the renderer gets the whole snapshot for node details. */
export interface OpenedEstate {
  readonly summary: EstateSummary;
  readonly snapshot: Snapshot;
}

export interface ImportedFile {
  readonly name: string;
  /** File content as text (snapshot or ARM / az JSON). */
  readonly text: string;
}

export interface RecentEntry {
  readonly id: string;
  readonly title: string;
  /** ISO 8601. */
  readonly openedAt: string;
  readonly kind: 'demo' | 'files' | 'live-pull';
}

export type CloudName = 'AzurePublicCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface PullRequest {
  readonly cloud: CloudName;
  readonly tenantId: string | null;
  /** Empty = every subscription the account can read. */
  readonly subscriptionIds: readonly string[];
  readonly effectiveRoutes: 'none' | 'sample' | 'all';
  readonly metrics: boolean;
  /** Pull from the bundled fake Azure (demo without an account). */
  readonly demoAzure: boolean;
}

export interface PullProgress {
  readonly phase: 'signing-in' | 'listing-subscriptions' | 'topology' | 'effective-routes' | 'metrics' | 'done' | 'failed' | 'cancelled';
  readonly resourcesFound: number;
  readonly requestsMade: number;
  readonly throttleWaitMs: number;
  /** Estimated time left, null when unknown. */
  readonly etaMs: number | null;
  /** Work units done / total within the phase (for a progress bar). */
  readonly completed: number;
  readonly total: number | null;
  readonly gaps: readonly Gap[];
  readonly message: string;
}

export interface PullStatus {
  readonly jobId: string;
  readonly progress: PullProgress;
  /** Set when phase is `done`. */
  readonly estate: OpenedEstate | null;
  readonly error: IpcError | null;
}

export interface IpcOperations {
  listDemos: { request: Record<string, never>; response: readonly DemoInfo[] };
  openDemo: { request: { readonly name: string }; response: OpenedEstate };
  importFiles: { request: { readonly files: readonly ImportedFile[] }; response: OpenedEstate };
  listRecent: { request: Record<string, never>; response: readonly RecentEntry[] };
  openRecent: { request: { readonly id: string }; response: OpenedEstate };
  /** An estate the main side already loaded (`egress-atlas ui FILE`, `npm run web -- FILE`): no upload. */
  openLoaded: { request: { readonly estateId: EstateId }; response: OpenedEstate };
  resolve: { request: { readonly estateId: EstateId; readonly destination: string | null }; response: ResolveResult };
  /** What a source (by its path's source ID), or every source (null), can reach at all. Read-only. */
  reach: { request: { readonly estateId: EstateId; readonly sourceId: string | null }; response: ReachResult };
  /**
   * Every source against every destination of a list file (its text, as the file picker read it).
   * A list that does not parse is an `input-error` naming the file and the line or JSON path.
   */
  matrix: { request: { readonly estateId: EstateId; readonly destinations: string; readonly fileName: string }; response: MatrixResult };
  /**
   * Checks the estate against a policy file (its text, as the file picker read it; YAML or JSON),
   * judging exception expiry against the current time. A policy that does not parse is an
   * `input-error` whose message lists every issue, one `file:line: field: problem` per line.
   */
  check: { request: { readonly estateId: EstateId; readonly policy: string; readonly fileName: string }; response: CheckResult };
  saveSnapshot: { request: { readonly estateId: EstateId }; response: { readonly fileName: string; readonly text: string } };
  exportEvidence: {
    request: { readonly estateId: EstateId; readonly destination: string | null; readonly sourceIds: readonly string[] | null };
    response: { readonly fileName: string; readonly base64: string };
  };
  startPull: { request: PullRequest; response: { readonly jobId: string } };
  pullStatus: { request: { readonly jobId: string }; response: PullStatus };
  cancelPull: { request: { readonly jobId: string }; response: { readonly cancelled: boolean } };
}

export type IpcOperation = keyof IpcOperations;
export type IpcRequest<Op extends IpcOperation> = IpcOperations[Op]['request'];
export type IpcResponse<Op extends IpcOperation> = IpcOperations[Op]['response'];

export type IpcErrorCode = 'invalid-request' | 'unknown-sender' | 'not-found' | 'input-error' | 'unsupported' | 'azure-error' | 'internal';

export interface IpcError {
  readonly code: IpcErrorCode;
  readonly message: string;
  /** For input errors: the file, JSON path and expectation. */
  readonly file?: string;
  readonly path?: string;
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export const IPC_OPERATIONS: readonly IpcOperation[] = [
  'listDemos', 'openDemo', 'importFiles', 'listRecent', 'openRecent', 'resolve', 'reach', 'matrix', 'check', 'saveSnapshot',
  'exportEvidence', 'startPull', 'pullStatus', 'cancelPull', 'openLoaded',
];

export function ipcChannel(op: IpcOperation): string {
  return `egress-atlas:${op}`;
}

/** What the preload exposes as `window.egressAtlas` and the browser-mode HTTP client implements. */
export type EgressAtlasApi = {
  readonly [Op in IpcOperation]: (request: IpcRequest<Op>) => Promise<IpcResult<IpcResponse<Op>>>;
};
