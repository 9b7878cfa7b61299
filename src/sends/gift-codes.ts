// A gift's code and link are bearer values (whoever holds them can redeem the gift): sealed at
// rest under the tenant's data key and bound to their send, opened only for whoever may see them.
import type { Principal } from '../auth/principal.ts';
import type { ReadRecorder } from '../privacy/audit.ts';
import { decryptField, encryptField, type TenantKeys, type TenantKeyStore } from '../privacy/tenant-keys.ts';
import { maskId } from '../recipients/contact.ts';
import { seesMasked } from '../recipients/personal-view.ts';

export type GiftValueField = 'code' | 'url';

const context = (sendId: string, field: GiftValueField) => `Gift:${sendId}:${field}`;

export function sealGiftValue(keys: TenantKeys, sendId: string, field: GiftValueField, value: string): Uint8Array<ArrayBuffer> {
  return encryptField(keys, value, context(sendId, field));
}

export function openGiftValue(keys: TenantKeys, sendId: string, field: GiftValueField, sealed: Uint8Array | null): string | null {
  return sealed ? decryptField(keys, sealed, context(sendId, field)) : null;
}

export interface GiftViewDeps {
  tenantKeys: TenantKeyStore;
  auditReads: ReadRecorder;
}

/** A sealed gift value as `principal` may read it: masked for VIEWER, otherwise clear and audited first. */
export async function giftValueFor(
  deps: GiftViewDeps,
  principal: Principal,
  gift: { tenantId: string; sendId: string },
  field: GiftValueField,
  sealed: Uint8Array | null,
): Promise<string | null> {
  const value = openGiftValue(await deps.tenantKeys.get(gift.tenantId), gift.sendId, field, sealed);
  if (value === null) return null;
  if (seesMasked(principal, gift.tenantId)) return field === 'url' ? maskUrl(value) : maskId(value);
  await deps.auditReads.record({ tenantId: gift.tenantId, actor: principal.actor, action: `gift.read`, targetType: 'Send', targetId: gift.sendId });
  return value;
}

/** https://shop.example/*** : where the link leads, not the code inside it. */
function maskUrl(url: string): string {
  try {
    return `${new URL(url).origin}/***`;
  } catch {
    return '***';
  }
}
