// Endpoint signing secrets: Standard Webhooks' `whsec_<base64>` form, shown once, stored sealed
// with the tenant's data key and bound to the endpoint's row.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { decryptField, encryptField, type TenantKeys } from '../privacy/tenant-keys.ts';

export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const secretContext = (endpointId: string) => `WebhookEndpoint.secret:${endpointId}`;

export const sealSecret = (keys: TenantKeys, endpointId: string, secret: string) => encryptField(keys, secret, secretContext(endpointId));

export const openSecret = (keys: TenantKeys, endpointId: string, sealed: Uint8Array) => decryptField(keys, sealed, secretContext(endpointId));

/**
 * The `webhook-signature` header: one `v1,<signature>` per secret, space-separated, so that
 * during a rotation's overlap receivers holding either secret accept the delivery.
 */
export function signatureHeader(secrets: readonly string[], msgId: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(msgId, timestamp, body)).join(' ');
}
