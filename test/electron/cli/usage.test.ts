/** The CLI's rough edges (issue 10): help everywhere, did-you-mean, why --fail-on exits 1. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import type { CliIo } from '../../../electron/cli/command';
import { COMMANDS } from '../../../electron/cli/commands/index';
import { RETAIL_PRICES_URL_ENV } from '../../../electron/cli/commands/prices';
import { runCli } from '../../../electron/cli/main';
import { startFakeRetailPrices, type FakeRetailPrices } from '../../../electron/azure/fake-arm/retail-prices';

function cli(args: readonly string[]): Promise<CliRun> {
  return runCliIn(process.cwd(), args);
}

describe('CLI usage', () => {
  it.each(COMMANDS.map((c) => c.name))('%s -h and --help print the command\'s usage and exit 0', async (name) => {
    for (const flag of ['-h', '--help']) {
      const run = await cli([name, flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: egress-atlas ${name}`));
    }
  });

  it('a mistyped command suggests the nearest one; help of an unknown command is an error', async () => {
    const typo = await cli(['resolv', '--demo', 'bank']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.split('\n')[0]).toBe('error: unknown command "resolv" (did you mean "resolve"?)');
    const help = await cli(['help', 'nosuch']);
    expect(help.code).toBe(2);
    expect(help.stderr).toBe('error: unknown command "nosuch"\n');
    expect((await cli(['help', 'resolve', 'extra'])).code).toBe(2);
  });

  it('--fail-on says on stderr why it exits 1', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--fail-on', 'warning']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^--fail-on warning: 3 findings at or above warning \(.*default-outbound.*\): exit 1\n$/);
  });

  it('the README names every option that a command\'s --help shows', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const missing = COMMANDS.flatMap((c) => [...new Set(c.usage.match(/--[a-z][a-z0-9-]+/g) ?? [])]
      .filter((option) => !new RegExp(`${option}(?![a-z0-9-])`).test(readme))
      .map((option) => `${c.name} ${option}`));
    expect(missing).toEqual([]);
  });

  it('a mistyped option suggests the nearest one, as a mistyped command does', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--fromat', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('error: unknown option --fromat (did you mean "--format"?)');
  });

  it('a single-dash option is an error naming it, not an input path', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '-o', 'out.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('error: unknown option -o (did you mean "--out"?)');
  });

  it('--version with an extra argument is a usage error, as help with one is', async () => {
    const run = await cli(['--version', 'extra']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('error: unexpected argument "extra" after --version\n');
  });

  it('demos with an extra argument says so on stderr and prints nothing on stdout', async () => {
    const run = await cli(['demos', 'extra']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: unexpected argument "extra"\n/);
  });

  it('every command\'s --help states its exit codes', () => {
    expect(COMMANDS.filter((c) => !/^Exit codes: 0 /m.test(c.usage)).map((c) => c.name)).toEqual([]);
  });

  it('help about help (help help, help -h, help --help) is the general help', async () => {
    const general = await cli(['--help']);
    for (const args of [['help', 'help'], ['help', '-h'], ['help', '--help']]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(general.stdout);
    }
    expect((await cli(['help', 'help', 'extra'])).code).toBe(2);
  });
});

describe('did you mean: an abbreviation over a spelling of another option', () => {
  // nearest() took ANY candidate within two edits before prefixes, so short inputs got an
  // unrelated suggestion although a unique prefix named what was meant.
  it.each([
    [['check', '--demo', 'bank', '--pol', 'egress.yaml'], 'error: unknown option --pol (did you mean "--policy"?)'],
    // --destination and --destinations: no guess (never --demo).
    [['resolve', '--demo', 'bank', '--dest', '20.50.1.1'], 'error: unknown option --dest'],
    [['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-', '--dest', '20.50.1.1'], 'error: unknown option --dest (did you mean "--destination"?)'],
    // reach has no --destination: no guess rather than --demo.
    [['reach', '--demo', 'bank', '--dest', '20.50.1.1'], 'error: unknown option --dest'],
    [['report', '--demo', 'bank', '--out', 'x.pdf', '--sub', 'snet-a'], 'error: unknown option --sub (did you mean "--subnet"?)'],
    [['dia', '--demo', 'bank'], 'error: unknown command "dia" (did you mean "diagram"?)'],
    [['ch', '--demo', 'bank'], 'error: unknown command "ch" (did you mean "check"?)'],
    [['xy', '--demo', 'bank'], 'error: unknown command "xy"'],
  ])('%j', async (args, first) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(first);
  });
});

describe('exit 1 for an operational failure, in every --help', () => {
  let dir = '';
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'egress-atlas-usage-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  /** Whether the command's --help gives `code` a meaning that covers a file that could not be written. */
  function helpCoversWriteFailure(help: string, code: number): boolean {
    const exits = help.slice(help.indexOf('Exit codes:')).replace(/\s+/g, ' ');
    return new RegExp(`\\b${code} [^,;]*(operational failure|could not be written|cannot be written|write failed)`).test(exits);
  }

  // Issue 10: "operational failures (cannot write --out) say so in one line and the help lists
  // exit 1". check said 1 is "a deny control failed", resolve "findings at or above --fail-on",
  // diagram, report and prices listed only 0 and 2.
  it.each(COMMANDS.map((c) => c.name))('%s --help lists exit 1 as covering an operational failure', (name) => {
    const usage = COMMANDS.find((c) => c.name === name)?.usage ?? '';
    expect(usage.slice(usage.indexOf('Exit codes:')).replace(/\s+/g, ' ')).toMatch(/\b1 [^,;]*operational failure/);
  });

  it('check says exactly what its exit 1 covers', () => {
    const usage = COMMANDS.find((c) => c.name === 'check')?.usage ?? '';
    expect(usage.replace(/\s+/g, ' ')).toContain('1 a deny control failed or an operational failure such as an unwritable --out (stderr says which)');
  });

  it.each([
    ['check', ['check', '--demo', 'bank', '--policy', join(process.cwd(), 'shared/policy/starters/bank.yaml'), '--format', 'sarif', '--out', 'no-such-folder/x.sarif']],
    ['resolve', ['resolve', '--demo', 'bank', '--out', 'no-such-folder/x.txt']],
    ['diagram', ['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', 'no-such-folder/x.mmd']],
    ['report', ['report', '--demo', 'bank', '--timestamp', '2026-01-01T00:00:00Z', '--out', 'no-such-folder/x.pdf']],
  ])('%s: a write into a missing folder exits as its --help documents', async (name, args) => {
    const run = await runCliIn(dir, args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no-such-folder does not exist/);
    const help = await runCliIn(dir, [name, '--help']);
    expect(helpCoversWriteFailure(help.stdout, run.code)).toBe(true);
  }, 60_000);

  it('prices --refresh --out into a missing folder exits as prices --help documents', async () => {
    const fake: FakeRetailPrices = await startFakeRetailPrices({ pageSize: 100 });
    try {
      let stderr = '';
      const io: CliIo = { stdout: () => undefined, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: { [RETAIL_PRICES_URL_ENV]: fake.url } };
      const code = await runCli(['prices', '--refresh', '--out', 'no-such-folder/p.json'], io);
      expect(code).toBe(1);
      expect(stderr).toMatch(/no-such-folder does not exist/);
      expect(helpCoversWriteFailure((await runCliIn(dir, ['prices', '--help'])).stdout, code)).toBe(true);
    } finally {
      await fake.close();
    }
  }, 60_000);
});

describe('pull --subscription with nothing in the list', () => {
  // `--subscription "$A,$B"` with both unset is ",": it passed refuseEmpty, split to no ID, and the
  // pull then read EVERY readable subscription (a wider scope than asked, written as evidence).
  it('"," is refused, not a pull of every subscription', async () => {
    const run = await runCliIn(tmpdir(), ['pull', '--demo-azure', '--subscription', ',', '--out', 'subs.json']);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr.split('\n')[0]).toBe('error: --subscription "," has an empty item (an unset shell variable?): give the values separated by commas');
  });
});
