// Which tenant owns a resource, by GraphQL type name: the access rules (the resourceRole
// scope, src/schema/access.ts) check ids against this before any resolver runs. A type
// missing here cannot be reached by id.
import type { PrismaClient } from '../db/client.ts';

/** undefined: no such resource; null: a platform-level resource (only platform admins). */
type TenantOf = (prisma: PrismaClient, id: string) => Promise<string | null | undefined>;

export const resourceTenants: Record<string, TenantOf> = {
  Tenant: async (prisma, id) => (await prisma.tenant.findUnique({ where: { id }, select: { id: true } }))?.id,
  // An erased recipient's id still names its tenant (its tombstone), so requests about it get an answer.
  Recipient: async (prisma, id) =>
    (await prisma.recipient.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId ??
    (await prisma.erasedRecipient.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
  Send: async (prisma, id) => (await prisma.send.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
  Campaign: async (prisma, id) => (await prisma.campaign.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
  ChannelConfig: async (prisma, id) => (await prisma.channelConfig.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
  WebhookEndpoint: async (prisma, id) => (await prisma.webhookEndpoint.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
  WebhookDelivery: async (prisma, id) => (await prisma.webhookDelivery.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
  DataSubjectRequest: async (prisma, id) => (await prisma.dataSubjectRequest.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
  ApiKey: async (prisma, id) => {
    const key = await prisma.apiKey.findUnique({ where: { id }, select: { tenantId: true } });
    return key ? key.tenantId : undefined;
  },
};
