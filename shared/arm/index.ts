/**
 * ARM JSON → NetworkModel. Accepts REST-shaped resources (fields under `properties`: ARM, `az rest`,
 * Resource Graph rows) and flattened ones (`az ... -o json`, the JS SDK), mixed in one bundle.
 *
 * Entry point contract (implemented in normalize.ts):
 *   normalizeArm(documents) → { model, effectiveRoutes, gaps }
 * throws InputError (file, JSON path, expected) on a document that holds no Azure resources; a
 * malformed resource is left out with a `skipped-input` gap.
 */
import type { Gap } from '../model/gaps';
import type { CapturedEffectiveRoutes, NetworkModel } from '../model/topology';

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

export interface NormalizeResult {
  readonly model: NetworkModel;
  readonly effectiveRoutes: readonly CapturedEffectiveRoutes[];
  readonly gaps: readonly Gap[];
}

export { normalizeArm, UNDERSTOOD_TYPES } from './normalize';
