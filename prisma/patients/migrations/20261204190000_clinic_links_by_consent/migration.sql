-- A clinic reaches a patient only through something the patient did or granted (docs/policy.md): their
-- own booking there, their registration there as a new patient, or a code they gave its reception.
-- Links made before this were fed by every appointment event, staff bookings included, and this
-- database never recorded who acted: none of them can be told apart from a link staff created alone,
-- so all are dropped (the safe choice). A patient's next own booking, or a code, links them again.
DELETE FROM "patient_clinic";

CREATE TYPE "clinic_link_source" AS ENUM ('booking', 'registration', 'access_code');

ALTER TABLE "patient_clinic" ADD COLUMN "source" "clinic_link_source" NOT NULL;

-- Events written in the same transaction as the link change they describe; the relay publishes them.
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

CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- The relay reads only unpublished rows, in order; a partial index keeps that cheap as the table grows.
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("seq") WHERE "published_at" IS NULL;

-- A patient's short-lived single-use code: only its HMAC is kept.
CREATE TABLE "clinic_access_code" (
    "code_hash" BYTEA NOT NULL,
    "client_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clinic_access_code_pkey" PRIMARY KEY ("code_hash")
);

CREATE INDEX "clinic_access_code_client_id_idx" ON "clinic_access_code"("client_id");

-- Wrong codes entered at each clinic, to bound guessing.
CREATE TABLE "access_code_failure" (
    "id" BIGSERIAL NOT NULL,
    "clinic_id" UUID NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_code_failure_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "access_code_failure_clinic_id_failed_at_idx" ON "access_code_failure"("clinic_id", "failed_at");
