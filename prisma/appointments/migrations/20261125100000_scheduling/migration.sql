-- Double booking is impossible by construction: PostgreSQL refuses two active appointments that overlap
-- in time for one doctor, or for one patient. Holds ('pending') count as active until they are released.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE "appointment"
    ADD COLUMN "hold_expires_at" TIMESTAMPTZ(3),
    ADD COLUMN "needs_attention_since" TIMESTAMPTZ(3),
    ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

ALTER TABLE "appointment" ADD CONSTRAINT "appointment_doctor_no_overlap"
    EXCLUDE USING gist ("doctor_id" WITH =, tstzrange("start", "end") WITH &&)
    WHERE ("status" IN ('pending', 'booked'));

ALTER TABLE "appointment" ADD CONSTRAINT "appointment_client_no_overlap"
    EXCLUDE USING gist ("client_id" WITH =, tstzrange("start", "end") WITH &&)
    WHERE ("status" IN ('pending', 'booked'));

-- Re-assignment looks for other doctors free at exactly the same time.
CREATE INDEX "slot_start_end_free_idx" ON "slot"("start", "end") WHERE "status" = 'free';
-- Holds to expire, and appointments waiting for a doctor.
CREATE INDEX "appointment_hold_expiry_idx" ON "appointment"("hold_expires_at") WHERE "status" = 'pending';
CREATE INDEX "appointment_needs_attention_idx" ON "appointment"("start") WHERE "needs_attention_since" IS NOT NULL;

-- The first outcome of each idempotent mutation (hold, confirm, cancel, reschedule), returned on a repeat.
CREATE TABLE "mutation_result" (
    "idempotency_key" VARCHAR(100) NOT NULL,
    "operation" TEXT NOT NULL,
    "actor_subject" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mutation_result_pkey" PRIMARY KEY ("idempotency_key")
);

-- Events this service has consumed (doctor availability), so a redelivery changes nothing twice.
CREATE TABLE "inbox" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "handled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("event_id", "consumer")
);
