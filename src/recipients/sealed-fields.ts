// A recipient's personal fields as stored: each sealed under the tenant's data key and bound
// to its tenant and field, the phone and e-mail also as blind indexes for exact lookups. The
// only place that turns input into these columns and these columns back into clear values.
import { z } from 'zod';
import { badInput } from '../errors.ts';
import { blindIndex, decryptField, encryptField, type TenantKeys } from '../privacy/tenant-keys.ts';
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
};

const fieldContext = (tenantId: string, field: string) => `${tenantId}:Recipient.${field}`;

export function toColumns(keys: TenantKeys, tenantId: string, defaultCountry: string, raw: unknown, prefix = ''): RecipientColumns {
  const input = parseInput(recipientInput, raw, prefix);
  const seal = (field: string, value: string) => encryptField(keys, value, fieldContext(tenantId, field));
  const cols: RecipientColumns = {
    externalIdEnc: seal('externalId', input.externalId),
    externalIdIndex: blindIndex(keys, 'externalId', input.externalId),
  };
  if (input.name !== undefined) cols.nameEnc = input.name === null ? null : seal('name', input.name);
  if (input.phone !== undefined) {
    const phone = input.phone === null ? null : normalisePhone(input.phone, defaultCountry);
    if (input.phone !== null && !phone) throw badInput(`${prefix}phone`, `"${maskInput(input.phone)}" is not a valid phone number`);
    cols.phoneEnc = phone ? seal('phone', phone) : null;
    cols.phoneIndex = phone ? blindIndex(keys, 'phone', phone) : null;
  }
  if (input.email !== undefined) {
    const email = input.email === null ? null : normaliseEmail(input.email);
    if (input.email !== null && !email) throw badInput(`${prefix}email`, 'is not a valid e-mail address');
    cols.emailEnc = email ? seal('email', email) : null;
    cols.emailIndex = email ? blindIndex(keys, 'email', email) : null;
  }
  if (input.locale !== undefined) cols.locale = input.locale;
  if (input.pushTokens !== undefined) {
    cols.pushTokensEnc = input.pushTokens?.length ? seal('pushTokens', JSON.stringify(input.pushTokens)) : null;
  }
  return cols;
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
};

export function decryptRecipient(keys: TenantKeys, r: SealedRecipient): RecipientPersonalData {
  const open = (field: string, value: Uint8Array | null) => (value ? decryptField(keys, value, fieldContext(r.tenantId, field)) : null);
  return {
    externalId: open('externalId', r.externalIdEnc)!,
    name: open('name', r.nameEnc),
    phone: open('phone', r.phoneEnc),
    email: open('email', r.emailEnc),
    pushTokens: r.pushTokensEnc ? (JSON.parse(open('pushTokens', r.pushTokensEnc)!) as string[]) : [],
  };
}
