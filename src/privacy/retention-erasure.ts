// How the retention sweep erases an inactive recipient: the recipient row goes (consents with
// it; their sends stay, anonymous, as the foreign key sets recipientId null), and the content
// of their sends is destroyed with it. The sweep takes this as its `eraseRecipient`.
import type { PrismaClient } from '../db/client.ts';
import { recordAudit } from './audit.ts';

export interface InactiveErasureDeps {
  prisma: PrismaClient;
}

export async function eraseInactiveRecipient({ prisma }: InactiveErasureDeps, target: { tenantId: string; recipientId: string; actor: string }, now = new Date()): Promise<void> {
  const { tenantId, recipientId, actor } = target;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      WITH erased AS (
        UPDATE "Send" SET "messageEnc" = NULL, "contentErasedAt" = ${now}
        WHERE "recipientId" = ${recipientId}::uuid AND "tenantId" = ${tenantId}::uuid AND "contentErasedAt" IS NULL
        RETURNING "id"
      )
      UPDATE "Gift" g SET "codeEnc" = NULL, "urlEnc" = NULL FROM erased WHERE g."sendId" = erased."id"`;
    const { count } = await tx.recipient.deleteMany({ where: { id: recipientId, tenantId } });
    if (count) await recordAudit(tx, { tenantId, actor, action: 'recipient.erased', targetType: 'Recipient', targetId: recipientId });
  });
}
