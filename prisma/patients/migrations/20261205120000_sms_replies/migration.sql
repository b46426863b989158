-- Two-way SMS replies (docs/reminders.md): an SMS reminder can be answered too, by a reply to it.

-- The one help message a reply that is neither C nor X gets, and the one a C or X gets when the number has
-- reminders of more than one visit open (a family sharing a phone), which could mean either.
ALTER TYPE "notification_reason" ADD VALUE 'reminder_help';
ALTER TYPE "notification_reason" ADD VALUE 'reminder_unclear';

-- Which channel the reminder went by: an email's token answers it, or an SMS reply from the patient's number.
ALTER TABLE "reminder_reply" ADD COLUMN "channel" "contact_channel" NOT NULL DEFAULT 'email';
-- When the help message went: at most once per reminder, so an auto-responder never starts a loop.
ALTER TABLE "reminder_reply" ADD COLUMN "help_sent_at" TIMESTAMPTZ(3);
CREATE INDEX "reminder_reply_open_sms" ON "reminder_reply" ("client_id", "created_at")
  WHERE "channel" = 'sms' AND "answered_at" IS NULL;

-- SNS message ids already handled: SNS delivers at least once, and a copy must act once.
CREATE TABLE "sms_reply" (
  "message_id" TEXT NOT NULL PRIMARY KEY,
  "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
