/**
 * `--sign KEY.pem` on `snapshot` and `report`, and `egress-atlas verify`: round trip, tampered
 * file (exit 1), wrong key (exit 1), bad key / missing file / damaged signature (exit 2). Keys are
 * generated here; one case also checks that openssl agrees, when it is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';

let dir = '';

function cli(...args: readonly string[]): Promise<CliRun> {
  return runCliIn(dir, args);
}

function ed25519Pair(): { readonly privatePem: string; readonly publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const OPENSSL = spawnSync('openssl', ['version']).status === 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-verify-'));
  const signer = ed25519Pair();
  const other = ed25519Pair();
  await writeFile(join(dir, 'key.pem'), signer.privatePem);
  await writeFile(join(dir, 'key.pub.pem'), signer.publicPem);
  await writeFile(join(dir, 'other.pub.pem'), other.publicPem);
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(join(dir, 'ec.pem'), ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  await writeFile(join(dir, 'ec.pub.pem'), ec.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  await writeFile(join(dir, 'garbage.pem'), 'this is not a key\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot --sign and verify', () => {
  it('round trip: the signature over the file written verifies with the public key', async () => {
    const written = await cli('snapshot', '--demo', 'bank', '--out', 'snap.json', '--sign', 'key.pem');
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('wrote snap.json.sig');
    const sig = await readFile(join(dir, 'snap.json.sig'), 'utf8');
    expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    const run = await cli('verify', 'snap.json', '--public-key', 'key.pub.pem');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^signature valid: snap\.json/);
  });

  it('a tampered file fails with exit 1', async () => {
    expect((await cli('snapshot', '--demo', 'bank', '--out', 'tampered.json', '--sign', 'key.pem')).code).toBe(0);
    const text = await readFile(join(dir, 'tampered.json'), 'utf8');
    // One changed character, as a forger who also recomputed the SHA-256 would leave it: the signature still fails.
    await writeFile(join(dir, 'tampered.json'), text.replace('"source": "demo"', '"source": "demO"'));
    const run = await cli('verify', 'tampered.json', '--public-key', 'key.pub.pem');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^signature does not match/);
  });

  it('another key fails with exit 1', async () => {
    const run = await cli('verify', 'snap.json', '--public-key', 'other.pub.pem');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('signature does not match');
  });

  it('--signature names a signature file elsewhere', async () => {
    await writeFile(join(dir, 'moved.sig'), await readFile(join(dir, 'snap.json.sig')));
    expect((await cli('verify', 'snap.json', '--signature', 'moved.sig', '--public-key', 'key.pub.pem')).code).toBe(0);
  });

  it.each([
    ['an unreadable key', ['verify', 'snap.json', '--public-key', 'garbage.pem'], /garbage\.pem: not a PEM public key/],
    ['a key that is not Ed25519', ['verify', 'snap.json', '--public-key', 'ec.pub.pem'], /ec\.pub\.pem: an ec key, not Ed25519/],
    ['a missing key file', ['verify', 'snap.json', '--public-key', 'nope.pem'], /nope\.pem: cannot read the public key \(ENOENT\)/],
    ['a missing file', ['verify', 'missing.json', '--public-key', 'key.pub.pem'], /missing\.json: cannot read the file to verify/],
    ['a missing signature', ['verify', 'key.pem', '--public-key', 'key.pub.pem'], /key\.pem\.sig: cannot read the signature/],
    ['no --public-key', ['verify', 'snap.json'], /--public-key <key\.pem> is required/],
  ])('bad input exits 2: %s', async (_label, args, message) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('a damaged signature file exits 2', async () => {
    await writeFile(join(dir, 'damaged.sig'), 'not base64 at all!\n');
    const run = await cli('verify', 'snap.json', '--signature', 'damaged.sig', '--public-key', 'key.pub.pem');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('damaged.sig: not an Ed25519 signature');
  });

  it('--sign with a bad key exits 2 and writes nothing', async () => {
    for (const key of ['garbage.pem', 'ec.pem', 'nope.pem']) {
      const run = await cli('snapshot', '--demo', 'bank', '--out', `unsigned-${key}.json`, '--sign', key);
      expect(run.code).toBe(2);
      expect(existsSync(join(dir, `unsigned-${key}.json`))).toBe(false);
    }
  });

  it.skipIf(!OPENSSL)('openssl keys are accepted, and openssl agrees with the signature', async () => {
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(dir, 'ossl.pem')]);
    execFileSync('openssl', ['pkey', '-in', join(dir, 'ossl.pem'), '-pubout', '-out', join(dir, 'ossl.pub.pem')]);
    expect((await cli('snapshot', '--demo', 'bank', '--out', 'ossl.json', '--sign', 'ossl.pem')).code).toBe(0);
    expect((await cli('verify', 'ossl.json', '--public-key', 'ossl.pub.pem')).code).toBe(0);
    // The README's recipe for checking without this tool.
    await writeFile(join(dir, 'ossl.sig.bin'), Buffer.from(await readFile(join(dir, 'ossl.json.sig'), 'utf8'), 'base64'));
    const check = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'ossl.pub.pem'), '-rawin',
      '-in', join(dir, 'ossl.json'), '-sigfile', join(dir, 'ossl.sig.bin')], { encoding: 'utf8' });
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('Signature Verified Successfully');
  });
});

describe('verify of a file named by whoever sent it', () => {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('shows the file, key and signature paths escaped: a CR and an escape sequence in the name cannot forge the verdict line', async () => {
    const name = 'snap\u001b[2K\rsignature valid: snap\u202e.json';
    expect((await cli('snapshot', '--demo', 'bank', '--out', name, '--sign', 'key.pem')).code).toBe(0);

    const mismatch = await cli('verify', name, '--public-key', 'other.pub.pem');
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).not.toMatch(RAW_CONTROL);
    expect(mismatch.stderr).toContain('signature does not match: snap\\x1b[2K\\x0dsignature valid: snap\\u202e.json was changed after signing, or snap\\x1b[2K\\x0d');

    const valid = await cli('verify', name, '--public-key', 'key.pub.pem');
    expect(valid.code).toBe(0);
    expect(valid.stdout).not.toMatch(RAW_CONTROL);
    expect(valid.stdout).toMatch(/^signature valid: snap\\x1b\[2K\\x0dsignature valid: snap\\u202e\.json \(\d+ bytes\)/);
  });
});

describe('report --sign', () => {
  it('signs the PDF bytes; verify accepts them and refuses a changed PDF', async () => {
    const written = await cli('report', '--demo', 'bank', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'evidence.pdf', '--sign', 'key.pem');
    expect(written.code).toBe(0);
    expect(existsSync(join(dir, 'evidence.pdf.sig'))).toBe(true);
    expect((await cli('verify', 'evidence.pdf', '--public-key', 'key.pub.pem')).code).toBe(0);
    const pdf = await readFile(join(dir, 'evidence.pdf'));
    await writeFile(join(dir, 'evidence.pdf'), Buffer.concat([pdf, Buffer.from('\n% appended\n')]));
    expect((await cli('verify', 'evidence.pdf', '--public-key', 'key.pub.pem')).code).toBe(1);
  }, 60_000);
});

describe('report of a snapshot file read as is', () => {
  it('the cover names the file read with the SHA-256 of its bytes, as sha256sum prints it', async () => {
    // A saved snapshot records no input files of its own: the cover used to say "none recorded",
    // so nothing in the PDF identified the file the evidence was built from.
    expect((await cli('snapshot', '--demo', 'bank', '--out', 'bank.snapshot.json')).code).toBe(0);
    expect((await cli('report', 'bank.snapshot.json', '--timestamp', '2026-11-26T06:00:00Z', '--out', 'from-file.pdf')).code).toBe(0);
    const sha = execFileSync('sha256sum', [join(dir, 'bank.snapshot.json')], { encoding: 'utf8' }).split(' ')[0] ?? '';
    const text = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '2', join(dir, 'from-file.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toContain('bank.snapshot.json');
    expect(text).toContain(sha);
  }, 60_000);
});
