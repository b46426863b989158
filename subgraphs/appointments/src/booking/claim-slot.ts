import { enqueueEvents } from '@clinic/platform';
import type { Prisma, Slot } from '../generated/prisma/client';
import { SYSTEM_ACTOR, slotChangedEvent } from './events';

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
 * Claims a slot inside the caller's transaction for `clientId`: flips it from free to `status` only if it
 * is still free and in the future. The conditional update is the claim: of two concurrent transactions
 * only one sees `free`, and it locks the slot only when it takes it, so the many who lose a race for one
 * slot wait for the winner alone, not for each other. A slot held past its hold's expiry is released
 * first (slot locked, then the hold: the lock order) and claimed in the same go; so are the patient's own
 * lapsed holds at that time (`ownLapsed`, found by ownLapsedHoldSlots: a caller that has locked them
 * already passes them, so nothing is locked out of order). Every slot freed here and not claimed is
 * published; the claimed slot's change is the caller's to publish. Returns the claimed slot, or null.
 */
export async function claimSlot(
  tx: Tx,
  slot: Pick<Slot, 'id' | 'start' | 'end'>,
  status: 'busy' | 'busy_tentative',
  clientId: string,
  ownLapsed?: readonly string[],
): Promise<Slot | null> {
  const slotId = slot.id;
  const freed = await releaseOwnLapsedHolds(
    tx,
    slot,
    ownLapsed ?? (await ownLapsedHoldSlots(tx, clientId, slot)),
  );
  const claim = async () =>
    (
      await tx.slot.updateManyAndReturn({
        where: { id: slotId, status: 'free', start: { gt: new Date() } },
        data: { status },
      })
    )[0] ?? null;
  let claimed = await claim();
  if (!claimed) {
    const lapsed = await tx.appointment.findFirst({
      where: { slotId, status: 'pending', holdExpiresAt: { lt: new Date() } },
      select: { id: true },
    });
    // No lapsed hold (any more): its patient may have just cancelled it and freed the slot, so the
    // conditional update decides once more.
    if (lapsed) {
      await lockSlots(tx, [slotId]);
      freed.push(...(await releaseExpiredHolds(tx, { slotId })));
    }
    claimed = await claim();
  }
  const unclaimed = freed.filter((released) => released.id !== claimed?.id);
  await enqueueEvents(
    tx,
    'appointments',
    unclaimed.map((released) => slotChangedEvent(released, SYSTEM_ACTOR)),
  );
  return claimed;
}

/** The slots of the patient's lapsed holds that overlap `slot`'s time (not yet swept). */
export async function ownLapsedHoldSlots(
  tx: Tx,
  clientId: string,
  slot: Pick<Slot, 'start' | 'end'>,
): Promise<string[]> {
  const holds = await tx.appointment.findMany({
    where: {
      clientId,
      status: 'pending',
      holdExpiresAt: { lt: new Date() },
      start: { lt: slot.end },
      end: { gt: slot.start },
    },
    select: { slotId: true },
  });
  return holds.map((hold) => hold.slotId);
}

/**
 * A lapsed hold reads as released everywhere, but until the sweeper or a claim of its own slot cancels it,
 * it still counts for the rule that one patient's appointments never overlap; so before the patient
 * claims a time, their own lapsed holds at that time are released, their slots locked with this one in
 * id order. Returns the slots it freed.
 */
async function releaseOwnLapsedHolds(
  tx: Tx,
  slot: Pick<Slot, 'id'>,
  lapsed: readonly string[],
): Promise<Slot[]> {
  if (lapsed.length === 0) return [];
  await lockSlots(tx, [slot.id, ...lapsed]);
  const freed: Slot[] = [];
  for (const slotId of new Set(lapsed)) freed.push(...(await releaseExpiredHolds(tx, { slotId })));
  return freed;
}

/**
 * Cancels holds whose time ran out and frees their slots; returns the freed slots so the caller can
 * publish the change. Run lazily before every claim and periodically by the sweeper.
 */
export async function releaseExpiredHolds(tx: Tx, where: { slotId?: string } = {}): Promise<Slot[]> {
  const now = new Date();
  let scope: Prisma.AppointmentWhereInput = where;
  if (!where.slotId) {
    // The holds lapsed now, their slots locked first; one that lapses a moment later waits for the next
    // sweep rather than being changed without its slot's lock (the lock order).
    const lapsed = await tx.appointment.findMany({
      where: { status: 'pending', holdExpiresAt: { lt: now } },
      select: { id: true, slotId: true },
    });
    if (lapsed.length === 0) return [];
    await lockSlots(
      tx,
      lapsed.map((hold) => hold.slotId),
    );
    scope = { id: { in: lapsed.map((hold) => hold.id) } };
  }
  const expired = await tx.appointment.updateManyAndReturn({
    where: { status: 'pending', holdExpiresAt: { lt: now }, ...scope },
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
