-- The event log: every SendEvent gets a per-tenant position that follows commit order, gift
-- status changes become events too, and the provider's own time is kept beside ours.
ALTER TABLE "SendEvent" ADD COLUMN "position" BIGINT;
ALTER TABLE "SendEvent" ADD COLUMN "giftStatus" "GiftStatus";
ALTER TABLE "SendEvent" ADD COLUMN "providerAt" TIMESTAMPTZ(3);

CREATE TABLE "TenantEventCounter" (
    "tenantId" UUID NOT NULL,
    "position" BIGINT NOT NULL,
    CONSTRAINT "TenantEventCounter_pkey" PRIMARY KEY ("tenantId"),
    CONSTRAINT "TenantEventCounter_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Events written before the log existed take positions in the order they happened.
UPDATE "SendEvent" e SET "position" = n."position"
FROM (SELECT "id", row_number() OVER (PARTITION BY "tenantId" ORDER BY "at", "id") AS "position" FROM "SendEvent") n
WHERE e."id" = n."id";
INSERT INTO "TenantEventCounter" ("tenantId", "position") SELECT "tenantId", max("position") FROM "SendEvent" GROUP BY "tenantId";

ALTER TABLE "SendEvent" ALTER COLUMN "position" SET NOT NULL;
CREATE UNIQUE INDEX "SendEvent_tenantId_position_key" ON "SendEvent"("tenantId", "position");

-- Every insert takes the tenant's next position. The counter row stays locked until the
-- writing transaction commits, so a later commit never holds a smaller position: a reader
-- resuming after position N misses nothing. Writers insert in tenant order, so two
-- statements touching several tenants lock their counters in the same order.
CREATE FUNCTION "SendEvent_assign_position"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TenantEventCounter" ("tenantId", "position") VALUES (NEW."tenantId", 1)
  ON CONFLICT ("tenantId") DO UPDATE SET "position" = "TenantEventCounter"."position" + 1
  RETURNING "position" INTO NEW."position";
  RETURN NEW;
END;
$$;
CREATE TRIGGER "SendEvent_position" BEFORE INSERT ON "SendEvent" FOR EACH ROW EXECUTE FUNCTION "SendEvent_assign_position"();
