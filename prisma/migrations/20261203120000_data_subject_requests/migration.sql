-- Data subject requests (GDPR Art. 15-21), per-recipient data keys for cryptographic erasure,
-- erasure tombstones and the erasure ledger (Art. 19).
CREATE TYPE "DataSubjectRequestKind" AS ENUM ('ACCESS', 'PORTABILITY', 'RECTIFICATION', 'ERASURE', 'RESTRICTION', 'OBJECTION');
CREATE TYPE "DataSubjectRequestStatus" AS ENUM ('RECEIVED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED');
CREATE TYPE "ErasureLedgerOutcome" AS ENUM ('REQUESTED', 'CONFIRMED', 'FAILED', 'NOT_SUPPORTED');

-- The recipient's own data key, wrapped by the tenant's data key; null on recipients sealed before.
ALTER TABLE "Recipient" ADD COLUMN "wrappedKey" BYTEA;

CREATE TABLE "DataSubjectRequest" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "recipientId" UUID NOT NULL,
    "kind" "DataSubjectRequestKind" NOT NULL,
    "status" "DataSubjectRequestStatus" NOT NULL DEFAULT 'RECEIVED',
    "lift" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "rectificationEnc" BYTEA,
    "reason" TEXT,
    "exportEnc" BYTEA,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "extendedUntil" TIMESTAMPTZ(3),
    "extensionReason" TEXT,
    "deadlineAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),
    "leaseUntil" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "requestedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "DataSubjectRequest_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "DataSubjectRequest_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "DataSubjectRequest_tenantId_deadlineAt_idx" ON "DataSubjectRequest"("tenantId", "deadlineAt");
CREATE INDEX "DataSubjectRequest_status_idx" ON "DataSubjectRequest"("status");
CREATE INDEX "DataSubjectRequest_recipientId_idx" ON "DataSubjectRequest"("recipientId");

CREATE TABLE "ErasedRecipient" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "erasedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ErasedRecipient_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ErasedRecipient_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "ErasureLedgerEntry" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "recipientId" UUID NOT NULL,
    "requestId" UUID,
    "channelConfigId" UUID,
    "pluginId" TEXT NOT NULL,
    "subprocessor" TEXT NOT NULL,
    "legalEntity" TEXT NOT NULL,
    "outcome" "ErasureLedgerOutcome" NOT NULL DEFAULT 'REQUESTED',
    "detail" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "providerMessageIds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "providerGiftIds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "nextAttemptAt" TIMESTAMPTZ(3),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ErasureLedgerEntry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ErasureLedgerEntry_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ErasureLedgerEntry_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "DataSubjectRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ErasureLedgerEntry_requestId_idx" ON "ErasureLedgerEntry"("requestId");
CREATE INDEX "ErasureLedgerEntry_outcome_nextAttemptAt_idx" ON "ErasureLedgerEntry"("outcome", "nextAttemptAt");
