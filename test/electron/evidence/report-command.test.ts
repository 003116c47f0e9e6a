import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { reportCommand } from '../../../electron/cli/commands/report';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { runCli } from '../../../electron/cli/main';
import { parseDestinationList, resolveMatrix } from '../../../shared/egress/matrix';
import { findDemo } from '../../../shared/demo/index';
import { pdfInfo, pdfText } from './poppler';

const dir = mkdtempSync(join(tmpdir(), 'egress-atlas-report-'));

function io(): CliIo & { readonly out: string[]; readonly err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd: dir, env: {} };
}

async function report(...args: string[]): Promise<{ readonly code: number; readonly stderr: string }> {
  const stream = io();
  const code = await runCli(['report', ...args], stream, [reportCommand]);
  return { code, stderr: stream.err.join('') };
}

describe('egress-atlas report', () => {
  it('writes the demo estate PDF byte-identically when --timestamp pins the time', async () => {
    const args = ['--demo', 'bank', '--timestamp', '2026-11-26T06:00:00Z', '--exported-by', 'Ana Auditor'];
    const first = await report(...args, '--out', 'a.pdf');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stderr).toMatch(/^wrote a\.pdf \(\d+ KiB, snapshot [0-9a-f]{12}\)\n$/);
    expect((await report(...args, '--out', 'b.pdf')).code).toBe(0);
    expect(readFileSync(join(dir, 'a.pdf')).equals(readFileSync(join(dir, 'b.pdf')))).toBe(true);
    const text = pdfText(join(dir, 'a.pdf'));
    expect(text).toContain('Demo estate (bank)');
    expect(text).toContain('Ana Auditor');
    expect(text).toContain('2026-11-26T06:00:00.000Z');
    expect(pdfInfo(join(dir, 'a.pdf')).Author).toBe('Ana Auditor');
  });

  it('the diagram draws the bank demo\'s bypassed NAT gateway, with the app\'s legend entry (it was left out)', async () => {
    expect((await report('--demo', 'bank', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'bypassed.pdf')).code).toBe(0);
    const file = join(dir, 'bypassed.pdf');
    const pages = pdfText(file).split('\f');
    const diagram = pages.find((p) => p.includes('Diagram: Overview') && !p.includes('Contents')) ?? '';
    expect(diagram).toContain('ng-card-auth-weu');
    expect(diagram).toContain('NAT gateway attached but bypassed by a route');
  });

  it('writes the PDF of ARM exports byte-identically with --timestamp (their capture time is the export time)', async () => {
    const inputs = ['az-vnet-list.json', 'bundle-spoke.json'].map((f) => join(process.cwd(), 'test', 'fixtures', 'inputs', f));
    const args = [...inputs, '--timestamp', '2026-11-26T06:00:00Z', '--exported-by', 'Ana Auditor'];
    expect((await report(...args, '--out', 'arm-a.pdf')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect((await report(...args, '--out', 'arm-b.pdf')).code).toBe(0);
    expect(readFileSync(join(dir, 'arm-a.pdf')).equals(readFileSync(join(dir, 'arm-b.pdf')))).toBe(true);
    expect(pdfText(join(dir, 'arm-a.pdf'), true)).toMatch(/Data captured at\s+2026-11-26T06:00:00\.000Z/);
  });

  it('exports only the --subnet sources, for a what-if destination', async () => {
    const { code } = await report('--demo', 'bank', '--subnet', 'SNET-CARD-AUTH', '--subnet', 'snet-settlement-db',
      '--destination', '203.0.113.7', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'subnet.pdf');
    expect(code).toBe(0);
    const text = pdfText(join(dir, 'subnet.pdf'));
    expect(text).toContain('snet-card-auth (subnet)');
    expect(text).toContain('snet-settlement-db (subnet)');
    expect(text).not.toContain('snet-payments-api (subnet)');
    expect(text).toContain('What-if destination 203.0.113.7');
  });

  it('counts in the singular for one source ("1 path", "1 subnet", "1 finding")', async () => {
    expect((await report('--demo', 'bank', '--subnet', 'snet-payments-reporting', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'one.pdf')).code).toBe(0);
    const text = pdfText(join(dir, 'one.pdf'), true);
    expect(text).toMatch(/\b1 path evaluated for/);
    expect(text).toMatch(/\(1 subnet, 0 NIC exceptions\)/);
    expect(text).not.toMatch(/\b1 (paths|subnets|findings)\b/);
  });

  it('reads ARM JSON input files', async () => {
    const demo = findDemo('health');
    writeFileSync(join(dir, 'health.json'), JSON.stringify(demo?.documents[0]?.json));
    const { code } = await report('health.json', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'health.pdf');
    expect(code).toBe(0);
    expect(pdfText(join(dir, 'health.pdf'))).toContain('Imported files');
  });

  it('adds the destinations matrix appendix with --destinations, byte-identically with --timestamp', async () => {
    writeFileSync(join(dir, 'destinations.csv'), 'destination,label\napi.stripe.com,Stripe API\n203.0.113.7:22/tcp,SFTP partner\nStorage.WestEurope\n');
    const args = ['--demo', 'bank', '--destinations', 'destinations.csv', '--resolve', 'api.stripe.com=54.187.174.169', '--timestamp', '2026-11-26T06:00:00Z'];
    expect((await report(...args, '--out', 'matrix-a.pdf')).code).toBe(0);
    expect((await report(...args, '--out', 'matrix-b.pdf')).code).toBe(0);
    expect(readFileSync(join(dir, 'matrix-a.pdf')).equals(readFileSync(join(dir, 'matrix-b.pdf')))).toBe(true);
    const text = pdfText(join(dir, 'matrix-a.pdf'));
    expect(text).toContain('Appendix C: destinations matrix');
    expect(text).toContain('7 sources × 3 destinations');
    expect(text).toContain('SFTP partner');
    // --resolve reaches the matrix: the name is read as the engine reads it with that address.
    const list = parseDestinationList(readFileSync(join(dir, 'destinations.csv'), 'utf8'), 'destinations.csv');
    const expected = resolveMatrix(demoSnapshot(pickDemo('bank')), list, { resolve: { 'api.stripe.com': '54.187.174.169' } });
    const withoutResolve = resolveMatrix(demoSnapshot(pickDemo('bank')), list);
    expect(expected.destinations[0]?.interpretation).not.toBe(withoutResolve.destinations[0]?.interpretation);
    expect(text.replace(/\s+/g, '')).toContain(expected.destinations[0]?.interpretation.replace(/\s+/g, ''));
  });

  it('rejects a bad destinations list naming the file and the line, exit 2', async () => {
    writeFileSync(join(dir, 'bad.txt'), '# partners\napi.stripe.com\nnot a destination!\n');
    const { code, stderr } = await report('--demo', 'bank', '--destinations', 'bad.txt', '--out', 'bad.pdf');
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^error: bad\.txt: line 3: expected a destination/);
    expect((await report('--demo', 'bank', '--destinations', 'absent.txt', '--out', 'bad.pdf')).stderr).toMatch(/^error: absent\.txt: no such file or directory/);
  });

  it.each([
    [['--demo', 'bank'], /--out <file\.pdf> is required/],
    [['--demo', 'bank', '--out', 'x.pdf', '--timestamp', 'yesterday'], /--timestamp "yesterday" is not an ISO 8601 date-time/],
    [['--demo', 'bank', '--out', 'x.pdf', '--subnet', 'no-such-subnet'], /--subnet "no-such-subnet" matches no subnet or NIC/],
    [['--demo', 'bank', '--out', 'x.pdf', '--destination', 'not-an-ip'], /"not-an-ip" is not a destination: expected an IP address/],
    [['missing.json', '--out', 'x.pdf'], /missing\.json: no such file or directory/],
    [['--demo', 'nope', '--out', 'x.pdf'], /unknown demo "nope"/],
  ])('rejects %j with a one-line error and exit 2', async (args, message) => {
    const { code, stderr } = await report(...args);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(message);
    expect(stderr.split('\n')[0]).toMatch(/^error: /);
  });

  it.each([
    ['--timestamp', '2026-02-30T00:00:00Z', 'names a day or a time of day that does not exist'],
    ['--timestamp', '2026-11-26T06:00:00', 'has no time zone'],
    ['--since', '2024-05-02T10:00:00', 'has no time zone'],
    ['--since', '7', 'is not an ISO 8601 date-time or a duration (a duration needs its unit: 7d, 7h or 7m)'],
    ['--since', '2024-02-30', 'names a day or a time of day that does not exist'],
  ])('refuses %s %s (exit 2, nothing written), never recording another date', async (option, value, problem) => {
    const out = `refused-${option.slice(2)}.pdf`;
    const { code, stderr } = await report('--demo', 'bank', '--logs', 'no-such-logs', option, value, '--out', out);
    expect(code).toBe(2);
    const line = stderr.split('\n')[0] ?? '';
    expect(line).toContain(`error: ${option} "${value}" ${problem}`);
    expect(line).toMatch(/; expected (a duration|a day) .* or an ISO 8601 date-time with a time zone \(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\)$/);
    expect(() => readFileSync(join(dir, out))).toThrow();
  });

  it('--help describes --destination as the destination forms resolve takes, not as an IP only', async () => {
    const stream = io();
    expect(await runCli(['report', '--help'], stream, [reportCommand])).toBe(0);
    const help = stream.out.join('');
    expect(help).not.toMatch(/--destination <ip>|a public IPv4\/IPv6 destination/);
    expect(help).toMatch(/--destination <dest> +what-if: an IP address, a CIDR \(20\.50\.0\.0\/16\), an FQDN \(api\.stripe\.com\),\n +a URL \(https:\/\/api\.stripe\.com\/v1\) or a service tag/);
    // And it takes them: a host name with its address given, as resolve does.
    const named = await report('--demo', 'bank', '--destination', 'api.stripe.com', '--resolve', 'api.stripe.com=54.187.174.169', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'named.pdf');
    expect(named.code).toBe(0);
  });
});
