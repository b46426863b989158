-- The patients service now answers with the shared NotAllowed and InvalidInput (the same fields as its
-- own PatientActionNotAllowed and InvalidPatientInput had). Outcomes recorded under the old names are
-- renamed, so a retry under an old key answers as the first request did, in types the schema still has.
UPDATE "idempotency_record"
SET "outcome" = jsonb_set("outcome", '{__typename}', '"NotAllowed"')
WHERE "outcome" ->> '__typename' = 'PatientActionNotAllowed';

UPDATE "idempotency_record"
SET "outcome" = jsonb_set("outcome", '{__typename}', '"InvalidInput"')
WHERE "outcome" ->> '__typename' = 'InvalidPatientInput';
