import { randomBytes } from 'node:crypto';

// Opaque global ids (Relay): base64("<Type>:<uuid>"); the schema builder's relay plugin encodes
// and decodes with these.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeGlobalId(typename: string, id: string): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');
}

/** The type and database id inside a global id, or null when it is not one of ours. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const raw = Buffer.from(globalId, 'base64').toString('utf8');
  const sep = raw.indexOf(':');
  if (sep <= 0) return null;
  const typename = raw.slice(0, sep);
  const id = raw.slice(sep + 1);
  return UUID.test(id) ? { typename, id } : null;
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A new time-ordered UUID (version 7), as Prisma's uuid(7) default makes; for rows whose id
 * must be known before the insert (ciphertexts bound to it).
 */
export function newUuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
