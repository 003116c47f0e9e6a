/**
 * What the evidence writer needs. The caller (main process or CLI) has already resolved the
 * snapshot; the writer only renders `result` and never recomputes a verdict.
 */
import type { ResolveResult } from '../../shared/egress/types';
import type { Snapshot } from '../../shared/model/snapshot';
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
}
