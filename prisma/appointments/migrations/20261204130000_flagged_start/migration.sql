-- Flagged appointments by start: every slot that becomes free asks whether one is waiting for its time,
-- and almost always none is; this keeps that question an index probe.
CREATE INDEX "appointment_flagged_start_idx" ON "appointment"("start") WHERE "needs_attention_since" IS NOT NULL;
