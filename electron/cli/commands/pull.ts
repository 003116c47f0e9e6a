/**
 * `egress-atlas pull`: a live, read-only pull from Azure into a snapshot file. Progress goes to
 * stderr (a redrawn bar on a terminal, plain lines otherwise), and so does "wrote <file>", as for
 * every command that writes a file; the summary goes to stdout.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import type { CloudName, PullProgress } from '../../../shared/ipc/contract';
import type { Gap } from '../../../shared/model/gaps';
import { readInstantOption } from '../../../shared/model/dates';
import { sinceDurationMs } from './traffic';
// The Azure SDK is loaded only when `pull` runs, so other commands start fast.
import type { AuthMethod, PullOutcome } from '../../azure/index';
import type { LogsPullOptions } from '../../azure/logs';
import { writeSnapshot } from '../../snapshot/index';
import { oneOf, parseArgs, stringOption, takeRepeated, UsageError } from '../args';
import type { CliCommand, CliIo } from '../command';
import { refuseStdout } from '../out';
import { wroteLine } from '../format-table';

const USAGE = `Usage: egress-atlas pull [options] --out <snapshot.json> [--logs <workspace-id> [--since 7d]]
       egress-atlas pull [options] --logs <workspace-id> --logs-out <logs.json>

Reads the network topology of your Azure subscriptions (read-only: GET requests, Resource Graph
queries and effective-route reads only) and writes an egress-atlas/snapshot@1 file.

Options:
  --out <file>                    where to write the snapshot (required; not - : stdout has the summary)
  --subscription <id>             a subscription to read (repeat, or comma-separate); default: all you can read
  --management-group <id>         scope the Resource Graph queries to a management group
  --tenant <id>                   the Entra ID tenant to sign in to
  --cloud public|usgov|china      the Azure cloud (default: public)
  --auth browser|device-code|cli|env
                                  sign-in: system browser (default), device code, the Azure CLI's
                                  session, or the environment (service principal / workload identity)
  --access-token <token|->        use this ARM access token instead of signing in; "-" reads it
                                  from stdin. Without the option, EGRESS_ATLAS_ACCESS_TOKEN is used
                                  when set. Both keep the token out of the process list.
  --arm-endpoint <url>            a custom ARM endpoint (Azure Stack Hub, private clouds);
                                  plain http:// only for loopback addresses
  --token-scope <scope>           the token scope for a custom endpoint (default: <endpoint>/.default)
  --effective-routes none|sample|all
                                  sample (default): one NIC per distinct subnet route signature;
                                  all: every VM NIC (slow on big estates); none: skip
  --metrics                       also read 24 h of Azure Monitor metrics: SNAT health (NAT gateways,
                                  Azure Firewalls) and the bytes \`egress-atlas cost\` prices (NAT
                                  gateway ByteCount per Direction, firewall DataProcessed)
  --demo-azure                    pull from a bundled fake Azure on 127.0.0.1 (no account needed)
  --logs <workspace-id>           also read observed traffic from this Log Analytics workspace (its
                                  GUID): Azure Firewall AZFWApplicationRule / AZFWNetworkRule /
                                  AZFWNatRule / AZFWDnsQuery and Traffic Analytics NTANetAnalytics,
                                  summarised on the server (count, first / last seen, bytes where
                                  logged, per source, destination, port, protocol, action, rule).
                                  Read-only: the one request sent is POST .../workspaces/{id}/query
                                  (Log Analytics Reader on the workspace is enough). The rows are
                                  written for \`egress-atlas traffic --logs <file>\`; a table the
                                  workspace lacks, a 403 or throttling is a gap in that file
  --since <Nd|Nh|Nm|ISO>          the log window (default 7d)
  --logs-out <file>               where to write the log rows (default: <snapshot>.logs.json; not -)
  --logs-endpoint <url>           a custom Log Analytics endpoint with its /v1 (default: the cloud's,
                                  e.g. https://api.loganalytics.io/v1); plain http:// only on loopback
  --help                          this text

With --access-token, the token must be valid for Log Analytics (https://api.loganalytics.io) for
--logs: an ARM token is refused there (401), which the log file records as a gap.

The summary goes to stdout; progress and the "wrote <file>" lines go to stderr.

Exit codes: 0 written (gaps do not change it: the file records them), 1 an operational failure:
the pull failed or was cancelled, or --out could not be written (nothing written; stderr says
which), 2 bad input or usage.
`;


const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** One status line: phase, bar, resources, requests, throttling waits, ETA. */
export function progressLine(p: PullProgress, width = 20): string {
  const fraction = p.total !== null && p.total > 0 ? Math.min(1, p.completed / p.total) : null;
  const bar = fraction === null ? '' : ` [${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
  const parts = [
    `${p.phase}${bar}`,
    `${formatCount(p.resourcesFound)} resources`,
    `${formatCount(p.requestsMade)} requests`,
    ...(p.throttleWaitMs > 0 ? [`throttled ${formatDuration(p.throttleWaitMs)}`] : []),
    ...(p.gaps.length > 0 ? [`${p.gaps.length} gap(s)`] : []),
    ...(p.etaMs !== null && p.etaMs > 0 ? [`ETA ${formatDuration(p.etaMs)}`] : []),
  ];
  return parts.join(' | ');
}

export interface ProgressRenderer {
  update(p: PullProgress): void;
  finish(): void;
}

/** Redraws with `\r` at most 10 times a second on a terminal; prints plain lines otherwise. */
export function createProgressRenderer(io: CliIo, now: () => number = Date.now): ProgressRenderer {
  let lastDraw = -Infinity;
  let lastPhase = '';
  let lastLength = 0;
  let lastPlain = -Infinity;
  let gapsShown = 0;
  let pending: PullProgress | null = null;
  const draw = (p: PullProgress): void => {
    const line = progressLine(p);
    io.stderr(`\r${line}${' '.repeat(Math.max(0, lastLength - line.length))}`);
    lastLength = line.length;
    lastDraw = now();
    pending = null;
  };
  return {
    update(p) {
      if (io.isTTY) {
        const phaseChanged = p.phase !== lastPhase;
        lastPhase = p.phase;
        if (phaseChanged || now() - lastDraw >= 100) draw(p);
        else pending = p;
        return;
      }
      for (const gap of p.gaps.slice(gapsShown)) io.stderr(`gap: ${gap.code} ${gap.scope}: ${gap.message}\n`);
      gapsShown = p.gaps.length;
      if (p.phase !== lastPhase || now() - lastPlain >= 5_000) {
        io.stderr(`${p.message} (${progressLine(p)})\n`);
        lastPhase = p.phase;
        lastPlain = now();
      }
    },
    finish() {
      if (!io.isTTY) return;
      if (pending !== null) draw(pending);
      io.stderr('\n');
    },
  };
}

function summarize(outcome: PullOutcome): string {
  const { snapshot, stats } = outcome;
  const m = snapshot.model;
  const byKind = [...stats.byKind.entries()].map(([k, v]) => `${k} ${formatCount(v)}`).join(', ');
  const lines = [
    `Pulled ${snapshot.metadata.scope.subscriptionIds.length} subscription(s) from ${snapshot.metadata.scope.cloud ?? 'Azure'} in ${(outcome.wallMs / 1000).toFixed(1)} s`,
    `  resources: ${formatCount(m.virtualNetworks.length)} VNets, ${formatCount(m.subnets.length)} subnets, ${formatCount(m.networkInterfaces.length)} NICs, ` +
      `${formatCount(m.routeTables.length)} route tables, ${formatCount(m.natGateways.length)} NAT gateways, ${formatCount(m.publicIpAddresses.length)} public IPs, ` +
      `${formatCount(m.azureFirewalls.length)} firewalls, ${formatCount(m.loadBalancers.length)} load balancers, ${formatCount(m.virtualNetworkGateways.length)} VNet gateways, ${formatCount(m.virtualHubs.length)} virtual hubs`,
    `  requests: ${formatCount(stats.requests)} (${byKind}); retries ${stats.retries}; 429s ${stats.throttledResponses}; waited ${(stats.throttleWaitMs / 1000).toFixed(1)} s for throttling`,
    `  effective routes: ${snapshot.effectiveRoutes.length} NIC(s); metrics: ${snapshot.metrics.length}; service tags: ${
      snapshot.serviceTags ? `${formatCount(snapshot.serviceTags.tags.length)} (change number ${snapshot.serviceTags.changeNumber})` : 'none'}`,
    `  gaps: ${snapshot.gaps.length}${snapshot.gaps.length === 0 ? ' (nothing was left out)' : ''}`,
    ...snapshot.gaps.map((g: Gap) => `    ${g.code}  ${g.scope}${g.count === undefined ? '' : ` (${g.count})`}: ${g.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

export const pullCommand: CliCommand = {
  name: 'pull',
  summary: 'Read your Azure network (read-only) into a snapshot file',
  usage: USAGE,
  async run(args, io) {
    const { ArmEndpointError, AUTH_METHODS, createCredential, parseArmEndpoint, parseCloudName, pullEstate, resolveCloudTarget } =
      await import('../../azure/index');
    const { values: subscriptionIds, rest } = takeRepeated(args, 'subscription', { splitCommas: true });
    const parsed = parseArgs(rest, {
      out: 'value', 'management-group': 'value', tenant: 'value', cloud: 'value', auth: 'value', 'access-token': 'value',
      'arm-endpoint': 'value', 'token-scope': 'value', 'effective-routes': 'value', metrics: 'flag', 'demo-azure': 'flag', help: 'flag',
      logs: 'value', since: 'value', 'logs-out': 'value', 'logs-endpoint': 'value',
    }, ['subscription']);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0] ?? ''}"`);
    const out = stringOption(parsed, 'out');
    const logsRequest = logsRequestOf(parsed, out);
    if (out === undefined && logsRequest === null) throw new UsageError('--out <snapshot.json> is required');
    // stdout carries pull's summary: the snapshot (and the log rows) go to files only.
    refuseStdout(out, 'pull prints its summary on stdout, so the snapshot goes to a file', '<snapshot.json>');
    for (const s of subscriptionIds) if (!GUID.test(s)) throw new UsageError(`--subscription "${s}" is not a subscription ID (a GUID)`);
    const cloudText = stringOption(parsed, 'cloud') ?? 'public';
    const cloud = parseCloudName(cloudText);
    if (cloud === null) throw new UsageError(`--cloud must be one of public, usgov, china (got "${cloudText}")`);
    const auth: AuthMethod = oneOf(parsed, 'auth', AUTH_METHODS, 'browser');
    const effectiveRoutes = oneOf(parsed, 'effective-routes', ['none', 'sample', 'all'] as const, 'sample');
    const demoAzure = parsed.options['demo-azure'] === true;
    const armEndpoint = stringOption(parsed, 'arm-endpoint') ?? null;
    const tokenScope = stringOption(parsed, 'token-scope') ?? null;
    const tenantId = stringOption(parsed, 'tenant') ?? null;
    if (demoAzure && armEndpoint !== null) throw new UsageError('--demo-azure and --arm-endpoint cannot be combined');
    let target;
    try {
      if (armEndpoint !== null) parseArmEndpoint(armEndpoint);
      target = resolveCloudTarget(cloud, armEndpoint, tokenScope);
    } catch (error) {
      if (error instanceof ArmEndpointError) throw new UsageError(error.message);
      throw error;
    }
    // Read (and checked) with --demo-azure too, which signs in to nothing: an empty token or stdin
    // is a mistake either way, and is refused rather than silently ignored.
    const givenToken = await accessTokenOf(stringOption(parsed, 'access-token'), io);
    const accessToken = demoAzure ? null : givenToken;
    const credential = demoAzure ? undefined : createCredential({
      auth, tenantId, target, accessToken, env: io.env,
      onDeviceCode: (info) => io.stderr(`${info.message}\n`),
    });

    const controller = new AbortController();
    const onInterrupt = (): void => controller.abort();
    if (out === undefined && logsRequest !== null) {
      return pullLogsOnly(io, logsRequest, { cloud, demoAzure, ...(credential ? { credential } : {}) });
    }
    if (out === undefined) return 2;
    // The handler stays through the write: Ctrl+C there (a large estate's snapshot takes a while)
    // must stop the write and remove `<out>.<pid>.tmp`, the estate's whole topology, not kill the
    // process with it left behind (README "Live pull": a pull that failed to save leaves nothing
    // half-written; Node's default SIGINT action exits at once, running no cleanup).
    process.once('SIGINT', onInterrupt);
    const renderer = createProgressRenderer(io);
    let outcome: PullOutcome;
    try {
      try {
        outcome = await pullEstate({
          cloud, tenantId, subscriptionIds, effectiveRoutes, metrics: parsed.options.metrics === true, demoAzure,
          armEndpoint, tokenScope, managementGroupId: stringOption(parsed, 'management-group') ?? null,
          ...(credential ? { credential } : {}),
        }, (p) => renderer.update(p), controller.signal);
      } finally {
        renderer.finish();
      }
      await writeSnapshot(isAbsolute(out) ? out : resolvePath(io.cwd, out), outcome.snapshot, { signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) {
        io.stderr('pull cancelled; nothing written\n');
        return 1;
      }
      throw error;
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
    io.stdout(summarize(outcome));
    io.stderr(wroteLine(`${out} (sha256 ${outcome.snapshot.sha256})`));
    if (logsRequest !== null) return pullLogsOnly(io, logsRequest, { cloud, demoAzure, ...(credential ? { credential } : {}) }, out);
    return 0;
  },
};

interface LogsRequest {
  readonly workspaceId: string;
  readonly since: string;
  readonly out: string;
  readonly endpoint: string | null;
}

/** `--logs <workspace-id>` and its options, validated before anything is pulled. */
function logsRequestOf(parsed: ReturnType<typeof parseArgs>, snapshotOut: string | undefined): LogsRequest | null {
  const workspaceId = stringOption(parsed, 'logs');
  const since = stringOption(parsed, 'since');
  const logsOut = stringOption(parsed, 'logs-out');
  const endpoint = stringOption(parsed, 'logs-endpoint') ?? null;
  if (workspaceId === undefined) {
    for (const [name, value] of [['since', since], ['logs-out', logsOut], ['logs-endpoint', endpoint ?? undefined]] as const) {
      if (value !== undefined) throw new UsageError(`--${name} needs --logs <workspace-id>`);
    }
    return null;
  }
  if (!GUID.test(workspaceId)) throw new UsageError(`--logs "${workspaceId}" is not a Log Analytics workspace ID (the workspace's GUID, "Workspace ID" on its overview page)`);
  // A date read strictly, as traffic's --since: never a zone-less time, "7" as 2001 or 30 February as 1 March.
  // A duration is checked as traffic checks it (at least 1, not past the earliest date there is).
  const sinceDate = since === undefined || sinceDurationMs(since) !== null ? null : readInstantOption(since, { option: '--since', example: '2024-05-01T10:00:00Z', durations: '7d, 12h or 30m back from now' });
  if (sinceDate?.ok === false) throw new UsageError(sinceDate.message);
  refuseStdout(logsOut, 'pull prints its summary on stdout, so the log rows go to a file', '<logs.json>', '--logs-out');
  const out = logsOut ?? (snapshotOut === undefined ? undefined : `${snapshotOut.replace(/\.json$/i, '')}.logs.json`);
  if (out === undefined) throw new UsageError('--logs without --out needs --logs-out <file> (where to write the log rows)');
  // The instant as read here, in UTC: the query reads it with Date.parse, which could read a form
  // the strict reader accepts (a space separator, an offset without its colon) otherwise.
  return { workspaceId, since: sinceDate?.ok === true ? new Date(sinceDate.at).toISOString() : since ?? '7d', out, endpoint };
}

/**
 * The workspace query (electron/azure/logs.ts), the file written for `traffic --logs`, and a
 * summary naming the file, each table's rows and every gap. Gaps do not change the exit code
 * (as in the estate pull); the file records them, so `traffic` reports them too.
 */
async function pullLogsOnly(
  io: CliIo, request: LogsRequest,
  auth: { readonly cloud: CloudName; readonly demoAzure: boolean; readonly credential?: LogsPullOptions['credential'] },
  snapshotOut?: string,
): Promise<number> {
  const { ArmEndpointError, parseLogsEndpoint, pullLogs } = await import('../../azure/logs');
  try {
    if (request.endpoint !== null) parseLogsEndpoint(request.endpoint);
  } catch (error) {
    if (error instanceof ArmEndpointError) throw new UsageError(error.message);
    throw error;
  }
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  let outcome;
  try {
    outcome = await pullLogs({
      workspaceId: request.workspaceId, since: request.since, cloud: auth.cloud, endpoint: request.endpoint, demoAzure: auth.demoAzure,
      ...(auth.credential ? { credential: auth.credential } : {}), signal: controller.signal,
      onQuery: (table, i, total) => io.stderr(`logs: querying ${table} (${i + 1}/${total})\n`),
    });
  } catch (error) {
    if (controller.signal.aborted) {
      io.stderr('logs pull cancelled; nothing written\n');
      return 1;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  const target = isAbsolute(request.out) ? request.out : resolvePath(io.cwd, request.out);
  await writeFile(target, `${JSON.stringify(outcome.file, null, 2)}\n`, 'utf8');
  const meta = outcome.file.egressAtlas;
  const shown = relative(io.cwd, target) || request.out;
  const lines = [
    `Read workspace ${meta.workspaceId} (${meta.timespan}) in ${meta.queries.length} server-side summaries: ${formatCount(outcome.rows)} row(s)`,
    ...meta.queries.map((q) => `  ${q.table}: ${q.status === 'failed' ? 'not read' : `${formatCount(q.rows)} row(s)${q.status === 'partial' ? ' (partial)' : ''}`}`),
    `  gaps: ${meta.gaps.length}${meta.gaps.length === 0 ? ' (every table was read)' : ''}`,
    ...meta.gaps.map((g) => `    ${g.code}  ${g.scope}: ${g.message}`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  io.stderr(wroteLine(`${shown} (read it with: egress-atlas traffic ${snapshotOut ?? '<snapshot>'} --logs ${shown})`));
  return 0;
}

export const ACCESS_TOKEN_ENV = 'EGRESS_ATLAS_ACCESS_TOKEN';

/**
 * A token on the command line is visible to every user through the process list (`ps`), so it
 * can also come from stdin (`--access-token -`) or the environment.
 */
async function accessTokenOf(option: string | undefined, io: CliIo): Promise<string | null> {
  if (option === '-') {
    if (io.readStdin === undefined) throw new UsageError('--access-token -: there is no stdin to read the token from');
    const token = (await io.readStdin()).trim();
    if (token === '') throw new UsageError('--access-token -: stdin was empty (expected an ARM access token)');
    if (/\s/.test(token)) throw new UsageError('--access-token -: stdin holds more than one word (expected one ARM access token)');
    return token;
  }
  if (option !== undefined) return option;
  const fromEnv = io.env[ACCESS_TOKEN_ENV]?.trim();
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : null;
}
