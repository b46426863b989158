-- CreateEnum
CREATE TYPE "notification_reason" AS ENUM ('reassigned', 'needs_attention');

-- CreateEnum
CREATE TYPE "notification_recipient" AS ENUM ('patient', 'clinic_admins');

-- CreateEnum
CREATE TYPE "notification_status" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "inbox" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "handled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("event_id","consumer")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "recipient" "notification_recipient" NOT NULL,
    "client_id" UUID,
    "clinic_id" UUID NOT NULL,
    "channel" "contact_channel" NOT NULL,
    "reason" "notification_reason" NOT NULL,
    "appointment_id" UUID NOT NULL,
    "appointment_start" TIMESTAMPTZ(3) NOT NULL,
    "doctor_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "status" "notification_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "provider_message_id" TEXT,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_appointment_id_reason_event_id_recipient_key" ON "notification"("appointment_id", "reason", "event_id", "recipient");

-- CreateIndex
CREATE INDEX "notification_client_id_created_at_idx" ON "notification"("client_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_clinic_id_created_at_idx" ON "notification"("clinic_id", "created_at");

-- The dispatcher's queue: only rows still to send, in due order (Prisma cannot express partial indexes).
CREATE INDEX "notification_due_idx" ON "notification"("next_attempt_at") WHERE "status" = 'pending';

-- A patient's message names its patient; the clinic admins' one names nobody.
ALTER TABLE "notification" ADD CONSTRAINT "notification_recipient_check"
    CHECK (("recipient" = 'patient') = ("client_id" IS NOT NULL));
