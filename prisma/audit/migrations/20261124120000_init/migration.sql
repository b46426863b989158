-- CreateTable
CREATE TABLE "audit_entry" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "actor_subject" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "client_id" UUID,
    "clinic_id" UUID,
    "correlation_id" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_entry_sequence_key" ON "audit_entry"("sequence");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entry_event_id_key" ON "audit_entry"("event_id");

-- CreateIndex
CREATE INDEX "audit_entry_correlation_id_idx" ON "audit_entry"("correlation_id");

-- CreateIndex
CREATE INDEX "audit_entry_subject_type_subject_id_idx" ON "audit_entry"("subject_type", "subject_id");

-- CreateIndex
CREATE INDEX "audit_entry_client_id_idx" ON "audit_entry"("client_id");

-- CreateIndex
CREATE INDEX "audit_entry_clinic_id_occurred_at_idx" ON "audit_entry"("clinic_id", "occurred_at");
