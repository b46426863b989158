-- Hash chain: every audit entry carries sha256(previous entry's hash || canonical JSON of its own fields),
-- computed by the appender (subgraphs/audit/src/trail/append-entries.ts), so `verifyAuditChain` finds the
-- first altered, deleted or inserted row. hash and prev_hash are lowercase hex; the first entry's
-- prev_hash is 64 zeros.
ALTER TABLE "audit_entry" ADD COLUMN "prev_hash" CHAR(64), ADD COLUMN "hash" CHAR(64);

-- Entries written before the chain existed: renumber densely (BIGSERIAL left gaps where transactions
-- rolled back; the appender now assigns head + 1 under a lock, so a gap means a deleted row) and chain
-- them in sequence order. The canonical form below must equal trail/canonical-entry.ts (RFC 8785 JCS of
-- string-or-null fields, keys sorted); hash-chain.int.test.ts checks the two agree.
UPDATE "audit_entry" AS e SET "sequence" = -n.rn
  FROM (SELECT "id", row_number() OVER (ORDER BY "sequence") AS rn FROM "audit_entry") AS n
  WHERE e."id" = n."id";
UPDATE "audit_entry" SET "sequence" = -"sequence";

DO $$
DECLARE
  r RECORD;
  prev TEXT := repeat('0', 64);
  next TEXT;
  iso TEXT := 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
BEGIN
  FOR r IN SELECT * FROM "audit_entry" ORDER BY "sequence" LOOP
    next := encode(sha256(convert_to(prev
      || '{"action":' || to_json(r."action")::text
      || ',"actorRole":' || to_json(r."actor_role")::text
      || ',"actorSubject":' || to_json(r."actor_subject")::text
      || ',"clientId":' || coalesce(to_json(r."client_id"::text)::text, 'null')
      || ',"clinicId":' || coalesce(to_json(r."clinic_id"::text)::text, 'null')
      || ',"correlationId":' || to_json(r."correlation_id")::text
      || ',"eventId":' || to_json(r."event_id"::text)::text
      || ',"id":' || to_json(r."id"::text)::text
      || ',"occurredAt":' || to_json(to_char(r."occurred_at" AT TIME ZONE 'UTC', iso))::text
      || ',"recordedAt":' || to_json(to_char(r."recorded_at" AT TIME ZONE 'UTC', iso))::text
      || ',"sequence":' || to_json(r."sequence"::text)::text
      || ',"subjectId":' || to_json(r."subject_id")::text
      || ',"subjectType":' || to_json(r."subject_type")::text
      || '}', 'UTF8')), 'hex');
    UPDATE "audit_entry" SET "prev_hash" = prev, "hash" = next WHERE "id" = r."id";
    prev := next;
  END LOOP;
END $$;

ALTER TABLE "audit_entry" ALTER COLUMN "prev_hash" SET NOT NULL, ALTER COLUMN "hash" SET NOT NULL;

-- One successor per entry: even if the appender's lock were bypassed, two writers cannot fork the chain.
CREATE UNIQUE INDEX "audit_entry_prev_hash_key" ON "audit_entry"("prev_hash");

-- auditTrail filters by actor and by time.
CREATE INDEX "audit_entry_actor_subject_idx" ON "audit_entry"("actor_subject");
CREATE INDEX "audit_entry_occurred_at_idx" ON "audit_entry"("occurred_at");

SELECT setval(pg_get_serial_sequence('"audit_entry"', 'sequence'),
  coalesce((SELECT max("sequence") FROM "audit_entry"), 1), (SELECT count(*) > 0 FROM "audit_entry"));

-- Append-only. Nobody but the table's owner (the migration role) holds UPDATE, DELETE or TRUNCATE; the
-- application should connect as a role granted only SELECT and INSERT (docs/audit.md). The trigger stops
-- the owner too, and fires even with session_replication_role = replica (ENABLE ALWAYS): getting past it
-- takes ALTER TABLE ... DISABLE TRIGGER, which the hash chain and exported checkpoints then expose.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_entry" FROM PUBLIC;

CREATE FUNCTION "audit_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER "audit_entry_append_only"
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_entry_append_only"();
ALTER TABLE "audit_entry" ENABLE ALWAYS TRIGGER "audit_entry_append_only";
