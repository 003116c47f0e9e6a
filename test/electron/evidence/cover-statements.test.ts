/**
 * What the cover states about the gaps and the hashes, against the engine's own answers and the
 * files on disk: it counts every gap the Gaps section lists (the reach resolve's included), says
 * the snapshot SHA-256 is over canonical JSON (not what `sha256sum` prints for the file), and lists
 * the file a report read when the snapshot records no inputs of its own. From an audit of the PDF
 * (test/audit/pdf.test.ts, now these scenarios).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { writeEvidencePdf } from '../../../electron/evidence';
import { writeSnapshot } from '../../../electron/snapshot/files';
import { resolveEgress } from '../../../shared/egress/index';
import { computeReach } from '../../../shared/egress/reach';
import type { SnapshotInputFile } from '../../../shared/model/snapshot';
import { EXPORTED_AT } from './fixture';
import { pageText, pdfText, savePdf } from './poppler';

const bank = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
const flat = (text: string): string => text.replace(/\s+/g, ' ');

async function coverOf(name: string, readFiles?: readonly SnapshotInputFile[]): Promise<{ readonly file: string; readonly cover: string }> {
  const bytes = await writeEvidencePdf({
    snapshot: bank, result: resolveEgress(bank, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT, ...(readFiles ? { readFiles } : {}),
  });
  const file = savePdf(`cover-statements-${name}`, bytes);
  return { file, cover: flat(pdfText(file, true).split('\f')[0] ?? '') };
}

describe('the cover counts every gap the document lists (bank demo)', async () => {
  const { file, cover } = await coverOf('gaps');

  it('premise: resolve has 1 gap, reach 1 more (the firewall resolves time.windows.com itself)', () => {
    const key = (g: { readonly code: string; readonly scope: string; readonly message: string }): string => `${g.code}|${g.scope.toLowerCase()}|${g.message}`;
    const resolved = new Set(resolveEgress(bank, {}).gaps.map(key));
    expect(resolved.size).toBe(1);
    expect(computeReach(bank, {}).gaps.filter((g) => !resolved.has(key(g)))).toHaveLength(1);
  });

  it('says 2, and which of them the reach block met; the Gaps section lists both', () => {
    expect(cover).toContain('Gaps 2 (all listed under "Gaps: what could not be read or modelled"; 1 of them met while checking what sources can reach)');
    const text = flat(pdfText(file));
    expect(text).toContain('Met while checking what sources can reach (1)');
  });

  it('stays one page: the contents start on page 2', () => {
    expect(pageText(file, 2)).toMatch(/^Contents\n/);
  });
});

describe('what the cover says the hashes cover', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'egress-atlas-cover-statements-'));
  const path = join(dir, 'snap.json');
  await writeSnapshot(path, bank);
  const bytes = readFileSync(path);
  const fileSha = createHash('sha256').update(bytes).digest('hex');

  it('premise: sha256sum of the snapshot file is not the snapshot SHA-256 (that is over canonical JSON)', () => {
    expect(fileSha).not.toBe(bank.sha256);
  });

  it('says the snapshot SHA-256 is over canonical JSON, not the file\'s bytes', async () => {
    const { cover } = await coverOf('hash-note');
    expect(cover).toContain(`Snapshot SHA-256 ${bank.sha256}`);
    expect(cover).toContain('The snapshot SHA-256 is over the snapshot\'s canonical JSON (keys sorted, no whitespace; every member but the two hashes), not the file\'s bytes: sha256sum of the file prints another value');
    expect(cover).not.toContain('covers the whole snapshot file');
    // A demo (or a snapshot file read as is) records no input files: "none recorded" says why.
    expect(cover).toContain('Input files none recorded (a live pull, a demo, or a snapshot file read as is, which records none)');
  });

  it('lists the snapshot file the caller read, with the SHA-256 sha256sum prints, when the snapshot records no inputs', async () => {
    const { cover } = await coverOf('read-files', [{ name: 'snap.json', size: bytes.length, sha256: fileSha }]);
    expect(cover).toContain('Input files 1 file read for this export (the snapshot records no input files of its own): name, size and SHA-256 of the bytes read');
    expect(cover).toContain(`snap.json (${bytes.length.toLocaleString('en-US')} bytes) ${fileSha}`);
  });
});
