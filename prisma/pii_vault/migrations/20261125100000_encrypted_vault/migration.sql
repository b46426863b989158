-- The plain-text columns go, with whatever mock rows they held: SQL cannot encrypt them, and keeping them
-- anywhere would leave personal information in clear. Development data folders are re-seeded with
-- `npm start -- --fresh`.
DROP TABLE "patient_pii";

-- CreateTable
CREATE TABLE "data_key" (
    "client_id" UUID NOT NULL,
    "wrapped_key" BYTEA,
    "master_key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rewrapped_at" TIMESTAMPTZ(3),
    "destroyed_at" TIMESTAMPTZ(3),

    CONSTRAINT "data_key_pkey" PRIMARY KEY ("client_id")
);

-- A destroyed key is gone for good: a tombstone can never hold a key again.
ALTER TABLE "data_key" ADD CONSTRAINT "data_key_destroyed_check"
    CHECK (("destroyed_at" IS NULL) = ("wrapped_key" IS NOT NULL));

-- CreateTable
CREATE TABLE "patient_pii" (
    "client_id" UUID NOT NULL,
    "given_name" BYTEA NOT NULL,
    "family_name" BYTEA NOT NULL,
    "date_of_birth" BYTEA NOT NULL,
    "email" BYTEA NOT NULL,
    "phone" BYTEA NOT NULL,
    "address" BYTEA NOT NULL,
    "ihi" BYTEA,
    "email_index" BYTEA NOT NULL,
    "phone_index" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_pii_pkey" PRIMARY KEY ("client_id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "data_key_master_key_id_idx" ON "data_key"("master_key_id");

-- CreateIndex
CREATE UNIQUE INDEX "patient_pii_email_index_key" ON "patient_pii"("email_index");

-- CreateIndex
CREATE UNIQUE INDEX "patient_pii_phone_index_key" ON "patient_pii"("phone_index");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- The relay reads only unpublished rows, in order; a partial index keeps that cheap as the table grows.
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("seq") WHERE "published_at" IS NULL;

-- AddForeignKey
ALTER TABLE "patient_pii" ADD CONSTRAINT "patient_pii_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "data_key"("client_id") ON DELETE RESTRICT ON UPDATE CASCADE;
