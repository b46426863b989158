-- This service's copy of the patients service's clinic links, fed by patient.clinic-linked and
-- patient.clinic-unlinked events through the inbox. It starts empty: links before this were not made by
-- the patients' consent (see prisma/patients' clinic_links_by_consent), and the patients service
-- publishes every link it makes from now on.
CREATE TABLE "clinic_link" (
    "client_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clinic_link_pkey" PRIMARY KEY ("client_id","clinic_id")
);
