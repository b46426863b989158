-- A slot's doctor offers telehealth (as last published with their availability); an appointment is a
-- telehealth consultation. Re-assignment moves a telehealth appointment only to a telehealth slot.
ALTER TABLE "slot" ADD COLUMN "telehealth" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "appointment" ADD COLUMN "telehealth" BOOLEAN NOT NULL DEFAULT false;
