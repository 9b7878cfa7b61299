// Erasure (GDPR Art. 17): a recipient's personal data destroyed everywhere it is held. The
// recipient row goes, and with it the recipient's own data key, every ciphertext and every
// blind index (copies of ciphertexts in backups are unreadable without that key); their sends
// stay as anonymous records (status, channel, dates, events) with message content and gift
// values nulled; each subprocessor that handled their sends is asked to erase, and its answer
// is a row of the erasure ledger (Art. 19).
import type { PrismaClient } from '../db/client.ts';
import type { ErasureLedgerOutcome } from '../db/generated/enums.ts';
import type { EraseSubject, PluginContext, ChannelPlugin } from '../channels/contract.ts';
import { ProviderError } from '../channels/contract.ts';
import { pickRecipientFields } from '../channels/recipient-fields.ts';
import { notFound } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import { errorFields, type Logger } from '../log.ts';
import { decryptRecipient } from '../recipients/sealed-fields.ts';
import { recordAudit } from './audit.ts';
import type { TenantKeyStore } from './tenant-keys.ts';

/** A channel configuration as erasure needs it: its plugin and the context plugin calls take. */
export interface ErasureChannel {
  plugin: ChannelPlugin;
  context: Omit<PluginContext<Record<string, unknown>>, 'signal'>;
}

export interface ErasureDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  /** Opens a channel configuration (enabled or not) for its plugin's erase call. */
  openChannel(channelConfigId: string): Promise<ErasureChannel>;
  log: Logger;
  /** First retry of a failed provider erasure after this long, doubling per attempt. */
  retryBaseMs: number;
}

/** A failed provider erasure is tried this many times in all, then settled FAILED. */
export const MAX_ERASE_ATTEMPTS = 3;

export interface LedgerRow {
  id: string;
  pluginId: string;
  subprocessor: string;
  legalEntity: string;
  outcome: ErasureLedgerOutcome;
  detail: string | null;
  nextAttemptAt: Date | null;
}

export type ErasureOutcome =
  | { erased: true; ledger: LedgerRow[]; /** Every ledger row has its final outcome. */ settled: boolean }
  /** Nothing to erase: the recipient was erased before. */
  | { erased: false; reason: string };

interface Handler {
  channelConfigId: string;
  pluginId: string;
  providerMessageIds: string[];
  providerGiftIds: string[];
}

/**
 * Erases the recipient. Provider erasure is asked first, while the address is still known
 * (Brevo deletes by address); retries later carry the provider's references only.
 */
export async function eraseRecipient(
  deps: ErasureDeps,
  input: { tenantId: string; recipientId: string; requestId?: string; actor: string },
  now = new Date(),
): Promise<ErasureOutcome> {
  const { tenantId, recipientId } = input;
  const recipient = await deps.prisma.recipient.findFirst({
    where: { id: recipientId, tenantId },
    select: { id: true, tenantId: true, externalIdEnc: true, nameEnc: true, phoneEnc: true, emailEnc: true, pushTokensEnc: true, wrappedKey: true, locale: true },
  });
  if (!recipient) {
    const tombstone = await deps.prisma.erasedRecipient.findFirst({ where: { id: recipientId, tenantId }, select: { erasedAt: true } });
    if (tombstone) return { erased: false, reason: `The recipient was already erased on ${tombstone.erasedAt.toISOString()}` };
    throw notFound('Recipient');
  }
  const keys = await deps.tenantKeys.get(tenantId);
  const person = decryptRecipient(keys, recipient);
  const to = { name: person.name, phone: person.phone, email: person.email, pushTokens: person.pushTokens, locale: recipient.locale };
  const handlers = await handlersOf(deps.prisma, recipientId);

  const ledger: LedgerRow[] = [];
  for (const handler of handlers) {
    const subject: EraseSubject = { providerMessageIds: handler.providerMessageIds, providerGiftIds: handler.providerGiftIds, to };
    ledger.push({ id: newUuidV7(), ...(await askToErase(deps, handler, subject, 1, now)) });
  }

  await deps.prisma.$transaction(async (tx) => {
    const sends = await tx.send.findMany({ where: { recipientId }, select: { id: true } });
    const sendIds = sends.map((s) => s.id);
    // contentErasedAt keeps the first erasure's date (retention may have come first).
    await tx.send.updateMany({ where: { id: { in: sendIds }, contentErasedAt: null }, data: { contentErasedAt: now } });
    await tx.send.updateMany({ where: { id: { in: sendIds } }, data: { messageEnc: null, recipientId: null } });
    await tx.gift.updateMany({ where: { sendId: { in: sendIds } }, data: { codeEnc: null, urlEnc: null } });
    // Exports and pending corrections of this person are personal data too.
    await tx.dataSubjectRequest.updateMany({ where: { tenantId, recipientId }, data: { exportEnc: null, rectificationEnc: null } });
    // Consents and their history go with the row (cascade); so do the key and every ciphertext.
    await tx.recipient.delete({ where: { id: recipientId } });
    await tx.erasedRecipient.create({ data: { id: recipientId, tenantId, erasedAt: now } });
    const byId = new Map(handlers.map((h, i) => [ledger[i]!.id, h]));
    await tx.erasureLedgerEntry.createMany({
      data: ledger.map((row) => {
        const handler = byId.get(row.id)!;
        return {
          ...row,
          tenantId,
          recipientId,
          requestId: input.requestId ?? null,
          channelConfigId: handler.channelConfigId,
          attempts: 1,
          providerMessageIds: handler.providerMessageIds,
          providerGiftIds: handler.providerGiftIds,
          at: now,
        };
      }),
    });
    await recordAudit(
      tx,
      { tenantId, actor: input.actor, action: 'recipient.erased', targetType: 'Recipient', targetId: recipientId },
      ...ledger.map((row) => ({ tenantId, actor: input.actor, action: `erasure.${row.outcome.toLowerCase()}`, targetType: 'ErasureLedgerEntry', targetId: row.id })),
    );
  });
  return { erased: true, ledger, settled: ledger.every((row) => row.outcome !== 'REQUESTED') };
}

/**
 * Asks again, with the provider's references, every REQUESTED ledger row that is due (of one
 * request, or all); after MAX_ERASE_ATTEMPTS a row is settled FAILED with the last reason.
 * Returns the rows still REQUESTED afterwards.
 */
export async function retryErasures(deps: ErasureDeps, where: { requestId: string | null }, now = new Date()): Promise<LedgerRow[]> {
  const due = await deps.prisma.erasureLedgerEntry.findMany({
    where: { ...where, outcome: 'REQUESTED', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    take: 100,
  });
  for (const row of due) {
    const attempt = row.attempts + 1;
    const subject: EraseSubject = { providerMessageIds: row.providerMessageIds, providerGiftIds: row.providerGiftIds, to: {} };
    const handler: Handler = { channelConfigId: row.channelConfigId ?? '', pluginId: row.pluginId, providerMessageIds: row.providerMessageIds, providerGiftIds: row.providerGiftIds };
    const answer = row.channelConfigId
      ? await askToErase(deps, handler, subject, attempt, now)
      : { ...row, outcome: 'FAILED' as const, detail: 'the channel configuration no longer exists', nextAttemptAt: null };
    await deps.prisma.$transaction(async (tx) => {
      // Guarded: a row another worker settled meanwhile stays as it is.
      const moved = await tx.erasureLedgerEntry.updateMany({
        where: { id: row.id, outcome: 'REQUESTED', attempts: row.attempts },
        data: { outcome: answer.outcome, detail: answer.detail, nextAttemptAt: answer.nextAttemptAt, attempts: attempt, at: now },
      });
      if (moved.count === 1 && answer.outcome !== 'REQUESTED') {
        await recordAudit(tx, { tenantId: row.tenantId, actor: 'system', action: `erasure.${answer.outcome.toLowerCase()}`, targetType: 'ErasureLedgerEntry', targetId: row.id });
      }
    });
  }
  return deps.prisma.erasureLedgerEntry.findMany({ where: { ...where, outcome: 'REQUESTED' }, orderBy: { nextAttemptAt: 'asc' }, select: LEDGER_ROW });
}

const LEDGER_ROW = { id: true, pluginId: true, subprocessor: true, legalEntity: true, outcome: true, detail: true, nextAttemptAt: true } as const;

/** The channel configurations that carried the recipient's sends or issued their gifts, with the provider's references. */
async function handlersOf(prisma: PrismaClient, recipientId: string): Promise<Handler[]> {
  const sends = await prisma.send.findMany({
    where: { recipientId, channelConfigId: { not: null } },
    select: { channelConfigId: true, provider: true, providerMessageId: true, gift: { select: { channelConfigId: true, pluginId: true, providerGiftId: true } } },
  });
  const handlers = new Map<string, Handler>();
  const handler = (channelConfigId: string, pluginId: string) => {
    let h = handlers.get(channelConfigId);
    if (!h) handlers.set(channelConfigId, (h = { channelConfigId, pluginId, providerMessageIds: [], providerGiftIds: [] }));
    return h;
  };
  for (const send of sends) {
    const h = handler(send.channelConfigId!, send.provider ?? '');
    if (send.providerMessageId) h.providerMessageIds.push(send.providerMessageId);
    if (send.gift) handler(send.gift.channelConfigId, send.gift.pluginId).providerGiftIds.push(send.gift.providerGiftId);
  }
  return [...handlers.values()];
}

type Answer = Omit<LedgerRow, 'id'>;

/** One erase call and what the ledger records of it; never throws. */
async function askToErase(deps: ErasureDeps, handler: Handler, subject: EraseSubject, attempt: number, now: Date): Promise<Answer> {
  let channel: ErasureChannel;
  try {
    channel = await deps.openChannel(handler.channelConfigId);
  } catch {
    return { pluginId: handler.pluginId, subprocessor: handler.pluginId, legalEntity: 'unknown', outcome: 'FAILED', detail: 'the channel configuration could not be opened (plugin not installed?)', nextAttemptAt: null };
  }
  const { plugin } = channel;
  const who = { pluginId: plugin.id, subprocessor: plugin.subprocessor.name, legalEntity: plugin.subprocessor.legalEntity };
  if (!plugin.erase) return { ...who, outcome: 'NOT_SUPPORTED', detail: `${plugin.displayName} offers no deletion API; its own retention applies`, nextAttemptAt: null };
  try {
    const result = await plugin.erase({ ...subject, to: pickRecipientFields(subject.to, plugin.recipientFields) }, channel.context);
    return { ...who, outcome: result.erased ? 'CONFIRMED' : 'FAILED', detail: result.detail, nextAttemptAt: null };
  } catch (err) {
    // The reason only: a provider's wording may repeat what it was sent.
    const reason = err instanceof ProviderError ? `${err.reason}${err.status ? ` (HTTP ${err.status})` : ''}` : 'unexpected error';
    deps.log.warn({ pluginId: plugin.id, attempt, err: errorFields(err) }, 'provider erasure failed');
    if (attempt >= MAX_ERASE_ATTEMPTS) return { ...who, outcome: 'FAILED', detail: `gave up after ${attempt} attempts: ${reason}`, nextAttemptAt: null };
    return { ...who, outcome: 'REQUESTED', detail: `attempt ${attempt} failed: ${reason}; retrying`, nextAttemptAt: new Date(now.getTime() + deps.retryBaseMs * 2 ** (attempt - 1)) };
  }
}
