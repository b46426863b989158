import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { enqueueEvents, handleOnceBatch } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import type { Prisma, Slot, WaitlistOffer } from '../generated/prisma/client';
import { claimSlot, lockSlots, placementOn } from '../booking/claim-slot';
import { SYSTEM_ACTOR, slotChangedEvent } from '../booking/events';
import { flaggedFitting } from '../reassignment/settle-displaced';
import { SOLO_PRACTICES, type PracticeGroups } from '../reassignment/practice-groups';
import { offeredEvent } from './events';
import { windowCutoff } from './limits';
import { waitlistSettingOf } from './settings';

export const WAITLIST_CONSUMER = 'appointments-waitlist';

/** The service's default HOLDS_PER_PATIENT, for callers that do not pass the configured one. */
export const DEFAULT_HOLDS_PER_PATIENT = 2;

/** At most this many patients are offered one freed time at once in broadcast mode (the first in line). */
export const BROADCAST_FAN_OUT = 100;

type Tx = Prisma.TransactionClient;
type Freed = EventEnvelope<'slot.changed'>;

/**
 * Offers freed times to the waitlist, exactly once per event: every way a time becomes free (a
 * cancellation, a reschedule's old slot, a lapsed or released hold, a withdrawn sequential offer, new or
 * returning availability) is a `slot.changed` to free, so this one consumer sees them all. The inbox rows,
 * the offers, any hold and the `waitlist.offered` events commit in one transaction (handleOnceBatch): a
 * process dying between "slot freed" and "offer sent" leaves the event unhandled, and it is handled in full
 * when it comes again; a redelivered event offers nothing new (and an entry is never offered one slot
 * twice: a unique index backs the inbox up).
 *
 * Each freed slot is read again under its lock, so a time taken since the event was published is offered
 * to nobody. Locks: the clinics' waitlist locks (advisory, in clinic id order: one offer per entry at a
 * time is decided one clinic at a time, whichever replica handles which partition), then the slots in id
 * order, then appointments: the lock order of prisma/appointments/schema.prisma, with the clinic's
 * waitlist lock where a patient's lock would be (this consumer takes none).
 * Returns how many offers it made.
 */
export async function offerFreedSlots(
  db: AppointmentsDatabase,
  events: readonly EventEnvelope[],
  groups: PracticeGroups = SOLO_PRACTICES,
  now: () => Date = () => new Date(),
  holdsPerPatient: number = DEFAULT_HOLDS_PER_PATIENT,
): Promise<number> {
  const freed = events.filter(
    (event): event is Freed => event.type === 'slot.changed' && event.payload.status === 'free',
  );
  if (freed.length === 0) return 0;
  // Nearly every freed time has nobody waiting for it at its clinic: answered by an index, no transaction.
  const clinics = [...new Set(freed.map((event) => event.payload.clinicId))].sort();
  // Entries whose window has passed wait for nothing (windowCutoff: passed in every zone; the slot-day
  // condition of matchingEntries settles the rest exactly).
  const waiting = await db.waitlistEntry.findMany({
    where: { clinicId: { in: clinics }, status: 'active', toDate: { gte: windowCutoff(now()) } },
    distinct: ['clinicId'],
    select: { clinicId: true },
  });
  if (waiting.length === 0) return 0;
  const waitingAt = new Set(waiting.map((row) => row.clinicId));
  const relevant = freed.filter((event) => waitingAt.has(event.payload.clinicId));
  let made = 0;
  await handleOnceBatch(db, WAITLIST_CONSUMER, relevant, async (tx, fresh) => {
    made = 0; // a retried transaction counts only what finally commits
    const mine = fresh as Freed[];
    for (const clinicId of [...new Set(mine.map((event) => event.payload.clinicId))].sort()) {
      await tx.$executeRawUnsafe(
        'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
        `waitlist:${clinicId}`,
      );
    }
    await lockSlots(
      tx,
      mine.map((event) => event.payload.slotId),
    );
    const zones = await usableZones(
      tx,
      [...new Set(mine.map((event) => event.payload.clinicId))],
      windowCutoff(now()),
    );
    const events: EventEnvelope[] = [];
    for (const event of mine) {
      const offers = await offerSlot(tx, event, groups, now(), zones, holdsPerPatient);
      made += offers.offers.length;
      events.push(...offers.events);
    }
    await enqueueEvents(tx, 'appointments', events);
  });
  return made;
}

/** Offers one freed slot, already locked, as its clinic's setting says. */
async function offerSlot(
  tx: Tx,
  event: Freed,
  groups: PracticeGroups,
  now: Date,
  zones: readonly string[],
  holdsPerPatient: number,
): Promise<{ offers: WaitlistOffer[]; events: EventEnvelope[] }> {
  const none = { offers: [], events: [] };
  // The slot as it is now, under its lock: the event may be late (the slot offered and held since, or
  // booked and freed again), so what ends an offer is the slot's state, never the event alone.
  const slot = await tx.slot.findUnique({ where: { id: event.payload.slotId } });
  const free = slot !== null && slot.status === 'free' && slot.start > now;
  const live = await settleOffersOf(tx, event.payload.slotId, now);
  // Taken (or withdrawn, or started) since it was freed: nobody is offered a time already taken.
  if (!slot || !free) return none;
  // Its offers still stand (a broadcast whose time was booked and freed again): they are the ones to
  // claim it, and offering it to new entries each time would let one patient drain the line.
  if (live > 0) return none;
  // A booked appointment whose doctor became unavailable and that this time fits comes first: the
  // freed-times consumer moves it in (it is handed the same event), so the waitlist offers the time to
  // nobody rather than hold it from a patient who is already booked.
  if ((await flaggedFitting(tx, [slot], groups)).length > 0) return none;
  const setting = await waitlistSettingOf(tx, slot.clinicId);
  const sequential = setting.mode === 'sequential';
  const entries = await matchingEntries(
    tx,
    slot,
    now,
    sequential ? 1 : BROADCAST_FAN_OUT,
    zones,
    sequential ? holdsPerPatient : null,
  );
  if (entries.length === 0) return none;
  const lasts = new Date(Math.min(now.getTime() + setting.offerMinutes * 60_000, slot.start.getTime()));
  if (sequential) {
    const [first] = entries as [{ id: string; client_id: string }];
    // The first in line alone holds the slot (busy-tentative) until the offer lapses; the hold sweeper
    // then frees it, and that freeing passes the offer on. Their own lapsed holds at this time were ruled
    // out by matchingEntries, so claimSlot locks nothing more (the lock order).
    const claimed = await claimSlot(tx, slot, 'busy_tentative', first.client_id, []);
    if (!claimed) return none;
    const hold = await tx.appointment.create({
      data: {
        id: randomUUID(),
        ...placementOn(claimed),
        clientId: first.client_id,
        status: 'pending',
        holdExpiresAt: lasts,
      },
    });
    const offer = await tx.waitlistOffer.create({
      data: offerRow(slot, first, 'sequential', lasts, event.id, hold.id),
    });
    return {
      offers: [offer],
      events: [slotChangedEvent(claimed, SYSTEM_ACTOR, event.id), offeredEvent(offer)],
    };
  }
  // One insert for the whole line (up to BROADCAST_FAN_OUT rows) while the clinic's lock is held; the ids
  // are made here, so the offers keep the line's order.
  const data = entries.map((entry) => offerRow(slot, entry, 'broadcast', lasts, event.id, null));
  const created = new Map(
    (await tx.waitlistOffer.createManyAndReturn({ data })).map((offer) => [offer.id, offer]),
  );
  const offers = data.map((row) => created.get(row.id) as WaitlistOffer);
  return { offers, events: offers.map(offeredEvent) };
}

/**
 * Ends the slot's open offers that are really over, and returns how many stay live. A sequential offer
 * is over when its hold is no longer pending (released, lapsed and swept, or confirmed by another path);
 * while it is pending the offer stands, however late an older freeing arrives. A broadcast offer is over
 * when its time is up. One whose slot is booked or held another way is treated as taken while the slot is
 * not free (myWaitlistOffers, matchingEntries, a claim's SlotUnavailable) but not marked: a freeing that
 * arrives while the slot is briefly booked again must not end offers that are claimable once it is free,
 * or a book/cancel loop timed against the consumer would walk the line.
 */
async function settleOffersOf(tx: Tx, slotId: string, now: Date): Promise<number> {
  await tx.$executeRawUnsafe(
    `UPDATE waitlist_offer o SET status = 'expired', updated_at = now()
      WHERE o.slot_id = $1::uuid AND o.status = 'open' AND o.hold_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.id = o.hold_id AND a.status = 'pending')`,
    slotId,
  );
  await tx.waitlistOffer.updateMany({
    where: { slotId, status: 'open', holdId: null, expiresAt: { lte: now } },
    data: { status: 'expired' },
  });
  return tx.waitlistOffer.count({ where: { slotId, status: 'open' } });
}

function offerRow(
  slot: Slot,
  entry: { id: string; client_id: string },
  mode: 'broadcast' | 'sequential',
  expiresAt: Date,
  eventId: string,
  holdId: string | null,
) {
  return {
    id: randomUUID(),
    entryId: entry.id,
    clientId: entry.client_id,
    clinicId: slot.clinicId,
    doctorId: slot.doctorId,
    slotId: slot.id,
    start: slot.start,
    end: slot.end,
    mode,
    expiresAt,
    eventId,
    holdId,
  };
}

/**
 * The zones of these clinics' active entries that PostgreSQL can convert in, read once per batch. An entry
 * stored in a zone it cannot (joined before joins were checked against it) would make AT TIME ZONE fail
 * the whole batch, and with it every other entry's offers on every retry: such an entry is passed over.
 */
async function usableZones(tx: Tx, clinicIds: readonly string[], cutoff: Date): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ zone: string }[]>(
    `SELECT DISTINCT e.time_zone AS zone FROM waitlist_entry e
      WHERE e.status = 'active' AND e.clinic_id = ANY($1::uuid[]) AND e.to_date >= $2::date
        AND EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = e.time_zone)`,
    clinicIds,
    cutoff,
  );
  return rows.map((row) => row.zone);
}

/**
 * The active entries this slot fits, first in line first: the clinic's, for any doctor or this one; the
 * slot's local day within the window and its local start within the times of day, both in the entry's
 * zone (PostgreSQL converts, daylight saving included). Left out: an entry already offered this slot
 * (once offered, never again, so a sequential offer passes down the line), an entry with a live offer
 * (one at a time, so a day of new availability is not a flood of messages; a broadcast offer of a slot
 * booked since is taken, not live, even before the consumer marks it), and a patient with an
 * active appointment or hold overlapping the time (they could not take it). With `holdLimit` (sequential
 * mode, whose offer is a hold): a patient already holding that many live holds, as holdSlot counts them.
 * Counted without the patient's advisory lock (the lock order puts it before the slots, and the patient is
 * known only after), so a holdSlot at the same moment can still take them one past the limit.
 */
function matchingEntries(
  tx: Tx,
  slot: Slot,
  now: Date,
  limit: number,
  zones: readonly string[],
  holdLimit: number | null,
): Promise<{ id: string; client_id: string }[]> {
  // PostgreSQL does not promise the order WHERE conditions run in, so a zone it does not know is swapped
  // for UTC inside a CASE (which does keep its order) before any AT TIME ZONE, and its entry left out.
  return tx.$queryRawUnsafe(
    `SELECT e.id::text AS id, e.client_id::text AS client_id
       FROM (SELECT w.*, CASE WHEN w.time_zone = ANY($8::text[]) THEN w.time_zone ELSE 'UTC' END AS zone
               FROM waitlist_entry w) e
      WHERE e.time_zone = ANY($8::text[]) AND e.status = 'active' AND e.clinic_id = $1::uuid AND (e.doctor_id IS NULL OR e.doctor_id = $2::uuid)
        AND e.to_date >= $9::date
        AND ($3::timestamptz AT TIME ZONE e.zone)::date BETWEEN e.from_date AND e.to_date
        AND (e.earliest_start_minute IS NULL OR e.earliest_start_minute <=
             extract(hour FROM $3::timestamptz AT TIME ZONE e.zone) * 60
             + extract(minute FROM $3::timestamptz AT TIME ZONE e.zone))
        AND (e.latest_start_minute IS NULL OR e.latest_start_minute >=
             extract(hour FROM $3::timestamptz AT TIME ZONE e.zone) * 60
             + extract(minute FROM $3::timestamptz AT TIME ZONE e.zone))
        AND NOT EXISTS (SELECT 1 FROM waitlist_offer o WHERE o.entry_id = e.id AND o.slot_id = $5::uuid)
        AND NOT EXISTS (SELECT 1 FROM waitlist_offer o
                         WHERE o.entry_id = e.id AND o.status = 'open' AND o.expires_at > $6::timestamptz
                           AND (o.hold_id IS NOT NULL
                                OR EXISTS (SELECT 1 FROM slot s WHERE s.id = o.slot_id AND s.status = 'free')))
        AND NOT EXISTS (SELECT 1 FROM appointment a
                         WHERE a.client_id = e.client_id AND a.status IN ('pending', 'booked')
                           AND tstzrange(a.start, a."end") && tstzrange($3::timestamptz, $4::timestamptz))
        AND ($10::int IS NULL OR (SELECT count(*) FROM appointment a
                                   WHERE a.client_id = e.client_id AND a.status = 'pending'
                                     AND a.hold_expires_at > $6::timestamptz) < $10::int)
      ORDER BY e.created_at, e.id
      LIMIT $7`,
    slot.clinicId,
    slot.doctorId,
    slot.start,
    slot.end,
    slot.id,
    now,
    limit,
    zones,
    windowCutoff(now),
    holdLimit,
  );
}
