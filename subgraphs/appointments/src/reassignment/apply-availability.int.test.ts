import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { migratedTestDatabase } from '@clinic/testing';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '../database';
import { applyAvailability } from './apply-availability';
import { practiceGroups, SOLO_PRACTICES } from './practice-groups';
import { reassignAppointment } from './reassign-appointment';

const logger = pino({ level: 'silent' });
let database: Awaited<ReturnType<typeof migratedTestDatabase>>;
let db: AppointmentsDatabase;

beforeAll(async () => {
  database = await migratedTestDatabase('appointments');
  db = connectAppointmentsDatabase(database.url);
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const HOUR = 3_600_000;
const clinicA = randomUUID();
const clinicB = randomUUID();
/** The two clinics as one practice: re-assignment may move appointments between them. */
const grouped = practiceGroups([[clinicA, clinicB]]);
/** Whole hours from a fixed future base, so every doctor's slots line up exactly. */
const base = new Date(Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR);
const at = (hour: number) => ({
  start: new Date(base.getTime() + hour * HOUR),
  end: new Date(base.getTime() + hour * HOUR + 30 * 60_000),
});

interface Doctor {
  id: string;
  clinicId: string;
  /** Offers telehealth: their slots say so, as the doctors service published it. */
  telehealth?: boolean;
}

async function doctorWithSlots(clinicId: string, hours: number[], telehealth = false): Promise<Doctor> {
  const doctor = { id: randomUUID(), clinicId, telehealth };
  await db.slot.createMany({
    data: hours.map((hour) => ({ id: randomUUID(), doctorId: doctor.id, clinicId, telehealth, ...at(hour) })),
  });
  return doctor;
}

async function book(doctor: Doctor, hour: number, telehealth = false, id = randomUUID()): Promise<string> {
  const slot = await db.slot.update({
    where: { doctorId_start: { doctorId: doctor.id, start: at(hour).start } },
    data: { status: 'busy' },
  });
  const appointment = await db.appointment.create({
    data: {
      id,
      slotId: slot.id,
      doctorId: doctor.id,
      clinicId: doctor.clinicId,
      clientId: randomUUID(),
      start: slot.start,
      end: slot.end,
      status: 'booked',
      telehealth,
    },
  });
  return appointment.id;
}

function availability(doctor: Doctor, hours: number[]): EventEnvelope<'doctor.availability-changed'> {
  return createEvent({
    type: 'doctor.availability-changed',
    aggregateId: doctor.id,
    actor: { role: 'ClinicAdmin', subject: 'staff-1' },
    payload: {
      doctorId: doctor.id,
      clinicId: doctor.clinicId,
      windowStart: base.toISOString(),
      windowEnd: new Date(base.getTime() + 24 * HOUR).toISOString(),
      slots: hours.map((hour) => ({ start: at(hour).start.toISOString(), end: at(hour).end.toISOString() })),
      telehealth: doctor.telehealth ?? false,
    },
  });
}

async function outboxTypes(causationId: string): Promise<string[]> {
  const rows = await db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  return rows
    .map((row) => row.envelope as unknown as EventEnvelope)
    .filter((event) => event.causationId === causationId)
    .map((event) => event.type);
}

describe('doctor availability reconciled into slots and re-assignments', () => {
  it('creates new times as free slots, and applies a redelivered event only once', async () => {
    const doctor = await doctorWithSlots(clinicA, []);
    const event = availability(doctor, [1, 2, 3]);
    expect(await applyAvailability(db, event, logger, grouped)).toMatchObject({ created: 3 });
    expect(await applyAvailability(db, event, logger, grouped)).toBeNull();
    const slots = await db.slot.findMany({ where: { doctorId: doctor.id } });
    expect(slots.map((slot) => slot.status)).toEqual(['free', 'free', 'free']);
  });

  it('moves each appointment of a doctor on leave to a free doctor at the same time, same clinic first', async () => {
    const leaving = await doctorWithSlots(clinicA, [4, 5, 6]);
    const sameClinic = await doctorWithSlots(clinicA, [4, 5]);
    const otherClinic = await doctorWithSlots(clinicB, [4, 5, 6]);
    const appointments = [await book(leaving, 4), await book(leaving, 5), await book(leaving, 6)];

    const leave = availability(leaving, []);
    const summary = await applyAvailability(db, leave, logger, grouped);
    expect(summary).toMatchObject({ withdrawn: 3, reassigned: 3, needingAttention: 0 });

    const moved = await db.appointment.findMany({
      where: { id: { in: appointments } },
      orderBy: { start: 'asc' },
    });
    expect(moved.map((appointment) => appointment.doctorId)).toEqual([
      sameClinic.id,
      sameClinic.id,
      otherClinic.id,
    ]);
    expect(moved.map((appointment) => appointment.start)).toEqual([at(4).start, at(5).start, at(6).start]);
    expect(moved.every((appointment) => appointment.status === 'booked')).toBe(true);
    const leftSlots = await db.slot.findMany({ where: { doctorId: leaving.id } });
    expect(leftSlots.every((slot) => slot.status === 'busy_unavailable')).toBe(true);
    const types = await outboxTypes(leave.id);
    expect(types.filter((type) => type === 'appointment.reassigned')).toHaveLength(3);

    // Redelivery: nothing moves again, no second announcement.
    expect(await applyAvailability(db, leave, logger, grouped)).toBeNull();
    expect((await outboxTypes(leave.id)).filter((type) => type === 'appointment.reassigned')).toHaveLength(3);
  });

  it('flags an appointment nobody can take, announces it once, and re-assigns it when a doctor adds the time', async () => {
    const leaving = await doctorWithSlots(clinicA, [10]);
    const appointmentId = await book(leaving, 10);

    const leave = availability(leaving, []);
    expect(await applyAvailability(db, leave, logger, grouped)).toMatchObject({
      reassigned: 0,
      needingAttention: 1,
    });
    const flagged = await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
    expect(flagged.needsAttentionSince).not.toBeNull();
    expect(flagged.doctorId).toBe(leaving.id);
    expect(await outboxTypes(leave.id)).toContain('appointment.needs-attention');

    // The same doctor's availability changes again elsewhere: no second needs-attention announcement.
    const again = availability(leaving, [11]);
    await applyAvailability(db, again, logger, grouped);
    expect(await outboxTypes(again.id)).not.toContain('appointment.needs-attention');

    const newcomer = await doctorWithSlots(clinicB, []);
    const added = availability(newcomer, [10]);
    expect(await applyAvailability(db, added, logger, grouped)).toMatchObject({ created: 1, reassigned: 1 });
    const settled = await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
    expect(settled).toMatchObject({ doctorId: newcomer.id, needsAttentionSince: null, status: 'booked' });
    expect(await outboxTypes(added.id)).toContain('appointment.reassigned');
  });

  it('gives a waiting appointment back to its doctor when their time returns', async () => {
    const doctor = await doctorWithSlots(clinicA, [14]);
    const appointmentId = await book(doctor, 14);
    await applyAvailability(db, availability(doctor, []), logger, grouped);
    expect(
      (await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).needsAttentionSince,
    ).not.toBeNull();

    const returning = availability(doctor, [14]);
    const back = await applyAvailability(db, returning, logger, grouped);
    expect(back).toMatchObject({ restored: 1 });
    const appointment = await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
    expect(appointment).toMatchObject({ doctorId: doctor.id, needsAttentionSince: null });
    const slot = await db.slot.findUniqueOrThrow({ where: { id: appointment.slotId } });
    expect(slot.status).toBe('busy');
    // The patient was told it needs rebooking; now they are told it is back.
    expect(await outboxTypes(returning.id)).toContain('appointment.returned');
  });

  it('never moves an appointment out of its practice group: with nobody free in it, it is flagged', async () => {
    const leaving = await doctorWithSlots(clinicA, [20]);
    const elsewhere = await doctorWithSlots(clinicB, [20]);
    const appointmentId = await book(leaving, 20);
    const leave = availability(leaving, []);
    expect(await applyAvailability(db, leave, logger, SOLO_PRACTICES)).toMatchObject({
      reassigned: 0,
      needingAttention: 1,
    });
    expect(await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).toMatchObject({
      doctorId: leaving.id,
      clinicId: clinicA,
    });
    expect((await db.slot.findFirstOrThrow({ where: { doctorId: elsewhere.id } })).status).toBe('free');
    // A time that becomes free in the other clinic does not take it either.
    const added = availability(await doctorWithSlots(clinicB, []), [20]);
    expect(await applyAvailability(db, added, logger, SOLO_PRACTICES)).toMatchObject({ reassigned: 0 });
    expect((await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).doctorId).toBe(
      leaving.id,
    );
  });

  it('never double-books the doctor an appointment moves to', async () => {
    // The only candidate already has a 60-minute appointment overlapping the time through another slot.
    const leaving = await doctorWithSlots(clinicA, [16]);
    const appointmentId = await book(leaving, 16);
    const busy = { id: randomUUID(), clinicId: clinicA };
    const long = await db.slot.create({
      data: {
        id: randomUUID(),
        doctorId: busy.id,
        clinicId: clinicA,
        start: new Date(at(16).start.getTime() - 15 * 60_000),
        end: new Date(at(16).start.getTime() + 45 * 60_000),
        status: 'busy',
      },
    });
    await db.appointment.create({
      data: {
        id: randomUUID(),
        slotId: long.id,
        doctorId: busy.id,
        clinicId: clinicA,
        clientId: randomUUID(),
        start: long.start,
        end: long.end,
        status: 'booked',
      },
    });
    await db.slot.create({ data: { id: randomUUID(), doctorId: busy.id, clinicId: clinicA, ...at(16) } });

    expect(await applyAvailability(db, availability(leaving, []), logger, grouped)).toMatchObject({
      reassigned: 0,
      needingAttention: 1,
    });
    expect((await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).doctorId).toBe(
      leaving.id,
    );
  });
});

// These use hours the tests above leave alone, all inside the events' 24-hour window.
describe('telehealth appointments in re-assignment', () => {
  const doctorOf = async (appointmentId: string) =>
    (await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).doctorId;

  it('moves a telehealth appointment only to a doctor who offers telehealth, at any clinic of its group', async () => {
    const leaving = await doctorWithSlots(clinicA, [7, 8], true);
    const inPerson = await doctorWithSlots(clinicA, [7, 8]);
    const remote = await doctorWithSlots(clinicB, [8], true);
    const nobodyFits = await book(leaving, 7, true);
    const fits = await book(leaving, 8, true);

    expect(await applyAvailability(db, availability(leaving, []), logger, grouped)).toMatchObject({
      reassigned: 1,
      needingAttention: 1,
    });
    // Free at 7, but not for telehealth: flagged instead, and the doctor stays free.
    expect(await db.appointment.findUniqueOrThrow({ where: { id: nobodyFits } })).toMatchObject({
      doctorId: leaving.id,
      telehealth: true,
    });
    expect(
      (await db.appointment.findUniqueOrThrow({ where: { id: nobodyFits } })).needsAttentionSince,
    ).not.toBeNull();
    expect(
      (
        await db.slot.findUniqueOrThrow({
          where: { doctorId_start: { doctorId: inPerson.id, start: at(7).start } },
        })
      ).status,
    ).toBe('free');
    // At 8 the telehealth doctor of the other clinic takes it, not the free colleague in its own clinic.
    expect(await db.appointment.findUniqueOrThrow({ where: { id: fits } })).toMatchObject({
      doctorId: remote.id,
      clinicId: clinicB,
      telehealth: true,
      needsAttentionSince: null,
    });
  });

  it('moves an in-person appointment as before: same clinic first, telehealth or not', async () => {
    const leaving = await doctorWithSlots(clinicA, [9, 12]);
    const colleague = await doctorWithSlots(clinicA, [9]);
    const remote = await doctorWithSlots(clinicB, [9, 12], true);
    const first = await book(leaving, 9);
    const second = await book(leaving, 12);
    expect(await applyAvailability(db, availability(leaving, []), logger, grouped)).toMatchObject({
      reassigned: 2,
      needingAttention: 0,
    });
    expect(await doctorOf(first)).toBe(colleague.id);
    expect(await doctorOf(second)).toBe(remote.id);
  });

  it('gives a freed telehealth time to the telehealth appointment waiting for it, not the in-person one', async () => {
    // Both wait at one time; the in-person one comes first in id order, which pairs first otherwise.
    const leavingA = await doctorWithSlots(clinicA, [13]);
    const leavingB = await doctorWithSlots(clinicA, [13], true);
    const visit = await book(leavingA, 13, false, '00000000-0000-4000-8000-000000000036');
    const video = await book(leavingB, 13, true, 'ffffffff-ffff-4fff-bfff-000000000036');
    await applyAvailability(db, availability(leavingA, []), logger, grouped);
    await applyAvailability(db, availability(leavingB, []), logger, grouped);

    const remote = await doctorWithSlots(clinicB, [], true);
    expect(await applyAvailability(db, availability(remote, [13]), logger, grouped)).toMatchObject({
      reassigned: 1,
    });
    expect(await doctorOf(video)).toBe(remote.id);
    expect(await doctorOf(visit)).toBe(leavingA.id);
  });

  it('one by one, skips a free doctor who does not offer telehealth', async () => {
    const leaving = await doctorWithSlots(clinicA, [15], true);
    await doctorWithSlots(clinicA, [15]);
    const appointmentId = await book(leaving, 15, true);
    const appointment = await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
    const outcome = await db.$transaction((tx) =>
      reassignAppointment(tx, appointment, randomUUID(), grouped),
    );
    expect(outcome.kind).toBe('needs-attention');

    const remote = await doctorWithSlots(clinicB, [15], true);
    const flagged = await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
    const retried = await db.$transaction((tx) => reassignAppointment(tx, flagged, randomUUID(), grouped));
    expect(retried).toMatchObject({ kind: 'reassigned', appointment: { doctorId: remote.id } });
  });

  it('retries a flagged telehealth appointment only when a telehealth time becomes free', async () => {
    const leaving = await doctorWithSlots(clinicA, [17], true);
    const appointmentId = await book(leaving, 17, true);
    await applyAvailability(db, availability(leaving, []), logger, grouped);

    const inPerson = await doctorWithSlots(clinicA, []);
    expect(await applyAvailability(db, availability(inPerson, [17]), logger, grouped)).toMatchObject({
      created: 1,
      reassigned: 0,
    });
    expect(await doctorOf(appointmentId)).toBe(leaving.id);

    // The same doctor starts offering telehealth: their existing free time now fits.
    const now = availability({ ...inPerson, telehealth: true }, [17]);
    expect(await applyAvailability(db, now, logger, grouped)).toMatchObject({ created: 0, reassigned: 1 });
    expect(await doctorOf(appointmentId)).toBe(inPerson.id);
  });

  it("keeps each slot's telehealth flag in step with the doctor's latest publication", async () => {
    const doctor = await doctorWithSlots(clinicA, [21, 22]);
    await book(doctor, 21);
    const flags = async () =>
      (await db.slot.findMany({ where: { doctorId: doctor.id }, orderBy: { start: 'asc' } })).map(
        (slot) => slot.telehealth,
      );
    await applyAvailability(db, availability({ ...doctor, telehealth: true }, [21, 22, 23]), logger, grouped);
    expect(await flags()).toEqual([true, true, true]);
    await applyAvailability(
      db,
      availability({ ...doctor, telehealth: false }, [21, 22, 23]),
      logger,
      grouped,
    );
    expect(await flags()).toEqual([false, false, false]);
    // An event from before telehealth existed carries no flag: read as false.
    await applyAvailability(db, availability({ ...doctor, telehealth: true }, [21, 22, 23]), logger, grouped);
    const old = availability(doctor, [21, 22, 23]);
    delete old.payload.telehealth;
    await applyAvailability(db, old, logger, grouped);
    expect(await flags()).toEqual([false, false, false]);
  });
});
