// The run's secret salt (../shared/design.md "Media" and "Provenance is kept apart"): output names and
// keys are HMACs of a source's identity, so nothing identifying (MIMIC subject folders, DICOM UIDs)
// reaches a shareable name. Real data needs --salt-file; only the bundled sample uses a public salt.
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes';

/** Fixed, public: it protects nothing and is only for the synthetic sample corpus. */
export const SAMPLE_SALT = Buffer.from('qoq-forge public sample salt v1', 'utf8');

const MIN_SALT_BYTES = 16;

export interface Salt {
  readonly bytes: Buffer;
  /** True for the public sample salt. */
  readonly isPublicSample: boolean;
}

/**
 * Loads --salt-file. Without one, only the bundled sample may run (with the public salt); any other
 * input is refused, since names derived from a public salt can be reversed by a dictionary attack.
 */
export async function loadSalt(saltFile: string | undefined, inputIsBundledSample: boolean): Promise<Salt> {
  if (saltFile === undefined) {
    if (inputIsBundledSample) return { bytes: SAMPLE_SALT, isPublicSample: true };
    throw new UsageError('--salt-file is required for real data (a file with at least 16 secret bytes)');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(saltFile);
  } catch {
    throw new UsageError(`cannot read --salt-file ${saltFile}`);
  }
  // A trailing newline from `openssl rand -hex 32 > salt` is not part of the secret's meaning.
  const text = bytes.toString('latin1');
  if (/^[\x20-\x7e]*\r?\n$/.test(text)) bytes = bytes.subarray(0, bytes.length - (text.endsWith('\r\n') ? 2 : 1));
  if (bytes.length < MIN_SALT_BYTES) throw new UsageError(`--salt-file must hold at least ${MIN_SALT_BYTES} bytes`);
  return { bytes, isPublicSample: false };
}

/** HMAC-SHA-256 of an identity under the salt, as lowercase hex; `purpose` separates key spaces. */
export function saltedHash(salt: Salt, purpose: string, identity: string): string {
  return createHmac('sha256', salt.bytes).update(purpose).update('\0').update(identity).digest('hex');
}

/** A media file name: 24 hex characters (96 bits) of the salted HMAC of the source's identity. */
export function saltedName(salt: Salt, identity: string): string {
  return saltedHash(salt, 'media-name', identity).slice(0, 24);
}
