/**
 * Detached Ed25519 signatures for the files the CLI writes (`--sign KEY.pem`) and their check
 * (`egress-atlas verify`). A snapshot's SHA-256 only detects change: whoever edits the file can
 * recompute it. A signature ties the exact bytes to the holder of a private key, so an auditor
 * with the public key can tell that nobody else produced or changed them.
 *
 * Format: `<file>.sig` holds the base64 of the 64-byte Ed25519 signature over the file's bytes,
 * and a newline. Ed25519 signs the message itself (no separate digest), which is what
 * `openssl pkeyutl -sign -rawin` does, so the signature can be checked without this tool too.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { InputPathError } from './estate';

/** The signature file written next to `path`. */
export function signaturePath(path: string): string {
  return `${path}.sig`;
}

const ED25519_SIGNATURE_BYTES = 64;

const KEY_HINT = 'generate one with: openssl genpkey -algorithm ed25519 -out key.pem';

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message.split('\n')[0] ?? 'unreadable' : 'unreadable';
}

/** A file's bytes, or a one-line error (exit 2) naming it as the user wrote it. */
export async function readInputFile(path: string, cwd: string, what: string): Promise<Buffer> {
  try {
    return await readFile(isAbsolute(path) ? path : resolve(cwd, path));
  } catch (error) {
    throw new InputPathError(`${path}: cannot read the ${what} (${errorCode(error)})`);
  }
}

function requireEd25519(key: KeyObject, path: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new InputPathError(`${path}: an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519 (${KEY_HINT})`);
  }
  return key;
}

/**
 * The private key of `--sign`: PEM, PKCS#8 (what `openssl genpkey -algorithm ed25519` writes).
 * Read before any work is done, so a bad key fails fast and nothing is written unsigned.
 */
export async function readSigningKey(path: string, cwd: string): Promise<KeyObject> {
  const pem = await readInputFile(path, cwd, 'signing key');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    // Encrypted keys land here too (no passphrase prompt): say what is accepted.
    throw new InputPathError(`${path}: not an unencrypted PEM private key (${errorCode(error)}; ${KEY_HINT})`);
  }
  return requireEd25519(key, path);
}

/**
 * The public key of `verify --public-key`: PEM, SPKI (`openssl pkey -in key.pem -pubout`). A
 * PEM private key is accepted as well (its public half is used), as openssl accepts it.
 */
export async function readVerifyingKey(path: string, cwd: string): Promise<KeyObject> {
  const pem = await readInputFile(path, cwd, 'public key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new InputPathError(`${path}: not a PEM public key (${errorCode(error)}; make one with: openssl pkey -in key.pem -pubout -out key.pub.pem)`);
  }
  return requireEd25519(key, path);
}

/** The signature file's text: base64 and a newline (text, so it survives e-mail and tickets). */
export function signatureText(bytes: Uint8Array, key: KeyObject): string {
  return `${sign(null, bytes, key).toString('base64')}\n`;
}

/**
 * The suffix this process's safe writes add to the file they write (`<out>.<pid>.tmp`, then a
 * rename): here and in snapshot/files.ts. The CLI's error line takes exactly it off a failed path
 * (main.ts fileErrorLine), never any `.digits.tmp` a user's own file name may end in.
 */
export function ownTemporarySuffix(): string {
  return `.${process.pid}.tmp`;
}

/** Writes `<path>.sig` for the bytes just written to `path`; through a temporary file, as snapshots are. */
export async function writeSignature(path: string, bytes: Uint8Array, key: KeyObject): Promise<string> {
  const out = signaturePath(path);
  const temporary = `${out}${ownTemporarySuffix()}`;
  await writeFile(temporary, signatureText(bytes, key), 'utf8');
  await rename(temporary, out);
  return out;
}

/** The signature bytes of a `.sig` file's text, or a one-line error (exit 2) when it is not one. */
export function parseSignature(text: string, path: string): Buffer {
  const body = text.trim();
  const bytes = Buffer.from(body, 'base64');
  // Buffer.from ignores stray characters: check the text round-trips, so a damaged file is named as such.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || bytes.length !== ED25519_SIGNATURE_BYTES || bytes.toString('base64') !== body) {
    throw new InputPathError(`${path}: not an Ed25519 signature (expected the base64 of ${ED25519_SIGNATURE_BYTES} bytes, as --sign writes)`);
  }
  return bytes;
}

/** True when `signature` is the key holder's Ed25519 signature over exactly these bytes. */
export function signatureMatches(bytes: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  return verify(null, bytes, key, signature);
}
