/**
 * Hostile and broken input is bad input (exit 2, one line naming the file), never a crash: a
 * 20,000-level nested JSON file would otherwise overflow the stack of the ARM readers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { runCli } from '../../../electron/cli/main';
import { snapshotFromTexts } from '../../../electron/snapshot/load';
import { InputError } from '../../../shared/model/errors';

let dir = '';
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'egress-atlas-hostile-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function cli(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = { stdout: () => undefined, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: {} };
  return { code: await runCli(args, io), stderr };
}

describe('deeply nested JSON', () => {
  const deep = `{"value":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;

  it('exits 2 with one line naming the file and the depth', async () => {
    await writeFile(join(dir, 'deep.json'), deep, 'utf8');
    const run = await cli(['resolve', 'deep.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: deep.json: $: expected JSON nested at most a few thousand levels deep (Azure resources nest about 15 levels), found 20001 levels\n');
  });

  it('is an input error in the app\'s import path too (the same loader)', () => {
    expect(() => snapshotFromTexts([{ name: 'deep.json', text: deep }], { toolVersion: 'test' })).toThrow(InputError);
  });
});

describe('names printed to a terminal', () => {
  it('carry no control characters: an escape sequence in a resource name is shown escaped', async () => {
    const { ModelBuilder } = await import('../../support/model-builder');
    const { resolveEgress } = await import('../../../shared/egress');
    const { formatExplain, formatTable } = await import('../../../electron/cli/format-table');
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet\u001b]0;pwned\u0007', ['10.0.0.0/16']);
    b.subnet(vnet, 'evil\u001b[2J\u001b[31mname', '10.0.1.0/24');
    const model = b.build();
    const result = resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [] });
    const text = formatTable(result, model, { color: false }) + formatExplain(result, { color: false });
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('evil\\x1b[2J\\x1b[31mname');
  });
});

describe('tables of the other commands', () => {
  it('check and cost escape control characters in names too', async () => {
    const sub = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network';
    const vnet = {
      id: `${sub}/virtualNetworks/vnet-hostile`, name: 'vnet-hostile', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ id: `${sub}/virtualNetworks/vnet-hostile/subnets/evil`, name: 'evil\u001b[2J\u001b[31mname', properties: { addressPrefix: '10.0.1.0/24' } }],
      },
    };
    await writeFile(join(dir, 'hostile.json'), JSON.stringify([vnet]), 'utf8');
    await writeFile(join(dir, 'p.yaml'), 'version: 1\ncontrols:\n  - { id: no-default-outbound, effect: deny, forbidExits: [default-outbound] }\n', 'utf8');
    for (const args of [['check', 'hostile.json', '--policy', 'p.yaml'], ['cost', 'hostile.json']]) {
      let stdout = '';
      const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: () => undefined, isTTY: false, cwd: dir, env: {} };
      const code = await runCli(args, io);
      expect(code, args.join(' ')).toBeLessThan(2);
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      expect(stdout, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(stdout, args.join(' ')).toContain('evil\\x1b[2J\\x1b[31mname');
    }
  });
});

describe('error messages quoting input', () => {
  it('show control characters from the file escaped, for every command that quotes a file (one shared error path)', async () => {
    // A file beginning with ESC[2J (clear screen): each message quotes its first bytes.
    await writeFile(join(dir, 'esc.json'), '\u001b[2J{}', 'utf8');
    await writeFile(join(dir, 'esc.txt'), '\u001b[2Jvnet\n', 'utf8');
    for (const args of [
      ['cost', '--demo', 'bank', '--prices', 'esc.json'],
      ['resolve', '--demo', 'bank', '--service-tags', 'esc.json'],
      ['check', '--demo', 'bank', '--policy', 'esc.json'],
      ['resolve', '--demo', 'bank', '--destinations', 'esc.txt'],
    ]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain('\\x1b[2J');
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      expect(run.stderr, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('an unknown command with an escape sequence in it is shown escaped', async () => {
    const run = await cli(['\u001b[2Jresolve']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('error: unknown command "\\x1b[2Jresolve"');
  });
});

describe('a failed write to --out', () => {
  it('is one line naming the path given, never the temporary file a safe write goes through', async () => {
    for (const command of [['resolve', '--demo', 'bank'], ['resolve', '--demo', 'bank', '--format', 'json'], ['snapshot', '--demo', 'bank']]) {
      const run = await cli([...command, '--out', dir]);
      expect(run.code, command.join(' ')).toBe(1);
      expect(run.stderr, command.join(' ')).toBe(`error: ${dir}: is a directory\n`);
    }
    const missing = await cli(['snapshot', '--demo', 'bank', '--out', join('no-such-folder', 'snap.json')]);
    expect(missing.stderr).toBe(`error: ${join('no-such-folder', 'snap.json')}: the folder no-such-folder does not exist\n`);
  });
});
