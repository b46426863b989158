-- CreateTable
CREATE TABLE "patient_clinic" (
    "client_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_clinic_pkey" PRIMARY KEY ("client_id","clinic_id")
);
