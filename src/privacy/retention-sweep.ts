// Applies every tenant's retention policy: destroys send and campaign content past
// sendDataDays, erases recipients inactive for inactiveRecipientDays, deletes audit events
// older than auditLogDays, and records one audit event per tenant with the counts.
//
// Safe on many processes at once: a sweeper claims a tenant for the interval with a guarded
// update (one run per tenant and interval), and every row change is guarded as well, so
// even overlapping runs never count a row twice. Work goes in bounded batches, each its own
// short statement, paged by id, so a million old sends never lock a table.
import type { RetentionSettings } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import { errorFields, type Logger } from '../log.ts';
import { recordAudit } from './audit.ts';
import type { RetentionPolicy } from './retention-policy.ts';

const DAY_MS = 86_400_000;
/** Below every uuid: where keyset paging starts. */
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
/** The actor of the sweep's audit events. */
export const RETENTION_ACTOR = 'system';

export interface RetentionCounts {
  /** Sends whose message content and gift code were destroyed. */
  sendsErased: number;
  /** Campaigns whose shared message was destroyed, once every send of theirs was past the window. */
  campaignsErased: number;
  recipientsErased: number;
  /** Erasures that failed this run; they are tried again on the next. */
  recipientsFailed: number;
  auditEventsDeleted: number;
}

export interface RetentionDeps {
  prisma: PrismaClient;
  log: Logger;
  settings: RetentionSettings;
  /** Erases one recipient everywhere their data is, as an ERASURE request does. */
  eraseRecipient(target: { tenantId: string; recipientId: string; actor: string }): Promise<unknown>;
  /** The sweep's clock; tests inject one. */
  now?: () => Date;
}

/** One run over every tenant: the counts of the tenants this process claimed. */
export async function sweepRetention(deps: RetentionDeps): Promise<Map<string, RetentionCounts>> {
  const now = deps.now?.() ?? new Date();
  const results = new Map<string, RetentionCounts>();
  for (let after = FIRST_ID; ; ) {
    const tenants = await deps.prisma.tenant.findMany({ where: { id: { gt: after } }, select: { id: true }, orderBy: { id: 'asc' }, take: deps.settings.batchSize });
    for (const { id } of tenants) {
      const policy = await claimTenant(deps, id, now);
      if (!policy) continue;
      try {
        results.set(id, await applyPolicy(deps, id, policy, now));
      } catch (err) {
        // The claim stands; the next interval's run tries again, and guarded rows are not done twice.
        deps.log.error({ err: errorFields(err), tenantId: id }, 'retention run failed');
      }
    }
    if (tenants.length < deps.settings.batchSize) return results;
    after = tenants.at(-1)!.id;
  }
}

/** The tenant's policy when this process may run it now: no other run began within half an interval. */
async function claimTenant(deps: RetentionDeps, tenantId: string, now: Date): Promise<RetentionPolicy | undefined> {
  const since = new Date(now.getTime() - deps.settings.intervalMs / 2);
  const [policy] = await deps.prisma.$queryRaw<RetentionPolicy[]>`
    UPDATE "Tenant" SET "retentionRunAt" = ${now}
    WHERE "id" = ${tenantId}::uuid AND ("retentionRunAt" IS NULL OR "retentionRunAt" <= ${since})
    RETURNING "sendDataDays", "inactiveRecipientDays", "auditLogDays"`;
  return policy;
}

async function applyPolicy(deps: RetentionDeps, tenantId: string, policy: RetentionPolicy, now: Date): Promise<RetentionCounts> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const sendCutoff = before(policy.sendDataDays);
  const counts: RetentionCounts = {
    sendsErased: await eraseSendContent(deps, tenantId, sendCutoff, now),
    campaignsErased: await eraseCampaignContent(deps, tenantId, sendCutoff, now),
    ...(await eraseInactiveRecipients(deps, tenantId, before(policy.inactiveRecipientDays))),
    auditEventsDeleted: await deleteOldAuditEvents(deps, tenantId, before(policy.auditLogDays)),
  };
  await recordAudit(deps.prisma, { tenantId, actor: RETENTION_ACTOR, action: 'retention.run', targetType: 'Tenant', targetId: tenantId, detail: { ...counts }, at: now });
  deps.log.info({ tenantId, ...counts }, 'retention run');
  return counts;
}

/**
 * Message content and gift code and link of sends created before the cutoff, once dispatch
 * is done with them (a send still QUEUED or SENDING needs its message). Status, channel,
 * dates, events and the gift's status stay.
 */
async function eraseSendContent(deps: RetentionDeps, tenantId: string, cutoff: Date, now: Date): Promise<number> {
  let erased = 0;
  for (let after = FIRST_ID; ; ) {
    const rows = await deps.prisma.$queryRaw<Array<{ id: string }>>`
      WITH batch AS (
        SELECT "id" FROM "Send"
        WHERE "tenantId" = ${tenantId}::uuid AND "id" > ${after}::uuid AND "createdAt" < ${cutoff}
          AND "contentErasedAt" IS NULL AND "status" NOT IN ('QUEUED', 'SENDING')
        ORDER BY "id" LIMIT ${deps.settings.batchSize}
        FOR UPDATE SKIP LOCKED
      ), erased AS (
        UPDATE "Send" s SET "messageEnc" = NULL, "contentErasedAt" = ${now}
        FROM batch WHERE s."id" = batch."id" AND s."contentErasedAt" IS NULL
        RETURNING s."id"
      ), gifts AS (
        -- Runs to completion although nothing reads it (PostgreSQL's rule for data-modifying WITH).
        UPDATE "Gift" g SET "codeEnc" = NULL, "urlEnc" = NULL
        FROM erased WHERE g."sendId" = erased."id"
        RETURNING g."id"
      )
      SELECT "id"::text AS "id" FROM erased ORDER BY "id"`;
    erased += rows.length;
    if (rows.length < deps.settings.batchSize) return erased;
    after = rows.at(-1)!.id;
  }
}

/** A campaign's shared message, once it is past the cutoff and none of its sends still holds content. */
async function eraseCampaignContent(deps: RetentionDeps, tenantId: string, cutoff: Date, now: Date): Promise<number> {
  let erased = 0;
  for (let after = FIRST_ID; ; ) {
    const batch = await deps.prisma.campaign.findMany({
      where: { tenantId, id: { gt: after }, createdAt: { lt: cutoff }, contentErasedAt: null },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: deps.settings.batchSize,
    });
    if (batch.length === 0) return erased;
    erased += await deps.prisma.$executeRaw`
      UPDATE "Campaign" c SET "messageEnc" = NULL, "contentErasedAt" = ${now}
      WHERE c."id" = ANY(${batch.map((c) => c.id)}::uuid[]) AND c."contentErasedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "Send" s WHERE s."campaignId" = c."id" AND s."contentErasedAt" IS NULL)`;
    after = batch.at(-1)!.id;
  }
}

/** Recipients with no update, no send and no consent change since the cutoff, erased one by one. */
async function eraseInactiveRecipients(deps: RetentionDeps, tenantId: string, cutoff: Date): Promise<Pick<RetentionCounts, 'recipientsErased' | 'recipientsFailed'>> {
  const counts = { recipientsErased: 0, recipientsFailed: 0 };
  for (let after = FIRST_ID; ; ) {
    const batch = await deps.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT r."id"::text AS "id" FROM "Recipient" r
      WHERE r."tenantId" = ${tenantId}::uuid AND r."id" > ${after}::uuid AND r."updatedAt" < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM "Send" s WHERE s."recipientId" = r."id" AND (s."createdAt" >= ${cutoff} OR s."status" IN ('QUEUED', 'SENDING')))
        AND NOT EXISTS (SELECT 1 FROM "Consent" c JOIN "ConsentEvent" e ON e."consentId" = c."id" WHERE c."recipientId" = r."id" AND e."at" >= ${cutoff})
      ORDER BY r."id" LIMIT ${deps.settings.batchSize}`;
    for (const { id } of batch) {
      try {
        await deps.eraseRecipient({ tenantId, recipientId: id, actor: RETENTION_ACTOR });
        counts.recipientsErased++;
      } catch (err) {
        counts.recipientsFailed++;
        deps.log.warn({ err: errorFields(err), tenantId }, 'retention could not erase a recipient');
      }
    }
    if (batch.length < deps.settings.batchSize) return counts;
    after = batch.at(-1)!.id;
  }
}

/** The designed exception to the append-only audit log: only DELETE, which the trigger allows. */
async function deleteOldAuditEvents(deps: RetentionDeps, tenantId: string, cutoff: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await deps.prisma.$executeRaw`
      DELETE FROM "AuditEvent" WHERE "id" IN (
        SELECT "id" FROM "AuditEvent" WHERE "tenantId" = ${tenantId}::uuid AND "at" < ${cutoff}
        ORDER BY "id" LIMIT ${deps.settings.batchSize} FOR UPDATE SKIP LOCKED)`;
    deleted += count;
    if (count < deps.settings.batchSize) return deleted;
  }
}
