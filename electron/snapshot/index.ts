/** Snapshot files (read, write, verify) and input loading: the Node side of `egress-atlas/snapshot@1`. */
export { canonicalJson, sha256Hex, sha256OfBytes } from './canonical';
export { decodeText, readSnapshotFile, writeSnapshot } from './files';
export { loadInputs, snapshotFromTexts, withServiceTags, type InputText, type LoadOptions } from './load';
export { parseServiceTagsText, readServiceTagsFile } from './service-tags';
export {
  buildSnapshot, contentHash, formatSnapshot, isSnapshotJson, parseJsonText, parseSnapshotJson, parseSnapshotText, snapshotHash, snapshotHashes,
  type SnapshotHashes,
} from './snapshot';
export { TOOL_VERSION } from './tool-version';
export { buildDemoSnapshot } from './demo-snapshot';
