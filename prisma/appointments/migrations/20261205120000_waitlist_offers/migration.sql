-- Waitlist offers (issue 19). Each clinic chooses how a freed time is offered: to every matching entry at
-- once, first to claim wins (broadcast), or to the first in line alone, held busy-tentative for them for
-- `offer_minutes` and then passed on (sequential). A clinic without a row is broadcast, 15 minutes.
CREATE TYPE "waitlist_mode" AS ENUM ('broadcast', 'sequential');
CREATE TYPE "waitlist_offer_status" AS ENUM ('open', 'claimed', 'expired');

CREATE TABLE "waitlist_setting" (
    "clinic_id" UUID NOT NULL,
    "mode" "waitlist_mode" NOT NULL DEFAULT 'broadcast',
    "offer_minutes" INTEGER NOT NULL DEFAULT 15,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "waitlist_setting_pkey" PRIMARY KEY ("clinic_id"),
    CONSTRAINT "waitlist_setting_minutes" CHECK ("offer_minutes" BETWEEN 5 AND 120)
);

-- One offer of one freed slot to one entry, made by the event that freed it (`event_id`). In sequential
-- mode `hold_id` is the pending appointment that keeps the slot busy-tentative for the patient; an offer
-- is claimable while it is open and before `expires_at`. Pseudonymous ids and times only.
CREATE TABLE "waitlist_offer" (
    "id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "slot_id" UUID NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "end" TIMESTAMPTZ(3) NOT NULL,
    "mode" "waitlist_mode" NOT NULL,
    "status" "waitlist_offer_status" NOT NULL DEFAULT 'open',
    "hold_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "event_id" UUID NOT NULL,
    "appointment_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "waitlist_offer_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "waitlist_offer_entry_fkey" FOREIGN KEY ("entry_id") REFERENCES "waitlist_entry"("id")
);

-- An entry is never offered the same slot twice, whatever is redelivered or raced: the backstop to the inbox.
CREATE UNIQUE INDEX "waitlist_offer_entry_slot_key" ON "waitlist_offer"("entry_id", "slot_id");
CREATE INDEX "waitlist_offer_slot_idx" ON "waitlist_offer"("slot_id") WHERE "status" = 'open';
CREATE INDEX "waitlist_offer_client_idx" ON "waitlist_offer"("client_id", "created_at");
