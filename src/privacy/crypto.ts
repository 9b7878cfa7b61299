// Envelope encryption: each tenant has its own AES-256 data key, stored wrapped
// (AES-256-GCM) by the operator's master key of a given version, so master keys rotate
// by re-wrapping data keys only. Ciphertexts are self-describing: [format][iv][tag][data].
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

/** For the records of processing (GDPR Art. 32): what this module guarantees. */
export const ENCRYPTION_MEASURE = `Personal data fields, message content, gift codes and channel credentials are encrypted at rest with ${CIPHER.toUpperCase()} under a data key per tenant, itself wrapped by the operator's master key, which rotates by re-wrapping`;

export function seal(key: Buffer, plaintext: Buffer, aad?: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  if (aad) cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), data]);
}

export function open(key: Buffer, sealed: Uint8Array, aad?: string): Buffer {
  const buf = Buffer.from(sealed);
  if (buf[0] !== FORMAT) throw new Error('unknown ciphertext format');
  const iv = buf.subarray(1, 1 + IV_BYTES);
  const tag = buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv(CIPHER, key, iv);
  if (aad) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

export class KeyRing {
  constructor(
    private readonly masterKeys: ReadonlyMap<number, Buffer>,
    readonly currentVersion: number,
  ) {
    if (!masterKeys.has(currentVersion)) throw new Error(`no master key of version ${currentVersion}`);
  }

  /** A fresh data key, wrapped by the current master key. */
  newDataKey(): { wrapped: Uint8Array<ArrayBuffer>; version: number } {
    return this.wrap(randomBytes(32));
  }

  wrap(dataKey: Buffer): { wrapped: Uint8Array<ArrayBuffer>; version: number } {
    return { wrapped: new Uint8Array(seal(this.masterKeys.get(this.currentVersion)!, dataKey, 'data-key')), version: this.currentVersion };
  }

  unwrap(wrapped: Uint8Array, version: number): Buffer {
    const master = this.masterKeys.get(version);
    if (!master) throw new Error(`master key version ${version} is not configured (PREVIOUS_MASTER_KEYS)`);
    return open(master, wrapped, 'data-key');
  }
}
