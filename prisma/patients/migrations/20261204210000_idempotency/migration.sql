-- The one idempotency mechanism (libs/platform/src/idempotency) for the patients service's mutations:
-- each claims its key here in the transaction that does the work and records its outcome beside the
-- change. A key belongs to its caller (role, clinic and subject). Nothing personal is kept: a request
-- carrying personal details or an access code is fingerprinted with an HMAC under the vault's index key,
-- outcomes hold pseudonymous rows only, and an access code is never stored (see access/access-codes.ts).
CREATE TABLE "idempotency_record" (
    "caller" TEXT NOT NULL,
    "key" VARCHAR(100) NOT NULL,
    "request_hash" TEXT NOT NULL,
    "outcome" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("caller", "key")
);
