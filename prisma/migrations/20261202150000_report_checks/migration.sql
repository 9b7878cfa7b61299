-- Sends whose delivery report is overdue are polled at their provider (or marked) once per window.
ALTER TABLE "Send" ADD COLUMN "reportCheckedAt" TIMESTAMPTZ(3);
