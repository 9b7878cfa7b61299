// Recipients: the tenant's customers and employees. Every personal field is stored
// encrypted under the tenant's data key; exact lookups go through blind indexes.
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient, Tx } from '../db/client.ts';
import { badInput, notFound } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import { recordAudit } from '../privacy/audit.ts';
import { blindIndex, type TenantKeyStore } from '../privacy/tenant-keys.ts';
import { normaliseEmail, normalisePhone } from './contact.ts';
import { columnsFor, externalIdIndexOf, validateRecipient, type RecipientColumns, type RecipientInput } from './sealed-fields.ts';

export interface RecipientDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
}

export const MAX_BULK_RECIPIENTS = 10_000;

/** The sealed columns, as re-sealing a recipient's fields needs them. */
const SEALED = { tenantId: true, externalIdEnc: true, nameEnc: true, phoneEnc: true, emailEnc: true, pushTokensEnc: true, wrappedKey: true, locale: true } as const;

async function tenantFacts(deps: RecipientDeps, tx: Tx, tenantId: string) {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { defaultCountry: true } });
  if (!tenant) throw notFound('Tenant');
  return { keys: await deps.tenantKeys.get(tenantId, tx), defaultCountry: tenant.defaultCountry };
}

export async function upsertRecipient(deps: RecipientDeps, actor: Principal, { tenantId, ...input }: RecipientInput & { tenantId: string }) {
  return deps.prisma.$transaction(async (tx) => {
    const { keys, defaultCountry } = await tenantFacts(deps, tx, tenantId);
    const valid = validateRecipient(input, defaultCountry);
    const existing = await tx.recipient.findUnique({
      where: { tenantId_externalIdIndex: { tenantId, externalIdIndex: externalIdIndexOf(keys, valid.externalId) } },
      select: { id: true, ...SEALED },
    });
    const cols = columnsFor(keys, tenantId, valid, existing);
    const recipient = existing
      ? await tx.recipient.update({ where: { id: existing.id }, data: cols })
      : await tx.recipient.create({ data: { ...cols, tenantId } });
    await recordAudit(tx, {
      tenantId,
      actor: actor.actor,
      action: existing ? 'recipient.updated' : 'recipient.created',
      targetType: 'Recipient',
      targetId: recipient.id,
    });
    return recipient;
  });
}

/**
 * Upserts up to MAX_BULK_RECIPIENTS in one transaction: everything is validated first
 * (nothing is written when one item is bad), then new rows go in with batched inserts and
 * known ones change with batched updates.
 */
export async function upsertRecipients(deps: RecipientDeps, actor: Principal, { tenantId, recipients: inputs }: { tenantId: string; recipients: RecipientInput[] }) {
  if (inputs.length > MAX_BULK_RECIPIENTS) throw badInput('recipients', `at most ${MAX_BULK_RECIPIENTS} per call`);
  const { keys, defaultCountry } = await tenantFacts(deps, deps.prisma, tenantId);
  const valids = inputs.map((input, i) => validateRecipient(input, defaultCountry, `recipients.${i}.`));
  const byExternal = new Map(valids.map((valid) => [externalIdIndexOf(keys, valid.externalId), valid]));
  if (byExternal.size !== valids.length) throw badInput('recipients', 'the same externalId appears more than once');

  return deps.prisma.$transaction(
    async (tx) => {
      const existing = new Map<string, { id: string } & NonNullable<Parameters<typeof columnsFor>[3]>>();
      for (const chunk of chunks([...byExternal.keys()], 1000)) {
        const found = await tx.recipient.findMany({
          where: { tenantId, externalIdIndex: { in: chunk } },
          select: { id: true, externalIdIndex: true, ...SEALED },
        });
        for (const r of found) existing.set(r.externalIdIndex, r);
      }
      const rows = [...byExternal].map(([index, valid]) => ({ index, row: columnsFor(keys, tenantId, valid, existing.get(index) ?? null) }));
      const fresh = rows.filter((r) => !existing.has(r.index)).map((r) => r.row);
      for (const chunk of chunks(fresh, 1000)) await insertMany(tx, tenantId, chunk);
      const changed = rows.filter((r) => existing.has(r.index));
      for (const chunk of chunks(changed, 1000)) await updateMany(tx, tenantId, chunk.map(({ index, row }) => ({ id: existing.get(index)!.id, row })));
      await recordAudit(tx, {
        tenantId,
        actor: actor.actor,
        action: 'recipient.bulkUpserted',
        targetType: 'Tenant',
        targetId: tenantId,
      });
      return { created: fresh.length, updated: rows.length - fresh.length };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

// Bulk statements pass ciphertexts as base64 text, which every driver sends alike in arrays.
const b64 = (value: Uint8Array | null | undefined) => (value ? Buffer.from(value).toString('base64') : null);

/** Inserts many new recipients in one statement. */
async function insertMany(tx: Tx, tenantId: string, rows: RecipientColumns[]): Promise<void> {
  const col = <T>(pick: (row: RecipientColumns) => T) => rows.map(pick);
  await tx.$executeRawUnsafe(
    `INSERT INTO "Recipient" ("id", "tenantId", "externalIdEnc", "externalIdIndex", "nameEnc", "phoneEnc", "phoneIndex", "emailEnc", "emailIndex", "locale", "pushTokensEnc", "wrappedKey", "updatedAt")
     SELECT v."id", $1::uuid, decode(v."externalIdEnc", 'base64'), v."externalIdIndex", decode(v."nameEnc", 'base64'), decode(v."phoneEnc", 'base64'), v."phoneIndex",
       decode(v."emailEnc", 'base64'), v."emailIndex", v."locale", decode(v."pushTokensEnc", 'base64'), decode(v."wrappedKey", 'base64'), now()
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
       AS v("id", "externalIdEnc", "externalIdIndex", "nameEnc", "phoneEnc", "phoneIndex", "emailEnc", "emailIndex", "locale", "pushTokensEnc", "wrappedKey")`,
    tenantId,
    col(() => newUuidV7()),
    col((row) => b64(row.externalIdEnc)),
    col((row) => row.externalIdIndex),
    col((row) => b64(row.nameEnc)),
    col((row) => b64(row.phoneEnc)),
    col((row) => row.phoneIndex ?? null),
    col((row) => b64(row.emailEnc)),
    col((row) => row.emailIndex ?? null),
    col((row) => row.locale ?? null),
    col((row) => b64(row.pushTokensEnc)),
    col((row) => b64(row.wrappedKey)),
  );
}

/** Updates many recipients in one statement. A field the input left out keeps its value (its `set` flag is false). */
async function updateMany(tx: Tx, tenantId: string, updates: Array<{ id: string; row: RecipientColumns }>): Promise<void> {
  const col = <T>(pick: (row: RecipientColumns) => T) => updates.map((u) => pick(u.row));
  const given = (key: keyof RecipientColumns) => col((row) => row[key] !== undefined);
  await tx.$executeRawUnsafe(
    `UPDATE "Recipient" r SET
       "externalIdEnc" = decode(v."externalIdEnc", 'base64'),
       "nameEnc" = CASE WHEN v."setName" THEN decode(v."nameEnc", 'base64') ELSE r."nameEnc" END,
       "phoneEnc" = CASE WHEN v."setPhone" THEN decode(v."phoneEnc", 'base64') ELSE r."phoneEnc" END,
       "phoneIndex" = CASE WHEN v."setPhone" THEN v."phoneIndex" ELSE r."phoneIndex" END,
       "emailEnc" = CASE WHEN v."setEmail" THEN decode(v."emailEnc", 'base64') ELSE r."emailEnc" END,
       "emailIndex" = CASE WHEN v."setEmail" THEN v."emailIndex" ELSE r."emailIndex" END,
       "locale" = CASE WHEN v."setLocale" THEN v."locale" ELSE r."locale" END,
       "pushTokensEnc" = CASE WHEN v."setPushTokens" THEN decode(v."pushTokensEnc", 'base64') ELSE r."pushTokensEnc" END,
       "wrappedKey" = COALESCE(decode(v."wrappedKey", 'base64'), r."wrappedKey"),
       "updatedAt" = now()
     FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::boolean[], $9::text[], $10::text[],
                 $11::boolean[], $12::text[], $13::boolean[], $14::text[], $16::text[])
       AS v("id", "externalIdEnc", "setName", "nameEnc", "setPhone", "phoneEnc", "phoneIndex", "setEmail", "emailEnc", "emailIndex",
            "setLocale", "locale", "setPushTokens", "pushTokensEnc", "wrappedKey")
     WHERE r."id" = v."id" AND r."tenantId" = $15::uuid`,
    updates.map((u) => u.id),
    col((row) => b64(row.externalIdEnc)),
    given('nameEnc'),
    col((row) => b64(row.nameEnc)),
    given('phoneEnc'),
    col((row) => b64(row.phoneEnc)),
    col((row) => row.phoneIndex ?? null),
    given('emailEnc'),
    col((row) => b64(row.emailEnc)),
    col((row) => row.emailIndex ?? null),
    given('locale'),
    col((row) => row.locale ?? null),
    given('pushTokensEnc'),
    col((row) => b64(row.pushTokensEnc)),
    tenantId,
    col((row) => b64(row.wrappedKey)),
  );
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The where-clause for an exact search by phone or e-mail; null when the text is neither. */
export async function searchWhere(deps: RecipientDeps, tenantId: string, search: string) {
  const keys = await deps.tenantKeys.get(tenantId);
  const email = search.includes('@') ? normaliseEmail(search) : null;
  if (email) return { emailIndex: blindIndex(keys, 'email', email) };
  const tenant = await deps.prisma.tenant.findUnique({ where: { id: tenantId }, select: { defaultCountry: true } });
  const phone = normalisePhone(search, tenant?.defaultCountry ?? 'SE');
  return phone ? { phoneIndex: blindIndex(keys, 'phone', phone) } : null;
}

/** GDPR Art. 18 restriction: while set, nothing is sent to the recipient. */
export async function setRestriction(deps: Pick<RecipientDeps, 'prisma'>, actor: Principal, { recipientId, restricted }: { recipientId: string; restricted: boolean }) {
  return setFlag(deps, actor, recipientId, { restricted }, restricted ? 'recipient.restricted' : 'recipient.unrestricted');
}

/** GDPR Art. 21 objection: while set, nothing is sent on LEGITIMATE_INTEREST purposes. */
export async function setObjection(deps: Pick<RecipientDeps, 'prisma'>, actor: Principal, { recipientId, objected }: { recipientId: string; objected: boolean }) {
  return setFlag(deps, actor, recipientId, { objected }, objected ? 'recipient.objected' : 'recipient.objectionLifted');
}

async function setFlag(deps: Pick<RecipientDeps, 'prisma'>, actor: Principal, recipientId: string, data: { restricted?: boolean; objected?: boolean }, action: string) {
  return deps.prisma.$transaction(async (tx) => {
    const recipient = await tx.recipient.findUnique({ where: { id: recipientId }, select: { tenantId: true } });
    if (!recipient) throw notFound('Recipient');
    const updated = await tx.recipient.update({ where: { id: recipientId }, data });
    await recordAudit(tx, { tenantId: recipient.tenantId, actor: actor.actor, action, targetType: 'Recipient', targetId: recipientId });
    return updated;
  });
}
