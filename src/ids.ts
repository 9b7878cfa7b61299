import { AppError } from './errors.ts';

// Opaque global ids (Relay): base64("<Type>:<uuid>"), the encoding Pothos' relay plugin uses.
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

/** The database id inside a global id of the expected type; unknown or foreign-typed ids are NOT_FOUND. */
export function requireGlobalId(globalId: string, typename: string): string {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typename !== typename) throw new AppError('NOT_FOUND', `${typename} not found`);
  return decoded.id;
}
