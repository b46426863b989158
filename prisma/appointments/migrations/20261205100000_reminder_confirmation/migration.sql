-- Reminders (issue 19, docs/reminders.md): when the patient confirmed, by answering a reminder, that they
-- will come. Null until then; cleared when the appointment moves to another time.
ALTER TABLE "appointment" ADD COLUMN "confirmed_at" TIMESTAMPTZ(3);
