-- An entry ends with its window's last day: the offer consumer, the lists and the per-patient count leave
-- out active entries whose `to_date` has passed, so a clinic's stale entries are skipped by index rather
-- than read for every freed time.
CREATE INDEX "waitlist_entry_clinic_window_idx" ON "waitlist_entry"("clinic_id", "to_date")
    WHERE "status" = 'active';
