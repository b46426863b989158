-- The one idempotency mechanism (libs/platform/src/idempotency) for replayDeadLetter: the replay claims
-- its key here in the transaction that counts it. A table of its own, beside (never inside) the
-- append-only, hash-chained trail.
CREATE TABLE "idempotency_record" (
    "caller" TEXT NOT NULL,
    "key" VARCHAR(100) NOT NULL,
    "request_hash" TEXT NOT NULL,
    "outcome" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("caller", "key")
);
