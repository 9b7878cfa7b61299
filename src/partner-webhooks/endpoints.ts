// Partner webhook endpoints: registration, changes, enabling and disabling, deletion and
// secret rotation. URLs are checked at registration (https and public addresses only, unless
// the deployment allows insecure URLs); every change is audited in its transaction.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { isPublicAddress } from '../channels/kit/outbound.ts';
import type { PartnerWebhookSettings } from '../config.ts';
import type { PrismaClient, Tx } from '../db/client.ts';
import type { GiftStatus, SendStatus } from '../db/generated/enums.ts';
import type { WebhookEndpoint } from '../db/generated/client.ts';
import { badInput, notFound } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import { recordAudit } from '../privacy/audit.ts';
import type { TenantKeyStore } from '../privacy/tenant-keys.ts';
import { parseInput, text } from '../validation.ts';
import { followFromHead, type WebhookFanOut } from './fanout.ts';
import { newSecret, sealSecret } from './secrets.ts';

export interface EndpointDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  config: { webhooks: Pick<PartnerWebhookSettings, 'allowInsecureUrls'> };
  webhookFanOut: Pick<WebhookFanOut, 'follow'>;
}

/** Endpoints per tenant: each event is posted to every matching one. */
export const MAX_ENDPOINTS_PER_TENANT = 20;
const MAX_OVERLAP_SECONDS = 7 * 86_400;
export const DEFAULT_OVERLAP_SECONDS = 86_400;

const fields = z.object({
  url: z.string().max(2000, 'must be at most 2000 characters').optional(),
  description: text(500).nullish(),
});

/** The URL as it will be called; refused with BAD_USER_INPUT naming `url` when it may not be. */
export async function checkEndpointUrl(raw: string, settings: Pick<PartnerWebhookSettings, 'allowInsecureUrls'>): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url', 'not a URL (e.g. https://partner.example/webhooks)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url', 'must be an https:// URL');
  // Credentials in a URL would be a secret stored and shown in clear.
  if (url.username || url.password) throw badInput('url', 'must not contain a user name or password');
  url.hash = '';
  if (settings.allowInsecureUrls) return url.toString();
  if (url.protocol !== 'https:') throw badInput('url', 'must be an https:// URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true }).then(
        (found) => found.map((a) => a.address),
        () => {
          throw badInput('url', `the host ${host} does not resolve`);
        },
      );
  if (addresses.some((a) => !isPublicAddress(a))) throw badInput('url', 'resolves to a loopback, private or link-local address; only public addresses may receive webhooks');
  return url.toString();
}

export interface CreateEndpointInput {
  tenantId: string;
  url: string;
  description?: string | null;
  statuses?: readonly SendStatus[] | null;
  giftStatuses?: readonly GiftStatus[] | null;
}

/** Registers an endpoint; its secret is returned here only. */
export async function createWebhookEndpoint(
  deps: EndpointDeps,
  actor: Principal,
  input: CreateEndpointInput,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const { description } = parseInput(fields, { url: input.url, description: input.description });
  const url = await checkEndpointUrl(input.url, deps.config.webhooks);
  const { tenantId } = input;
  const created = await deps.prisma.$transaction(async (tx) => {
    // Serialises registrations per tenant, so the limit holds.
    const tenant = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Tenant" WHERE "id" = ${tenantId}::uuid FOR UPDATE`;
    if (tenant.length === 0) throw notFound('Tenant');
    if ((await tx.webhookEndpoint.count({ where: { tenantId } })) >= MAX_ENDPOINTS_PER_TENANT) {
      throw badInput('tenantId', `at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints per tenant; delete one first`);
    }
    const keys = await deps.tenantKeys.get(tenantId, tx);
    const id = newUuidV7();
    const secret = newSecret();
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        id,
        tenantId,
        url,
        description: description ?? null,
        statuses: [...new Set(input.statuses ?? [])],
        giftStatuses: [...new Set(input.giftStatuses ?? [])],
        secretEnc: sealSecret(keys, id, secret),
      },
    });
    await followFromHead(tx, tenantId, id);
    await recordAudit(tx, { tenantId, actor: actor.actor, action: 'webhookEndpoint.created', targetType: 'WebhookEndpoint', targetId: id });
    return { endpoint, secret };
  });
  deps.webhookFanOut.follow(tenantId);
  return created;
}

export interface UpdateEndpointInput {
  id: string;
  url?: string | null;
  description?: string | null;
  statuses?: readonly SendStatus[] | null;
  giftStatuses?: readonly GiftStatus[] | null;
}

/** Changes what is given; omitted fields keep their values, a null description clears it. */
export async function updateWebhookEndpoint(deps: EndpointDeps, actor: Principal, input: UpdateEndpointInput): Promise<WebhookEndpoint> {
  const { description } = parseInput(fields, { url: input.url ?? undefined, description: input.description });
  const url = input.url == null ? undefined : await checkEndpointUrl(input.url, deps.config.webhooks);
  return change(deps, actor, input.id, 'webhookEndpoint.updated', (tx) =>
    tx.webhookEndpoint.update({
      where: { id: input.id },
      data: {
        url,
        description: input.description === undefined ? undefined : (description ?? null),
        statuses: input.statuses == null ? undefined : [...new Set(input.statuses)],
        giftStatuses: input.giftStatuses == null ? undefined : [...new Set(input.giftStatuses)],
      },
    }),
  );
}

/** Stops (or resumes) deliveries to the endpoint; enabling clears its failure record. */
export async function setWebhookEndpointEnabled(deps: EndpointDeps, actor: Principal, input: { id: string; enabled: boolean }): Promise<WebhookEndpoint> {
  const endpoint = await change(deps, actor, input.id, input.enabled ? 'webhookEndpoint.enabled' : 'webhookEndpoint.disabled', async (tx, current) => {
    // Events of the time it was disabled are not delivered late.
    if (input.enabled && !current.enabled) await followFromHead(tx, current.tenantId, current.id);
    return tx.webhookEndpoint.update({
      where: { id: input.id },
      data: input.enabled
        ? { enabled: true, disabledReason: null, disabledAt: null, failingSince: null, consecutiveFailures: 0 }
        : { enabled: false, disabledReason: 'DISABLED_BY_USER', disabledAt: new Date() },
    });
  });
  if (endpoint.enabled) deps.webhookFanOut.follow(endpoint.tenantId);
  return endpoint;
}

/** Deletes the endpoint with its deliveries and their attempts. */
export async function deleteWebhookEndpoint(deps: EndpointDeps, actor: Principal, input: { id: string }): Promise<void> {
  await change(deps, actor, input.id, 'webhookEndpoint.deleted', (tx) => tx.webhookEndpoint.delete({ where: { id: input.id } }));
}

/**
 * A new secret signs from now on; the previous one keeps signing beside it for
 * `overlapSeconds` (default a day), so the partner can switch without losing a delivery.
 */
export async function rotateWebhookSecret(
  deps: EndpointDeps,
  actor: Principal,
  input: { id: string; overlapSeconds?: number | null },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const { overlapSeconds } = parseInput(
    z.object({ overlapSeconds: z.number().int().min(0, 'must be 0 or more').max(MAX_OVERLAP_SECONDS, `must be at most ${MAX_OVERLAP_SECONDS} (7 days)`).nullish() }),
    { overlapSeconds: input.overlapSeconds },
  );
  const secret = newSecret();
  const endpoint = await change(deps, actor, input.id, 'webhookEndpoint.secretRotated', async (tx, current) => {
    const keys = await deps.tenantKeys.get(current.tenantId, tx);
    const overlapMs = (overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000;
    return tx.webhookEndpoint.update({
      where: { id: input.id },
      data: {
        secretEnc: sealSecret(keys, input.id, secret),
        // Both sealed with the same row binding, so the current ciphertext moves as it is.
        previousSecretEnc: overlapMs > 0 ? current.secretEnc : null,
        previousSecretExpiresAt: overlapMs > 0 ? new Date(Date.now() + overlapMs) : null,
      },
    });
  });
  return { endpoint, secret };
}

/** Runs one change of an existing endpoint, locked, and audits it in the same transaction. */
async function change<T>(
  deps: EndpointDeps,
  actor: Principal,
  id: string,
  action: string,
  apply: (tx: Tx, current: WebhookEndpoint) => Promise<T>,
): Promise<T> {
  return deps.prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "WebhookEndpoint" WHERE "id" = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound('WebhookEndpoint');
    const current = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    const result = await apply(tx, current);
    await recordAudit(tx, { tenantId: current.tenantId, actor: actor.actor, action, targetType: 'WebhookEndpoint', targetId: id });
    return result;
  });
}
