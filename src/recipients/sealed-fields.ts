// A recipient's personal fields as stored: each sealed under the recipient's own data key
// (wrapped by the tenant's data key and kept on the row, so erasure destroys it with the row)
// and bound to its tenant and field, the phone and e-mail also as blind indexes for exact
// lookups. The only place that turns input into these columns and these columns back into
// clear values.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { badInput } from '../errors.ts';
import { open, seal } from '../privacy/crypto.ts';
import { blindIndex, type TenantKeys } from '../privacy/tenant-keys.ts';
import { parseInput, text } from '../validation.ts';
import { normaliseEmail, normalisePhone } from './contact.ts';

const recipientInput = z.object({
  externalId: text(200),
  name: text(200).nullish(),
  phone: z.string().max(64, 'must be at most 64 characters').nullish(),
  email: z.string().max(254, 'must be at most 254 characters').nullish(),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as sv or sv-SE')
    .nullish(),
  pushTokens: z.array(z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters')).max(20, 'at most 20 push tokens').nullish(),
});

export type RecipientInput = z.input<typeof recipientInput>;

/** The personal fields a RECTIFICATION may correct; any other field is refused. */
export const rectifiableFields = recipientInput.pick({ name: true, phone: true, email: true, locale: true });

/** Validated, normalised input: phone in E.164, e-mail in lower case; absent fields stay, null clears. */
export type ValidRecipient = Partial<{ externalId: string; name: string | null; phone: string | null; email: string | null; locale: string | null; pushTokens: string[] | null }>;

/** Column values for the fields the input names; absent fields stay as they are, null clears. */
export type RecipientColumns = {
  externalIdEnc: Uint8Array<ArrayBuffer>;
  externalIdIndex: string;
  nameEnc?: Uint8Array<ArrayBuffer> | null;
  phoneEnc?: Uint8Array<ArrayBuffer> | null;
  phoneIndex?: string | null;
  emailEnc?: Uint8Array<ArrayBuffer> | null;
  emailIndex?: string | null;
  locale?: string | null;
  pushTokensEnc?: Uint8Array<ArrayBuffer> | null;
  /** Set when the row gets a (new) recipient key. */
  wrappedKey?: Uint8Array<ArrayBuffer>;
};

const fieldContext = (tenantId: string, field: string) => `${tenantId}:Recipient.${field}`;
const keyContext = (tenantId: string) => `${tenantId}:Recipient.key`;

/**
 * The key a recipient's fields are sealed with: its own, or, for rows sealed before
 * per-recipient keys (`wrapped` null), the tenant's data key.
 */
export interface RecipientKey {
  key: Buffer;
  wrapped: Uint8Array<ArrayBuffer> | null;
}

export function newRecipientKey(keys: TenantKeys, tenantId: string): RecipientKey {
  const key = randomBytes(32);
  return { key, wrapped: new Uint8Array(seal(keys.dataKey, key, keyContext(tenantId))) };
}

/** Unwraps a row's key: one AES operation, no round trip (the wrapped key comes with the row). */
export function recipientKeyOf(keys: TenantKeys, tenantId: string, wrapped: Uint8Array | null): RecipientKey {
  return wrapped ? { key: open(keys.dataKey, wrapped, keyContext(tenantId)), wrapped: new Uint8Array(wrapped) } : { key: keys.dataKey, wrapped: null };
}

/** Checks and normalises input like upsertRecipient does; a failure names the field after `prefix`. */
export function validateRecipient(raw: unknown, defaultCountry: string, prefix = ''): ValidRecipient & { externalId: string } {
  return validateFields(recipientInput, raw, defaultCountry, prefix) as ValidRecipient & { externalId: string };
}

export function validateFields(schema: z.ZodType<ValidRecipient>, raw: unknown, defaultCountry: string, prefix = ''): ValidRecipient {
  const input = parseInput(schema, raw, prefix);
  const valid: ValidRecipient = { ...input };
  if (input.phone !== undefined && input.phone !== null) {
    const phone = normalisePhone(input.phone, defaultCountry);
    if (!phone) throw badInput(`${prefix}phone`, `"${maskInput(input.phone)}" is not a valid phone number`);
    valid.phone = phone;
  }
  if (input.email !== undefined && input.email !== null) {
    const email = normaliseEmail(input.email);
    if (!email) throw badInput(`${prefix}email`, 'is not a valid e-mail address');
    valid.email = email;
  }
  return valid;
}

/** The external id's blind index: what upserts match on. */
export const externalIdIndexOf = (keys: TenantKeys, externalId: string) => blindIndex(keys, 'externalId', externalId);

/** Column values of `valid` sealed with `rk`; a row that gets `rk` for the first time also stores its wrapped key. */
export function sealColumns(keys: TenantKeys, rk: RecipientKey, tenantId: string, valid: ValidRecipient & { externalId: string }, storeKey: boolean): RecipientColumns {
  const sealField = (field: string, value: string) => new Uint8Array(seal(rk.key, Buffer.from(value, 'utf8'), fieldContext(tenantId, field)));
  const cols: RecipientColumns = {
    externalIdEnc: sealField('externalId', valid.externalId),
    externalIdIndex: externalIdIndexOf(keys, valid.externalId),
  };
  if (valid.name !== undefined) cols.nameEnc = valid.name === null ? null : sealField('name', valid.name);
  if (valid.phone !== undefined) {
    cols.phoneEnc = valid.phone ? sealField('phone', valid.phone) : null;
    cols.phoneIndex = valid.phone ? blindIndex(keys, 'phone', valid.phone) : null;
  }
  if (valid.email !== undefined) {
    cols.emailEnc = valid.email ? sealField('email', valid.email) : null;
    cols.emailIndex = valid.email ? blindIndex(keys, 'email', valid.email) : null;
  }
  if (valid.locale !== undefined) cols.locale = valid.locale;
  if (valid.pushTokens !== undefined) cols.pushTokensEnc = valid.pushTokens?.length ? sealField('pushTokens', JSON.stringify(valid.pushTokens)) : null;
  if (storeKey && rk.wrapped) cols.wrappedKey = rk.wrapped;
  return cols;
}

/**
 * The columns that write `valid` onto a recipient: a new one (`existing` null) gets its own
 * key; an existing one keeps its key, and one sealed before per-recipient keys is re-sealed
 * whole under a new key of its own, so erasure can destroy it like any other.
 */
export function columnsFor(keys: TenantKeys, tenantId: string, valid: ValidRecipient & { externalId: string }, existing: (SealedRecipient & { locale: string | null }) | null): RecipientColumns {
  if (existing?.wrappedKey) return sealColumns(keys, recipientKeyOf(keys, tenantId, existing.wrappedKey), tenantId, valid, false);
  const rk = newRecipientKey(keys, tenantId);
  if (!existing) return sealColumns(keys, rk, tenantId, valid, true);
  const { externalId: _old, ...held } = decryptRecipient(keys, existing);
  return sealColumns(keys, rk, tenantId, { ...held, locale: existing.locale, ...valid }, true);
}

/** Echoes a bad phone number back shortened, so errors stay useful without repeating whole inputs. */
function maskInput(value: string): string {
  return value.length > 24 ? `${value.slice(0, 20)}...` : value;
}

export interface RecipientPersonalData {
  externalId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  pushTokens: string[];
}

/** The sealed columns of a recipient row, as any query that opens them selects them. */
export type SealedRecipient = {
  tenantId: string;
  externalIdEnc: Uint8Array;
  nameEnc: Uint8Array | null;
  phoneEnc: Uint8Array | null;
  emailEnc: Uint8Array | null;
  pushTokensEnc: Uint8Array | null;
  wrappedKey: Uint8Array | null;
};

export function decryptRecipient(keys: TenantKeys, r: SealedRecipient): RecipientPersonalData {
  const openField = recipientFieldOpener(keys, r);
  const pushTokens = openField('pushTokens');
  return {
    externalId: openField('externalId')!,
    name: openField('name'),
    phone: openField('phone'),
    email: openField('email'),
    pushTokens: pushTokens ? (JSON.parse(pushTokens) as string[]) : [],
  };
}

export type SealedField = 'externalId' | 'name' | 'phone' | 'email' | 'pushTokens';

/** Opens the fields of a row one at a time, as they are asked for; the recipient key is unwrapped once. */
export function recipientFieldOpener(keys: TenantKeys, r: SealedRecipient): (field: SealedField) => string | null {
  let key: Buffer | undefined;
  return (field) => {
    const sealed = r[`${field}Enc`];
    if (!sealed) return null;
    key ??= recipientKeyOf(keys, r.tenantId, r.wrappedKey).key;
    return open(key, sealed, fieldContext(r.tenantId, field)).toString('utf8');
  };
}
