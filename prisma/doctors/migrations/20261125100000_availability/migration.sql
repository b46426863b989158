-- AlterEnum: a doctor who left the clinic keeps their row (appointments refer to it) but gets no slots.
-- PostgreSQL 12+ accepts ADD VALUE inside a transaction as long as the value is not used in it.
ALTER TYPE "doctor_status" ADD VALUE 'removed';

-- CreateEnum
CREATE TYPE "availability_exception_kind" AS ENUM ('leave', 'blocked');

-- AlterTable: how far ahead this doctor's slots have been published; the daily roll-forward extends it.
ALTER TABLE "doctor" ADD COLUMN "availability_published_until" TIMESTAMPTZ(3);

-- CreateTable: weekly hours in the clinic's local time (ISO weekday 1 = Monday).
CREATE TABLE "availability_rule" (
    "id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "start_local" TIME(0) NOT NULL,
    "end_local" TIME(0) NOT NULL,
    "slot_minutes" SMALLINT NOT NULL,
    "valid_from" DATE,
    "valid_until" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "availability_rule_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "availability_rule_weekday_check" CHECK ("weekday" BETWEEN 1 AND 7),
    CONSTRAINT "availability_rule_period_check" CHECK ("start_local" < "end_local"),
    CONSTRAINT "availability_rule_slot_check" CHECK ("slot_minutes" BETWEEN 5 AND 240),
    CONSTRAINT "availability_rule_validity_check" CHECK ("valid_until" IS NULL OR "valid_from" IS NULL OR "valid_from" <= "valid_until")
);

-- CreateTable: leave or a blocked period, as instants. A reason code only: never free text.
CREATE TABLE "availability_exception" (
    "id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "kind" "availability_exception_kind" NOT NULL,
    "reason_code" VARCHAR(40),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "availability_exception_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "availability_exception_period_check" CHECK ("starts_at" < "ends_at")
);

-- CreateTable: the first outcome of every availability mutation, by idempotency key.
CREATE TABLE "processed_mutation" (
    "idempotency_key" VARCHAR(100) NOT NULL,
    "operation" TEXT NOT NULL,
    "doctor_id" UUID NOT NULL,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_mutation_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateIndex
CREATE INDEX "availability_rule_doctor_id_weekday_idx" ON "availability_rule"("doctor_id", "weekday");

-- CreateIndex
CREATE INDEX "availability_exception_doctor_id_starts_at_idx" ON "availability_exception"("doctor_id", "starts_at");

-- AddForeignKey
ALTER TABLE "availability_rule" ADD CONSTRAINT "availability_rule_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_exception" ADD CONSTRAINT "availability_exception_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable: events committed with the change they describe; the relay publishes them (as in appointments).
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
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- The relay reads only unpublished rows, in order; a partial index keeps that cheap as the table grows.
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("seq") WHERE "published_at" IS NULL;
