-- An offer whose time another claim or booking took is `taken`, not `expired`: claiming it answers
-- SlotUnavailable (the time is gone), while a lapsed or passed-on offer answers OfferExpired.
ALTER TYPE "waitlist_offer_status" ADD VALUE IF NOT EXISTS 'taken';
