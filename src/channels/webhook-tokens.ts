// Webhook tokens: `<config id>.<HMAC of it under the tenant's token key>`, both base64url.
// Unguessable, bound to one tenant channel, and checkable without storing anything; for
// providers that do not sign their callbacks the token is the only authentication.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../ids.ts';
import type { TenantKeys, TenantKeyStore } from '../privacy/tenant-keys.ts';

/** The channel a callback URL is for. */
export interface ChannelRef {
  id: string;
  tenantId: string;
  pluginId: string;
}

export interface CallbackUrlDeps {
  tenantKeys: TenantKeyStore;
  /** Callback URLs are built from the service's public URL. */
  config: { publicUrl: string };
}

export function webhookToken(keys: TenantKeys, configId: string): string {
  const id = Buffer.from(configId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${id}.${tokenMac(keys, configId).toString('base64url')}`;
}

const tokenMac = (keys: TenantKeys, configId: string) => createHmac('sha256', keys.tokenKey).update(configId).digest();

/** Where the provider of this channel posts its callbacks. */
export function callbackUrlFor(publicUrl: string, keys: TenantKeys, channel: ChannelRef): string {
  return `${publicUrl}/webhooks/${channel.pluginId}/${webhookToken(keys, channel.id)}`;
}

/** The callback URL of a channel, for account-level webhooks that are set to it. */
export async function channelCallbackUrl(deps: CallbackUrlDeps, channel: ChannelRef): Promise<string> {
  return callbackUrlFor(deps.config.publicUrl, await deps.tenantKeys.get(channel.tenantId), channel);
}

/** A token taken apart: the channel configuration it names and its MAC; null when it is not shaped like one of ours. */
export function readWebhookToken(token: string): { configId: string; mac: Buffer } | null {
  const [idPart, macPart, ...rest] = token.split('.');
  if (!idPart || !macPart || rest.length > 0) return null;
  const hex = Buffer.from(idPart, 'base64url').toString('hex');
  const configId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return isUuid(configId) ? { configId, mac: Buffer.from(macPart, 'base64url') } : null;
}

/** Whether the MAC is the tenant's for this configuration. */
export function webhookMacMatches(keys: TenantKeys, configId: string, mac: Buffer): boolean {
  const expected = tokenMac(keys, configId);
  return mac.length === expected.length && timingSafeEqual(mac, expected);
}
