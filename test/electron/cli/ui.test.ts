/** `egress-atlas ui FILE`: help, bad input (exit 2), and a real run that loads a file and prints the URL. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticEstate } from '../../../shared/demo/index';
import type { CliIo } from '../../../electron/cli/command';
import { createUiCommand } from '../../../electron/cli/commands/ui';
import { runCli } from '../../../electron/cli/main';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-ui-cli-'));
  await writeFile(join(dir, 'estate.json'), JSON.stringify(generateSyntheticEstate({ subscriptions: 1, virtualNetworks: 2, subnets: 4, networkInterfaces: 8, seed: 3 })));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(): { io: CliIo; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: {} },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('egress-atlas ui', () => {
  it('--help and -h print the usage (FILE, --port) and exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const t = io();
      expect(await runCli(['ui', flag], t.io)).toBe(0);
      expect(t.out()).toMatch(/^Usage: egress-atlas ui \[FILE\|DIR\.\.\.\] \[--port <n>\]/);
    }
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out()).toMatch(/\bui\b.*browser/);
  });

  it('a missing path is a one-line error, exit 2, and nothing starts', async () => {
    const t = io();
    expect(await runCli(['ui', 'no-such-file.json'], t.io)).toBe(2);
    expect(t.err()).toBe('error: no-such-file.json: no such file or directory\n');
    expect(t.out()).toBe('');
  });

  it('a bad --port or a file that is not an estate is exit 2', async () => {
    const port = io();
    expect(await runCli(['ui', 'estate.json', '--port', 'abc'], port.io)).toBe(2);
    expect(port.err()).toMatch(/--port needs a number/);
    await writeFile(join(dir, 'notes.json'), '{ broken');
    const bad = io();
    expect(await runCli(['ui', 'notes.json'], bad.io, [createUiCommand({ staticDir: dir, waitForStop: async () => undefined })])).toBe(2);
    expect(bad.err()).toMatch(/^.*error: .*notes\.json/m);
  });

  it('loads the file (progress on stderr), prints a URL naming the estate, and the page can open it', async () => {
    let url = '';
    let answer: unknown = null;
    const command = createUiCommand({
      staticDir: dir,
      onUrl: (u) => { url = u; },
      waitForStop: async () => {
        const page = new URL(url);
        const fragment = new URLSearchParams(page.hash.slice(1));
        const session = await fetch(`${page.origin}/session`, { method: 'POST', headers: { 'X-Egress-Atlas-Launch-Code': fragment.get('code') ?? '' } });
        const { token } = await session.json() as { token: string };
        const res = await fetch(`${page.origin}/api/openLoaded`, {
          method: 'POST', body: JSON.stringify({ estateId: fragment.get('estate') }),
          headers: { 'Content-Type': 'application/json', 'X-Egress-Atlas-Token': token },
        });
        answer = await res.json();
      },
    });
    const t = io();
    expect(await runCli(['ui', 'estate.json', '--data-dir', join(dir, 'data')], t.io, [command])).toBe(0);
    expect(t.out()).toMatch(/^Egress Atlas is running\. Open http:\/\/127\.0\.0\.1:\d+\/\?launch#code=[^&]+&estate=estate-[\w-]+ {2}\(Ctrl\+C to stop\)\n$/);
    expect(t.err()).toMatch(/reading 0\.0 \/ 0\.0 MB \(estate\.json\)/);
    expect(t.err()).toMatch(/\d+ resources \(4 subnets, 8 NICs\); resolving…/);
    expect(t.err()).toMatch(/\d+ sources resolved\n$/);
    expect(answer).toMatchObject({ ok: true, value: { summary: { title: 'estate.json', networkInterfaceCount: 8 } } });
  });

  // A launch code expires unused after 10 minutes: Enter in the terminal gives a new link to the same
  // loaded estate, without loading the file again.
  it('Enter in the terminal prints a new link to the same estate, with a fresh code that trades', async () => {
    const keys = new PassThrough();
    let url = '';
    let traded = 0;
    const t = io();
    const command = createUiCommand({
      staticDir: dir, newLinks: keys,
      onUrl: (u) => { url = u; },
      waitForStop: async () => {
        keys.write('\n');
        await new Promise((r) => setImmediate(r));
        const fresh = /New link: (\S+)/.exec(t.out())?.[1] ?? '';
        expect(fresh.replace(/code=[^&]+/, 'code=X')).toBe(url.replace(/code=[^&]+/, 'code=X'));
        expect(fresh).not.toBe(url);
        const page = new URL(fresh);
        const code = new URLSearchParams(page.hash.slice(1)).get('code') ?? '';
        traded = (await fetch(`${page.origin}/session`, { method: 'POST', headers: { 'X-Egress-Atlas-Launch-Code': code } })).status;
      },
    });
    expect(await runCli(['ui', 'estate.json', '--data-dir', join(dir, 'data')], t.io, [command])).toBe(0);
    expect(t.out()).toContain('Each link opens once, within 10 minutes: press Enter here for a new one.\n');
    expect(traded).toBe(200);
    // Stopped with the server: the terminal is no longer read (nothing keeps the process alive).
    expect(keys.listenerCount('data')).toBe(0);
    expect(keys.isPaused()).toBe(true);
  });
});
