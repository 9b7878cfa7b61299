// What a principal sees of a recipient's personal data: VIEWER gets masked values, the
// other roles the clear values, and every clear read is written to the audit log
// (batched, off the read path).
import { roleIn, type Principal } from '../auth/principal.ts';
import type { AuditBuffer } from '../privacy/audit.ts';
import type { TenantKeyStore } from '../privacy/tenant-keys.ts';
import { maskEmail, maskName, maskPhone } from './contact.ts';
import { decryptRecipient, type RecipientPersonalData, type SealedRecipient } from './sealed-fields.ts';

export interface PersonalViewDeps {
  tenantKeys: TenantKeyStore;
  auditReads: AuditBuffer;
}

type Row = SealedRecipient & { id: string };

/** One decryption and at most one audit event per recipient per request. */
export type PersonalViewCache = Map<string, Promise<RecipientPersonalData>>;

export function personalView(deps: PersonalViewDeps, principal: Principal, row: Row, cache: PersonalViewCache): Promise<RecipientPersonalData> {
  let view = cache.get(row.id);
  if (!view) {
    view = deps.tenantKeys.get(row.tenantId).then((keys) => {
      const clear = decryptRecipient(keys, row);
      if (!principal.platformAdmin && roleIn(principal, row.tenantId) === 'VIEWER') return masked(clear);
      deps.auditReads.push({ tenantId: row.tenantId, actor: principal.actor, action: 'recipient.read', targetType: 'Recipient', targetId: row.id });
      return clear;
    });
    cache.set(row.id, view);
  }
  return view;
}

function masked(clear: RecipientPersonalData): RecipientPersonalData {
  return {
    externalId: clear.externalId,
    name: clear.name && maskName(clear.name),
    phone: clear.phone && maskPhone(clear.phone),
    email: clear.email && maskEmail(clear.email),
    pushTokens: [],
  };
}
