-- CreateEnum
CREATE TYPE "slot_status" AS ENUM ('free', 'busy', 'busy-unavailable', 'busy-tentative');

-- CreateEnum
CREATE TYPE "appointment_status" AS ENUM ('pending', 'booked', 'cancelled', 'fulfilled', 'noshow');

-- CreateTable
CREATE TABLE "slot" (
    "id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "end" TIMESTAMPTZ(3) NOT NULL,
    "status" "slot_status" NOT NULL DEFAULT 'free',

    CONSTRAINT "slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointment" (
    "id" UUID NOT NULL,
    "slot_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "end" TIMESTAMPTZ(3) NOT NULL,
    "status" "appointment_status" NOT NULL,
    "reason_for_visit" VARCHAR(200),
    "idempotency_key" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "appointment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "slot_clinic_id_start_idx" ON "slot"("clinic_id", "start");

-- CreateIndex
CREATE INDEX "slot_status_start_idx" ON "slot"("status", "start");

-- CreateIndex
CREATE UNIQUE INDEX "slot_doctor_id_start_key" ON "slot"("doctor_id", "start");

-- CreateIndex
CREATE UNIQUE INDEX "appointment_idempotency_key_key" ON "appointment"("idempotency_key");

-- CreateIndex
CREATE INDEX "appointment_client_id_start_idx" ON "appointment"("client_id", "start");

-- CreateIndex
CREATE INDEX "appointment_doctor_id_start_idx" ON "appointment"("doctor_id", "start");

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_slot_id_fkey" FOREIGN KEY ("slot_id") REFERENCES "slot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Prisma cannot express this (prisma/orm#17514): at most one active appointment per slot, whatever the
-- application does. The scheduling issue widens it to doctor x time-range exclusion with btree_gist.
CREATE UNIQUE INDEX "appointment_active_slot_key" ON "appointment"("slot_id") WHERE "status" IN ('pending', 'booked');
