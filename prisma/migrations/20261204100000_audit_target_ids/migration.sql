-- One audit event may name several targets: the clear reads of a page of recipients made by one
-- caller within the same moment are recorded as one row rather than one row each.
ALTER TABLE "AuditEvent" ADD COLUMN "targetIds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
