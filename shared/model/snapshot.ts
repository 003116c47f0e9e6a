/**
 * The snapshot file: `egress-atlas/snapshot@1`. Normalized resources, captured effective routes,
 * optional SNAT metrics and capture metadata, plus a SHA-256 of the canonical content so evidence
 * can cite it. Hashing and file I/O live in electron/snapshot; this file only holds the shape.
 */
import type { Gap } from './gaps';
import type { ResourceId } from './ids';
import type { ServiceTagSet } from './service-tags';
import type { CapturedEffectiveRoutes, NetworkModel } from './topology';

export const SNAPSHOT_FORMAT = 'egress-atlas/snapshot@1' as const;

export type CaptureSource = 'live-pull' | 'import' | 'demo' | 'synthetic';

export interface CaptureScope {
  readonly tenantId: string | null;
  readonly subscriptionIds: readonly string[];
  /** Management group, when the pull was scoped to one. */
  readonly managementGroupId: string | null;
  /** Cloud name: `AzurePublicCloud`, `AzureUSGovernment`, `AzureChinaCloud`, or a custom ARM endpoint. */
  readonly cloud: string | null;
}

export interface CaptureMetadata {
  /** ISO 8601 UTC. */
  readonly capturedAt: string;
  readonly source: CaptureSource;
  /** Files imported or the demo estate name; the account that pulled, when known. */
  readonly origin: readonly string[];
  readonly capturedBy: string | null;
  readonly scope: CaptureScope;
  readonly toolVersion: string;
  /**
   * The files an import was made from, so an auditor can check that the exports they hold are the
   * ones the snapshot was built from. Absent for demos and live pulls (no files), and in snapshots
   * written before this field existed.
   */
  readonly inputs?: readonly SnapshotInputFile[];
}

/** One input file of an import, as read. */
export interface SnapshotInputFile {
  /** The name given in `origin` (file name, or `dir/file` inside a directory input). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Hex SHA-256 of the file's bytes (see electron/snapshot/load.ts for text-only imports). */
  readonly sha256: string;
  /**
   * For a snapshot input, its own `metadata.capturedAt` (an import of several is stamped with the
   * oldest). Absent for export files, which carry no capture time, and in older snapshots.
   */
  readonly capturedAt?: string;
}

/** An Azure Monitor metric series reduced to what the `snat-capacity` finding needs. */
export interface ResourceMetric {
  readonly resourceId: ResourceId;
  /**
   * e.g. `SNATConnectionCount` (filter ConnectionState=Failed), `PacketDropCount`, `SNATPortUtilization`;
   * bytes for cost: NAT gateway `ByteCount`, Azure Firewall `DataProcessed` (Total, unit Bytes).
   */
  readonly metricName: string;
  /**
   * Dimension filter used, e.g. `ConnectionState eq 'Failed'`; null: every series summed. A split
   * query (`Direction eq '*'`) gives the unfiltered total plus one record per dimension value, with
   * the filter that value stands for (`Direction eq 'Out'`, `Direction eq 'In'`).
   */
  readonly filter: string | null;
  readonly aggregation: 'Total' | 'Maximum' | 'Average';
  readonly windowStart: string;
  readonly windowEnd: string;
  /** Aggregated over the window (Total: sum; Maximum: max of points; Average: mean). */
  readonly value: number;
  readonly unit: string;
}

export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly metadata: CaptureMetadata;
  readonly model: NetworkModel;
  readonly effectiveRoutes: readonly CapturedEffectiveRoutes[];
  readonly metrics: readonly ResourceMetric[];
  readonly gaps: readonly Gap[];
  /**
   * Service tag prefixes (with the data's change number) when the capture had them: from
   * `--service-tags FILE`, a demo's excerpt, or the live pull's Service Tag Discovery API call.
   * Absent in snapshots without them (and in those written before this field existed).
   */
  readonly serviceTags?: ServiceTagSet;
  /**
   * Hex SHA-256 of the canonical JSON of `model`, `effectiveRoutes`, `metrics` and `serviceTags`
   * alone: no capture time, origin or gaps, so the same inputs give the same value whenever they
   * are captured. Set by buildSnapshot and parseSnapshotJson (computed for snapshots written
   * before the field existed); absent only in hand-built test fixtures.
   */
  readonly contentSha256?: string;
  /**
   * Hex SHA-256 of the canonical JSON of every member but `sha256` and `contentSha256` (the
   * latter is derived from the content and checked on its own). Detects change and identifies
   * content; it is not a signature: anyone who edits the file can recompute it.
   */
  readonly sha256: string;
}

export type SnapshotContent = Omit<Snapshot, 'sha256' | 'contentSha256'>;
