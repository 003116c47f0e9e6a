/**
 * Hostile and broken input is bad input (exit 2, one line naming the file), never a crash: a
 * 20,000-level nested JSON file would otherwise overflow the stack of the ARM readers. Names from
 * input reach a terminal escaped, and verify commands only when they quote safely for both shells.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CliIo } from '../../../electron/cli/command';
import { RETAIL_PRICES_URL_ENV } from '../../../electron/cli/commands/prices';
import { errorLine, safe, safeTable } from '../../../electron/cli/format-table';
import { fileErrorLine, runCli } from '../../../electron/cli/main';
import { ownTemporarySuffix } from '../../../electron/cli/signing';
import { VERIFY } from '../../../shared/egress/docs';
import { snapshotFromTexts } from '../../../electron/snapshot/load';
import { InputError } from '../../../shared/model/errors';
import { runCliIn } from '../../support/cli-run';

const LOGS = join(__dirname, '../../fixtures/logs');
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A policy whose exception quotes ESC (YAML "\\e") and a line break: the issue quotes the value. */
/** A VNet (REST shape) with one subnet: its ID ends in `segment`, its record names it `name`. */
function vnetWithSubnet(vnetName: string, segment: string, name: string): unknown {
  const net = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network';
  return {
    id: `${net}/virtualNetworks/${vnetName}`, name: vnetName, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [{ id: `${net}/virtualNetworks/${vnetName}/subnets/${segment}`, name, properties: { addressPrefix: '10.0.1.0/24' } }],
    },
  };
}

const BAD_POLICY = [
  'version: 1',
  'controls:',
  '  - id: no-default-outbound',
  '    title: t',
  '    effect: deny',
  '    scope: { subnets: ["*"] }',
  '    forbidExits: [default-outbound]',
  '    exceptions:',
  '      - { source: snet-a, reason: r, expires: "\\e[2J2027-13-01\\nerror: forged" }',
  '',
].join('\n');

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

  const nested = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

  it('in a --service-tags file: exit 2 naming the file (the value shown in the message is cut, not written whole)', async () => {
    await writeFile(join(dir, 'deep-tags.json'), `{"values":${nested}}`, 'utf8');
    const run = await cli(['resolve', '--demo', 'bank', '--service-tags', 'deep-tags.json']);
    expect(run.stderr).not.toContain('Maximum call stack');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: deep-tags\.json: \$\.values\[0\]: .*found \[{50}/);
  });

  it('in a traffic --logs file: exit 2 naming the file', async () => {
    await writeFile(join(dir, 'deep-log.json'), `{"records":${nested}}`, 'utf8');
    const run = await cli(['traffic', '--demo', 'bank', '--logs', 'deep-log.json']);
    expect(run.stderr).not.toContain('Maximum call stack');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: deep-log\.json: \$\.records\[0\]: /);
  });

  it('in a check --policy file, YAML or JSON: exit 2 naming the file and the line, before the YAML parser recurses', async () => {
    await writeFile(join(dir, 'deep.yaml'), `version: 1\ncontrols: ${nested}\n`, 'utf8');
    await writeFile(join(dir, 'deep-policy.json'), `{"version":1,"controls":${nested}}`, 'utf8');
    const yaml = await cli(['check', '--demo', 'bank', '--policy', 'deep.yaml']);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/^error: deep\.yaml:2: \(file\): nested deeper than 100 levels/);
    const json = await cli(['check', '--demo', 'bank', '--policy', 'deep-policy.json']);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/^error: deep-policy\.json:1: \(file\): nested deeper than 100 levels/);
  });
});

/**
 * The words of a command line that PowerShell reads as code: outside a single-quoted string. Any
 * of ' ‘ ’ ‚ ‛ (U+0027, U+2018-U+201B) opens such a string; inside, two in a row are one literal
 * quote and one alone closes it. Source: about_Quoting_Rules, "Smart quotes"
 * (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules)
 * and CharExtensions.IsSingleQuote in the PowerShell tokenizer (src/System.Management.Automation/engine/parser/CharTraits.cs).
 */
function powershellUnquoted(command: string): string {
  const isQuote = (c: string | undefined): boolean => c !== undefined && /['\u2018-\u201b]/.test(c);
  let outside = '';
  let inString = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (!inString) {
      if (isQuote(c)) inString = true;
      else outside += c;
    } else if (isQuote(c)) {
      if (isQuote(command[i + 1])) i++;
      else inString = false;
    }
  }
  return outside;
}

/** The same for bash: only U+0027 opens and closes a single-quoted string, with no escape inside. */
function bashUnquoted(command: string): string {
  let outside = '';
  let inString = false;
  for (const c of command) {
    if (c === '\'') inString = !inString;
    else if (!inString) outside += c;
  }
  return outside;
}

describe('verify commands of hostile names (pasted into bash and PowerShell, shown in the app and the PDF)', () => {
  const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network';

  it('a typographic single quote (U+2018-U+201B) is refused as \' is: PowerShell ends a quoted string at it, bash does not', () => {
    for (const quote of ['\u2018', '\u2019', '\u201a', '\u201b']) {
      const hostile = `nsg-x${quote}; Start-Process calc; ${quote}`;
      for (const command of [VERIFY.nsgRules(`${SUB}/networkSecurityGroups/${hostile}`), VERIFY.subnet(`${SUB}/virtualNetworks/v/subnets/${hostile}`)]) {
        expect(command).toMatch(/^# not shown: /);
        expect(bashUnquoted(command)).not.toContain('Start-Process');
        expect(powershellUnquoted(command)).not.toContain('Start-Process');
      }
    }
  });

  it('resolve --format json: no hop verify of a subnet named with ’ runs code in PowerShell', async () => {
    const name = 'snet\u2019;Start-Process calc;\u2019';
    const vnet = vnetWithSubnet('vnet-q', name, name);
    await writeFile(join(dir, 'smart-quote.json'), JSON.stringify([vnet]), 'utf8');
    const run = await runCliIn(dir, ['resolve', 'smart-quote.json', '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { readonly paths: readonly { readonly hops: readonly { readonly verify: string }[] }[] };
    const commands = json.paths.flatMap((p) => p.hops.map((h) => h.verify)).filter((v) => v !== '');
    expect(commands.length).toBeGreaterThan(0);
    // IDs are lower-cased on import, and PowerShell command names are case-insensitive.
    for (const command of commands) expect(powershellUnquoted(command).toLowerCase(), command).not.toContain('start-process');
  });

  it('a C1 control (U+0085 NEL, U+009B CSI) or a bidirectional control (U+202A-U+202E, U+2066-U+2069) is refused as a C0 one is', () => {
    // C1 controls are control characters (general category Cc); bidi controls make the app and the
    // PDF show the command in another order than the text pasted.
    for (const control of ['\u001b', '\u0080', '\u0085', '\u009b', '\u009f', '\u202a', '\u202e', '\u2066', '\u2069']) {
      const command = VERIFY.nsgRules(`${SUB}/networkSecurityGroups/nsg${control}2Jx`);
      expect(command, JSON.stringify(control)).toMatch(/^# not shown: /);
    }
    // Neighbours of the refused ranges are quoted as usual.
    for (const ordinary of ['\u00a0', '\u00e9', '\u201c', '\u2030', '\u206a']) {
      expect(VERIFY.nsgRules(`${SUB}/networkSecurityGroups/nsg${ordinary}x`), JSON.stringify(ordinary)).toContain(`'nsg${ordinary}x'`);
    }
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
    const vnet = vnetWithSubnet('vnet-hostile', 'evil', 'evil\u001b[2J\u001b[31mname');
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

  it('check and cost tables escape a line break or a bidirectional control in a name: no forged row', async () => {
    const sub = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network';
    const vnet = {
      id: `${sub}/virtualNetworks/vnet-forge`, name: 'vnet-forge', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ id: `${sub}/virtualNetworks/vnet-forge/subnets/evil`, name: 'evil\nPASS  deny     forged: all clear\u202e', properties: { addressPrefix: '10.0.1.0/24' } }],
      },
    };
    await writeFile(join(dir, 'forge.json'), JSON.stringify([vnet]), 'utf8');
    await writeFile(join(dir, 'p.yaml'), 'version: 1\ncontrols:\n  - { id: no-default-outbound, effect: deny, forbidExits: [default-outbound] }\n', 'utf8');
    for (const args of [['check', 'forge.json', '--policy', 'p.yaml'], ['cost', 'forge.json']]) {
      let stdout = '';
      const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: () => undefined, isTTY: false, cwd: dir, env: {} };
      expect(await runCli(args, io), args.join(' ')).toBeLessThan(2);
      expect(stdout, args.join(' ')).toContain('evil\\x0aPASS  deny     forged: all clear\\u202e');
      expect(stdout.split('\n').some((l) => l.startsWith('PASS  deny     forged')), args.join(' ')).toBe(false);
      expect(stdout, args.join(' ')).not.toContain('\u202e');
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

  // check escaped a policy's issues, but report --policy and traffic --policy printed them raw: the
  // policy file could clear or recolour the terminal. One path now (main.ts reportError).
  it.each([
    [['report', '--demo', 'bank', '--policy', 'esc-policy.yaml', '--out', 'r.pdf']],
    [['traffic', '--demo', 'bank', '--policy', 'esc-policy.yaml', '--logs', LOGS]],
    [['check', '--demo', 'bank', '--policy', 'esc-policy.yaml']],
  ])('%j shows the policy\'s control characters escaped, each issue one line', async (args) => {
    await writeFile(join(dir, 'esc-policy.yaml'), BAD_POLICY, 'utf8');
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('\\x1b[2J');
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    // The quoted "\n" in the value is shown escaped: no line of the policy's own making.
    expect(run.stderr.split('\n').filter((l) => l !== '').every((l) => l.startsWith('error: esc-policy.yaml:'))).toBe(true);
  });

  // resolve and reach wrote a --source that matches nothing with io.stderr directly, raw.
  it.each(['resolve', 'reach'])('%s: a --source that matches nothing is quoted escaped, on one line', async (command) => {
    const run = await cli([command, '--demo', 'bank', '--source', '\u001b[2Jx\nerror: forged\u202e']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --source "\\x1b[2Jx\\x0aerror: forged\\u202e" matches no subnet or NIC\n');
  });

  it('a usage error quoting an argument cannot forge a second error line', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--format', 'json\nerror: all clear']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('error: --format must be one of table, json (got "json\\x0aerror: all clear")');
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
  });

  // prices --refresh quoted the API's (or a proxy's) answer body in its error line, unescaped.
  it('prices --refresh quotes a non-200 body escaped', async () => {
    const server: Server = createServer((_, res) => { res.writeHead(503, { 'content-type': 'text/plain' }); res.end('\u001b[2Jproxy says no\nerror: forged'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/retail/prices`;
      let stderr = '';
      const io: CliIo = { stdout: () => undefined, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: { [RETAIL_PRICES_URL_ENV]: url } };
      expect(await runCli(['prices', '--refresh'], io)).toBe(2);
      expect(stderr).toContain('proxy says no');
      expect(stderr).not.toMatch(RAW_CONTROL);
      expect(stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('the terminal-escape helpers', () => {
  it('safe shows every control character escaped, line breaks and bidirectional controls included', () => {
    expect(safe('a\u001b[31mb\nc\td\re')).toBe('a\\x1b[31mb\\x0ac\\x09d\\x0de');
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(safe(`x${c}y`)).toBe(`x\\u${c.charCodeAt(0).toString(16)}y`);
    }
    // Other text is untouched, escaping twice changes nothing.
    expect(safe('snet-ä → 20.0.0.0/8 …')).toBe('snet-ä → 20.0.0.0/8 …');
    expect(safe(safe('\u001b\u202e'))).toBe(safe('\u001b\u202e'));
  });

  it('safeTable keeps the layout\'s line breaks and tabs, and escapes the bidirectional controls too', () => {
    expect(safeTable('a\tb\nc\u202ed\u001b')).toBe('a\tb\nc\\u202ed\\x1b');
    expect(errorLine('x\ny')).toBe('error: x\\x0ay\n');
  });
});

describe('a failed write to --out', () => {
  it('takes only the CLI\'s own temporary suffix off the path, never a `.digits.tmp` the user named', () => {
    const failed = (path: string): NodeJS.ErrnoException => Object.assign(new Error('EISDIR'), { code: 'EISDIR', path });
    expect(fileErrorLine(failed(join(dir, `evidence.pdf${ownTemporarySuffix()}`)), dir)).toBe('evidence.pdf: is a directory');
    expect(fileErrorLine(failed(join(dir, 'evidence.2026.tmp')), dir)).toBe('evidence.2026.tmp: is a directory');
    expect(fileErrorLine(failed(join(dir, `evidence${ownTemporarySuffix()}.tmp`)), dir)).toBe(`evidence${ownTemporarySuffix()}.tmp: is a directory`);
  });

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

describe('"wrote <file>" lines', () => {
  // A file name may hold any byte but "/" and NUL: a name with ESC or a line break, given to --out,
  // was echoed raw on stderr (it could clear the terminal or forge an "error:" line).
  const name = 'out\u001b[2J\nerror: forged\u202e';
  it.each([
    [['resolve', '--demo', 'bank']],
    [['resolve', '--demo', 'bank', '--format', 'json']],
    [['reach', '--demo', 'bank']],
    [['snapshot', '--demo', 'bank']],
    [['check', '--demo', 'bank', '--policy', join(__dirname, '../../../shared/policy/starters/bank.yaml'), '--format', 'sarif']],
    [['cost', '--demo', 'bank']],
    [['diagram', '--demo', 'bank', '--format', 'svg']],
  ])('%j --out <hostile name> says so on one escaped line (no forged line)', async (args) => {
    const run = await cli([...args, '--out', name]);
    expect(run.stderr, run.stderr).toMatch(/^wrote out\\x1b\[2J\\x0aerror: forged\\u202e/);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('wrote '))).toHaveLength(1);
    expect(run.stderr.split('\n').some((l) => l.startsWith('error:'))).toBe(false);
  });
});
