-- Recipients (personal fields encrypted, blind indexes for lookups) and consent records.

CREATE TYPE "Channel" AS ENUM ('SMS', 'EMAIL', 'PUSH', 'COUPON');

CREATE TABLE "Recipient" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "externalIdEnc" BYTEA NOT NULL,
    "externalIdIndex" TEXT NOT NULL,
    "nameEnc" BYTEA,
    "phoneEnc" BYTEA,
    "phoneIndex" TEXT,
    "emailEnc" BYTEA,
    "emailIndex" TEXT,
    "locale" TEXT,
    "pushTokensEnc" BYTEA,
    "restricted" BOOLEAN NOT NULL DEFAULT false,
    "objected" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Recipient_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Recipient_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Recipient_tenantId_externalIdIndex_key" ON "Recipient"("tenantId", "externalIdIndex");
CREATE INDEX "Recipient_tenantId_phoneIndex_idx" ON "Recipient"("tenantId", "phoneIndex");
CREATE INDEX "Recipient_tenantId_emailIndex_idx" ON "Recipient"("tenantId", "emailIndex");

CREATE TABLE "Consent" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "recipientId" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "purposeKey" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "proof" TEXT,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,
    "withdrawnAt" TIMESTAMPTZ(3),
    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Consent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Consent_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "Recipient"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Consent_recipientId_channel_purposeKey_key" ON "Consent"("recipientId", "channel", "purposeKey");

CREATE TABLE "ConsentEvent" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "consentId" UUID NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "proof" TEXT,
    "recordedBy" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ConsentEvent_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ConsentEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsentEvent_consentId_fkey" FOREIGN KEY ("consentId") REFERENCES "Consent"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ConsentEvent_consentId_at_idx" ON "ConsentEvent"("consentId", "at");

-- Consent history is append-only, like the audit log.
CREATE TRIGGER "ConsentEvent_no_update" BEFORE UPDATE ON "ConsentEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
