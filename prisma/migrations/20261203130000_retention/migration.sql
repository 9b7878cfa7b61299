-- Retention: the sweep claims a tenant once per interval, marks the sends and campaigns whose
-- content it destroyed, and records its counts on its audit event.
ALTER TABLE "Tenant" ADD COLUMN "retentionRunAt" TIMESTAMPTZ(3);
ALTER TABLE "Send" ADD COLUMN "contentErasedAt" TIMESTAMPTZ(3);
ALTER TABLE "Campaign" ADD COLUMN "contentErasedAt" TIMESTAMPTZ(3);
ALTER TABLE "AuditEvent" ADD COLUMN "detail" JSONB;
CREATE INDEX "Send_tenantId_createdAt_idx" ON "Send"("tenantId", "createdAt");
CREATE INDEX "AuditEvent_tenantId_at_idx" ON "AuditEvent"("tenantId", "at");
