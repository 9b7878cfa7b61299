// The ACCESS / PORTABILITY export (GDPR Art. 15, 20): everything held about one recipient as
// one JSON document, and its tabular parts as CSV. Clear values: the reader is the tenant's
// DPO or administrator, and the read is audited by the caller before the document leaves.
import type { Tx } from '../db/client.ts';
import type { PluginRegistry } from '../channels/registry.ts';
import { subprocessorsOf } from '../channels/subprocessors.ts';
import { decryptRecipient } from '../recipients/sealed-fields.ts';
import { openGiftValue } from '../sends/gift-codes.ts';
import { openMessage } from '../sends/message.ts';
import type { TenantKeys } from './tenant-keys.ts';

export interface SubjectExport {
  generatedAt: string;
  recipient: Record<string, unknown>;
  consents: Array<Record<string, unknown> & { history: Array<Record<string, unknown>> }>;
  sends: Array<Record<string, unknown> & { events: Array<Record<string, unknown>>; gift: Record<string, unknown> | null }>;
  purposes: Array<{ key: string; description: string | null; legalBasis: string }>;
  subprocessors: Array<Record<string, unknown>>;
}

/** The parts a CSV download can hold, one row per item. */
export const CSV_PARTS = ['sends', 'events', 'consents', 'consentHistory', 'purposes', 'subprocessors'] as const;
export type CsvPart = (typeof CSV_PARTS)[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function buildSubjectExport(tx: Tx, plugins: PluginRegistry, keys: TenantKeys, q: { tenantId: string; recipientId: string }, now: Date): Promise<SubjectExport> {
  const recipient = await tx.recipient.findFirstOrThrow({
    where: { id: q.recipientId, tenantId: q.tenantId },
    include: {
      consents: { orderBy: [{ channel: 'asc' }, { purposeKey: 'asc' }], include: { events: { orderBy: { at: 'asc' } } } },
      sends: { orderBy: { id: 'asc' }, include: { events: { orderBy: { id: 'asc' } }, gift: true, campaign: { select: { id: true, messageEnc: true } } } },
    },
  });
  const person = decryptRecipient(keys, recipient);
  const purposeKeys = [...new Set([...recipient.consents.map((c) => c.purposeKey), ...recipient.sends.map((s) => s.purposeKey)])];
  const purposes = await tx.purpose.findMany({ where: { tenantId: q.tenantId, key: { in: purposeKeys } }, orderBy: { key: 'asc' }, select: { key: true, description: true, legalBasis: true } });
  const pluginIds = [...new Set(recipient.sends.flatMap((s) => [s.provider, s.gift?.pluginId]).filter((id): id is string => !!id))];
  return {
    generatedAt: now.toISOString(),
    recipient: {
      id: recipient.id,
      ...person,
      locale: recipient.locale,
      restricted: recipient.restricted,
      objected: recipient.objected,
      createdAt: iso(recipient.createdAt),
      updatedAt: iso(recipient.updatedAt),
    },
    consents: recipient.consents.map((c) => ({
      channel: c.channel,
      purpose: c.purposeKey,
      granted: c.granted,
      source: c.source,
      proof: c.proof,
      recordedAt: iso(c.recordedAt),
      withdrawnAt: iso(c.withdrawnAt),
      history: c.events.map((e) => ({ granted: e.granted, source: e.source, proof: e.proof, recordedBy: e.recordedBy, at: iso(e.at) })),
    })),
    sends: recipient.sends.map((s) => {
      const sealed = s.messageEnc ? { owner: 'Send' as const, id: s.id, enc: s.messageEnc } : s.campaign?.messageEnc ? { owner: 'Campaign' as const, id: s.campaign.id, enc: s.campaign.messageEnc } : null;
      return {
        id: s.id,
        channel: s.channel,
        purpose: s.purposeKey,
        campaignId: s.campaignId,
        status: s.status,
        statusReason: s.statusReason,
        provider: s.provider,
        message: sealed ? openMessage(keys, sealed.owner, sealed.id, sealed.enc) : null,
        scheduledAt: iso(s.scheduledAt),
        createdAt: iso(s.createdAt),
        events: s.events.map((e) => ({ status: e.status, giftStatus: e.giftStatus, at: iso(e.at), provider: e.provider, detail: e.detail })),
        gift: s.gift && {
          offerId: s.gift.offerId,
          provider: s.gift.pluginId,
          status: s.gift.status,
          code: openGiftValue(keys, s.id, 'code', s.gift.codeEnc),
          url: openGiftValue(keys, s.id, 'url', s.gift.urlEnc),
          expiresAt: iso(s.gift.expiresAt),
          redeemedAt: iso(s.gift.redeemedAt),
        },
      };
    }),
    purposes,
    subprocessors: subprocessorsOf(plugins, pluginIds).map(({ pluginId: _plugin, ...info }) => info),
  };
}

/** One part of the export as rows of flat values. */
function rowsOf(doc: SubjectExport, part: CsvPart): Array<Record<string, unknown>> {
  switch (part) {
    case 'sends':
      return doc.sends.map(({ events: _e, gift, message, ...s }) => ({ ...s, subject: (message as { subject?: string } | null)?.subject ?? null, body: (message as { body?: string } | null)?.body ?? null, giftOfferId: gift?.offerId ?? null, giftStatus: gift?.status ?? null, giftCode: gift?.code ?? null }));
    case 'events':
      return doc.sends.flatMap((s) => s.events.map((e) => ({ sendId: s.id, ...e })));
    case 'consents':
      return doc.consents.map(({ history: _h, ...c }) => c);
    case 'consentHistory':
      return doc.consents.flatMap((c) => c.history.map((h) => ({ channel: c.channel, purpose: c.purpose, ...h })));
    case 'purposes':
      return doc.purposes;
    case 'subprocessors':
      return doc.subprocessors.map((s) => ({ ...s, dataCategories: (s.dataCategories as string[]).join('; ') }));
  }
}

/** RFC 4180 CSV of one part; cells a spreadsheet would run as a formula are quoted with a leading apostrophe. */
export function exportCsv(doc: SubjectExport, part: CsvPart): string {
  const rows = rowsOf(doc, part);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.map(cell).join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n';
}
