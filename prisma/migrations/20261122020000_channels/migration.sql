-- Channels: each tenant's provider configurations (credentials sealed) and the inbox of
-- verified provider callbacks.

CREATE TABLE "ChannelConfig" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "pluginId" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "encryptedConfig" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ChannelConfig_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ChannelConfig_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ChannelConfig_tenantId_pluginId_key" ON "ChannelConfig"("tenantId", "pluginId");
CREATE INDEX "ChannelConfig_tenantId_channel_idx" ON "ChannelConfig"("tenantId", "channel");

CREATE TABLE "ProviderEvent" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "channelConfigId" UUID NOT NULL,
    "pluginId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "providerRef" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "detail" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    CONSTRAINT "ProviderEvent_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ProviderEvent_channelConfigId_fkey" FOREIGN KEY ("channelConfigId") REFERENCES "ChannelConfig"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProviderEvent_kind_check" CHECK ("kind" IN ('message', 'gift'))
);
-- A repeated callback hits this key and inserts nothing.
CREATE UNIQUE INDEX "ProviderEvent_channelConfigId_kind_providerRef_status_key" ON "ProviderEvent"("channelConfigId", "kind", "providerRef", "status");
CREATE INDEX "ProviderEvent_processedAt_receivedAt_idx" ON "ProviderEvent"("processedAt", "receivedAt");
CREATE INDEX "ProviderEvent_tenantId_providerRef_idx" ON "ProviderEvent"("tenantId", "providerRef");
