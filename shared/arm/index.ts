/**
 * ARM JSON → NetworkModel. Accepts REST-shaped resources (fields under `properties`: ARM, `az rest`,
 * Resource Graph rows) and flattened ones (`az ... -o json`, the JS SDK), mixed in one bundle.
 *
 * Entry point contract (implemented in normalize.ts):
 *   normalizeArm(documents, options?) → { model, effectiveRoutes, gaps, … }
 * throws InputError (file, JSON path, expected) on a document that holds no Azure resources; a
 * malformed resource is left out with a `skipped-input` gap.
 */
import type { Gap } from '../model/gaps';
import type { ResourceId } from '../model/ids';
import type { CapturedEffectiveRoutes, NetworkModel } from '../model/topology';
import type { PendingChild } from './draft-store';

/** One parsed input file (its JSON already parsed by the caller, which owns I/O). */
export interface ArmDocument {
  readonly fileName: string;
  readonly json: unknown;
  /**
   * Found by listing a directory rather than named by the user: when the document as a whole is
   * not an Azure resource document (`az account show`, a `--query` projection), it is skipped
   * with a gap instead of failing the run.
   */
  readonly skippable?: boolean;
}

export interface NormalizeOptions {
  /**
   * The result is merged with other inputs (snapshots), which may hold copies of its resources and
   * the parents of its children: the result then carries `merge`, and children saved on their own
   * whose parent is not among the documents are handed back there instead of becoming gaps.
   */
  readonly mergedWithOthers?: boolean;
}

/** What merging a normalize result with other inputs needs (see electron/snapshot/load.ts). */
export interface MergeFacts {
  /**
   * The document (index into the documents) each resource's last copy was read from, to order it
   * against other inputs; absent = document 0 (one document: nothing is recorded).
   */
  readonly documentOf: ReadonlyMap<ResourceId, number>;
  /** The same for each NIC's effective routes. */
  readonly effectiveRoutesDocumentOf: ReadonlyMap<ResourceId, number>;
  /** Resources left out because their copies in different documents disagree (each has a gap): other inputs' copies must not stand in. */
  readonly disputed: ReadonlySet<ResourceId>;
  /** Resources whose every copy in the documents was partial (`az vm nic list`'s NIC stubs): they never replace a whole copy from another input. */
  readonly partialOnly: ReadonlySet<ResourceId>;
  /** Children saved on their own whose parent is not among the documents (for `joinDetached`). */
  readonly detached: DetachedChildren;
}

export interface DetachedChildren {
  readonly children: readonly PendingChild[];
  /** Parents not among the documents whose child (listed on its own) was malformed: parent ID → the child's ID. */
  readonly brokenParents: ReadonlyMap<ResourceId, string>;
}

export interface NormalizeResult {
  readonly model: NetworkModel;
  readonly effectiveRoutes: readonly CapturedEffectiveRoutes[];
  readonly gaps: readonly Gap[];
  /** Only with `mergedWithOthers`. */
  readonly merge?: MergeFacts;
}

export { disagreeingFields } from './draft-store';
export { joinDetached, normalizeArm, UNDERSTOOD_TYPES } from './normalize';
export { isStaleNotExportedGap } from './not-exported';

/** No children saved on their own: what joinDetached is given when only snapshots are merged. */
export const NO_DETACHED: DetachedChildren = { children: [], brokenParents: new Map() };
