-- A clinic's wrong guesses at who is a patient, by kind: wrong access codes, and registrations of details
-- already registered. Each kind has its own budget, so reception mistyping codes can still register
-- new patients.
ALTER TABLE "access_code_failure" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'code';
DROP INDEX "access_code_failure_clinic_id_failed_at_idx";
CREATE INDEX "access_code_failure_clinic_id_kind_failed_at_idx" ON "access_code_failure"("clinic_id", "kind", "failed_at");
