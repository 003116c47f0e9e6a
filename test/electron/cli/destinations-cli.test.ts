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

  it('a bad destinations list names the file and the line (exit 2)', async () => {
    await writeFile(join(dir, 'bad.txt'), 'api.stripe.com\nnot a destination!\n', 'utf8');
    const run = await cli(['resolve', '--demo', 'bank', '--destinations', 'bad.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: bad\.txt: line 2: expected a destination/);
    expect((await cli(['resolve', '--demo', 'bank', '--destinations', 'missing.txt'])).stderr).toMatch(/missing\.txt: no such file or directory/);
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
