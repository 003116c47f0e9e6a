/** The CLI's rough edges (issue 10): help everywhere, did-you-mean, why --fail-on exits 1. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import { COMMANDS } from '../../../electron/cli/commands/index';

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
