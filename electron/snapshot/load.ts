/**
 * Input files → one snapshot. Each file is a snapshot or ARM / az JSON; both may be mixed, and
 * everything is merged: the model (same resource ID → the later copy wins), effective routes (per
 * NIC), metrics and gaps. A single snapshot given alone is returned unchanged, hash and all.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { normalizeArm } from '../../shared/arm/index';
import type { ArmDocument } from '../../shared/arm/index';
import { InputError } from '../../shared/model/errors';
import type { Gap } from '../../shared/model/gaps';
import type { ServiceTagSet } from '../../shared/model/service-tags';
import type { CaptureScope, ResourceMetric, Snapshot, SnapshotInputFile } from '../../shared/model/snapshot';
import { SNAPSHOT_FORMAT } from '../../shared/model/snapshot';
import type { CapturedEffectiveRoutes, NetworkModel, NetworkResource } from '../../shared/model/topology';
import { sha256OfBytes } from './canonical';
import { decodeText, readWholeFile } from './files';
import { assertNetworkResources, parseInputJson } from './input-kind';
import { buildSnapshot, defineLazyMembers, isSnapshotJson, parseSnapshotJson } from './snapshot';

export interface LoadOptions {
  readonly toolVersion: string;
  /**
   * Service tag data to store in the snapshot (`--service-tags FILE`): replaces any the inputs
   * carry. A single snapshot given alone is then re-hashed (its content changed).
   */
  readonly serviceTags?: ServiceTagSet;
  /** Clock for `capturedAt` (tests pin it). */
  readonly now?: () => Date;
}

export interface InputText {
  readonly name: string;
  readonly text: string;
  /**
   * The bytes the text was decoded from, when the caller read a file (the CLI): they are what
   * `metadata.inputs` hashes. Absent when only the text is at hand (the app's import).
   */
  readonly bytes?: Uint8Array;
  /**
   * The directory (as the user named it) this file was found in; absent for a file named on its
   * own. A file found in a directory that is not JSON or holds no Azure resources is skipped with
   * a gap; a file named on its own is an error (exit 2) instead.
   */
  readonly directory?: string;
}

/**
 * Name, size and SHA-256 of each input, for `metadata.inputs`. Raw bytes when the caller has them,
 * so the hash matches `sha256sum FILE` on the auditor's copy. Without them (the app import hands
 * over decoded text only) the UTF-8 encoding of the text is hashed: that equals the file's hash
 * for a UTF-8 file without a BOM, and differs for UTF-16 or BOM-prefixed exports.
 */
function inputFileRecords(files: readonly InputText[]): SnapshotInputFile[] {
  return files.map((file) => {
    const bytes = file.bytes ?? Buffer.from(file.text, 'utf8');
    return { name: file.name, size: bytes.byteLength, sha256: sha256OfBytes(bytes) };
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type ModelKey = keyof NetworkModel;

const MODEL_KEYS: readonly ModelKey[] = [
  'virtualNetworks', 'subnets', 'routeTables', 'natGateways', 'publicIpAddresses', 'publicIpPrefixes', 'networkInterfaces',
  'azureFirewalls', 'firewallPolicies', 'networkSecurityGroups', 'loadBalancers', 'virtualNetworkGateways', 'virtualHubs', 'virtualWans',
  'ipGroups', 'privateEndpoints', 'privateDnsZones',
];

/** Resources of every model, same ID → the later model's copy, sorted by ID. */
function mergeModels(models: readonly NetworkModel[]): NetworkModel {
  const merged: Record<string, readonly NetworkResource[]> = {};
  for (const key of MODEL_KEYS) {
    const byId = new Map<string, NetworkResource>();
    for (const model of models) for (const resource of model[key]) byId.set(resource.id, resource);
    merged[key] = [...byId.values()].sort((a, b) => compareText(a.id, b.id));
  }
  return merged as unknown as NetworkModel;
}

function mergeEffectiveRoutes(lists: readonly (readonly CapturedEffectiveRoutes[])[]): CapturedEffectiveRoutes[] {
  const byNic = new Map<string, CapturedEffectiveRoutes>();
  for (const list of lists) for (const entry of list) byNic.set(entry.networkInterfaceId, entry);
  return [...byNic.values()].sort((a, b) => compareText(a.networkInterfaceId, b.networkInterfaceId));
}

function mergeMetrics(lists: readonly (readonly ResourceMetric[])[]): ResourceMetric[] {
  const byKey = new Map<string, ResourceMetric>();
  for (const list of lists) {
    for (const m of list) byKey.set(JSON.stringify([m.resourceId, m.metricName, m.filter, m.aggregation, m.windowStart, m.windowEnd]), m);
  }
  return [...byKey.values()].sort((a, b) => compareText(a.resourceId, b.resourceId) || compareText(a.metricName, b.metricName));
}

function mergeGaps(lists: readonly (readonly Gap[])[]): Gap[] {
  const byKey = new Map<string, Gap>();
  for (const list of lists) for (const gap of list) byKey.set(JSON.stringify([gap.code, gap.scope, gap.message]), gap);
  return [...byKey.values()].sort((a, b) => compareText(a.code, b.code) || compareText(a.scope, b.scope) || compareText(a.message, b.message));
}

function subscriptionsOf(model: NetworkModel): string[] {
  const ids = new Set<string>();
  // Resources are sorted by ID, so neighbours nearly always share a subscription: comparing with
  // the previous one spares lower-casing and hashing 100,000s of copies of a few IDs.
  let previous = '';
  for (const key of MODEL_KEYS) {
    for (const resource of model[key]) {
      const id = resource.subscriptionId;
      if (id === previous) continue;
      previous = id;
      if (id !== '') ids.add(id.toLowerCase());
    }
  }
  return [...ids].sort(compareText);
}

/** A value every snapshot agrees on, else null. */
function agreed(values: readonly (string | null)[]): string | null {
  const distinct = new Set(values.filter((v): v is string => v !== null));
  return distinct.size === 1 ? ([...distinct][0] ?? null) : null;
}

function mergedScope(model: NetworkModel, snapshots: readonly Snapshot[]): CaptureScope {
  const scopes = snapshots.map((s) => s.metadata.scope);
  return {
    tenantId: agreed(scopes.map((s) => s.tenantId)),
    subscriptionIds: subscriptionsOf(model),
    managementGroupId: agreed(scopes.map((s) => s.managementGroupId)),
    cloud: agreed(scopes.map((s) => s.cloud)),
  };
}

/** The same as `loadInputs`, from texts already in memory (app import, drag and drop). */
export function snapshotFromTexts(files: readonly InputText[], options: LoadOptions): Snapshot {
  try {
    return snapshotFromTextsUnguarded(files, options);
  } catch (error) {
    // Deeply nested JSON (a hostile or broken file) must be bad input, not a crash: readers of
    // nested documents recurse, and only this error path pays for finding the file.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      const deepest = [...files].map((f) => ({ file: f, depth: maxNesting(f.text) })).sort((a, b) => b.depth - a.depth)[0];
      throw new InputError(deepest?.file.name ?? '<input>', '$', 'JSON nested at most a few thousand levels deep (Azure resources nest about 15 levels)', `${deepest?.depth ?? 'too many'} levels`);
    }
    throw error;
  }
}

/** The deepest `[`/`{` nesting of a JSON text, strings skipped. */
export function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

function snapshotFromTextsUnguarded(files: readonly InputText[], options: LoadOptions): Snapshot {
  if (files.length === 0) throw new InputError('<input>', '$', 'at least one input file');
  const snapshots: Snapshot[] = [];
  const documents: ArmDocument[] = [];
  const skippedFiles: Gap[] = [];
  const read: InputText[] = [];
  for (const file of files) {
    const parsed = parseInputJson(file.name, file.text, file.directory !== undefined, skippedFiles);
    if (parsed === null) continue;
    read.push(file);
    if (isSnapshotJson(parsed.json)) snapshots.push(parseSnapshotJson(parsed.json, file.name));
    else documents.push({ fileName: file.name, json: parsed.json, skippable: file.directory !== undefined });
  }
  // What the lazy `metadata.inputs` hashes: the bytes when the caller read a file, without
  // keeping their decoded text (175 MB for a 100,000-NIC export) alive for the rest of the run.
  const hashSources = files.map((f) => (f.bytes === undefined ? f : { name: f.name, text: '', bytes: f.bytes }));
  const only = snapshots[0];
  if (files.length === 1 && only !== undefined) return options.serviceTags ? withServiceTags(only, options.serviceTags) : only;
  const serviceTags = options.serviceTags ?? newestServiceTags(snapshots);

  const normalized = documents.length > 0 ? normalizeArm(documents) : null;
  // ARM files alone: normalizeArm's model is already merged and sorted.
  const model = snapshots.length === 0 && normalized !== null
    ? normalized.model
    : mergeModels([...snapshots.map((s) => s.model), ...(normalized === null ? [] : [normalized.model])]);
  const armGaps = [...skippedFiles, ...(normalized?.gaps ?? [])];
  // A snapshot may legitimately be empty; exports that resolve to nothing are a mistake to report.
  if (snapshots.length === 0) assertNetworkResources(model, [...new Set(files.map((f) => f.directory ?? f.name))], armGaps);
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: importMetadata(
      (options.now ?? (() => new Date()))().toISOString(), read.map((f) => f.name), options.toolVersion,
      () => mergedScope(model, snapshots), () => inputFileRecords(hashSources),
    ),
    model,
    effectiveRoutes: mergeEffectiveRoutes([...snapshots.map((s) => s.effectiveRoutes), normalized?.effectiveRoutes ?? []]),
    metrics: mergeMetrics(snapshots.map((s) => s.metrics)),
    gaps: mergeGaps([...snapshots.map((s) => s.gaps), armGaps]),
    ...(serviceTags === null ? {} : { serviceTags }),
  });
}

/**
 * The metadata of an import, members in the snapshot's order. `scope` (a pass over every
 * resource: 0.05 s for 100,000 NICs) and `inputs` (the input files' SHA-256: 0.4 s for a 175 MB
 * export) are computed when first read, which a CLI run that only resolves never does. The
 * model is readonly, so a late value is the same value.
 */
function importMetadata(
  capturedAt: string, origin: readonly string[], toolVersion: string, scope: () => CaptureScope, inputs: () => SnapshotInputFile[],
): Snapshot['metadata'] {
  const metadata: Record<string, unknown> = defineLazyMembers({ capturedAt, source: 'import', origin, capturedBy: null }, { scope });
  metadata.toolVersion = toolVersion;
  return defineLazyMembers(metadata, { inputs }) as unknown as Snapshot['metadata'];
}

/** Of the inputs' service tag data, the newest (highest change number; the first of equals). */
function newestServiceTags(snapshots: readonly Snapshot[]): ServiceTagSet | null {
  let newest: ServiceTagSet | null = null;
  for (const s of snapshots) if (s.serviceTags && (newest === null || s.serviceTags.changeNumber > newest.changeNumber)) newest = s.serviceTags;
  return newest;
}

/** The snapshot with this service tag data (and a new hash: the content changed). */
export function withServiceTags(snapshot: Snapshot, serviceTags: ServiceTagSet): Snapshot {
  const { sha256: _old, contentSha256: _oldContent, ...content } = snapshot;
  return buildSnapshot({ ...content, serviceTags });
}

export interface InputFile {
  readonly path: string;
  readonly name: string;
  /** See InputText.directory. */
  readonly directory?: string;
}

/**
 * Every file in a directory and its direct subdirectories, sorted, except hidden ones (macOS
 * `._name.json` resource forks, `.DS_Store`). Not only `*.json`: `az … > vnets.txt` is JSON too,
 * and a `-o table` or YAML export must show up as a skipped file, not vanish.
 */
async function filesIn(dir: string, label: string, directory: string, depth: number): Promise<InputFile[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareText(a.name, b.name));
  const files: InputFile[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const name = `${label}/${entry.name}`;
    if (entry.isDirectory() && depth > 0) files.push(...(await filesIn(path, name, directory, depth - 1)));
    else if (entry.isFile()) files.push({ path, name, directory });
  }
  return files;
}

/** The files `loadInputs` reads for these paths (directories expanded), in order. */
export async function inputFiles(paths: readonly string[]): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new InputError(path, '$', 'a readable file or directory', typeof code === 'string' ? code : 'an unreadable path');
    }
    if (isDirectory) {
      const found = await filesIn(path, basename(path), basename(path), 1);
      if (found.length === 0) throw new InputError(path, '$', 'a directory with at least one file', 'none');
      files.push(...found);
    } else {
      // The file name (not the full path) goes into the snapshot's origin and every error message.
      files.push({ path, name: basename(path) });
    }
  }
  return files;
}

/** Files and directories → one snapshot (see the module comment). Throws InputError on bad input. */
export async function loadInputs(paths: readonly string[], options: LoadOptions): Promise<Snapshot> {
  const files = await inputFiles(paths);
  const texts: InputText[] = [];
  for (const file of files) {
    const bytes = await readWholeFile(file.path);
    texts.push({ name: file.name, text: decodeText(bytes), bytes, ...(file.directory === undefined ? {} : { directory: file.directory }) });
  }
  return snapshotFromTexts(texts, options);
}
