/**
 * The evidence PDF's cover cites the snapshot's SHA-256, its contentSha256 and every input file's
 * name, size and SHA-256, and says what a hash is not (a signature). Read back with pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { runCli } from '../../../electron/cli/main';
import { findDemo } from '../../../shared/demo/index';
import { pdfText } from './poppler';

interface ExportedFile {
  readonly name: string;
  readonly bytes: Buffer;
}

let dir = '';
const files: ExportedFile[] = [];

async function cli(...args: readonly string[]): Promise<number> {
  const io: CliIo = { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: dir, env: {} };
  return runCli(args, io);
}

/** The cover as laid out (each label on the line of its value), whitespace collapsed: pdftotext breaks lines where the PDF wraps them. */
function coverText(file: string): string {
  return flat(execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

/** Whitespace-insensitive: pdftotext breaks lines where the PDF wraps them. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-cover-'));
  // The bank demo's resources split into eight export files, as `az ... -o json > file` per type would leave them.
  const json = findDemo('bank')?.documents[0]?.json as { readonly resources: readonly unknown[]; readonly effectiveRouteTables: unknown };
  const per = Math.ceil(json.resources.length / 8);
  await mkdir(join(dir, 'export'));
  for (let i = 0; i < 8; i++) {
    const chunk = json.resources.slice(i * per, (i + 1) * per);
    const body = i === 0 ? { resources: chunk, effectiveRouteTables: json.effectiveRouteTables } : { resources: chunk };
    const file = { name: `export/part-${i}.json`, bytes: Buffer.from(`${JSON.stringify(body, null, 1)}\n`, 'utf8') };
    await writeFile(join(dir, file.name), file.bytes);
    files.push(file);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('evidence PDF cover: hashes', () => {
  it('cites sha256, contentSha256 and the input files (first six on the cover, all in an appendix); byte-identical with --timestamp', async () => {
    expect(await cli('snapshot', 'export', '--out', 'snap.json')).toBe(0);
    const snapshot = JSON.parse(await readFile(join(dir, 'snap.json'), 'utf8')) as { readonly sha256: string; readonly contentSha256: string };
    const args = ['report', 'snap.json', '--timestamp', '2026-11-26T06:00:00Z', '--exported-by', 'Ana Auditor'];
    expect(await cli(...args, '--out', 'a.pdf')).toBe(0);
    expect(await cli(...args, '--out', 'b.pdf')).toBe(0);
    expect((await readFile(join(dir, 'a.pdf'))).equals(await readFile(join(dir, 'b.pdf')))).toBe(true);

    const cover = coverText(join(dir, 'a.pdf'));
    expect(cover).toContain(`Snapshot SHA-256 ${snapshot.sha256}`);
    expect(cover).toContain(`Content SHA-256 ${snapshot.contentSha256}`);
    expect(cover).toContain('8 files: name, size and SHA-256 of the bytes read; the first 6 below, all in "Appendix C: input files"');
    for (const file of files.slice(0, 6)) {
      expect(cover).toContain(`${file.name} (${file.bytes.length.toLocaleString('en-US')} bytes) ${createHash('sha256').update(file.bytes).digest('hex')}`);
    }
    expect(cover).not.toContain('part-6.json');
    expect(cover).toContain('A SHA-256 detects accidental change and identifies content. It is not a signature');
    expect(cover).toContain('--sign KEY.pem');
    expect(cover).toContain('egress-atlas verify FILE --public-key KEY.pub.pem');

    const text = flat(pdfText(join(dir, 'a.pdf')));
    expect(text).toContain('Appendix C: input files');
    const appendix = text.slice(text.lastIndexOf('Appendix C: input files'));
    for (const file of files) expect(appendix).toContain(`${file.name} (${file.bytes.length.toLocaleString('en-US')} bytes) ${createHash('sha256').update(file.bytes).digest('hex')}`);
  }, 60_000);

  it('a demo (no input files) says so, and still cites both hashes', async () => {
    expect(await cli('report', '--demo', 'bank', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'demo.pdf')).toBe(0);
    const cover = coverText(join(dir, 'demo.pdf'));
    expect(cover).toMatch(/Snapshot SHA-256 [0-9a-f]{64}/);
    expect(cover).toMatch(/Content SHA-256 [0-9a-f]{64}/);
    expect(cover).toContain('Input files none recorded');
    expect(flat(pdfText(join(dir, 'demo.pdf')))).not.toContain('input files (name, size');
  }, 60_000);
});
