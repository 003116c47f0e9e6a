/**
 * `--out -` means standard output for every command's text output (JSON, SARIF, JUnit, tables,
 * Mermaid, SVG, draw.io, a snapshot's JSON), as `diagram --out -` always did, and never a file
 * named `-`. A binary output (the report's PDF, diagram's PNG) is refused with a usage error, as
 * is an output that needs a file (snapshot --sign's .sig, pull, whose stdout has its summary).
 */
import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCliIn } from '../../support/cli-run';
import { ROOT } from '../../shared/traffic/support';

let dir = '';
const LOGS = resolve(ROOT, 'test/fixtures/logs');
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
    ['prices', '(default, or - : stdout)'], ['diagram', '- for stdout, not for png'], ['snapshot', '- for stdout, not with --sign'],
    ['report', 'not - : a PDF is binary'], ['pull', 'not - : stdout has the summary'],
  ] as const)('%s --help', async (command, says) => {
    const run = await runCliIn(dir, [command, '--help']);
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((l) => /^ {2}--out <file>/.test(l));
    expect(line).toContain(says);
  });
});
