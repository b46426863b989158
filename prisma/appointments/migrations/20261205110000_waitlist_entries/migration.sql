-- Waitlist (issue 19): a patient's wish for a time at a clinic, or with one doctor there, within a window
-- of calendar days and optionally of start times of day, both in the entry's IANA time zone (the clinic's).
-- Pseudonymous ids only. An entry stays after it is left or fulfilled (status), so the line's order and
-- what each patient asked for remain auditable; only `active` entries get offers.
CREATE TYPE "waitlist_entry_status" AS ENUM ('active', 'left', 'fulfilled');

CREATE TABLE "waitlist_entry" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "doctor_id" UUID,
    "from_date" DATE NOT NULL,
    "to_date" DATE NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "earliest_start_minute" INTEGER,
    "latest_start_minute" INTEGER,
    "status" "waitlist_entry_status" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "waitlist_entry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "waitlist_entry_window" CHECK ("to_date" >= "from_date"),
    CONSTRAINT "waitlist_entry_times" CHECK (
        ("earliest_start_minute" IS NULL OR "earliest_start_minute" BETWEEN 0 AND 1439)
        AND ("latest_start_minute" IS NULL OR "latest_start_minute" BETWEEN 0 AND 1439)
        AND ("earliest_start_minute" IS NULL OR "latest_start_minute" IS NULL
             OR "earliest_start_minute" <= "latest_start_minute"))
);

-- A patient's own entries; the clinic's line in order (first come, first offered).
CREATE INDEX "waitlist_entry_client_idx" ON "waitlist_entry"("client_id", "created_at");
CREATE INDEX "waitlist_entry_clinic_active_idx" ON "waitlist_entry"("clinic_id", "created_at", "id")
    WHERE "status" = 'active';
