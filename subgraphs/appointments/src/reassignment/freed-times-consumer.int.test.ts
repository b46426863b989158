import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { migratedTestDatabase } from '@clinic/testing';
import pino from 'pino';
import { slotChangedEvent, SYSTEM_ACTOR } from '../booking/events';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '../database';
import type { Slot } from '../generated/prisma/client';
import { applyAvailability } from './apply-availability';
import { retryFlaggedOnFreedSlot } from './freed-times-consumer';
import { settleDisplaced } from './settle-displaced';
import { practiceGroups, SOLO_PRACTICES } from './practice-groups';

/** A flagged appointment takes a colleague's time the moment it frees, however it freed. */
let database: Awaited<ReturnType<typeof migratedTestDatabase>>;
let db: AppointmentsDatabase;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  database = await migratedTestDatabase('appointments');
  db = connectAppointmentsDatabase(database.url);
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const HOUR = 3_600_000;
const base = new Date(Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR);
const at = (hour: number) => ({
  start: new Date(base.getTime() + hour * HOUR),
  end: new Date(base.getTime() + hour * HOUR + 30 * 60_000),
});

/** A doctor's booked slot at `hour`; `telehealth`: the doctor offers it and the appointment is one. */
async function bookedSlot(clinicId: string, hour: number, { id = randomUUID(), telehealth = false } = {}) {
  const doctorId = randomUUID();
  const slot = await db.slot.create({
    data: { id: randomUUID(), doctorId, clinicId, ...at(hour), status: 'busy', telehealth },
  });
  const appointment = await db.appointment.create({
    data: {
      id,
      telehealth,
      slotId: slot.id,
      doctorId,
      clinicId,
      clientId: randomUUID(),
      start: slot.start,
      end: slot.end,
      status: 'booked',
    },
  });
  return { slot, appointment };
}

/** The doctor of this slot goes on leave for the whole day. */
function leave(slot: Slot): EventEnvelope<'doctor.availability-changed'> {
  return createEvent({
    type: 'doctor.availability-changed',
    aggregateId: slot.doctorId,
    actor: { role: 'ClinicAdmin', subject: 'staff-1' },
    payload: {
      doctorId: slot.doctorId,
      clinicId: slot.clinicId,
      windowStart: base.toISOString(),
      windowEnd: new Date(base.getTime() + 24 * HOUR).toISOString(),
      slots: [],
      telehealth: slot.telehealth,
    },
  });
}

/** A doctor goes on leave at `hour` while the only colleague free then is booked: the appointment is flagged. */
async function flaggedBeside(colleagueClinicId: string, hour: number) {
  const clinicId = randomUUID();
  const mine = await bookedSlot(clinicId, hour);
  const colleague = await bookedSlot(colleagueClinicId === 'same' ? clinicId : colleagueClinicId, hour);
  await applyAvailability(db, leave(mine.slot), logger, SOLO_PRACTICES);
  const flagged = await db.appointment.findUniqueOrThrow({ where: { id: mine.appointment.id } });
  expect(flagged.needsAttentionSince).not.toBeNull();
  return { clinicId, flagged, colleague };
}

/** The colleague's patient cancels: what the cancel transaction commits, and the event it publishes. */
async function cancel(booked: { slot: Slot; appointment: { id: string } }) {
  await db.appointment.update({ where: { id: booked.appointment.id }, data: { status: 'cancelled' } });
  const freed = await db.slot.update({ where: { id: booked.slot.id }, data: { status: 'free' } });
  return slotChangedEvent(freed, SYSTEM_ACTOR) as EventEnvelope<'slot.changed'>;
}

describe('flagged appointments retried when a time frees', () => {
  it("moves a flagged appointment into a colleague's time freed by a cancellation, once", async () => {
    const { flagged, colleague } = await flaggedBeside('same', 1);
    const freed = await cancel(colleague);
    expect(await retryFlaggedOnFreedSlot(db, freed, SOLO_PRACTICES)).toBe(1);
    expect(await db.appointment.findUniqueOrThrow({ where: { id: flagged.id } })).toMatchObject({
      doctorId: colleague.slot.doctorId,
      slotId: colleague.slot.id,
      needsAttentionSince: null,
    });
    expect((await db.slot.findUniqueOrThrow({ where: { id: colleague.slot.id } })).status).toBe('busy');
    // Delivered again: nothing moves twice.
    expect([0, null]).toContain(await retryFlaggedOnFreedSlot(db, freed, SOLO_PRACTICES));
  });

  it('leaves it flagged when the freed time is at a clinic outside its practice group', async () => {
    const otherClinic = randomUUID();
    const { flagged, colleague, clinicId } = await flaggedBeside(otherClinic, 3);
    const freed = await cancel(colleague);
    expect(await retryFlaggedOnFreedSlot(db, freed, SOLO_PRACTICES)).toBe(0);
    expect(
      (await db.appointment.findUniqueOrThrow({ where: { id: flagged.id } })).needsAttentionSince,
    ).not.toBeNull();
    // Grouped with it, the same kind of freed time takes it.
    const next = await flaggedBeside(otherClinic, 5);
    const grouped = practiceGroups([[next.clinicId, otherClinic]]);
    expect(await retryFlaggedOnFreedSlot(db, await cancel(next.colleague), grouped)).toBe(1);
    expect(clinicId).not.toBe(next.clinicId);
  });

  it('leaves alone a flagged appointment its patient cancelled or moved after it was read', async () => {
    for (const [hour, change] of [
      [9, 'cancelled'],
      [11, 'moved'],
    ] as const) {
      const { flagged, colleague } = await flaggedBeside('same', hour);
      const freed = await cancel(colleague);
      const elsewhere = await db.slot.create({
        data: { id: randomUUID(), doctorId: randomUUID(), clinicId: flagged.clinicId, ...at(hour + 12) },
      });
      // Read as the retry reads it, then changed by its patient before the retry writes.
      const stale = await db.appointment.findUniqueOrThrow({ where: { id: flagged.id } });
      await db.appointment.update({
        where: { id: flagged.id },
        data:
          change === 'cancelled'
            ? { status: 'cancelled' }
            : { slotId: elsewhere.id, doctorId: elsewhere.doctorId, ...at(hour + 12) },
      });
      const settled = await db.$transaction((tx) => settleDisplaced(tx, [stale], freed.id, SOLO_PRACTICES));
      expect(settled).toMatchObject({ reassigned: 0, events: [] });
      expect((await db.slot.findUniqueOrThrow({ where: { id: colleague.slot.id } })).status).toBe('free');
      const after = await db.appointment.findUniqueOrThrow({ where: { id: flagged.id } });
      expect(after.slotId).toBe(change === 'cancelled' ? stale.slotId : elsewhere.id);
    }
  });

  it('does nothing for a slot that is taken again before the retry runs', async () => {
    const { flagged, colleague } = await flaggedBeside('same', 7);
    const freed = await cancel(colleague);
    await db.slot.update({ where: { id: colleague.slot.id }, data: { status: 'busy_tentative' } });
    expect(await retryFlaggedOnFreedSlot(db, freed, SOLO_PRACTICES)).toBe(0);
    expect(
      (await db.appointment.findUniqueOrThrow({ where: { id: flagged.id } })).needsAttentionSince,
    ).not.toBeNull();
  });

  it('gives a freed telehealth time to a waiting telehealth appointment before an in-person one', async () => {
    // Both wait at 9; the in-person one comes first in id order, which would take the time otherwise.
    const clinicId = randomUUID();
    const visit = await bookedSlot(clinicId, 9, { id: '00000000-0000-4000-8000-000000000009' });
    const video = await bookedSlot(clinicId, 9, {
      id: 'ffffffff-ffff-4fff-bfff-000000000009',
      telehealth: true,
    });
    const colleague = await bookedSlot(clinicId, 9, { telehealth: true });
    for (const waiting of [visit, video])
      await applyAvailability(db, leave(waiting.slot), logger, SOLO_PRACTICES);

    expect(await retryFlaggedOnFreedSlot(db, await cancel(colleague), SOLO_PRACTICES)).toBe(1);
    expect((await db.appointment.findUniqueOrThrow({ where: { id: video.appointment.id } })).slotId).toBe(
      colleague.slot.id,
    );
    expect(
      (await db.appointment.findUniqueOrThrow({ where: { id: visit.appointment.id } })).needsAttentionSince,
    ).not.toBeNull();
  });
});
