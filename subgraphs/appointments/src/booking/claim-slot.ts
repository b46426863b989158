import type { Prisma, Slot } from '../generated/prisma/client';

type Tx = Prisma.TransactionClient;

/** Where an appointment on this slot sits: the slot's doctor, clinic and times. */
export function placementOn(slot: Slot) {
  return {
    slotId: slot.id,
    doctorId: slot.doctorId,
    clinicId: slot.clinicId,
    start: slot.start,
    end: slot.end,
  };
}

/**
 * Takes the row locks of these slots, in id order. The one lock order of this database (see
 * prisma/appointments/schema.prisma): a transaction locks the slots it will change first, in id order,
 * and only then their appointments. Two transactions that follow it never wait on each other in a cycle.
 */
export async function lockSlots(tx: Tx, slotIds: readonly string[]): Promise<void> {
  if (slotIds.length === 0) return;
  await tx.$queryRawUnsafe('SELECT id FROM slot WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [
    ...new Set(slotIds),
  ]);
}

/**
 * Claims a slot inside the caller's transaction: flips it from free to `status` only if it is still free
 * and in the future. The conditional update is the claim: of two concurrent transactions only one sees
 * `free`, and it locks the slot only when it takes it, so the many who lose a race for one slot wait for
 * the winner alone, not for each other. A slot held past its hold's expiry is released first (slot locked,
 * then the hold: the lock order) and claimed in the same go. Returns the claimed slot, or null.
 */
export async function claimSlot(
  tx: Tx,
  slotId: string,
  status: 'busy' | 'busy_tentative',
): Promise<Slot | null> {
  const claim = async () =>
    (
      await tx.slot.updateManyAndReturn({
        where: { id: slotId, status: 'free', start: { gt: new Date() } },
        data: { status },
      })
    )[0] ?? null;
  const claimed = await claim();
  if (claimed) return claimed;
  const lapsed = await tx.appointment.findFirst({
    where: { slotId, status: 'pending', holdExpiresAt: { lt: new Date() } },
    select: { id: true },
  });
  if (!lapsed) return null;
  await lockSlots(tx, [slotId]);
  await releaseExpiredHolds(tx, { slotId });
  return claim();
}

/**
 * Cancels holds whose time ran out and frees their slots; returns the freed slots so the caller can
 * publish the change. Run lazily before every claim and periodically by the sweeper.
 */
export async function releaseExpiredHolds(tx: Tx, where: { slotId?: string } = {}): Promise<Slot[]> {
  if (!where.slotId) {
    const lapsed = await tx.appointment.findMany({
      where: { status: 'pending', holdExpiresAt: { lt: new Date() } },
      select: { slotId: true },
    });
    await lockSlots(
      tx,
      lapsed.map((hold) => hold.slotId),
    );
  }
  const expired = await tx.appointment.updateManyAndReturn({
    where: { status: 'pending', holdExpiresAt: { lt: new Date() }, ...where },
    data: { status: 'cancelled', holdExpiresAt: null },
  });
  if (expired.length === 0) return [];
  return tx.slot.updateManyAndReturn({
    where: { id: { in: expired.map((hold) => hold.slotId) }, status: 'busy_tentative' },
    data: { status: 'free' },
  });
}

/** Gives a slot back after a cancellation or a move, unless its doctor has since become unavailable. */
export async function releaseSlot(tx: Tx, slotId: string): Promise<Slot | null> {
  const released = await tx.slot.updateManyAndReturn({
    where: { id: slotId, status: { in: ['busy', 'busy_tentative'] } },
    data: { status: 'free' },
  });
  return released[0] ?? null;
}

/**
 * True when PostgreSQL refused a write because it would double-book: a unique index (one active
 * appointment per slot, one use of an idempotency key) or an exclusion constraint (overlapping
 * appointments for one doctor or one patient).
 */
export function isBookingConflict(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002' || isOverlapRefusal(error);
}

/** True when an exclusion constraint refused overlapping active appointments (SQLSTATE 23P01). */
export function isOverlapRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const text = `${String(error)} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}`;
  return /23P01|exclusion constraint|_no_overlap/.test(text);
}
