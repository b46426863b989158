-- CreateEnum
CREATE TYPE "contact_channel" AS ENUM ('sms', 'email');

-- CreateTable
CREATE TABLE "patient" (
    "client_id" UUID NOT NULL,
    "preferred_channel" "contact_channel" NOT NULL DEFAULT 'sms',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_pkey" PRIMARY KEY ("client_id")
);
