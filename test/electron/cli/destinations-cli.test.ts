/**
 * The CLI's destination features (issue 9): what-ifs to names and URLs, `--resolve`, the
 * `--destinations` matrix and the `reach` command, run in-process on the demo estates.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import type { MatrixResult } from '../../../shared/egress/matrix';
import type { ReachResult } from '../../../shared/egress/reach';
import type { ResolveJson } from '../../../shared/egress/explain';

let dir = '';

function cli(args: readonly string[]): Promise<CliRun> {
  return runCliIn(dir, args);
}

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'egress-atlas-dest-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function pathNamed(json: ResolveJson, name: string): ResolveJson['paths'][number] {
  const path = json.paths.find((p) => p.source.name === name);
  if (!path) throw new Error(`no path for ${name}`);
  return path;
}

describe('egress-atlas resolve with destinations', () => {
  it('a what-if to an FQDN goes through the firewall rule that names it; an unnamed one is denied', async () => {
    const stripe = JSON.parse((await cli(['resolve', '--demo', 'bank', '--format', 'json', '--destination', 'api.stripe.com'])).stdout) as ResolveJson;
    expect(stripe.destination).toBe('api.stripe.com');
    expect(stripe.destinationInfo?.label).toBe('api.stripe.com:443/tcp');
    expect(pathNamed(stripe, 'snet-payments-api')).toMatchObject({ verdict: 'internet', viaKinds: ['azure-firewall'] });
    expect(pathNamed(stripe, 'snet-payments-api').hops.some((h) => h.rule.includes('stripe'))).toBe(true);
    const exfil = JSON.parse((await cli(['resolve', '--demo', 'bank', '--format', 'json', '--destination', 'https://exfil.example.net/upload'])).stdout) as ResolveJson;
    expect(pathNamed(exfil, 'snet-payments-api').verdict).toBe('denied');
    // The subnet on default outbound access is the exfiltration path.
    expect(pathNamed(exfil, 'snet-payments-reporting').verdict).toBe('internet');
  });

  it('--resolve gives a host name\'s public address; a malformed one is a usage error', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--format', 'json', '--destination', 'api.stripe.com', '--resolve', 'api.stripe.com=54.187.174.169']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ResolveJson;
    expect(pathNamed(json, 'snet-payments-api').hops.find((h) => h.kind === 'dns')?.rule).toBe('api.stripe.com → 54.187.174.169 (given)');
    const bad = await cli(['resolve', '--demo', 'bank', '--resolve', 'api.stripe.com']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --resolve "api\.stripe\.com" is not name=ip/);
  });

  it('--destinations evaluates every source against a list, in order, as a table or matrix@1 JSON', async () => {
    await writeFile(join(dir, 'dests.csv'), 'destination,label\napi.stripe.com,PSP\nexfil.example.net,exfil test\n', 'utf8');
    const table = await cli(['resolve', '--demo', 'bank', '--destinations', 'dests.csv']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('[1] api.stripe.com (PSP)');
    expect(table.stdout).toMatch(/snet-payments-api +internet +denied/);
    const json = JSON.parse((await cli(['resolve', '--demo', 'bank', '--destinations', 'dests.csv', '--format', 'json'])).stdout) as MatrixResult;
    expect(json.schema).toBe('egress-atlas/matrix@1');
    expect(json.rows.find((r) => r.source.name === 'snet-payments-reporting')?.results.map((c) => c.verdict)).toEqual(['internet', 'internet']);
  });

  it('the --destinations table says under each destination how it was read, as the JSON does', async () => {
    await writeFile(join(dir, 'readings.txt'), 'GitHub.com\nStorage.WestEurope\n10.1.2.3:22\n', 'utf8');
    const table = (await cli(['resolve', '--demo', 'bank', '--destinations', 'readings.txt'])).stdout;
    const json = JSON.parse((await cli(['resolve', '--demo', 'bank', '--destinations', 'readings.txt', '--format', 'json'])).stdout) as MatrixResult;
    // A name with a dot is a host name unless the suffix is a region: the reading is printed, never a silent guess.
    expect(json.destinations.map((d) => d.interpretation.split(':')[0])).toEqual(['host name github.com, TCP 443', 'service tag Storage.WestEurope', 'one address, 10.1.2.3, TCP 22']);
    json.destinations.forEach((d, i) => {
      expect(table).toContain(`  [${i + 1}] ${d.destination}\n      interpretation: ${d.interpretation}\n`);
    });
  });

  it('a bad destinations list names the file and the line (exit 2)', async () => {
    await writeFile(join(dir, 'bad.txt'), 'api.stripe.com\nnot a destination!\n', 'utf8');
    const run = await cli(['resolve', '--demo', 'bank', '--destinations', 'bad.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: bad\.txt: line 2: expected a destination/);
    expect((await cli(['resolve', '--demo', 'bank', '--destinations', 'missing.txt'])).stderr).toMatch(/missing\.txt: no such file or directory/);
  });

  it('a line of no known form says "expected" once: the forms, then the value as written', async () => {
    await writeFile(join(dir, 'bad.txt'), 'api.stripe.com\nnot a destination!\n', 'utf8');
    const run = await cli(['resolve', '--demo', 'bank', '--destinations', 'bad.txt']);
    expect(run.stderr).toMatch(/^error: bad\.txt: line 2: expected a destination: an IP address, .*, found "not a destination!"\n$/);
    expect(run.stderr.match(/expected/g)).toHaveLength(1);
  });

  it('--fail-on and --explain with --destinations are refused (the matrix has no findings or hops), never silently dropped', async () => {
    await writeFile(join(dir, 'gate.txt'), '20.50.1.1\napi.stripe.com\n', 'utf8');
    const gate = await cli(['resolve', '--demo', 'bank', '--destinations', 'gate.txt', '--fail-on', 'warning']);
    expect(gate.code).toBe(2);
    expect(gate.stdout).toBe('');
    expect(gate.stderr).toMatch(/^error: --fail-on does not apply to --destinations/);
    const explain = await cli(['resolve', '--demo', 'bank', '--destinations', 'gate.txt', '--explain']);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toMatch(/^error: --explain does not apply to --destinations/);
  });

  it('--explain with --format json says on stderr that the JSON has the hops already', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--format', 'json', '--explain']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^note: --explain adds nothing to --format json/);
    expect((JSON.parse(run.stdout) as ResolveJson).paths.length).toBeGreaterThan(0);
  });

  it('an empty --destination (an unset $DEST) is a usage error, not the default route', async () => {
    for (const args of [['resolve', '--demo', 'bank', '--destination', ''], ['check', '--demo', 'bank', '--policy', 'p.yaml', '--destination', ' ']]) {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: --destination is empty/);
    }
  });

  it('two different --resolve addresses for one name are a conflict in every command that takes --resolve; the same one twice is not', async () => {
    const conflict = ['--resolve', 'api.stripe.com=20.50.1.1', '--resolve', 'API.stripe.com=54.187.174.169'];
    for (const args of [
      ['resolve', '--demo', 'bank', '--destination', 'api.stripe.com'],
      ['reach', '--demo', 'bank'],
      ['diagram', '--demo', 'bank', '--format', 'mermaid', '--out', '-'],
      ['report', '--demo', 'bank', '--out', 'r.pdf'],
    ]) {
      const run = await cli([...args, ...conflict]);
      expect(run.code, args[0]).toBe(2);
      expect(run.stderr).toMatch(/^error: --resolve gives api\.stripe\.com two addresses \(20\.50\.1\.1 and 54\.187\.174\.169\)/);
    }
    const same = await cli(['resolve', '--demo', 'bank', '--destination', 'api.stripe.com', '--resolve', 'api.stripe.com=54.187.174.169', '--resolve', 'api.stripe.com=54.187.174.169']);
    expect(same.code).toBe(0);
  });

  // The engine reads `api.stripe.com.` and `api.stripe.com` as one name (trailing dot stripped,
  // case folded), but the options were keyed apart: two addresses passed and the first one won.
  it.each([
    [['resolve', '--demo', 'bank', '--destination', 'api.stripe.com', '--source', 'snet-payments-api', '--resolve', 'api.stripe.com.=54.187.174.169', '--resolve', 'api.stripe.com=20.50.1.1']],
    [['reach', '--demo', 'bank', '--source', 'snet-payments-api', '--resolve', 'API.Stripe.com.=54.187.174.169', '--resolve', 'api.stripe.com=20.50.1.1']],
  ])('a trailing-dot or other-case spelling of one name with another address is the same conflict: %j', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --resolve gives api\.stripe\.com two addresses \(54\.187\.174\.169 and 20\.50\.1\.1\)/);
  });

  it('a trailing-dot spelling with the same address is no conflict, and answers as the plain name does', async () => {
    const plain = await cli(['resolve', '--demo', 'bank', '--destination', 'api.stripe.com', '--format', 'json', '--resolve', 'api.stripe.com=54.187.174.169']);
    const dotted = await cli(['resolve', '--demo', 'bank', '--destination', 'api.stripe.com', '--format', 'json', '--resolve', 'API.stripe.com.=54.187.174.169', '--resolve', 'api.stripe.com=54.187.174.169']);
    expect(dotted.code).toBe(0);
    expect(dotted.stdout).toBe(plain.stdout);
  });
});

describe('egress-atlas reach', () => {
  it('lists the allowed destinations with their rules, and the unrestricted sources', async () => {
    const run = await cli(['reach', '--demo', 'bank', '--format', 'json']);
    expect(run.code).toBe(0);
    const reach = JSON.parse(run.stdout) as ReachResult;
    expect(reach.schema).toBe('egress-atlas/reach@1');
    const api = reach.sources.find((s) => s.source.name === 'snet-payments-api');
    expect(api?.unrestricted).toBe(false);
    expect(api?.allowed).toContainEqual(expect.objectContaining({ kind: 'fqdn', value: 'api.stripe.com', verdict: 'internet', rule: 'afwp-bank-egress/rcg-payments-egress/allow-approved-psp-apis/stripe' }));
    expect(reach.sources.find((s) => s.source.name === 'snet-payments-reporting')?.unrestricted).toBe(true);
  });

  it('shows private reach (the health demo\'s private endpoint) and filters by --source', async () => {
    const run = await cli(['reach', '--demo', 'health', '--source', 'snet-fhir-api']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('snet-fhir-api (subnet)');
    expect(run.stdout).toMatch(/private-endpoint +stpatients\.blob\.core\.windows\.net/);
    expect((await cli(['reach', '--demo', 'health', '--source', 'nope'])).code).toBe(2);
  });
});

describe('egress-atlas resolve --destinations: a list saved as UTF-16', () => {
  // Windows PowerShell 5 redirection and Excel's "Unicode text" write UTF-16 with a BOM; the app
  // reads such a list, and so must the CLI (never "binary data").
  it.each([['utf16le', [0xff, 0xfe]], ['utf16be', [0xfe, 0xff]]] as const)('%s with a BOM reads as the same list', async (encoding, bom) => {
    const text = 'api.stripe.com\r\n8.8.8.8:53/udp\r\n';
    const le = Buffer.from(text, 'utf16le');
    const body = encoding === 'utf16le' ? le : Buffer.from(le).swap16();
    await writeFile(join(dir, `list-${encoding}.txt`), Buffer.concat([Buffer.from(bom), body]));
    const run = await cli(['resolve', '--demo', 'bank', '--destinations', `list-${encoding}.txt`, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as MatrixResult).destinations.map((d) => d.label ?? d.destination)).toEqual(['api.stripe.com', '8.8.8.8:53/udp']);
  });
});
