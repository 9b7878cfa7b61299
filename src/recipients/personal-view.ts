// What a principal sees of a recipient's personal data: VIEWER gets masked values, the
// other roles the clear values, and every clear read is written to the audit log before the
// value is returned.
import { roleIn, type Principal } from '../auth/principal.ts';
import type { ReadRecorder } from '../privacy/audit.ts';
import type { TenantKeyStore } from '../privacy/tenant-keys.ts';
import { maskEmail, maskId, maskName, maskPhone } from './contact.ts';
import { recipientFieldOpener, type SealedRecipient } from './sealed-fields.ts';

/** For the records of processing (GDPR Art. 32). */
export const MASKING_MEASURE = 'The VIEWER role sees personal data masked (e.g. +46 70*** **67)';

export interface PersonalViewDeps {
  tenantKeys: TenantKeyStore;
  auditReads: ReadRecorder;
}

type Row = SealedRecipient & { id: string };

/** The personal fields GraphQL shows. */
export type PersonalField = 'externalId' | 'name' | 'phone' | 'email';

/** A recipient's personal fields as the principal may see them, each opened when first asked for. */
export type PersonalView = (field: PersonalField) => string | null;

/** One view, and at most one audit event, per recipient per request. */
export type PersonalViewCache = Map<string, Promise<PersonalView>>;

const MASKS: Record<PersonalField, (value: string) => string> = { externalId: maskId, name: maskName, phone: maskPhone, email: maskEmail };

export function personalView(deps: PersonalViewDeps, principal: Principal, row: Row, cache: PersonalViewCache): Promise<PersonalView> {
  let view = cache.get(row.id);
  if (!view) {
    view = deps.tenantKeys.get(row.tenantId).then(async (keys) => {
      const open = recipientFieldOpener(keys, row);
      if (seesMasked(principal, row.tenantId)) {
        return (field) => {
          const clear = open(field);
          return clear && MASKS[field](clear);
        };
      }
      // On record before the clear value leaves: the promise the audit log makes.
      await deps.auditReads.record({ tenantId: row.tenantId, actor: principal.actor, action: 'recipient.read', targetType: 'Recipient', targetId: row.id });
      return open;
    });
    cache.set(row.id, view);
  }
  return view;
}

/** VIEWER reads masked values of personal data and bearer values; every other role reads them clear, audited. */
export const seesMasked = (principal: Principal, tenantId: string) => !principal.platformAdmin && roleIn(principal, tenantId) === 'VIEWER';
