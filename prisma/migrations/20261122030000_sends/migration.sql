-- Sends, campaigns, their status history and gifts.

CREATE TYPE "SendStatus" AS ENUM ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'FAILED', 'CANCELED', 'BLOCKED');
CREATE TYPE "GiftStatus" AS ENUM ('ISSUED', 'REDEEMED', 'EXPIRED', 'CANCELED');

CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "purposeKey" TEXT NOT NULL,
    "messageEnc" BYTEA,
    "giftPluginId" TEXT,
    "giftOfferId" TEXT,
    "giftExpiresAt" TIMESTAMPTZ(3),
    "idempotencyKey" TEXT,
    "requestHash" TEXT,
    "scheduledAt" TIMESTAMPTZ(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Campaign_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Campaign_tenantId_idempotencyKey_key" ON "Campaign"("tenantId", "idempotencyKey");
CREATE INDEX "Campaign_tenantId_id_idx" ON "Campaign"("tenantId", "id");

CREATE TABLE "Send" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "recipientId" UUID,
    "campaignId" UUID,
    "channel" "Channel" NOT NULL,
    "purposeKey" TEXT NOT NULL,
    "messageEnc" BYTEA,
    "giftPluginId" TEXT,
    "giftOfferId" TEXT,
    "giftExpiresAt" TIMESTAMPTZ(3),
    "status" "SendStatus" NOT NULL DEFAULT 'QUEUED',
    "statusReason" TEXT,
    "channelConfigId" UUID,
    "provider" TEXT,
    "providerMessageId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "configAttempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "leaseUntil" TIMESTAMPTZ(3),
    "idempotencyKey" TEXT,
    "requestHash" TEXT,
    "scheduledAt" TIMESTAMPTZ(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Send_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Send_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Send_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "Recipient"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Send_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Send_tenantId_idempotencyKey_key" ON "Send"("tenantId", "idempotencyKey");
CREATE INDEX "Send_tenantId_id_idx" ON "Send"("tenantId", "id");
CREATE INDEX "Send_tenantId_status_id_idx" ON "Send"("tenantId", "status", "id");
CREATE INDEX "Send_campaignId_status_idx" ON "Send"("campaignId", "status");
CREATE INDEX "Send_recipientId_id_idx" ON "Send"("recipientId", "id");
CREATE INDEX "Send_tenantId_providerMessageId_idx" ON "Send"("tenantId", "providerMessageId");
CREATE INDEX "Send_status_nextAttemptAt_idx" ON "Send"("status", "nextAttemptAt");

CREATE TABLE "SendEvent" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "sendId" UUID NOT NULL,
    "status" "SendStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provider" TEXT,
    "detail" TEXT,
    CONSTRAINT "SendEvent_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SendEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SendEvent_sendId_fkey" FOREIGN KEY ("sendId") REFERENCES "Send"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "SendEvent_sendId_id_idx" ON "SendEvent"("sendId", "id");

CREATE TABLE "Gift" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "sendId" UUID NOT NULL,
    "pluginId" TEXT NOT NULL,
    "channelConfigId" UUID NOT NULL,
    "offerId" TEXT NOT NULL,
    "providerGiftId" TEXT NOT NULL,
    "codeEnc" BYTEA,
    "urlEnc" BYTEA,
    "status" "GiftStatus" NOT NULL DEFAULT 'ISSUED',
    "expiresAt" TIMESTAMPTZ(3),
    "redeemedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Gift_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Gift_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Gift_sendId_fkey" FOREIGN KEY ("sendId") REFERENCES "Send"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Gift_sendId_key" ON "Gift"("sendId");
CREATE INDEX "Gift_tenantId_providerGiftId_idx" ON "Gift"("tenantId", "providerGiftId");
