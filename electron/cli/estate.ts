/**
 * Where the CLI's estates come from: input files and directories (through electron/snapshot, which
 * reads snapshots and ARM / az JSON alike) or an embedded demo (through the same normalizer a
 * user's export goes through). The one seam between the CLI and snapshot I/O.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_DEMO, DEMO_ESTATES, findDemo, type DemoEstate } from '../../shared/demo/index';
import type { ServiceTagSet } from '../../shared/model/service-tags';
import type { Snapshot } from '../../shared/model/snapshot';
import { buildDemoSnapshot, loadInputs, readServiceTagsFile, TOOL_VERSION, withServiceTags } from '../snapshot/index';
import { UsageError } from './args';

export { TOOL_VERSION };

/** Resolves `--demo` (bare = the default demo) to a demo estate, or a usage error naming the choices. */
export function pickDemo(value: string | true): DemoEstate {
  const name = value === true ? DEFAULT_DEMO : value;
  const demo = findDemo(name);
  if (demo === undefined) {
    throw new UsageError(`unknown demo "${name}"; choose one of: ${DEMO_ESTATES.map((d) => d.name).join(', ')}`);
  }
  return demo;
}

/** A demo estate as a snapshot (capture time = now; the model is deterministic). */
export function demoSnapshot(demo: DemoEstate, now: Date = new Date()): Snapshot {
  return buildDemoSnapshot(demo, now);
}

/** A missing or unreadable input, reported as one line (exit 2). */
export class InputPathError extends Error {
  override readonly name = 'InputPathError';
}

/**
 * Input paths resolved against the CLI's cwd. A missing path gets a plain one-line message here;
 * directories are expanded by loadInputs (their `.json` files, one level of subfolders).
 */
export async function resolveInputPaths(inputs: readonly string[], cwd: string): Promise<string[]> {
  const paths: string[] = [];
  for (const input of inputs) {
    const path = isAbsolute(input) ? input : resolve(cwd, input);
    try {
      await stat(path);
    } catch {
      throw new InputPathError(`${input}: no such file or directory`);
    }
    paths.push(path);
  }
  return paths;
}

/**
 * `--service-tags FILE` (resolved against the cwd): the service tag data, or undefined when the
 * option is absent. A missing, unreadable or malformed file is an InputError naming it (exit 2).
 */
export async function loadServiceTags(path: string | undefined, cwd: string): Promise<ServiceTagSet | undefined> {
  if (path === undefined) return undefined;
  return readServiceTagsFile(isAbsolute(path) ? path : resolve(cwd, path));
}

/** A snapshot with the given service tag data (replacing a demo's excerpt or the inputs' own), or unchanged. */
export function applyServiceTags(snapshot: Snapshot, serviceTags: ServiceTagSet | undefined): Snapshot {
  return serviceTags === undefined ? snapshot : withServiceTags(snapshot, serviceTags);
}

/**
 * Loads an estate from `--demo` or from input paths (exactly one of the two), with the service
 * tag data of `--service-tags FILE` when given. `now` pins the capture time of a demo or of ARM
 * exports converted here (a snapshot file keeps its own), so a pinned `report --timestamp` pins
 * every byte.
 */
export async function loadEstate(inputs: readonly string[], demo: string | true | undefined, cwd: string, serviceTagsPath?: string, now?: Date): Promise<Snapshot> {
  if (demo !== undefined && inputs.length > 0) throw new UsageError('give input files or --demo, not both');
  if (demo === undefined && inputs.length === 0) throw new UsageError('no input: give snapshot / ARM JSON files or directories, or --demo [name]');
  const serviceTags = await loadServiceTags(serviceTagsPath, cwd);
  if (demo !== undefined) return applyServiceTags(demoSnapshot(pickDemo(demo), now), serviceTags);
  return loadInputs(await resolveInputPaths(inputs, cwd), {
    toolVersion: TOOL_VERSION, ...(serviceTags ? { serviceTags } : {}), ...(now ? { now: () => now } : {}),
  });
}
