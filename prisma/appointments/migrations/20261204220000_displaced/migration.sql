-- Appointments whose doctor's time was withdrawn and that are still to be moved or flagged: applying a
-- leave marks them in its own short transaction and settles them in chunks after, so a patient's cancel
-- waits for one chunk at most, never for a whole leave; a marked row left by a crash is settled later.
ALTER TABLE "appointment" ADD COLUMN "displaced_since" TIMESTAMPTZ(3), ADD COLUMN "displaced_by" UUID;
CREATE INDEX "appointment_displaced_idx" ON "appointment"("id") WHERE "displaced_since" IS NOT NULL;
