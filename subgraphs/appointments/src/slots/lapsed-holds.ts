import type { AppointmentsDatabase } from '../database';
import type { Prisma, Slot } from '../generated/prisma/client';

/**
 * A hold frees its slot the moment it expires, for every read, not only when the sweeper or the next claim
 * writes it back: a busy-tentative slot whose hold has lapsed reads as free. (The sweeper still writes it,
 * so live subscribers hear of it; the next claim releases it first.)
 */
export function freeForReads(now = new Date()): Prisma.SlotWhereInput {
  return {
    OR: [
      { status: 'free' },
      {
        status: 'busy_tentative',
        appointments: { none: { status: 'pending', holdExpiresAt: { gt: now } } },
      },
    ],
  };
}

/** The SQL form of `freeForReads` for a slot aliased `s`, for the raw search queries. */
export const LAPSED_HOLD_SQL = `s.status = 'busy-tentative' AND NOT EXISTS (
  SELECT 1 FROM appointment a WHERE a.slot_id = s.id AND a.status = 'pending' AND a.hold_expires_at > now())`;

/** The slots as a reader should see them: busy-tentative ones whose hold has lapsed read as free. */
export async function withLapsedHoldsFreed<S extends Pick<Slot, 'id' | 'status'>>(
  db: Pick<AppointmentsDatabase, 'appointment'>,
  slots: S[],
): Promise<S[]> {
  const tentative = slots.filter((slot) => slot.status === 'busy_tentative').map((slot) => slot.id);
  if (tentative.length === 0) return slots;
  const held = await db.appointment.findMany({
    where: { slotId: { in: tentative }, status: 'pending', holdExpiresAt: { gt: new Date() } },
    select: { slotId: true },
  });
  const stillHeld = new Set(held.map((hold) => hold.slotId));
  return slots.map((slot) =>
    slot.status === 'busy_tentative' && !stillHeld.has(slot.id) ? { ...slot, status: 'free' } : slot,
  );
}

/** Rows a `freeForReads` query found: every one is free to its reader, lapsed holds included. */
export const readAsFree = <S extends Pick<Slot, 'status'>>(slots: S[]): S[] =>
  slots.map((slot) => (slot.status === 'free' ? slot : { ...slot, status: 'free' }));
