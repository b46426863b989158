-- Reminders (issue 19, docs/reminders.md). Ids, times and settings only: no personal information.

-- A reminder is sent as a notification, by the existing dispatcher.
ALTER TYPE "notification_reason" ADD VALUE 'reminder';

-- Channels on which the patient does not want reminders (other messages still go to their preferred one).
ALTER TABLE "patient" ADD COLUMN "reminder_opt_outs" "contact_channel"[] NOT NULL DEFAULT '{}';

-- A clinic's own reminder offsets and channels; a clinic without a row has the defaults (24 h and 2 h, both).
CREATE TABLE "clinic_reminder_settings" (
  "clinic_id" UUID NOT NULL PRIMARY KEY,
  "offsets_minutes" INTEGER[] NOT NULL,
  "channels" "contact_channel"[] NOT NULL,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- pending: waiting for its due instant; queued: turned into a notification (whose status says sent or
-- failed); cancelled: the appointment was cancelled, moved or lost its doctor first; skipped: nothing to
-- send when it fell due (no channel left after opt-outs, or the appointment had already started).
CREATE TYPE "reminder_status" AS ENUM ('pending', 'queued', 'cancelled', 'skipped');

CREATE TABLE "reminder" (
  "id" UUID NOT NULL PRIMARY KEY,
  "appointment_id" UUID NOT NULL,
  "client_id" UUID NOT NULL,
  "clinic_id" UUID NOT NULL,
  "doctor_id" UUID NOT NULL,
  "appointment_start" TIMESTAMPTZ(3) NOT NULL,
  "offset_minutes" INTEGER NOT NULL,
  -- The zone whose wall clock a whole-day offset was counted in.
  "time_zone" TEXT NOT NULL,
  "due_at" TIMESTAMPTZ(3) NOT NULL,
  "status" "reminder_status" NOT NULL DEFAULT 'pending',
  -- The appointment event that scheduled it.
  "event_id" UUID NOT NULL,
  "notification_id" UUID,
  "skip_reason" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "closed_at" TIMESTAMPTZ(3)
);

-- At most one pending reminder per appointment and offset: a re-assignment at the same time keeps the
-- one it has (ON CONFLICT … DO NOTHING), and no interleaving of events can schedule an offset twice.
CREATE UNIQUE INDEX "reminder_one_pending" ON "reminder" ("appointment_id", "offset_minutes")
  WHERE "status" = 'pending';
-- The worker's claim: the earliest due pending rows.
CREATE INDEX "reminder_due" ON "reminder" ("due_at") WHERE "status" = 'pending';
CREATE INDEX "reminder_appointment" ON "reminder" ("appointment_id");
