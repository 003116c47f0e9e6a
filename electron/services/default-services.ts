/**
 * The real wiring of the main-side services: demos, ARM import, snapshot I/O, the resolver, the
 * evidence PDF writer and the live Azure pull. Electron (electron/app/main.ts) and browser mode
 * (electron/web) both start from here; tests build services from fakes with createMainServices.
 */
import { userInfo } from 'node:os';
import { DEMO_ESTATES, findDemo } from '../../shared/demo';
import { resolveEgress } from '../../shared/egress';
import { parseDestinationList, resolveMatrix } from '../../shared/egress/matrix';
import { computeReach } from '../../shared/egress/reach';
import { estimateCost } from '../../shared/cost/index';
import type { DemoInfo, ImportedFile, PullRequest, PullProgress, TrafficAnswer } from '../../shared/ipc/contract';
import type { ResolveResult } from '../../shared/egress/types';
import { analyzeTraffic, createLogReadSession, parseLogFile } from '../../shared/traffic/index';
import type { Snapshot } from '../../shared/model/snapshot';
import { checkPolicy, parsePolicy } from '../../shared/policy/index';
import { buildDemoSnapshot, formatSnapshot, snapshotFromTexts } from '../snapshot';
import { TOOL_VERSION } from '../snapshot/tool-version';
import { createMainServices, type EvidenceInput, type MainServices } from './main-services';
import { createRecentStore } from './recent-store';
import { sampleLogsFor } from './sample-logs';

export interface DefaultServicesOptions {
  /** Where the recent list is kept; null: memory only. */
  readonly dataDir: string | null;
  /** Electron's Open dialog (electron/app/main.ts); absent in browser mode. */
  readonly chooseFiles?: () => Promise<readonly string[] | null>;
}

function listDemos(): readonly DemoInfo[] {
  return DEMO_ESTATES.map(({ name, title, description }) => ({ name, title, description }));
}

/** A demo estate's ARM documents → a snapshot, exactly as if the user had imported them. */
function loadDemo(name: string): Snapshot | null {
  const demo = findDemo(name);
  return demo ? buildDemoSnapshot(demo) : null;
}

function importFiles(files: readonly ImportedFile[]): Snapshot {
  return snapshotFromTexts(files, { toolVersion: TOOL_VERSION });
}

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

// The evidence writer (pdfkit, fonts) and the Azure SDK load on first use: they are most of the
// start-up time, and many sessions never export or pull.
async function writeEvidence(input: EvidenceInput): Promise<Uint8Array> {
  const { writeEvidencePdf } = await import('../evidence');
  return writeEvidencePdf({
    snapshot: input.snapshot,
    result: input.result,
    selection: input.sourceIds === null ? null : { sourceIds: input.sourceIds },
    exportedBy: whoAmI(),
    exportedAt: new Date(),
    ...(input.logs ? { traffic: input.logs.traffic, cost: input.logs.cost } : {}),
  });
}

/**
 * Log texts → what `egress-atlas traffic` and `egress-atlas cost --logs` compute (the same shared
 * functions, default options: every record, the default denied threshold, fixed costs split evenly).
 */
export function analyseLogs(snapshot: Snapshot, result: ResolveResult, files: readonly ImportedFile[]): TrafficAnswer {
  // One read session for all the files: a connection whose B tuple is in one hour's blob and E tuple
  // in the next counts once, as in the CLI, in any order. The renderer sends File.name, the base
  // name (every hourly blob is PT1H.json, destinations.md §2.1), so the name order below says
  // nothing of time: the session's counting does not depend on it (flow-logs.ts flowCount
  // remembers connections counted from a later tuple). The sort only makes the file list stable.
  const session = createLogReadSession();
  const logs = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((f) => parseLogFile(f.name, f.text, session));
  const traffic = analyzeTraffic(snapshot, logs);
  const cost = estimateCost(snapshot, result, { traffic, split: 'even', fallbackRegion: null });
  return { files: logs.map((l) => ({ name: l.file, shape: l.shape, records: l.records.length })), traffic, cost };
}

async function pull(request: PullRequest, onProgress: (progress: PullProgress) => void, signal: AbortSignal): Promise<Snapshot> {
  const { pullSnapshot } = await import('../azure');
  return pullSnapshot(request, onProgress, signal);
}

export function createDefaultServices(options: DefaultServicesOptions): MainServices {
  return createMainServices({
    listDemos,
    loadDemo,
    importFiles,
    resolve: (snapshot, destination) => resolveEgress(snapshot, { destination }),
    reach: (snapshot, sourceId, defaultRoute) => {
      if (sourceId === null) return computeReach(snapshot, { defaultRoute });
      // Resource IDs are case-insensitive in Azure, and the renderer passes the ID as its path has it.
      const wanted = sourceId.toLowerCase();
      // A subnet's answer comes with its NICs that follow its path but reach more on other ports
      // (followsSubnet): they have no path of their own for the app to show them under.
      const reach = computeReach(snapshot, { defaultRoute, source: (source) => source.id.toLowerCase() === wanted || (source.type === 'nic' && source.subnetId?.toLowerCase() === wanted) });
      return { ...reach, sources: reach.sources.filter((s) => s.source.id.toLowerCase() === wanted || s.followsSubnet === true) };
    },
    matrix: (snapshot, listText, fileName) => resolveMatrix(snapshot, parseDestinationList(listText, fileName)),
    check: (snapshot, policyText, fileName, now) => checkPolicy(snapshot, parsePolicy(policyText, fileName), { now }),
    formatSnapshot,
    recent: createRecentStore({ dataDir: options.dataDir }),
    writeEvidence,
    pull,
    traffic: analyseLogs,
    sampleLogs: sampleLogsFor,
    ...(options.chooseFiles ? { chooseFiles: options.chooseFiles } : {}),
  });
}
