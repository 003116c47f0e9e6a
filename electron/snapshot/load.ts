/**
 * Input files → one snapshot. Each file is a snapshot or ARM / az JSON; both may be mixed, and
 * everything is merged: the model and effective routes (per NIC), metrics and gaps. When inputs
 * hold the same resource (or a NIC's effective routes):
 *  - between snapshots, the newer capture (`metadata.capturedAt`) wins (equal times: the later input);
 *  - between a snapshot and the exports, the later input wins (an export carries no capture time:
 *    the order the user gave is all there is), but a partial export copy (`az vm nic list`'s NIC
 *    stubs) never replaces a snapshot's whole one;
 *  - copies in different export files must agree, else the resource is left out (normalizeArm):
 *    they disagree when both say something of a field, differently (child lists in any order); a
 *    whole copy (REST `properties`, or flattened with its type's core fields) says an omitted
 *    reference is not set, a partial one (`az vm nic list`'s NIC stubs) only what it carries.
 * Every disagreement is a gap naming the resource, the fields and both inputs. A child saved on
 * its own (a route, an NSG rule) whose parent is in a snapshot joins it. A single snapshot given
 * alone is returned unchanged, hash and all.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { disagreeingFields, isStaleNotExportedGap, joinDetached, NO_DETACHED, normalizeArm } from '../../shared/arm/index';
import type { ArmDocument, MergeFacts, NormalizeResult } from '../../shared/arm/index';
import { InputError } from '../../shared/model/errors';
import type { Gap } from '../../shared/model/gaps';
import { isStackOverflow, maxNesting, tooDeepError } from '../../shared/model/nesting';
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
  /**
   * Gaps found while listing the inputs, before any was read: directories deeper than the two
   * levels read that hold `.json` files (inputFileList). Recorded in the snapshot with the others.
   */
  readonly inputGaps?: readonly Gap[];
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
 * Name, size and SHA-256 of each input, for `metadata.inputs`, and a snapshot input's own capture
 * time. Raw bytes when the caller has them, so the hash matches `sha256sum FILE` on the auditor's
 * copy. Without them (the app import hands over decoded text only) the UTF-8 encoding of the text
 * is hashed: that equals the file's hash for a UTF-8 file without a BOM, and differs for UTF-16 or
 * BOM-prefixed exports.
 */
function inputFileRecords(files: readonly InputText[], capturedAt: ReadonlyMap<string, string>): SnapshotInputFile[] {
  return files.map((file) => {
    const bytes = file.bytes ?? Buffer.from(file.text, 'utf8');
    const captured = capturedAt.get(file.name);
    return { name: file.name, size: bytes.byteLength, sha256: sha256OfBytes(bytes), ...(captured === undefined ? {} : { capturedAt: captured }) };
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

/** Where a copy of a resource (or of a NIC's effective routes) came from: what orders it against other copies. */
interface InputRef {
  readonly name: string;
  /** Position among the inputs as given. */
  readonly position: number;
  /** The snapshot's `metadata.capturedAt`; null for an export, which carries none. */
  readonly capturedAt: string | null;
}

interface SnapshotInput {
  readonly snapshot: Snapshot;
  readonly input: InputRef;
}

/** The exports, normalized together, and the input each of their documents is. */
interface ArmInput {
  readonly normalized: NormalizeResult;
  readonly facts: MergeFacts;
  readonly documents: readonly InputRef[];
}

/** Milliseconds of a capture time, or null when there is none (an export) or it does not parse. */
function captureTime(input: InputRef): number | null {
  if (input.capturedAt === null) return null;
  const time = Date.parse(input.capturedAt);
  return Number.isNaN(time) ? null : time;
}

/** Whether a copy from `challenger` replaces one from `holder`: the newer capture between snapshots, else the later input. */
function replaces(challenger: InputRef, holder: InputRef): boolean {
  const a = captureTime(holder);
  const b = captureTime(challenger);
  if (a !== null && b !== null && a !== b) return b > a;
  return challenger.position > holder.position;
}

/** Why capture times could not order two copies. */
function orderReason(a: InputRef, b: InputRef): string {
  if (a.capturedAt === null || b.capturedAt === null) return 'an export carries no capture time';
  return captureTime(a) === null || captureTime(b) === null ? 'a capture time does not parse' : 'both were captured at the same time';
}

function conflictGap(scope: string, what: string, fields: readonly string[], kept: InputRef, dropped: InputRef): Gap {
  const a = captureTime(kept);
  const b = captureTime(dropped);
  const why = a !== null && b !== null && a !== b
    ? `the copy of ${kept.name}, captured ${kept.capturedAt ?? ''}, is used; that of ${dropped.name}, captured ${dropped.capturedAt ?? ''}, is left out`
    : `the copy of ${kept.name}, given later, is used; that of ${dropped.name} is left out (${orderReason(kept, dropped)}, so the order of the inputs decides)`;
  return { code: 'skipped-input', scope, message: `${dropped.name} and ${kept.name} disagree about ${what} (${fields.join(', ')}): ${why}.` };
}

/**
 * Copies of items keyed alike (resources by ID, effective routes by NIC), merged by `replaces`;
 * every disagreement is a gap. Each list comes with the input of its items.
 */
class CopyMerger<T extends object> {
  private readonly held = new Map<string, T>();
  private readonly from = new Map<string, InputRef>();

  constructor(private readonly keyOf: (item: T) => string, private readonly what: (key: string) => string, private readonly gaps: Gap[]) {}

  add(item: T, input: InputRef): void {
    const key = this.keyOf(item);
    const current = this.held.get(key);
    const holder = this.from.get(key);
    if (current === undefined || holder === undefined) {
      this.held.set(key, item);
      this.from.set(key, input);
      return;
    }
    const wins = replaces(input, holder);
    const fields = disagreeingFields(current, item);
    if (fields.length > 0) this.gaps.push(conflictGap(key, this.what(key), fields, wins ? input : holder, wins ? holder : input));
    if (wins) {
      this.held.set(key, item);
      this.from.set(key, input);
    }
  }

  delete(key: string): void {
    this.held.delete(key);
  }

  /** The input of the copy held for a key, if any. */
  holder(key: string): InputRef | undefined {
    return this.held.has(key) ? this.from.get(key) : undefined;
  }

  /** The items kept, sorted by key. */
  items(): T[] {
    return [...this.held.entries()].sort((a, b) => compareText(a[0], b[0])).map(([, item]) => item);
  }
}

/**
 * The model of every input: the snapshots' among themselves first (newest capture), then the
 * exports' against the copy kept (later input); see the module comment. A resource the exports
 * left out as disputed stays out, whatever a snapshot holds: the inputs disagree about it.
 */
function mergeModels(snapshots: readonly SnapshotInput[], arm: ArmInput | null, gaps: Gap[]): NetworkModel {
  const merged: Record<string, readonly NetworkResource[]> = {};
  for (const key of MODEL_KEYS) {
    const copies = new CopyMerger<NetworkResource>((r) => r.id, (id) => id, gaps);
    for (const { snapshot, input } of snapshots) for (const resource of snapshot.model[key]) copies.add(resource, input);
    if (arm !== null) {
      const { normalized, facts, documents } = arm;
      for (const resource of normalized.model[key]) {
        const input = documents[facts.documentOf.get(resource.id) ?? 0] as InputRef;
        const holder = facts.partialOnly.has(resource.id) ? copies.holder(resource.id) : undefined;
        if (holder === undefined) {
          copies.add(resource, input);
          continue;
        }
        // A partial export copy (only some fields, as `az vm nic list` prints a NIC) read whole
        // would replace a snapshot's copy with defaults for what it lacks (no IP configuration, no
        // NSG): the whole copy stays, and the gap says the partial one was not used.
        gaps.push({
          code: 'skipped-input', scope: resource.id,
          message: `${input.name} holds a partial copy of ${resource.id} (only some of its fields): the whole copy of ${holder.name} is used. If the partial copy is newer, export the whole resource (az network … show or list).`,
        });
      }
      for (const id of facts.disputed) copies.delete(id);
    }
    merged[key] = copies.items();
  }
  return merged as unknown as NetworkModel;
}

/** Effective routes per NIC, ordered as the model's copies are. */
function mergeEffectiveRoutes(snapshots: readonly SnapshotInput[], arm: ArmInput | null, gaps: Gap[]): CapturedEffectiveRoutes[] {
  const copies = new CopyMerger<CapturedEffectiveRoutes>((e) => e.networkInterfaceId, (id) => `the effective routes of ${id}`, gaps);
  for (const { snapshot, input } of snapshots) for (const entry of snapshot.effectiveRoutes) copies.add(entry, input);
  if (arm !== null) {
    const { normalized, facts, documents } = arm;
    for (const entry of normalized.effectiveRoutes) copies.add(entry, documents[facts.effectiveRoutesDocumentOf.get(entry.networkInterfaceId) ?? 0] as InputRef);
  }
  return copies.items();
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

/**
 * The scope of a merge: tenant, management group and cloud when every snapshot agrees; the
 * subscriptions the resources are in, and every one an input snapshot read (one read and found
 * empty is part of the evidence too).
 */
function mergedScope(model: NetworkModel, snapshots: readonly Snapshot[]): CaptureScope {
  const scopes = snapshots.map((s) => s.metadata.scope);
  const read = scopes.flatMap((s) => s.subscriptionIds.map((id) => id.toLowerCase()));
  return {
    tenantId: agreed(scopes.map((s) => s.tenantId)),
    subscriptionIds: [...new Set([...subscriptionsOf(model), ...read])].sort(compareText),
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
    if (isStackOverflow(error)) {
      const deepest = [...files].map((f) => ({ file: f, depth: maxNesting(f.text) })).sort((a, b) => b.depth - a.depth)[0];
      throw tooDeepError(deepest?.file.name ?? '<input>', deepest?.depth ?? null);
    }
    throw error;
  }
}

/**
 * The files with names that tell them apart: `origin`, `metadata.inputs`, gaps and errors name
 * files, and two alike (the same file given twice, two drag-and-dropped files of one name) would
 * read as one. The second and later get " (2)", " (3)"….
 */
function withUniqueNames(files: readonly InputText[]): readonly InputText[] {
  const seen = new Map<string, number>();
  const taken = new Set(files.map((f) => f.name));
  return files.map((file) => {
    const count = (seen.get(file.name) ?? 0) + 1;
    seen.set(file.name, count);
    if (count === 1) return file;
    let n = count;
    while (taken.has(`${file.name} (${n})`)) n++;
    const name = `${file.name} (${n})`;
    taken.add(name);
    return { ...file, name };
  });
}

/** The oldest capture time of the snapshots (as written), or null when there is none. */
function oldestCapture(snapshots: readonly SnapshotInput[]): string | null {
  let oldest: InputRef | null = null;
  for (const { input } of snapshots) {
    const time = captureTime(input);
    if (time !== null && (oldest === null || time < (captureTime(oldest) ?? Infinity))) oldest = input;
  }
  return oldest?.capturedAt ?? null;
}

function snapshotFromTextsUnguarded(given: readonly InputText[], options: LoadOptions): Snapshot {
  if (given.length === 0) throw new InputError('<input>', '$', 'at least one input file');
  const files = withUniqueNames(given);
  const snapshots: SnapshotInput[] = [];
  const documents: ArmDocument[] = [];
  const documentInputs: InputRef[] = [];
  const skippedFiles: Gap[] = [];
  const read: InputText[] = [];
  files.forEach((file, position) => {
    const parsed = parseInputJson(file.name, file.text, file.directory !== undefined, skippedFiles);
    if (parsed === null) return;
    read.push(file);
    if (isSnapshotJson(parsed.json)) {
      const snapshot = parseSnapshotJson(parsed.json, file.name);
      snapshots.push({ snapshot, input: { name: file.name, position, capturedAt: snapshot.metadata.capturedAt } });
    } else {
      documents.push({ fileName: file.name, json: parsed.json, skippable: file.directory !== undefined });
      documentInputs.push({ name: file.name, position, capturedAt: null });
    }
  });
  // What the lazy `metadata.inputs` hashes: the bytes when the caller read a file, without
  // keeping their decoded text (175 MB for a 100,000-NIC export) alive for the rest of the run.
  const hashSources = files.map((f) => (f.bytes === undefined ? f : { name: f.name, text: '', bytes: f.bytes }));
  const only = snapshots[0];
  const inputGaps = options.inputGaps ?? [];
  // A snapshot alone is returned unchanged, unless listing the inputs found something to record.
  if (files.length === 1 && only !== undefined && inputGaps.length === 0) return options.serviceTags ? withServiceTags(only.snapshot, options.serviceTags) : only.snapshot;
  const mergeGapList: Gap[] = [];
  const serviceTags = options.serviceTags ?? mergedServiceTags(snapshots, mergeGapList);

  const normalized = documents.length > 0 ? normalizeArm(documents, { mergedWithOthers: snapshots.length > 0 }) : null;
  let model: NetworkModel;
  let effectiveRoutes: readonly CapturedEffectiveRoutes[];
  if (normalized !== null && normalized.merge === undefined) {
    // ARM files alone: normalizeArm's model is already merged and sorted.
    model = normalized.model;
    effectiveRoutes = normalized.effectiveRoutes;
  } else {
    const arm = normalized?.merge === undefined ? null : { normalized, facts: normalized.merge, documents: documentInputs };
    const merged = mergeModels(snapshots, arm, mergeGapList);
    // Snapshots alone too: what their union shows of peerings and hubs it does not hold (a Connected
    // peering with no peering back, a mark whose hub is now in the input) is read from the merged
    // model, as loading the same inputs as exports would (not-exported.ts).
    const joined = joinDetached(merged, arm?.facts.detached ?? NO_DETACHED);
    model = joined.model;
    mergeGapList.push(...joined.gaps);
    effectiveRoutes = mergeEffectiveRoutes(snapshots, arm, mergeGapList);
  }
  const armGaps = [...inputGaps, ...skippedFiles, ...(normalized?.gaps ?? [])];
  // A snapshot may legitimately be empty; exports that resolve to nothing are a mistake to report.
  if (snapshots.length === 0) assertNetworkResources(model, [...new Set(files.map((f) => f.directory ?? f.name))], armGaps);
  const snapshotList = snapshots.map((s) => s.snapshot);
  const capturedAt = new Map(snapshots.map(({ snapshot, input }) => [input.name, snapshot.metadata.capturedAt]));
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: importMetadata(
      // The data is as old as its oldest capture: stamping the import time would make January's
      // data look newer than a June capture in a comparison. Exports alone carry no capture time.
      oldestCapture(snapshots) ?? (options.now ?? (() => new Date()))().toISOString(), read.map((f) => f.name), options.toolVersion,
      () => mergedScope(model, snapshotList), () => inputFileRecords(hashSources, capturedAt),
    ),
    model,
    effectiveRoutes,
    metrics: mergeMetrics(snapshotList.map((s) => s.metrics)),
    // A snapshot's gap for a peering it inferred, whose real peering the merged input now holds, is stale.
    gaps: mergeGaps([...snapshotList.map((s) => s.gaps.filter((g) => !isStaleNotExportedGap(g, model))), armGaps, mergeGapList]),
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

/**
 * Of the snapshots' service tag data, the newest (highest change number; the first of equals).
 * Change numbers count one cloud's data (Public, AzureGovernment, AzureChinaCloud… are separate
 * series), and one cloud's prefixes say nothing of another's: data of several clouds, or snapshots
 * captured in several clouds, leave the data out with a gap (rules naming tags are then unknown)
 * rather than read one cloud's prefixes against another's resources.
 */
function mergedServiceTags(snapshots: readonly SnapshotInput[], gaps: Gap[]): ServiceTagSet | null {
  const carrying = snapshots.filter((s) => s.snapshot.serviceTags !== undefined);
  if (carrying.length === 0) return null;
  const tagClouds = new Set(carrying.map((s) => s.snapshot.serviceTags?.cloud.toLowerCase() ?? ''));
  const estateClouds = new Set(snapshots.flatMap((s) => (s.snapshot.metadata.scope.cloud === null ? [] : [s.snapshot.metadata.scope.cloud.toLowerCase()])));
  if (tagClouds.size > 1 || estateClouds.size > 1) {
    const tags = carrying.map((s) => `${s.input.name}: ${s.snapshot.serviceTags?.cloud || 'cloud not stated'}, change ${s.snapshot.serviceTags?.changeNumber ?? 0}`);
    const estates = snapshots.map((s) => `${s.input.name}: ${s.snapshot.metadata.scope.cloud ?? 'not recorded'}`);
    gaps.push({
      code: 'skipped-input', scope: 'service tags',
      message: `The inputs' service tag data (${tags.join('; ')}) was left out: the inputs are of more than one cloud (${estates.join('; ')}), and one cloud's tag prefixes and change numbers say nothing of another's. Give --service-tags FILE for the estate's cloud.`,
    });
    return null;
  }
  let newest: ServiceTagSet | null = null;
  for (const { snapshot } of carrying) if (snapshot.serviceTags && (newest === null || snapshot.serviceTags.changeNumber > newest.changeNumber)) newest = snapshot.serviceTags;
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

/** How many directory entries the search for `.json` files below the two levels read looks at, for one call of inputFileList in all. */
const DEEPER_SCAN_LIMIT = 10_000;

/** A directory below the two levels read that is said in a gap. */
interface DeeperDirectory {
  readonly name: string;
  /** `holds`: .json files were found in it or below; `may-hold`: the search reached DEEPER_SCAN_LIMIT before it could tell. */
  readonly finding: 'holds' | 'may-hold';
}

/** What listing one input directory found. */
interface DirectoryListing {
  readonly files: readonly InputFile[];
  readonly deeper: readonly DeeperDirectory[];
  /** Entries neither read nor deeper (a link to nothing, a pipe), each a gap naming it. */
  readonly notRead: readonly Gap[];
}

/**
 * What one inputFileList call shares across every directory it lists: the entries the search
 * below the two levels read has looked at (one bound for the whole scan, however the entries are
 * spread), and the directories met, by real path, so a symbolic link back up (a loop) or to a
 * directory listed already is not followed again.
 */
interface Scan {
  entries: number;
  readonly seen: Map<string, string>;
}

type EntryKind = 'file' | 'directory' | 'other' | 'broken-link';

/**
 * What an entry is, following a symbolic link (Dirent's isFile / isDirectory describe the link
 * itself, so a linked file or directory would otherwise be neither read nor said).
 */
async function entryKind(entry: Dirent, path: string): Promise<{ readonly kind: EntryKind; readonly link: boolean }> {
  if (entry.isFile()) return { kind: 'file', link: false };
  if (entry.isDirectory()) return { kind: 'directory', link: false };
  if (!entry.isSymbolicLink()) return { kind: 'other', link: false };
  try {
    const target = await stat(path);
    return { kind: target.isFile() ? 'file' : target.isDirectory() ? 'directory' : 'other', link: true };
  } catch {
    return { kind: 'broken-link', link: true };
  }
}

/** The real path of a directory, or null when it cannot be resolved (removed meanwhile, unreadable). */
async function realPathOf(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

function notReadGap(name: string, why: string): Gap {
  return { code: 'skipped-input', scope: name, message: `${name} ${why}: not read.` };
}

/**
 * Every file in a directory and its direct subdirectories, sorted, except hidden ones (macOS
 * `._name.json` resource forks, `.DS_Store`). Not only `*.json`: `az … > vnets.txt` is JSON too,
 * and a `-o table` or YAML export must show up as a skipped file, not vanish. Symbolic links are
 * followed (a folder of evidence assembled with links is read as its files are). A directory below
 * those two levels is not read; one that holds `.json` files (in it or below) is returned in
 * `deeper`, so that it is said (a gap), never skipped silently; so is every entry not read.
 */
async function filesIn(dir: string, label: string, directory: string, depth: number, scan: Scan): Promise<DirectoryListing> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareText(a.name, b.name));
  const files: InputFile[] = [];
  const deeper: DeeperDirectory[] = [];
  const notRead: Gap[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const name = `${label}/${entry.name}`;
    const { kind, link } = await entryKind(entry, path);
    if (kind === 'file') files.push({ path, name, directory });
    else if (kind === 'broken-link') notRead.push(notReadGap(name, 'is a symbolic link to nothing that exists'));
    else if (kind === 'other') notRead.push(notReadGap(name, 'is neither a file nor a directory (a pipe, a socket or a device)'));
    else {
      const real = await realPathOf(path);
      const met = real === null ? undefined : scan.seen.get(real);
      if (link && met !== undefined) {
        notRead.push(notReadGap(name, `is a symbolic link to ${met}, which is listed already (a link back up, or to a directory met before)`));
        continue;
      }
      if (real !== null) scan.seen.set(real, name);
      if (depth > 0) {
        const below = await filesIn(path, name, directory, depth - 1, scan);
        files.push(...below.files);
        deeper.push(...below.deeper);
        notRead.push(...below.notRead);
      } else {
        const finding = await holdsJson(path, scan, true);
        if (finding !== 'no') deeper.push({ name, finding: finding === 'yes' ? 'holds' : 'may-hold' });
      }
    }
  }
  return { files, deeper, notRead };
}

/**
 * Whether a directory holds a `.json` file (a link to one counts), in it or below: `unknown` when
 * the scan reached DEEPER_SCAN_LIMIT entries before it could tell. Hidden entries are skipped, and
 * unreadable ones; a directory met before (by real path: a link loop) is not searched again.
 */
async function holdsJson(dir: string, scan: Scan, seenAlready = false): Promise<'yes' | 'no' | 'unknown'> {
  if (!seenAlready) {
    const real = await realPathOf(dir);
    if (real === null || scan.seen.has(real)) return 'no';
    scan.seen.set(real, dir);
  }
  if (scan.entries >= DEEPER_SCAN_LIMIT) return 'unknown';
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 'no';
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  scan.entries += visible.length;
  const subdirectories: string[] = [];
  for (const e of visible) {
    const path = join(dir, e.name);
    const { kind } = await entryKind(e, path);
    if (kind === 'file' && /\.json$/i.test(e.name)) return 'yes';
    if (kind === 'directory') subdirectories.push(path);
  }
  let unknown = false;
  for (const path of subdirectories) {
    const below = await holdsJson(path, scan);
    if (below === 'yes') return 'yes';
    if (below === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** How many deeper directories the gaps name one by one; the rest are counted in one more gap. */
const DEEPER_NAMED = 20;

/** `skipped-input` gaps for the deeper directories of an input directory that hold, or may hold, `.json` files. */
function deeperDirectoryGaps(directory: string, deeper: readonly DeeperDirectory[]): Gap[] {
  const rule = `only the directory given (${directory}) and its direct subdirectories are read`;
  const gaps: Gap[] = deeper.slice(0, DEEPER_NAMED).map(({ name, finding }) => ({
    code: 'skipped-input', scope: name,
    message: finding === 'holds'
      ? `${name} holds .json files that were not read: ${rule}. Give ${name} (or its files) as an input to read them.`
      : `${name} may hold .json files; not scanned past ${DEEPER_SCAN_LIMIT.toLocaleString('en-US')} entries (the search below the directories read stops there), and none there was read: ${rule}. Give ${name} (or its files) as an input to read them.`,
  }));
  const rest = deeper.slice(DEEPER_NAMED);
  if (rest.length > 0) {
    const one = rest.length === 1;
    const verb = rest.every((d) => d.finding === 'holds') ? (one ? 'holds' : 'hold') : (one ? 'holds or may hold' : 'hold or may hold');
    gaps.push({
      code: 'skipped-input', scope: directory,
      message: `${rest.length} more director${one ? 'y' : 'ies'} under ${directory} below its direct subdirectories ${verb} .json files that were not read (the first ${DEEPER_NAMED} are named in their own gaps): ${rule}.`,
    });
  }
  return gaps;
}

/**
 * The names the paths go by in the snapshot: the base name (not the full path: origin and every
 * message show it, and the auditor's home directory is none of the evidence's business), or, for
 * paths that share one (`q1/estate`, `q3/estate`), as many trailing segments as tell them apart.
 */
function pathLabels(paths: readonly string[]): string[] {
  const segments = paths.map((p) => resolve(p).split(sep).filter((s) => s !== ''));
  const tail = (parts: readonly string[], n: number): string => parts.slice(-n).join('/');
  const byBase = new Map<string, number[]>();
  segments.forEach((parts, i) => {
    const alike = byBase.get(tail(parts, 1));
    if (alike === undefined) byBase.set(tail(parts, 1), [i]);
    else alike.push(i);
  });
  return segments.map((parts, i) => {
    // The same path given twice cannot be told apart by its segments: snapshotFromTexts numbers the second.
    const whole = tail(parts, parts.length);
    const alike = (byBase.get(tail(parts, 1)) ?? []).map((j) => segments[j] ?? []).filter((other) => tail(other, other.length) !== whole);
    let n = 1;
    while (n < parts.length && alike.some((other) => tail(other, n) === tail(parts, n))) n++;
    return tail(parts, n) || basename(paths[i] ?? '');
  });
}

/**
 * The files `loadInputs` reads for these paths (directories expanded, symbolic links followed), in
 * order, and a `skipped-input` gap for each directory deeper than the two levels read that holds
 * (or may hold) `.json` files and each entry not read. Pass the gaps as LoadOptions.inputGaps so
 * the snapshot records them.
 */
export async function inputFileList(paths: readonly string[]): Promise<{ readonly files: readonly InputFile[]; readonly gaps: readonly Gap[] }> {
  const labels = pathLabels(paths);
  const files: InputFile[] = [];
  const gaps: Gap[] = [];
  const scan: Scan = { entries: 0, seen: new Map() };
  for (const [i, path] of paths.entries()) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new InputError(path, '$', 'a readable file or directory', typeof code === 'string' ? code : 'an unreadable path');
    }
    const label = labels[i] ?? basename(path);
    if (isDirectory) {
      const real = await realPathOf(path);
      if (real !== null) scan.seen.set(real, label);
      const { files: found, deeper, notRead } = await filesIn(path, label, label, 1, scan);
      if (found.length === 0) {
        // Files only further down, or entries not read: say where they are and why they were not read.
        const names = deeper.map((d) => d.name);
        const below = names.length === 0 ? 'none' : `none in it or its direct subdirectories (only those are read; .json files are deeper, in ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
        const skipped = notRead.length === 0 ? '' : `; not read: ${notRead.slice(0, 3).map((g) => g.message.replace(/: not read\.$/, '')).join('; ')}${notRead.length > 3 ? '; …' : ''}`;
        throw new InputError(path, '$', 'a directory with at least one file', `${below}${skipped}`);
      }
      files.push(...found);
      gaps.push(...deeperDirectoryGaps(label, deeper), ...notRead);
    } else {
      files.push({ path, name: label });
    }
  }
  return { files, gaps };
}

/** Files and directories → one snapshot (see the module comment). Throws InputError on bad input. */
export async function loadInputs(paths: readonly string[], options: LoadOptions): Promise<Snapshot> {
  const { files, gaps } = await inputFileList(paths);
  const texts: InputText[] = [];
  for (const file of files) {
    const bytes = await readWholeFile(file.path);
    texts.push({ name: file.name, text: decodeText(bytes), bytes, ...(file.directory === undefined ? {} : { directory: file.directory }) });
  }
  return snapshotFromTexts(texts, gaps.length === 0 ? options : { ...options, inputGaps: [...(options.inputGaps ?? []), ...gaps] });
}
