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
import type { EgressPath, Finding, ResolveResult, Verdict } from '../egress/types';
import type { FlowGrouping, FlowOverview } from '../graph/flow-overview';
import type { NetworkModel } from '../model/topology';
import type { Gap } from '../model/gaps';
import type { Snapshot } from '../model/snapshot';
import type { CheckResult } from '../policy/types';
import type { CostResult } from '../cost/types';
import type { LogShape, TrafficResult } from '../traffic/types';

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
  /**
   * Said beside the open estate when keeping it in the recent list failed (a data directory that
   * cannot be written): the estate is open all the same. Absent when nothing needs saying.
   */
  readonly notice?: string;
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
  /**
   * With the estate: a sentence for the user when a best-effort step after the pull failed (the
   * recent list could not keep a copy); null when everything worked. The page opens the estate at
   * once, so the pull panel's last message is never seen: the workspace shows this instead.
   */
  readonly notice: string | null;
  readonly error: IpcError | null;
}

/** Logs added to an open estate (issue 13): what each file was read as, the analysis and the cost estimate. */
export interface TrafficAnswer {
  readonly files: readonly { readonly name: string; readonly shape: LogShape; readonly records: number }[];
  /** `analyzeTraffic` on the estate's snapshot (`egress-atlas/traffic@1`). */
  readonly traffic: TrafficResult;
  /** `estimateCost` with the logs' bytes (`egress-atlas/cost@1`), as `egress-atlas cost --logs` prints it. */
  readonly cost: CostResult;
}

/**
 * Sources above which an estate the main side loaded is opened as a LARGE estate: the page gets
 * the summary and the flow overview (aggregated on the main side) and asks for list rows and one
 * source's path when it needs them, never the whole snapshot or every path.
 */
export const LARGE_ESTATE_SOURCES = 2_000;

/** Progress of a main-side load (`egress-atlas ui FILE`, `npm run web -- FILE`, the Open dialog). */
export type LoadProgress =
  | { readonly stage: 'reading'; readonly bytesRead: number; readonly totalBytes: number; readonly file: string }
  | { readonly stage: 'building'; readonly bytesRead: number }
  | { readonly stage: 'built'; readonly resources: number; readonly subnets: number; readonly networkInterfaces: number }
  | { readonly stage: 'resolved'; readonly sources: number };

export interface LoadStatus {
  readonly loadId: string;
  /** The last stage reported; null before the first. */
  readonly progress: LoadProgress | null;
  /** Set once loaded: open it with `estateOverview` / `openLoaded`. */
  readonly estateId: EstateId | null;
  readonly error: IpcError | null;
}

/** What the page opens first for an estate the main side holds. */
export interface EstateOverview {
  readonly summary: EstateSummary;
  /** Paths of the default route (0.0.0.0/0). */
  readonly sourceCount: number;
  /** More than LARGE_ESTATE_SOURCES: use `flowSources` / `sourcePath`, not `openLoaded` + `resolve`. */
  readonly large: boolean;
  readonly destination: string;
  readonly overview: FlowOverview;
  readonly gaps: ResolveResult['gaps'];
  /** Estate-level findings. */
  readonly findings: readonly Finding[];
}

/** One row of a large estate's source list. */
export interface FlowSourceRow {
  readonly sourceId: string;
  readonly name: string;
  readonly type: 'subnet' | 'nic';
  readonly verdict: Verdict;
  readonly group: string;
  readonly inspection: string;
  readonly exit: string;
  readonly bypass: boolean;
}

/** One source's path and just the resources it touches (for its graph and details). */
export interface SourceDetails {
  readonly path: EgressPath;
  readonly destination: string;
  readonly model: NetworkModel;
}

export interface IpcOperations {
  listDemos: { request: Record<string, never>; response: readonly DemoInfo[] };
  openDemo: { request: { readonly name: string }; response: OpenedEstate };
  importFiles: { request: { readonly files: readonly ImportedFile[] }; response: OpenedEstate };
  listRecent: { request: Record<string, never>; response: readonly RecentEntry[] };
  openRecent: { request: { readonly id: string }; response: OpenedEstate };
  /** An estate the main side already loaded (`egress-atlas ui FILE`, `npm run web -- FILE`): no upload. */
  openLoaded: { request: { readonly estateId: EstateId }; response: OpenedEstate };
  /** Progress of a load the main side runs (`ui FILE` in the background, the Open dialog). */
  loadStatus: { request: { readonly loadId: string }; response: LoadStatus };
  /** Electron: the Open dialog on the main side, the chosen files read there (no upload); `loadId: null` when cancelled. */
  openFileDialog: { request: Record<string, never>; response: { readonly loadId: string | null } };
  /** Summary + flow overview of an open estate (default route), aggregated on the main side. */
  estateOverview: { request: { readonly estateId: EstateId; readonly grouping: FlowGrouping }; response: EstateOverview };
  /** A window of a large estate's sources, all or those on one band of the overview for `grouping`. */
  flowSources: {
    request: { readonly estateId: EstateId; readonly grouping: FlowGrouping; readonly bandId: string | null; readonly offset: number; readonly limit: number };
    response: { readonly total: number; readonly offset: number; readonly rows: readonly FlowSourceRow[] };
  };
  /** One source's default-route path and the resources it touches. */
  sourcePath: { request: { readonly estateId: EstateId; readonly sourceId: string }; response: SourceDetails };
  resolve: { request: { readonly estateId: EstateId; readonly destination: string | null }; response: ResolveResult };
  /** What a source (by its path's source ID; a subnet's comes with its NICs that follow it, `followsSubnet`), or every source (null), can reach at all. Read-only. */
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
    /**
     * `withTraffic`: add the "Observed destinations" and "Cost by owner" sections from the logs last
     * added to this estate (`traffic`), as `report --logs` does. Absent: false.
     */
    request: {
      readonly estateId: EstateId; readonly destination: string | null; readonly sourceIds: readonly string[] | null;
      readonly withTraffic?: boolean;
    };
    response: { readonly fileName: string; readonly base64: string };
  };
  /**
   * Firewall / flow log files (their text, as the file picker read them) against the estate, in every
   * export shape `egress-atlas traffic` reads. A file that does not parse is an `input-error` naming
   * the file and the row or JSON path.
   */
  traffic: { request: { readonly estateId: EstateId; readonly files: readonly ImportedFile[] }; response: TrafficAnswer };
  /** Sample logs shipped for a demo estate (for demonstrations); no files when the estate has none. */
  sampleLogs: { request: { readonly estateId: EstateId }; response: { readonly files: readonly ImportedFile[] } };
  startPull: { request: PullRequest; response: { readonly jobId: string } };
  pullStatus: { request: { readonly jobId: string }; response: PullStatus };
  cancelPull: { request: { readonly jobId: string }; response: { readonly cancelled: boolean } };
}

export type IpcOperation = keyof IpcOperations;
export type IpcRequest<Op extends IpcOperation> = IpcOperations[Op]['request'];
export type IpcResponse<Op extends IpcOperation> = IpcOperations[Op]['response'];

/** `integrity-error`: a snapshot whose recorded SHA-256 does not match its content (the message is plain language). */
export type IpcErrorCode = 'invalid-request' | 'unknown-sender' | 'not-found' | 'input-error' | 'integrity-error' | 'unsupported' | 'azure-error' | 'internal';

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
  'exportEvidence', 'startPull', 'pullStatus', 'cancelPull', 'openLoaded', 'loadStatus', 'openFileDialog', 'estateOverview', 'flowSources', 'sourcePath', 'traffic', 'sampleLogs',
];

export function ipcChannel(op: IpcOperation): string {
  return `egress-atlas:${op}`;
}

/** What the preload exposes as `window.egressAtlas` and the browser-mode HTTP client implements. */
export type EgressAtlasApi = {
  readonly [Op in IpcOperation]: (request: IpcRequest<Op>) => Promise<IpcResult<IpcResponse<Op>>>;
};
