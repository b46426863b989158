-- Reminder replies by email link (issue 19, docs/reminders.md): one single-use token per emailed reminder.
-- Only the token's SHA-256 is kept; the token itself is derived again (HMAC under the blind-index key) when
-- the message is composed, so it is stored nowhere. Ids and times only.
CREATE TABLE "reminder_reply" (
  "token_hash" BYTEA NOT NULL PRIMARY KEY,
  "reminder_id" UUID NOT NULL UNIQUE,
  "notification_id" UUID NOT NULL UNIQUE,
  "appointment_id" UUID NOT NULL,
  "client_id" UUID NOT NULL,
  "clinic_id" UUID NOT NULL,
  "appointment_start" TIMESTAMPTZ(3) NOT NULL,
  -- The appointment's start: nothing can be confirmed or cancelled after it.
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "answered_at" TIMESTAMPTZ(3),
  "answer" TEXT CHECK ("answer" IN ('confirm', 'cancel')),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "reminder_reply_appointment" ON "reminder_reply" ("appointment_id");
