-- Waitlist (issue 19): a patient is told of a freed time offered to them. For this reason the row's
-- appointment_id holds the offer's id (there is no appointment yet) and appointment_start the time offered.
ALTER TYPE "notification_reason" ADD VALUE IF NOT EXISTS 'waitlist_offer';
