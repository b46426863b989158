-- A flagged appointment back with its own doctor: the patient, told it needed rebooking, is told so.
ALTER TYPE "notification_reason" ADD VALUE 'returned';
