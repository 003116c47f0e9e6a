/**
 * `--out -` means standard output for every command's text output (JSON, SARIF, JUnit, tables,
 * Mermaid, SVG, draw.io, a snapshot's JSON), as `diagram --out -` always did, and never a file
 * named `-`. A binary output (the report's PDF, diagram's PNG) is refused with a usage error, as
 * is an output that needs a file (snapshot --sign's .sig, pull, whose stdout has its summary).
 */
import { spawn } from 'node:child_process';
import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { runCli } from '../../../electron/cli/main';
import { StdoutError } from '../../../electron/cli/out';
import { runCliIn } from '../../support/cli-run';
import { ROOT } from '../../shared/traffic/support';

let dir = '';
const LOGS = resolve(ROOT, 'test/fixtures/logs');
const BIN = resolve(ROOT, 'electron/cli/bin.mjs');
const POLICY = `version: 1
controls:
  - id: psp-egress-ips
    effect: deny
    scope: { subnets: [snet-payments-api, snet-card-auth] }
    egressIpsWithin: [20.61.14.0/24]
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-out-stdout-'));
});

beforeEach(async () => {
  await writeFile(join(dir, 'policy.yaml'), POLICY);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** No file called `-` was written. */
async function noDashFile(): Promise<void> {
  await expect(access(join(dir, '-'))).rejects.toThrow();
  expect(await readdir(dir)).not.toContain('-');
}

describe('--out - writes text outputs to stdout', () => {
  it.each([
    ['resolve table', ['resolve', '--demo', 'bank'], /^ {2}SOURCE +VERDICT/],
    ['resolve json', ['resolve', '--demo', 'bank', '--format', 'json'], /^\{\n {2}"schema"/],
    ['resolve --destinations', ['resolve', '--demo', 'bank', '--destinations', 'dests.txt'], /\S/],
    ['check table', ['check', '--demo', 'bank', '--policy', 'policy.yaml'], /psp-egress-ips/],
    ['check sarif', ['check', '--demo', 'bank', '--policy', 'policy.yaml', '--format', 'sarif'], /"version": "2\.1\.0"/],
    ['check junit', ['check', '--demo', 'bank', '--policy', 'policy.yaml', '--format', 'junit'], /^<\?xml/],
    ['check json', ['check', '--demo', 'bank', '--policy', 'policy.yaml', '--format', 'json'], /^\{/],
    ['reach', ['reach', '--demo', 'bank', '--format', 'json'], /^\{/],
    ['cost', ['cost', '--demo', 'bank', '--format', 'json'], /"egress-atlas\/cost@1"/],
    ['traffic', ['traffic', '--demo', 'bank', '--logs', LOGS, '--format', 'json'], /^\{/],
    ['diagram svg', ['diagram', '--demo', 'bank', '--format', 'svg'], /<svg/],
    ['diagram drawio', ['diagram', '--demo', 'bank', '--format', 'drawio'], /<mxfile/],
    ['snapshot', ['snapshot', '--demo', 'bank'], /"egress-atlas\/snapshot@1"/],
  ] as const)('%s', async (_name, args, expected) => {
    await writeFile(join(dir, 'dests.txt'), '20.50.1.1\n');
    const run = await runCliIn(dir, [...args, '--out', '-']);
    expect(run.code === 0 || (args[0] === 'check' && run.code === 1)).toBe(true);
    expect(run.stdout).toMatch(expected);
    expect(run.stderr).not.toMatch(/^wrote -/m);
    await noDashFile();
  });

  it('the same text as without --out', async () => {
    for (const args of [['resolve', '--demo', 'bank', '--format', 'json'], ['check', '--demo', 'bank', '--policy', 'policy.yaml', '--format', 'sarif'], ['cost', '--demo', 'bank']]) {
      const plain = await runCliIn(dir, args);
      const dash = await runCliIn(dir, [...args, '--out', '-']);
      expect(dash.stdout).toBe(plain.stdout);
      expect(dash.code).toBe(plain.code);
    }
  });

  it('snapshot --out -: the snapshot JSON on stdout, its counts and sha256 on stderr', async () => {
    const run = await runCliIn(dir, ['snapshot', '--demo', 'bank', '--out', '-']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { sha256: string };
    expect(run.stderr).toMatch(new RegExp(`^snapshot written to stdout: 4 VNets, .* sha256 ${json.sha256}\\n$`));
  });
});

describe('--out - is refused for binary outputs and for outputs that need a file', () => {
  it.each([
    ['report (PDF)', ['report', '--demo', 'bank'], 'error: --out - (stdout): the report is a PDF, a binary file: give --out <file>.pdf'],
    ['diagram png', ['diagram', '--demo', 'bank', '--format', 'png'], 'error: --out - (stdout): --format png writes a binary file: give --out <file>.png'],
    ['snapshot --sign', ['snapshot', '--demo', 'bank', '--sign', 'key.pem'], 'error: --out - (stdout): --sign writes <out>.sig beside the snapshot file: give --out <file.json>'],
    ['pull', ['pull', '--demo-azure'], 'error: --out - (stdout): pull prints its summary on stdout, so the snapshot goes to a file: give --out <snapshot.json>'],
  ] as const)('%s: exit 2 with a clear error, nothing written', async (_name, args, message) => {
    const run = await runCliIn(dir, [...args, '--out', '-']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(message);
    await noDashFile();
  });
});

describe('--help says what --out - does', () => {
  it.each([
    ['check', '(- for stdout)'], ['cost', '(- for stdout)'], ['reach', '(- for stdout)'], ['resolve', '(- for stdout)'], ['traffic', '(- for stdout)'],
    ['prices', '(- for stdout, the default)'], ['diagram', '- for stdout, not for png'], ['snapshot', '- for stdout, not with --sign'],
    ['report', 'not - : a PDF is binary'], ['pull', 'not - : stdout has the summary'],
  ] as const)('%s --help', async (command, says) => {
    const run = await runCliIn(dir, [command, '--help']);
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((l) => /^ {2}--out <file>/.test(l));
    expect(line).toContain(says);
  });
});

describe('pull --logs-out -', () => {
  // The log rows go to a file (pull's stdout has its summary): the refusal names the option the
  // user wrote - for, so following it changes the right one (it used to name --out, which was a file).
  it('is refused naming --logs-out, and says to give --logs-out <logs.json>', async () => {
    const run = await runCliIn(dir, ['pull', '--demo-azure', '--out', 'snap.json', '--logs', '11111111-1111-1111-1111-111111111111', '--logs-out', '-']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('error: --logs-out - (stdout): pull prints its summary on stdout, so the log rows go to a file: give --logs-out <logs.json>');
    await noDashFile();
  });
});

describe('prices without --refresh: the table is a text output on stdout', () => {
  // README: "--out - writes to stdout for every text output"; the table already goes to stdout,
  // so --out - names just that. A file is what --refresh writes: --out FILE still needs it.
  it.each([['json', /^\{\n {2}"id": "egress-atlas\/prices@/], ['table', /^egress-atlas\/prices@\S+ \(prices as of /]] as const)('prices --format %s --out -: the same table as without --out, exit 0', async (format, start) => {
    const plain = await runCliIn(dir, ['prices', '--format', format]);
    const dash = await runCliIn(dir, ['prices', '--format', format, '--out', '-']);
    expect(dash.code).toBe(0);
    expect(dash.stdout).toMatch(start);
    expect(dash.stdout).toBe(plain.stdout);
    await noDashFile();
  });

  it('prices --out FILE (and --region) without --refresh: exit 2, nothing written', async () => {
    const file = await runCliIn(dir, ['prices', '--out', 'table.json']);
    expect(file.code).toBe(2);
    expect(file.stderr.split('\n')[0]).toBe('error: --out table.json: a file goes with --refresh (without it the table goes to stdout: leave --out out, or give --out -)');
    expect(await readdir(dir)).not.toContain('table.json');
    const region = await runCliIn(dir, ['prices', '--region', 'westeurope']);
    expect(region.code).toBe(2);
    expect(region.stderr.split('\n')[0]).toBe('error: --region goes with --refresh');
  });
});

/** `egress-atlas <args>` in-process whose stdout fails as a closed pipe does (drainStdout rejects). */
async function runWithFailedStdout(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: {},
    drainStdout: () => Promise.reject(new StdoutError('EPIPE')),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('a stdout that fails is an operational failure (exit 1), never a success', () => {
  // `snapshot --out - | head -c 10`: the reader closed the pipe, so the snapshot never arrived.
  // The line with its sha256 would let a pipeline log a hash for bytes no one received; exit 0
  // would say the snapshot was delivered. Both follow a completed write only.
  it('snapshot --out - whose stdout is closed (a real pipe): no "written" line, exit 1, one error line', async () => {
    const child = spawn(process.execPath, [BIN, 'snapshot', '--demo', 'bank', '--out', '-'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).not.toMatch(/snapshot written/);
    expect(stderr).toBe('error: stdout was closed before all of the output was written (EPIPE): the output is incomplete\n');
    expect(code).toBe(1);
  }, 60_000);

  it('snapshot --out -: the line with the hash is printed only after stdout took the snapshot', async () => {
    const run = await runWithFailedStdout(['snapshot', '--demo', 'bank', '--out', '-']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: stdout was closed before all of the output was written (EPIPE): the output is incomplete\n');
  });

  // The other text outputs print no "written" line for stdout, but their exit code would still
  // claim success: the help texts' rule makes a failed output an operational failure (1).
  it.each([
    ['resolve', ['resolve', '--demo', 'bank', '--format', 'json', '--out', '-']],
    ['cost', ['cost', '--demo', 'bank']],
    ['prices', ['prices', '--format', 'json', '--out', '-']],
    ['diagram', ['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-']],
  ] as const)('%s to a failed stdout: exit 1 and one error line', async (_name, args) => {
    const run = await runWithFailedStdout(args);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual(['error: stdout was closed before all of the output was written (EPIPE): the output is incomplete']);
  });

  it('check keeps its findings code (1) and bad usage keeps 2: only a success is turned into a failure', async () => {
    await writeFile(join(dir, 'failing.yaml'), POLICY.replace('20.61.14.0/24', '192.0.2.0/24'));
    expect((await runCliIn(dir, ['check', '--demo', 'bank', '--policy', 'failing.yaml'])).code).toBe(1);
    const findings = await runWithFailedStdout(['check', '--demo', 'bank', '--policy', 'failing.yaml', '--out', '-']);
    expect(findings.code).toBe(1);
    const usage = await runWithFailedStdout(['resolve', '--demo', 'bank', '--format', 'xml']);
    expect(usage.code).toBe(2);
  });

  it('a stdout that delivered everything changes nothing', async () => {
    const io: CliIo = { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: dir, env: {}, drainStdout: () => Promise.resolve() };
    expect(await runCli(['resolve', '--demo', 'bank', '--out', '-'], io)).toBe(0);
  });
});
