/**
 * What a new user following the README found untrue: did-you-mean for a swapped pair of letters
 * (`--hepl`, `--verison`), the interpretation line of an ambiguous `--destination` in the table,
 * and an empty `--access-token -` ignored under `--demo-azure`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../../electron/cli/args';
import type { CliIo } from '../../../electron/cli/command';
import { runCli } from '../../../electron/cli/main';
import { runCliIn, type CliRun } from '../../support/cli-run';

function cli(args: readonly string[]): Promise<CliRun> {
  return runCliIn(process.cwd(), args);
}

describe('did you mean: two adjacent letters swapped are one edit', () => {
  it('editDistance counts a transposition once (optimal string alignment)', () => {
    expect(editDistance('hepl', 'help')).toBe(1);
    expect(editDistance('verison', 'version')).toBe(1);
    expect(editDistance('fromat', 'format')).toBe(1);
    expect(editDistance('format', 'format')).toBe(0);
    expect(editDistance('', 'out')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('within the README rule: at most two edits and a third of the length, never a tie', () => {
    expect(nearest('hepl', ['help', 'format'])).toBe('help');
    // One edit is a third of three letters, but more than a third of two: no guess there.
    expect(nearest('otu', ['out', 'format'])).toBe('out');
    expect(nearest('ou', ['uo'])).toBeUndefined();
    expect(nearest('cast', ['cost', 'cest'])).toBeUndefined();
  });

  it.each([
    [['--verison'], 'error: unknown option --verison (did you mean "--version"?)'],
    [['--hepl'], 'error: unknown option --hepl (did you mean "--help"?)'],
    [['--verson'], 'error: unknown option --verson (did you mean "--version"?)'],
    [['--frobnicate'], 'error: unknown option --frobnicate'],
    [['resolve', '--demo', 'bank', '--hepl'], 'error: unknown option --hepl (did you mean "--help"?)'],
    [['check', '--demo', 'bank', '--hepl'], 'error: unknown option --hepl (did you mean "--help"?)'],
    [['resolve', '--demo', 'bank', '--fromat', 'json'], 'error: unknown option --fromat (did you mean "--format"?)'],
    [['resolve', '--demo', 'bank', '--explian'], 'error: unknown option --explian (did you mean "--explain"?)'],
  ])('%j', async (args, first) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(first);
  });
});

describe('resolve --destination: the table says how the destination was read', () => {
  it('an ambiguous Name.Suffix: the interpretation line under the summary says it is the host name', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--destination', 'GitHub.com']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const summary = lines.findIndex((l) => l.startsWith('7 paths to github.com:'));
    expect(summary).toBeGreaterThan(0);
    expect(lines[summary + 1]).toMatch(/^interpretation: host name github\.com, TCP 443: application rules match the name/);
    // The same words as the JSON's destinationInfo.interpretation.
    const json = await cli(['resolve', '--demo', 'bank', '--destination', 'GitHub.com', '--format', 'json']);
    const info = (JSON.parse(json.stdout) as { destinationInfo: { interpretation: string } }).destinationInfo;
    expect(lines[summary + 1]).toBe(`interpretation: ${info.interpretation}`);
  });

  it('a service tag\'s name with a suffix that is no region: the reading taken and how to ask for the other', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--destination', 'AzureCloud.com']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^interpretation: host name azurecloud\.com, .*for a service tag write tag:AzureCloud\.com/m);
  });

  it('without --destination the table has no interpretation line', async () => {
    const run = await cli(['resolve', '--demo', 'bank']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/^interpretation:/m);
  });
});

describe('pull --access-token - with --demo-azure', () => {
  let dir = '';
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'egress-atlas-token-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  function io(stdin: string): CliIo & { err: () => string } {
    let err = '';
    return {
      stdout: () => undefined, stderr: (t) => { err += t; }, isTTY: false, cwd: dir, env: {},
      readStdin: () => Promise.resolve(stdin), err: () => err,
    };
  }

  it('an empty stdin is a usage error (exit 2), as without --demo-azure, and nothing is written', async () => {
    const empty = io('\n');
    expect(await runCli(['pull', '--access-token', '-', '--demo-azure', '--out', 'x.json'], empty)).toBe(2);
    expect(empty.err()).toMatch(/^error: --access-token -: stdin was empty/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
    const plain = io('  \n');
    expect(await runCli(['pull', '--access-token', '-', '--out', 'x.json'], plain)).toBe(2);
    expect(plain.err()).toMatch(/^error: --access-token -: stdin was empty/);
  });

  it('an empty --access-token value is refused with --demo-azure too', async () => {
    const run = await cli(['pull', '--access-token', '', '--demo-azure', '--out', join(dir, 'y.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --access-token is empty/);
  });
});

describe('top level: a command written as an option gets the command suggested', () => {
  // README, CLI: "a mistyped option or command gets a suggestion … a spelling at most two edits and
  // a third of its length away": `--resolve` is the command resolve with two dashes in front.
  it.each([
    [['--resolve', '--demo', 'bank'], 'resolve'],
    [['-resolve', '--demo', 'bank'], 'resolve'],
    [['--check', 'snap.json'], 'check'],
    [['--diagram'], 'diagram'],
  ])('%j suggests the command %s', async (args, command) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(`error: unknown option ${args[0]} (did you mean "${command}"?)`);
  });

  it('a near top-level option still wins over a command, and nothing near gets no guess', async () => {
    expect((await cli(['--verison'])).stderr.split('\n')[0]).toBe('error: unknown option --verison (did you mean "--version"?)');
    expect((await cli(['--frobnicate'])).stderr.split('\n')[0]).toBe('error: unknown option --frobnicate');
  });
});

describe('prices: every line shows its source dates, as prices --help and the README say', () => {
  // prices --help: "each figure with its meter, region and its source's date, or "(no date)" where
  // the source gives none"; the internet egress tiers come from several sources, each with its date.
  it('the internet egress lines name their meter and their sources with dates', async () => {
    const run = await cli(['prices']);
    expect(run.code).toBe(0);
    const egress = run.stdout.split('\n').filter((l) => l.trimStart().startsWith('internet egress'));
    expect(egress.length).toBeGreaterThan(0);
    for (const line of egress) {
      expect(line).toContain('Bandwidth / Rtn Preference: MGN / Standard Data Transfer Out');
      expect(line).toMatch(/\((?:no date|\d{4}(?:-\d{2}-\d{2})?) [a-z0-9-]+(?:; (?:no date|\d{4}(?:-\d{2}-\d{2})?) [a-z0-9-]+)*\)$/);
    }
  });
});
