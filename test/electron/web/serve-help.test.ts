/**
 * `npm run web -- --help` (or -h): the usage with every option explained on stdout, exit 0, and
 * nothing built or started; it used to say "Unknown option: --help" and exit 2.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, SERVE_HELP, SERVE_USAGE, serveHelpRequested } from '../../../electron/web/serve';
import { DEMO_ESTATES } from '../../../shared/demo/index';
import { ROOT } from '../../shared/traffic/support';

describe('npm run web -- --help', () => {
  it('explains every option the usage line names, and the files or directories to open', () => {
    expect(SERVE_HELP.startsWith(`${SERVE_USAGE}\n`)).toBe(true);
    for (const option of ['FILE|DIR...', '--demo <name>|none', '--port <n>', '--data-dir <dir>', '--quiet', '--help, -h']) {
      expect(SERVE_HELP).toMatch(new RegExp(`^ {2}${option.replace(/[|.<>]/g, '\\$&')} +\\S`, 'm'));
    }
    for (const demo of DEMO_ESTATES) expect(SERVE_HELP).toContain(demo.name);
    expect(SERVE_HELP).toContain('none opens the start screen');
    expect(SERVE_HELP).toContain('a fixed port, 0 to 65535 (default: a free one)');
    expect(SERVE_HELP).toContain('where the recent list and copies of opened files are kept');
    expect(SERVE_HELP).toContain('print the bare URL only');
    // --quiet skips newLinkOnEnter (serveBrowserMode): no "press Enter" line, and Enter gives no link.
    expect(SERVE_HELP).toContain('--quiet              print the bare URL only: no "press Enter for a new link" line, and\n                       Enter gives no new link');
    expect(SERVE_HELP).toContain('press Enter there for a new one\n(not with --quiet)');
    expect(SERVE_HELP).toContain('each link opens once, within 10 minutes');
  });

  it('--help and -h are help requests wherever an option stands; an option\'s value and other arguments are not', () => {
    expect(serveHelpRequested(['--help'])).toBe(true);
    expect(serveHelpRequested(['snap.json', '--port', '0', '-h'])).toBe(true);
    expect(serveHelpRequested(['--demo', 'health'])).toBe(false);
    // An option's value is not a flag: `--data-dir -h` names a directory "-h", as the parser reads it.
    expect(serveHelpRequested(['--data-dir', '-h'])).toBe(false);
    expect(serveHelpRequested(['--demo', '--help'])).toBe(false);
    expect(serveHelpRequested(['--data-dir', '-h', '--help'])).toBe(true);
    expect(serveHelpRequested(['--data-dir=-h', '-h'])).toBe(true);
    expect(parseServeArgs(['--data-dir', '-h'])).toEqual({ demo: 'bank', port: 0, dataDir: '-h', quiet: false });
    // A caller that parses without asking first (npm start's fallback) still gets the whole help.
    expect(parseServeArgs(['--help'])).toBe(SERVE_HELP);
    expect(parseServeArgs(['-h'])).toBe(SERVE_HELP);
  });

  it.each([['--help'], ['-h']])('the script with %s prints the help on stdout and exits 0, starting nothing', (flag) => {
    const run = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['electron/web/serve.ts', flag], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(SERVE_HELP);
  });

  it('an unknown option is still bad usage (exit 2, the usage line on stderr)', () => {
    const run = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['electron/web/serve.ts', '--bogus'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`Unknown option: --bogus\n${SERVE_USAGE}\n`);
    expect(run.stdout).toBe('');
  });

  it('npm start without an Electron binary (its browser-mode fallback) prints the same help on stdout and exits 0', () => {
    const run = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['electron/launch.ts', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(SERVE_HELP);
  });
});
