/**
 * `egress-atlas traffic` over a large tree of VNet flow logs (issue 13): 10 million version 4 flow
 * tuples spread over PT1H.json blobs (one per NIC per hour, as storage holds them, 60 one-minute
 * records each), sources = the NIC IPs of a synthetic estate so they attribute. Each tree is read
 * in a child process through the CLI's own streaming path (`analyzeLogFiles`), which reports wall
 * time, CPU time and peak RSS (`process.resourceUsage().maxRSS`).
 *
 * The memory target is the bound, not a number: the same run over a tree a tenth the size (same
 * file size, a tenth of the files and tuples) must peak within 1.5× of it, i.e. peak RSS does not
 * grow with the number of files or tuples. The in-memory path (`readLogs` + `analyzeTraffic`, as
 * before streaming) over the small tree is measured for comparison.
 *
 * Sizes: EGRESS_ATLAS_BENCH_TRAFFIC_TUPLES (default 10,000,000), 5,000 tuples per file.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { prng } from '../../shared/demo/synthetic';
import type { ResolveInput } from '../../shared/egress/index';
import { analyzeTraffic } from '../../shared/traffic/index';
import { analyzeLogFiles, readLogs } from '../../electron/cli/commands/traffic';
import type { BenchLine } from './types';
import { peakRssBytes, runChildReport } from './child-report';

const ESTATE = { subscriptions: 4, virtualNetworks: 40, subnets: 400, networkInterfaces: 4000, seed: 20261205 } as const;
const CHILD_ENV = 'EGRESS_ATLAS_BENCH_TRAFFIC_CHILD';
const TUPLES = Number(process.env['EGRESS_ATLAS_BENCH_TRAFFIC_TUPLES'] ?? 10_000_000);
const PER_FILE = 5_000;
const RECORDS_PER_FILE = 60;
/** Public destinations (few, as real egress is: the what-if resolve runs once per distinct one). */
const DESTINATIONS = ['20.42.65.92', '52.239.148.4', '13.107.42.14', '40.126.32.160', '104.18.32.7', '151.101.1.69', '140.82.112.4', '185.199.108.133'];
const PORTS = [443, 80, 123];
const MB = 1024 * 1024;

type ChildMode = 'stream' | 'in-memory';

interface ChildReport {
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssBytes: number;
  readonly sources: number;
  readonly flows: number;
  readonly unattributed: number;
}

/** The child: one analysis of one tree, measured. */
async function runChild(spec: string): Promise<void> {
  const { mode, inputPath, tree } = JSON.parse(spec) as { mode: ChildMode; inputPath: string; tree: string };
  const input = JSON.parse(await readFile(inputPath, 'utf8')) as ResolveInput;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = mode === 'stream'
    ? await analyzeLogFiles(input, [tree], tmpdir())
    : analyzeTraffic(input, await readLogs([tree], tmpdir()));
  const used = process.cpuUsage(cpu);
  const report: ChildReport = {
    ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, maxRssBytes: peakRssBytes(),
    sources: result.sources.length, flows: result.sources.reduce((n, s) => n + s.observed.reduce((m, o) => m + o.flows, 0), 0),
    unattributed: result.unattributed.length,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChildProcess(mode: ChildMode, inputPath: string, tree: string): Promise<ChildReport> {
  return runChildReport<ChildReport>(fileURLToPath(import.meta.url), ['--max-old-space-size=8192'], { [CHILD_ENV]: JSON.stringify({ mode, inputPath, tree }) }, `traffic bench child (${mode})`);
}

/**
 * Writes `tuples` outbound v4 tuples as PT1H.json blobs under the storage path layout
 * (`.../y=/m=/d=/h=/m=00/macAddress=/PT1H.json`). Each file is one NIC-hour; each flow is a B
 * tuple then an E tuple with counters; 1 source in 50 is an address no NIC holds.
 */
async function writeTree(root: string, ips: readonly string[], tuples: number): Promise<{ readonly files: number; readonly bytes: number; readonly attributedFlows: number }> {
  const random = prng(tuples);
  const files = Math.ceil(tuples / PER_FILE);
  let bytes = 0;
  let attributedFlows = 0;
  const base = Date.UTC(2026, 10, 1);
  for (let f = 0; f < files; f++) {
    const nic = f % ips.length;
    // TEST-NET-1 (RFC 5737): no estate holds it, so the source must be listed as unattributed.
    const stray = f % 50 === 49;
    const src = stray ? `192.0.2.${nic & 255}` : ips[nic] ?? '10.0.0.4';
    const hour = base + Math.floor(f / ips.length) * 3_600_000;
    const d = new Date(hour);
    const mac = (0x00224800000 + nic).toString(16).toUpperCase().padStart(12, '0');
    const dir = join(root, 'flowLogResourceID=', 'SUB_NETWORKWATCHERRG', 'NETWORKWATCHER_EASTUS_BENCH', `y=${d.getUTCFullYear()}`,
      `m=${String(d.getUTCMonth() + 1).padStart(2, '0')}`, `d=${String(d.getUTCDate()).padStart(2, '0')}`, `h=${String(d.getUTCHours()).padStart(2, '0')}`, 'm=00', `macAddress=${mac}`);
    const count = Math.min(PER_FILE, tuples - f * PER_FILE);
    // This NIC's few destinations: real workloads talk to a handful of endpoints.
    const mine = [0, 1, 2].map(() => ({ dst: DESTINATIONS[Math.floor(random() * DESTINATIONS.length)] ?? '', port: PORTS[Math.floor(random() * PORTS.length)] ?? 443 }));
    const records: string[] = [];
    let written = 0;
    for (let r = 0; r < RECORDS_PER_FILE && written < count; r++) {
      const n = r === RECORDS_PER_FILE - 1 ? count - written : Math.min(count - written, Math.ceil(count / RECORDS_PER_FILE));
      const t0 = hour + r * 60_000;
      const list: string[] = [];
      if (!stray) attributedFlows += Math.ceil((written + n) / 2) - Math.ceil(written / 2);
      for (let i = 0; i < n; i++) {
        // Tuples come in pairs, B then E of one connection (the same 5-tuple): one flow each.
        const pair = Math.floor((written + i) / 2);
        const to = mine[pair % mine.length] ?? { dst: '20.42.65.92', port: 443 };
        const sport = 1024 + (pair % 60000);
        const proto = to.port === 123 ? 17 : 6;
        list.push((written + i) % 2 === 0
          ? `"${t0 + i},${src},${to.dst},${sport},${to.port},${proto},O,B,NX,0,0,0,0"`
          : `"${t0 + i},${src},${to.dst},${sport},${to.port},${proto},O,E,NX,12,${1500 + i},10,${9000 + i}"`);
      }
      written += n;
      records.push(`{"time":"${new Date(t0).toISOString()}","flowLogVersion":4,"flowLogGUID":"66aa66aa-bb77-cc88-dd99-00ee00ee00ee","macAddress":"${mac}",`
        + `"category":"FlowLogFlowEvent","flowLogResourceID":"/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_EASTUS/FLOWLOGS/BENCH",`
        + `"targetResourceID":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet","operationName":"FlowLogFlowEvent",`
        + `"flowRecords":{"flows":[{"aclID":"00aa00aa-bb11-cc22-dd33-44ee44ee44ee","flowGroups":[{"rule":"DefaultRule_AllowInternetOutBound","flowTuples":[${list.join(',')}]}]}]}}`);
    }
    const text = `{"records":[${records.join(',')}]}`;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'PT1H.json'), text);
    bytes += text.length;
  }
  return { files, bytes, attributedFlows };
}

export async function bench(): Promise<readonly BenchLine[]> {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'synthetic', json: generateSyntheticEstate(ESTATE) }]);
  const input: ResolveInput = { model, effectiveRoutes, metrics: [], gaps };
  const ips = model.networkInterfaces.flatMap((n) => n.ipConfigurations.map((c) => c.privateIpAddress).filter((ip): ip is string => ip !== null));
  const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-bench-traffic-'));
  try {
    const inputPath = join(dir, 'input.json');
    await writeFile(inputPath, JSON.stringify(input));
    const smallTuples = Math.max(PER_FILE, Math.round(TUPLES / 10));
    const genStart = performance.now();
    const small = await writeTree(join(dir, 'small'), ips, smallTuples);
    const large = await writeTree(join(dir, 'large'), ips, TUPLES);
    const genMs = performance.now() - genStart;
    const smallRun = await runChildProcess('stream', inputPath, join(dir, 'small'));
    const largeRun = await runChildProcess('stream', inputPath, join(dir, 'large'));
    const inMemory = await runChildProcess('in-memory', inputPath, join(dir, 'small'));
    const ratio = largeRun.maxRssBytes / smallRun.maxRssBytes;
    const scale = `${model.networkInterfaces.length} NICs, ${ips.length} IPs`;
    // Every B tuple of a NIC's address is one attributed flow: counted while writing, checked here.
    const flowsOk = largeRun.flows === large.attributedFlows && smallRun.flows === small.attributedFlows && largeRun.unattributed > 0;
    return [
      { name: 'generate flow-log trees', value: genMs / 1000, unit: 's', note: `${large.files.toLocaleString('en-US')} + ${small.files.toLocaleString('en-US')} PT1H.json files, ${(large.bytes / MB).toFixed(0)} + ${(small.bytes / MB).toFixed(0)} MB; ${scale}` },
      {
        name: `stream ${TUPLES.toLocaleString('en-US')} tuples (traffic --logs)`, value: largeRun.ms / 1000, unit: 's',
        note: `CPU ${(largeRun.cpuMs / 1000).toFixed(1)} s; ${((TUPLES / largeRun.ms) * 1000 / 1e6).toFixed(2)} M tuples/s; ${largeRun.sources} sources, ${largeRun.flows.toLocaleString('en-US')} flows attributed, ${largeRun.unattributed} unattributed IPs; flows as written: ${flowsOk}`,
        pass: flowsOk,
      },
      { name: `peak RSS, ${TUPLES.toLocaleString('en-US')} tuples / ${large.files.toLocaleString('en-US')} files`, value: largeRun.maxRssBytes / MB, unit: 'MB' },
      { name: `peak RSS, ${smallTuples.toLocaleString('en-US')} tuples / ${small.files.toLocaleString('en-US')} files`, value: smallRun.maxRssBytes / MB, unit: 'MB', note: `stream ${(smallRun.ms / 1000).toFixed(1)} s` },
      { name: 'peak RSS ratio, 10× files and tuples', value: ratio, unit: '×', target: 1.5, note: 'bounded: peak RSS independent of the number of files and tuples' },
      {
        name: `in-memory path (readLogs + analyzeTraffic), ${smallTuples.toLocaleString('en-US')} tuples`, value: inMemory.maxRssBytes / MB, unit: 'MB',
        note: `${(inMemory.ms / 1000).toFixed(1)} s; ${(inMemory.maxRssBytes / smallRun.maxRssBytes).toFixed(1)}× the streamed peak on the same tree; same flows: ${inMemory.flows === smallRun.flows}`,
        pass: inMemory.flows === smallRun.flows && inMemory.sources === smallRun.sources,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const childSpec = process.env[CHILD_ENV];
if (childSpec !== undefined) await runChild(childSpec);
