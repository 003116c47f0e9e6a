/**
 * What the evidence writer needs. The caller (main process or CLI) has already resolved the
 * snapshot; the writer renders `result` and never recomputes its verdicts. The reach block and the
 * destinations matrix are other questions, answered by the shared engine (`computeReach`,
 * `resolveMatrix`) on the same snapshot inside the writer, so callers pass nothing more.
 */
import type { DestinationListEntry } from '../../shared/egress/matrix';
import type { ResolveResult } from '../../shared/egress/types';
import type { Snapshot, SnapshotInputFile } from '../../shared/model/snapshot';
import type { CheckResult } from '../../shared/policy/types';
import type { TrafficResult } from '../../shared/traffic/types';
import type { CostResult } from '../../shared/cost/types';
import type { GraphLayout } from '../../shared/graph/layout-types';

export interface EvidenceSelection {
  /** Subnet or NIC resource IDs (any casing). NIC paths inside a selected subnet are included too. */
  readonly sourceIds: readonly string[];
}

export interface EvidenceInput {
  readonly snapshot: Snapshot;
  readonly result: ResolveResult;
  /** Null: the whole estate. */
  readonly selection: EvidenceSelection | null;
  /** Account name when signed in, else the OS user. */
  readonly exportedBy: string;
  /** Also the PDF CreationDate/ModDate: pinning it pins the bytes. */
  readonly exportedAt: Date;
  /**
   * The graph layout the app shows (`layoutEgressGraph`), drawn as is. Absent: the writer lays the
   * paths out itself, one band per VNet (`buildPathDiagram`).
   */
  readonly layout?: GraphLayout;
  /**
   * A destinations list (`parseDestinationList`): every source in scope against each, drawn as the
   * destinations-matrix appendix. Absent or empty: no appendix.
   */
  readonly destinations?: readonly DestinationListEntry[];
  /**
   * Host name → public address, as the caller resolved `result` with (`--resolve`): the reach block
   * and the matrix resolve their destinations with the same answers.
   */
  readonly resolve?: Readonly<Record<string, string>>;
  /**
   * A policy already checked against the same snapshot (`checkPolicy`, with the export time as
   * `now` so exception expiry is reproducible): drawn as the Controls section after the summary.
   * Absent: no Controls section.
   */
  readonly check?: CheckResult;
  /**
   * Observed traffic (`analyzeTraffic` on the same snapshot, with the report's policy when one is
   * checked): drawn as the "Observed destinations" section after Controls (else after the
   * summary). Absent: no such section.
   */
  readonly traffic?: TrafficResult;
  /**
   * The cost estimate (`estimateCost` with `traffic` as the bytes, as `egress-atlas cost --logs`):
   * drawn as the "Cost by owner" section after "Observed destinations". Absent: no such section.
   */
  readonly cost?: CostResult;
  /**
   * The files the caller read to get `snapshot` when the snapshot itself records none: a snapshot
   * file given as is (`report snap.json`) keeps its own metadata, whose `inputs` list the files
   * *it* was built from, if any. Name, size and SHA-256 of the bytes read (what `sha256sum`
   * prints), listed on the cover beside the snapshot's canonical-JSON hash. Absent: not recorded.
   */
  readonly readFiles?: readonly SnapshotInputFile[];
}
