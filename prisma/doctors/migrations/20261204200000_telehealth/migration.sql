-- Whether a doctor offers telehealth (video or phone) consultations; published with their availability.
ALTER TABLE "doctor" ADD COLUMN "offers_telehealth" BOOLEAN NOT NULL DEFAULT false;
