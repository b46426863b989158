import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EventEnvelope } from '@clinic/contracts';
import {
  notificationsTestBed,
  type NotificationsTestBed,
} from '../notifications/testing/notifications-test-setup';
import { dueInstant } from './due-instant';
import { scheduleReminders, type ZoneLookup } from './schedule-reminders';
import { anAppointment, eventOf, reassigned, rescheduled, type Appointment } from './testing/reminder-events';

let bed: NotificationsTestBed;
beforeAll(async () => {
  bed = await notificationsTestBed();
}, 600_000);
afterAll(async () => bed?.close());

const HOUR = 3_600_000;
/** Every clinic in Sydney unless named otherwise. */
const zonesOf =
  (named: Record<string, string> = {}): ZoneLookup =>
  async (ids) =>
    new Map(ids.map((id) => [id, named[id] ?? 'Australia/Sydney']));
const sydney = zonesOf();

async function remindersOf(appointmentId: string) {
  return bed.db.reminder.findMany({
    where: { appointmentId },
    orderBy: [{ createdAt: 'asc' }, { offsetMinutes: 'desc' }],
  });
}
const pending = async (appointmentId: string) =>
  (await remindersOf(appointmentId)).filter((row) => row.status === 'pending');

describe('scheduleReminders on real PostgreSQL', () => {
  it('schedules the default offsets (the day before on the wall clock, 2 h elapsed) once, however often the booking arrives', async () => {
    // Monday 5 April 2027, 9:00 am in Sydney: the clocks went back the night before.
    const a = anAppointment(new Date('2027-04-05T09:00:00+10:00'));
    const booked = eventOf('appointment.booked', a, new Date('2027-03-01T00:00:00Z'));
    expect((await scheduleReminders(bed.db, [booked, booked], sydney)).handled).toBe(1);
    expect((await scheduleReminders(bed.db, [booked], sydney)).handled).toBe(0);
    const rows = await remindersOf(a.appointmentId);
    expect(rows.map((row) => [row.offsetMinutes, row.dueAt.toISOString(), row.status, row.timeZone])).toEqual(
      [
        [1440, '2027-04-03T23:00:00.000Z', 'pending', 'Australia/Sydney'],
        [120, '2027-04-04T21:00:00.000Z', 'pending', 'Australia/Sydney'],
      ],
    );
    expect(rows[0]).toMatchObject({
      clientId: a.clientId,
      clinicId: a.clinicId,
      doctorId: a.doctorId,
      eventId: booked.id,
    });
  });

  it('gives a booking made after a due instant no reminder for that offset, and one just before it one', async () => {
    const a = anAppointment(new Date('2027-01-10T09:00:00+11:00'));
    const dayBefore = dueInstant(a.start, 1440, 'Australia/Sydney');
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.booked', a, new Date(dayBefore.getTime() + 1))],
      sydney,
    );
    expect((await remindersOf(a.appointmentId)).map((row) => row.offsetMinutes)).toEqual([120]);
    // Exactly at the due instant is too late as well; a millisecond before is in time.
    const b = anAppointment(a.start);
    await scheduleReminders(bed.db, [eventOf('appointment.booked', b, dayBefore)], sydney);
    expect((await remindersOf(b.appointmentId)).map((row) => row.offsetMinutes)).toEqual([120]);
    const c = anAppointment(a.start);
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.booked', c, new Date(dayBefore.getTime() - 1))],
      sydney,
    );
    expect((await remindersOf(c.appointmentId)).map((row) => row.offsetMinutes)).toEqual([1440, 120]);
    // After the last due instant: none at all.
    const d = anAppointment(a.start);
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.booked', d, new Date(a.start.getTime() - HOUR))],
      sydney,
    );
    expect(await remindersOf(d.appointmentId)).toEqual([]);
  });

  it('cancels pending reminders of a cancelled appointment, and of one needing attention', async () => {
    const a = anAppointment(new Date('2027-02-10T09:00:00+11:00'));
    const at = new Date('2027-02-01T00:00:00Z');
    await scheduleReminders(bed.db, [eventOf('appointment.booked', a, at)], sydney);
    await scheduleReminders(bed.db, [eventOf('appointment.cancelled', a, at)], sydney);
    expect((await remindersOf(a.appointmentId)).map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    const b = anAppointment(a.start);
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.booked', b, at), eventOf('appointment.needs-attention', b, at)],
      sydney,
    );
    expect(await pending(b.appointmentId)).toEqual([]);
    // Back with its doctor: reminded again.
    await scheduleReminders(bed.db, [eventOf('appointment.returned', b, at)], sydney);
    expect((await pending(b.appointmentId)).map((row) => row.offsetMinutes)).toEqual([1440, 120]);
  });

  it('moves reminders with a rescheduled appointment and keeps them across a re-assignment at the same time', async () => {
    const a = anAppointment(new Date('2027-02-10T09:00:00+11:00'));
    const at = new Date('2027-02-01T00:00:00Z');
    await scheduleReminders(bed.db, [eventOf('appointment.booked', a, at)], sydney);
    const kept = await pending(a.appointmentId);
    const otherDoctor = { ...a, doctorId: randomUUID() };
    await scheduleReminders(bed.db, [reassigned(a, otherDoctor, at)], sydney);
    const afterReassign = await pending(a.appointmentId);
    expect(afterReassign.map((row) => row.id)).toEqual(kept.map((row) => row.id));
    expect(afterReassign.every((row) => row.doctorId === otherDoctor.doctorId)).toBe(true);

    const later = { ...otherDoctor, slotId: randomUUID(), start: new Date('2027-02-12T15:30:00+11:00') };
    await scheduleReminders(bed.db, [rescheduled(otherDoctor, later, at)], sydney);
    const rows = await remindersOf(a.appointmentId);
    expect(
      rows
        .filter((row) => row.status === 'cancelled')
        .map((row) => row.id)
        .sort(),
    ).toEqual(kept.map((row) => row.id).sort());
    expect(
      (await pending(a.appointmentId)).map((row) => [row.offsetMinutes, row.appointmentStart.toISOString()]),
    ).toEqual([
      [1440, '2027-02-12T04:30:00.000Z'],
      [120, '2027-02-12T04:30:00.000Z'],
    ]);
  });

  it("uses the clinic's own offsets and zone, and schedules nothing for a clinic with reminders off", async () => {
    const perthClinic = randomUUID();
    await bed.db.clinicReminderSettings.create({
      data: { clinicId: perthClinic, offsetsMinutes: [2880, 30], channels: ['email'] },
    });
    const a = anAppointment(new Date('2027-04-05T09:00:00+08:00'), { clinicId: perthClinic });
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.booked', a, new Date('2027-03-01T00:00:00Z'))],
      zonesOf({ [perthClinic]: 'Australia/Perth' }),
    );
    expect(
      (await remindersOf(a.appointmentId)).map((row) => [
        row.offsetMinutes,
        row.dueAt.toISOString(),
        row.timeZone,
      ]),
    ).toEqual([
      [2880, '2027-04-03T01:00:00.000Z', 'Australia/Perth'],
      [30, '2027-04-05T00:30:00.000Z', 'Australia/Perth'],
    ]);
    const offClinic = randomUUID();
    await bed.db.clinicReminderSettings.create({
      data: { clinicId: offClinic, offsetsMinutes: [1440], channels: [] },
    });
    const b = anAppointment(a.start, { clinicId: offClinic });
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.booked', b, new Date('2027-03-01T00:00:00Z'))],
      sydney,
    );
    expect(await remindersOf(b.appointmentId)).toEqual([]);
  });

  it('falls back to the default zone when the directory does not know the clinic', async () => {
    const a = anAppointment(new Date('2027-04-05T09:00:00+10:00'));
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.booked', a, new Date('2027-03-01T00:00:00Z'))],
      async () => new Map(),
    );
    expect((await remindersOf(a.appointmentId)).map((row) => row.timeZone)).toEqual([
      'Australia/Sydney',
      'Australia/Sydney',
    ]);
  });

  it('property: any run of events, split into batches and redelivered in any way, leaves the reminders of the last state', async () => {
    type Step = 'book' | 'cancel' | 'reschedule' | 'reassign';
    const at = new Date('2027-01-01T00:00:00Z');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Step>('cancel', 'reschedule', 'reassign', 'book'), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        async (steps, cuts, redeliver) => {
          let current: Appointment = anAppointment(new Date('2027-03-10T09:00:00+11:00'));
          const events: EventEnvelope[] = [eventOf('appointment.booked', current, at)];
          let live = true;
          for (const [index, step] of steps.entries()) {
            if (step === 'cancel' && live) {
              events.push(eventOf('appointment.cancelled', current, at));
              live = false;
            } else if (step === 'reschedule' && live) {
              const next = {
                ...current,
                slotId: randomUUID(),
                start: new Date(current.start.getTime() + (index + 1) * 86_400_000),
              };
              events.push(rescheduled(current, next, at));
              current = next;
            } else if (step === 'reassign' && live) {
              const next = { ...current, doctorId: randomUUID() };
              events.push(reassigned(current, next, at));
              current = next;
            }
          }
          // Deliver in order, in batches of the chosen sizes; some batches are delivered again (with the
          // next one's events, as a consumer restart would).
          let from = 0;
          for (let i = 0; from < events.length; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            const batch = events.slice(from, from + size);
            await scheduleReminders(bed.db, batch, sydney);
            if (redeliver[i % redeliver.length])
              await scheduleReminders(bed.db, [...batch, ...batch], sydney);
            from += size;
          }
          await scheduleReminders(bed.db, events, sydney);
          const rows = await pending(current.appointmentId);
          if (!live) {
            expect(rows).toEqual([]);
            return;
          }
          expect(
            rows.map((row) => [row.offsetMinutes, row.appointmentStart.getTime(), row.doctorId]).sort(),
          ).toEqual([1440, 120].map((offset) => [offset, current.start.getTime(), current.doctorId]).sort());
        },
      ),
      { numRuns: 40 },
    );
  });
});
