// Data subject requests (GDPR Art. 12, 15-21): received from the tenant's DPO or administrator,
// worked on the queue (the row is the truth, the job carries its id), RECEIVED → IN_PROGRESS →
// COMPLETED or REJECTED (with a reason), due 30 days after receipt, extendable once.
import type { Principal } from '../auth/principal.ts';
import type { PluginRegistry } from '../channels/registry.ts';
import type { PrismaClient, Tx } from '../db/client.ts';
import type { DataSubjectRequestKind } from '../db/generated/enums.ts';
import { badInput, notFound } from '../errors.ts';
import { errorFields, type Logger } from '../log.ts';
import { columnsFor, decryptRecipient, rectifiableFields, validateFields, type ValidRecipient } from '../recipients/sealed-fields.ts';
import { enqueueCommitted, type DispatchQueue } from '../sends/queue.ts';
import { recordAudit, type ReadRecorder } from './audit.ts';
import { eraseRecipient, retryErasures, type ErasureDeps } from './erasure.ts';
import { buildSubjectExport, type SubjectExport } from './subject-export.ts';
import { decryptField, encryptField, type TenantKeyStore } from './tenant-keys.ts';

export interface DataSubjectRequestDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  auditReads: ReadRecorder;
  plugins: PluginRegistry;
  erasure: ErasureDeps;
  /** Carries request ids to the worker (the dispatch queue's drivers, under their own name). */
  queue: DispatchQueue;
  log: Logger;
  /** How long a worker holds a request it works on before another may take it. */
  leaseMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** GDPR Art. 12(3): one month, extendable by two further months. */
export const DUE_DAYS = 30;
export const MAX_EXTENSION_DAYS = 60;

const exportContext = (id: string) => `DataSubjectRequest:${id}:export`;
const rectificationContext = (id: string) => `DataSubjectRequest:${id}:rectification`;

export interface RequestInput {
  tenantId: string;
  recipientId: string;
  kind: DataSubjectRequestKind;
  rectification?: unknown;
  note?: string | null;
  lift?: boolean | null;
}

/** Records the request (RECEIVED) and hands it to the queue; bad input creates nothing. */
export async function requestDataSubjectAction(deps: DataSubjectRequestDeps, actor: Principal, input: RequestInput, now = new Date()) {
  const { tenantId, recipientId, kind } = input;
  if (input.note && input.note.length > 1000) throw badInput('note', 'must be at most 1000 characters');
  if (input.lift && kind !== 'RESTRICTION' && kind !== 'OBJECTION') throw badInput('lift', 'applies to RESTRICTION and OBJECTION only');
  if (kind === 'RECTIFICATION' ? input.rectification == null : input.rectification != null) {
    throw badInput('rectification', kind === 'RECTIFICATION' ? 'is required for RECTIFICATION: the corrected fields (name, phone, email, locale)' : 'applies to RECTIFICATION only');
  }
  const [recipient, tombstone, tenant] = await Promise.all([
    deps.prisma.recipient.findFirst({ where: { id: recipientId, tenantId }, select: { id: true } }),
    deps.prisma.erasedRecipient.findFirst({ where: { id: recipientId, tenantId }, select: { erasedAt: true } }),
    deps.prisma.tenant.findUnique({ where: { id: tenantId }, select: { defaultCountry: true } }),
  ]);
  if ((!recipient && !tombstone) || !tenant) throw notFound('Recipient');
  let rectification: ValidRecipient | null = null;
  if (kind === 'RECTIFICATION') {
    rectification = validateRectification(input.rectification, tenant.defaultCountry);
    if (Object.keys(rectification).length === 0) throw badInput('rectification', 'names no field to correct (name, phone, email, locale)');
  }
  const keys = await deps.tenantKeys.get(tenantId);
  const dueAt = new Date(now.getTime() + DUE_DAYS * DAY_MS);
  const request = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.dataSubjectRequest.create({
      data: { tenantId, recipientId, kind, lift: !!input.lift, note: input.note ?? null, receivedAt: now, dueAt, deadlineAt: dueAt, requestedBy: actor.actor },
    });
    await recordAudit(tx, { tenantId, actor: actor.actor, action: `dataSubjectRequest.received.${kind}`, targetType: 'DataSubjectRequest', targetId: created.id });
    if (tombstone) return reject(tx, created.id, tenantId, `The recipient was already erased on ${tombstone.erasedAt.toISOString()}`, now);
    if (!rectification) return created;
    // Sealed until applied, then nulled: the corrected values are personal data like the rest.
    const sealed = encryptField(keys, JSON.stringify(rectification), rectificationContext(created.id));
    return tx.dataSubjectRequest.update({ where: { id: created.id }, data: { rectificationEnc: sealed } });
  });
  if (request.status === 'RECEIVED') await enqueueCommitted(deps, [{ sendId: request.id, attempt: 0 }]);
  return request;
}

/** The corrected fields, validated as upsertRecipient validates them; any other field is refused by name. */
function validateRectification(raw: unknown, defaultCountry: string): ValidRecipient {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badInput('rectification', 'must be an object of corrected fields (name, phone, email, locale)');
  const unknown = Object.keys(raw).find((key) => !Object.hasOwn(rectifiableFields.shape, key));
  if (unknown) throw badInput(`rectification.${unknown}`, 'is not a field a rectification may correct (name, phone, email, locale)');
  return validateFields(rectifiableFields, raw, defaultCountry, 'rectification.');
}

/** Extends the deadline once, by 1 to 60 days, with the reason on record (Art. 12(3)). */
export async function extendDataSubjectRequest(deps: Pick<DataSubjectRequestDeps, 'prisma'>, actor: Principal, input: { id: string; days: number; reason: string }) {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_EXTENSION_DAYS) throw badInput('days', `must be between 1 and ${MAX_EXTENSION_DAYS}`);
  const reason = input.reason.trim();
  if (!reason || reason.length > 1000) throw badInput('reason', 'must be 1 to 1000 characters');
  return deps.prisma.$transaction(async (tx) => {
    const request = await tx.dataSubjectRequest.findUnique({ where: { id: input.id } });
    if (!request) throw notFound('DataSubjectRequest');
    if (request.extendedUntil) throw badInput('id', 'the request was already extended once');
    if (request.completedAt) throw badInput('id', `the request is already ${request.status}`);
    const extendedUntil = new Date(request.dueAt.getTime() + input.days * DAY_MS);
    // Guarded, so two concurrent extensions cannot both pass.
    const moved = await tx.dataSubjectRequest.updateMany({ where: { id: request.id, extendedUntil: null }, data: { extendedUntil, extensionReason: reason, deadlineAt: extendedUntil } });
    if (moved.count === 0) throw badInput('id', 'the request was already extended once');
    await recordAudit(tx, { tenantId: request.tenantId, actor: actor.actor, action: 'dataSubjectRequest.extended', targetType: 'DataSubjectRequest', targetId: request.id });
    return tx.dataSubjectRequest.findUniqueOrThrow({ where: { id: request.id } });
  });
}

/** The export of a completed ACCESS / PORTABILITY request, null otherwise; the clear read is on record before it is returned. */
export async function readExport(deps: Pick<DataSubjectRequestDeps, 'tenantKeys' | 'auditReads'>, actor: string, request: { id: string; tenantId: string; exportEnc: Uint8Array | null }, action = 'dataSubjectRequest.exportRead'): Promise<SubjectExport | null> {
  if (!request.exportEnc) return null;
  const keys = await deps.tenantKeys.get(request.tenantId);
  const doc = JSON.parse(decryptField(keys, request.exportEnc, exportContext(request.id))) as SubjectExport;
  await deps.auditReads.record({ tenantId: request.tenantId, actor, action, targetType: 'DataSubjectRequest', targetId: request.id });
  return doc;
}

async function reject(tx: Tx, id: string, tenantId: string, reason: string, now: Date) {
  await recordAudit(tx, { tenantId, actor: 'system', action: 'dataSubjectRequest.rejected', targetType: 'DataSubjectRequest', targetId: id });
  return tx.dataSubjectRequest.update({ where: { id }, data: { status: 'REJECTED', reason, completedAt: now, leaseUntil: null } });
}

async function complete(tx: Tx, id: string, tenantId: string, now: Date) {
  await recordAudit(tx, { tenantId, actor: 'system', action: 'dataSubjectRequest.completed', targetType: 'DataSubjectRequest', targetId: id });
  return tx.dataSubjectRequest.update({ where: { id }, data: { status: 'COMPLETED', completedAt: now, leaseUntil: null } });
}

type Claimed = NonNullable<Awaited<ReturnType<PrismaClient['dataSubjectRequest']['findUnique']>>>;

/**
 * Works on one request: claims it with a guarded update (so of many workers one does it),
 * carries it out and settles it. A crash leaves it claimed until its lease ends; the sweep
 * hands it out again.
 */
export async function processDataSubjectRequest(deps: DataSubjectRequestDeps, id: string, now = new Date()): Promise<void> {
  const request = await deps.prisma.dataSubjectRequest.findUnique({ where: { id } });
  if (!request || request.completedAt || (request.leaseUntil && request.leaseUntil > now)) return;
  const claimed = await deps.prisma.dataSubjectRequest.updateMany({
    where: { id, status: request.status, attempts: request.attempts },
    data: { status: 'IN_PROGRESS', attempts: request.attempts + 1, leaseUntil: new Date(now.getTime() + deps.leaseMs) },
  });
  if (claimed.count === 0) return;
  if (request.status === 'RECEIVED') {
    await recordAudit(deps.prisma, { tenantId: request.tenantId, actor: 'system', action: 'dataSubjectRequest.started', targetType: 'DataSubjectRequest', targetId: id });
  }
  const mine = { ...request, attempts: request.attempts + 1 };
  try {
    await carryOut(deps, mine, now);
  } catch (err) {
    deps.log.error({ requestId: id, kind: request.kind, err: errorFields(err) }, 'data subject request failed; the sweep retries it');
    await deps.prisma.dataSubjectRequest.updateMany({ where: { id, attempts: mine.attempts, completedAt: null }, data: { leaseUntil: null } });
  }
}

async function carryOut(deps: DataSubjectRequestDeps, request: Claimed, now: Date): Promise<void> {
  const { id, tenantId, recipientId } = request;
  const exists = await deps.prisma.recipient.findFirst({ where: { id: recipientId, tenantId }, select: { id: true } });
  if (request.kind === 'ERASURE') return carryOutErasure(deps, request, !!exists, now);
  if (!exists) {
    await deps.prisma.$transaction((tx) => reject(tx, id, tenantId, 'The recipient was erased', now));
    return;
  }
  const keys = await deps.tenantKeys.get(tenantId);
  switch (request.kind) {
    case 'ACCESS':
    case 'PORTABILITY': {
      await deps.prisma.$transaction(async (tx) => {
        const doc = await buildSubjectExport(tx, deps.plugins, keys, { tenantId, recipientId }, now);
        await recordAudit(tx, { tenantId, actor: request.requestedBy, action: 'dataSubjectRequest.exported', targetType: 'DataSubjectRequest', targetId: id });
        await tx.dataSubjectRequest.update({ where: { id }, data: { exportEnc: encryptField(keys, JSON.stringify(doc), exportContext(id)) } });
        await complete(tx, id, tenantId, now);
      });
      return;
    }
    case 'RECTIFICATION': {
      await deps.prisma.$transaction(async (tx) => {
        const existing = await tx.recipient.findUniqueOrThrow({
          where: { id: recipientId },
          select: { tenantId: true, externalIdEnc: true, nameEnc: true, phoneEnc: true, emailEnc: true, pushTokensEnc: true, wrappedKey: true, locale: true },
        });
        const corrected = request.rectificationEnc ? (JSON.parse(decryptField(keys, request.rectificationEnc, rectificationContext(id))) as ValidRecipient) : {};
        const { externalId } = decryptRecipient(keys, existing);
        const cols = columnsFor(keys, tenantId, { ...corrected, externalId }, existing);
        // The old ciphertexts are overwritten in place; no copy of the old values is kept.
        await tx.recipient.update({ where: { id: recipientId }, data: cols });
        await tx.dataSubjectRequest.update({ where: { id }, data: { rectificationEnc: null } });
        await recordAudit(tx, { tenantId, actor: request.requestedBy, action: 'recipient.rectified', targetType: 'Recipient', targetId: recipientId });
        await complete(tx, id, tenantId, now);
      });
      return;
    }
    case 'RESTRICTION':
    case 'OBJECTION': {
      const flag = request.kind === 'RESTRICTION' ? 'restricted' : 'objected';
      const action = request.kind === 'RESTRICTION' ? (request.lift ? 'recipient.unrestricted' : 'recipient.restricted') : request.lift ? 'recipient.objectionLifted' : 'recipient.objected';
      await deps.prisma.$transaction(async (tx) => {
        await tx.recipient.update({ where: { id: recipientId }, data: { [flag]: !request.lift } });
        await recordAudit(tx, { tenantId, actor: request.requestedBy, action, targetType: 'Recipient', targetId: recipientId });
        await complete(tx, id, tenantId, now);
      });
      return;
    }
  }
}

async function carryOutErasure(deps: DataSubjectRequestDeps, request: Claimed, exists: boolean, now: Date): Promise<void> {
  const { id, tenantId, recipientId } = request;
  let pending;
  if (exists) {
    const outcome = await eraseRecipient(deps.erasure, { tenantId, recipientId, requestId: id, actor: request.requestedBy });
    if (!outcome.erased) {
      await deps.prisma.$transaction((tx) => reject(tx, id, tenantId, outcome.reason, now));
      return;
    }
    pending = outcome.ledger.filter((row) => row.outcome === 'REQUESTED');
  } else {
    const tombstone = await deps.prisma.erasedRecipient.findFirst({ where: { id: recipientId, tenantId }, select: { erasedAt: true } });
    const ledgerRows = await deps.prisma.erasureLedgerEntry.count({ where: { requestId: id } });
    // Erased by this request (an earlier run that stopped before settling it) or by another one.
    if (!tombstone || (ledgerRows === 0 && tombstone.erasedAt < request.receivedAt)) {
      await deps.prisma.$transaction((tx) => reject(tx, id, tenantId, tombstone ? `The recipient was already erased on ${tombstone.erasedAt.toISOString()}` : 'The recipient does not exist', now));
      return;
    }
    pending = await retryErasures(deps.erasure, { requestId: id }, now);
  }
  if (pending.length === 0) {
    await deps.prisma.$transaction((tx) => complete(tx, id, tenantId, now));
    return;
  }
  // Some subprocessor has not answered yet: the request waits for the next try of its ledger rows.
  await deps.prisma.dataSubjectRequest.update({ where: { id }, data: { leaseUntil: null } });
  const next = pending.reduce((min, row) => (row.nextAttemptAt && row.nextAttemptAt < min ? row.nextAttemptAt : min), pending[0]!.nextAttemptAt ?? now);
  await enqueueCommitted(deps, [{ sendId: id, attempt: request.attempts, runAt: next }]);
}

/**
 * Hands out again what a queue lost (a restart, a crashed worker): open requests no worker
 * holds; and retries the ledger rows of erasures made without a request (retention).
 */
export async function sweepDataSubjectRequests(deps: DataSubjectRequestDeps, now = new Date()): Promise<number> {
  const open = await deps.prisma.dataSubjectRequest.findMany({
    where: { status: { in: ['RECEIVED', 'IN_PROGRESS'] }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    select: { id: true, attempts: true },
    orderBy: { deadlineAt: 'asc' },
    take: 500,
  });
  await enqueueCommitted(deps, open.map((r) => ({ sendId: r.id, attempt: r.attempts })));
  await retryErasures(deps.erasure, { requestId: null }, now);
  return open.length;
}
