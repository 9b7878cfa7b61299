// A gift's code and link are bearer values (whoever holds them can redeem the gift): sealed at
// rest under the tenant's data key and bound to their send, opened only for whoever may see them.
import { decryptField, encryptField, type TenantKeys } from '../privacy/tenant-keys.ts';

export type GiftValueField = 'code' | 'url';

const context = (sendId: string, field: GiftValueField) => `Gift:${sendId}:${field}`;

export function sealGiftValue(keys: TenantKeys, sendId: string, field: GiftValueField, value: string): Uint8Array<ArrayBuffer> {
  return encryptField(keys, value, context(sendId, field));
}

export function openGiftValue(keys: TenantKeys, sendId: string, field: GiftValueField, sealed: Uint8Array | null): string | null {
  return sealed ? decryptField(keys, sealed, context(sendId, field)) : null;
}
