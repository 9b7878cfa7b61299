// The legal-basis gate: "may this tenant contact this recipient on this channel for this
// purpose now?" The send path calls mayContact; `decide` is the pure table behind it.
import type { Tx } from '../db/client.ts';
import type { Channel, LegalBasis } from '../db/generated/enums.ts';
import { AppError, badInput } from '../errors.ts';

export type ContactDecision =
  | { allowed: true }
  | { allowed: false; code: 'CONSENT_REQUIRED' | 'PROCESSING_RESTRICTED' | 'RECIPIENT_OBJECTED'; reason: string };

export interface ContactFacts {
  legalBasis: LegalBasis;
  purpose: string;
  channel: Channel;
  /** GDPR Art. 18: nothing is processed for sending. */
  restricted: boolean;
  /** GDPR Art. 21: no processing on legitimate interest. */
  objected: boolean;
  /** Current consent for this channel and purpose, if any was ever recorded. */
  consent: { granted: boolean; withdrawnAt: Date | null } | null;
}

export function decide(f: ContactFacts): ContactDecision {
  if (f.restricted) {
    return { allowed: false, code: 'PROCESSING_RESTRICTED', reason: 'Processing of this recipient is restricted (GDPR Art. 18)' };
  }
  switch (f.legalBasis) {
    case 'CONSENT':
      if (f.consent?.granted && !f.consent.withdrawnAt) return { allowed: true };
      return {
        allowed: false,
        code: 'CONSENT_REQUIRED',
        reason: f.consent?.withdrawnAt
          ? `Consent for ${f.channel} / ${f.purpose} was withdrawn`
          : `No consent recorded for ${f.channel} / ${f.purpose}`,
      };
    case 'LEGITIMATE_INTEREST':
      if (f.objected) {
        return { allowed: false, code: 'RECIPIENT_OBJECTED', reason: `The recipient objected to processing on legitimate interest (GDPR Art. 21)` };
      }
      return { allowed: true };
    case 'CONTRACT':
    case 'LEGAL_OBLIGATION':
      return { allowed: true };
  }
}

/** The gate's columns as every query that feeds it reads them (purpose, recipient and consent joined). */
export interface ContactRow {
  legalBasis: LegalBasis;
  restricted: boolean;
  objected: boolean;
  /** Null when no consent was ever recorded for the channel and purpose. */
  consentGranted: boolean | null;
  consentWithdrawnAt: Date | null;
}

/** The facts `decide` needs, from one row of the gate's columns. */
export function contactFacts(row: ContactRow, purpose: string, channel: Channel): ContactFacts {
  const consent = row.consentGranted === null ? null : { granted: row.consentGranted, withdrawnAt: row.consentWithdrawnAt };
  return { legalBasis: row.legalBasis, purpose, channel, restricted: row.restricted, objected: row.objected, consent };
}

/** Looks up the facts and decides; an unknown purpose is the caller's error. */
export async function mayContact(
  tx: Tx,
  q: { tenantId: string; recipientId: string; channel: Channel; purpose: string },
): Promise<ContactDecision> {
  const [purpose, recipient, consent] = await Promise.all([
    tx.purpose.findUnique({ where: { tenantId_key: { tenantId: q.tenantId, key: q.purpose } }, select: { legalBasis: true } }),
    tx.recipient.findFirst({ where: { id: q.recipientId, tenantId: q.tenantId }, select: { restricted: true, objected: true } }),
    tx.consent.findUnique({
      where: { recipientId_channel_purposeKey: { recipientId: q.recipientId, channel: q.channel, purposeKey: q.purpose } },
      select: { granted: true, withdrawnAt: true },
    }),
  ]);
  if (!purpose) throw badInput('purpose', `unknown purpose "${q.purpose}"; define it with definePurpose first`);
  if (!recipient) throw new AppError('NOT_FOUND', 'Recipient not found');
  const row = { legalBasis: purpose.legalBasis, ...recipient, consentGranted: consent?.granted ?? null, consentWithdrawnAt: consent?.withdrawnAt ?? null };
  return decide(contactFacts(row, q.purpose, q.channel));
}
