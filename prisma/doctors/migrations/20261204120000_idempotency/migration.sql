-- The one idempotency mechanism (libs/platform/src/idempotency): every mutation claims its key here in
-- the transaction that does the work and records its outcome beside the change. A key belongs to its
-- caller (role, clinic and subject), so the same key from another caller is another record.
CREATE TABLE "idempotency_record" (
    "caller" TEXT NOT NULL,
    "key" VARCHAR(100) NOT NULL,
    "request_hash" TEXT NOT NULL,
    "outcome" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("caller", "key")
);

-- Replaced by it: the availability mutations' own outcome table.
DROP TABLE "processed_mutation";
