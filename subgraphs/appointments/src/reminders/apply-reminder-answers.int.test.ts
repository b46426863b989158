import { randomUUID } from 'node:crypto';
import type { EventActor, EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { bookAppointment } from '../booking/book-appointment';
import { rescheduleAppointment } from '../booking/reschedule-appointment';
import { doctorDay } from '../schedule/doctor-day';
import { key, patient, useBookingBed } from '../testing/booking-bed';
import { applyReminderAnswer } from './apply-reminder-answers';

/** A patient's answer to a reminder, acted on by the appointments service, on real PostgreSQL. */
const bed = useBookingBed();

async function booked(slotId: string, clientId: string) {
  const outcome = await bookAppointment({ slotId, idempotencyKey: key() }, bed.contextFor(patient(clientId)));
  if (outcome.__typename !== 'AppointmentBooked') throw new Error(`not booked: ${outcome.__typename}`);
  return outcome.appointment;
}

function answered(
  appointment: { id: string; clientId: string; clinicId: string; start: Date },
  answer: 'confirm' | 'cancel',
  over: { clientId?: string; start?: Date } = {},
): EventEnvelope {
  const actor: EventActor = { role: 'System', subject: 'reminder-link' };
  return createEvent({
    type: 'patient.reminder-answered',
    aggregateId: appointment.clientId,
    actor,
    payload: {
      appointmentId: appointment.id,
      clientId: over.clientId ?? appointment.clientId,
      clinicId: appointment.clinicId,
      appointmentStart: (over.start ?? appointment.start).toISOString(),
      answer,
    },
  });
}

describe('applyReminderAnswer', () => {
  it('confirms once (staff see confirmedAt in doctorDay), however often the answer arrives', async () => {
    const doctor = await bed.newDoctor();
    const clientId = randomUUID();
    const appointment = await booked(doctor.slots[0]!.id, clientId);
    const event = answered(appointment, 'confirm');
    expect(await applyReminderAnswer(bed.db, event)).toBe('confirmed');
    expect(await applyReminderAnswer(bed.db, event)).toBe('duplicate');
    const row = await bed.db.appointment.findUniqueOrThrow({ where: { id: appointment.id } });
    expect(row.confirmedAt?.toISOString()).toBe(event.occurredAt);
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(appointment.start);
    const day = await doctorDay(
      bed.db,
      { role: 'SystemAdministrator', subject: 'root' },
      doctor.doctorId,
      date,
      null,
    );
    expect(day.slots.find((s) => s.appointment?.id === appointment.id)?.appointment?.confirmedAt).toEqual(
      row.confirmedAt,
    );
  });

  it('cancels through the one cancel path: the slot is freed and both events go out, once', async () => {
    const doctor = await bed.newDoctor();
    const clientId = randomUUID();
    const slot = doctor.slots[0]!;
    const appointment = await booked(slot.id, clientId);
    const event = answered(appointment, 'cancel');
    expect(await applyReminderAnswer(bed.db, event)).toBe('cancelled');
    expect(await applyReminderAnswer(bed.db, event)).toBe('duplicate');
    expect((await bed.db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).status).toBe(
      'cancelled',
    );
    expect((await bed.slot(slot.id)).status).toBe('free');
    expect((await bed.eventsAbout(appointment.id)).map((e) => e.type)).toEqual([
      'appointment.booked',
      'appointment.cancelled',
    ]);
    expect((await bed.eventsAbout(slot.id)).map((e) => (e.payload as { status: string }).status)).toEqual([
      'busy',
      'free',
    ]);
    expect(await bed.slotsOutOfStep()).toEqual([]);
  });

  it("changes nothing for an old time's reminder after a move, another patient's id, or a cancelled appointment", async () => {
    const doctor = await bed.newDoctor();
    const clientId = randomUUID();
    const appointment = await booked(doctor.slots[0]!.id, clientId);
    // Confirmed, then moved: the confirmation is cleared, and the old reminder's answers do nothing.
    await applyReminderAnswer(bed.db, answered(appointment, 'confirm'));
    const moved = await rescheduleAppointment(
      { appointmentId: appointment.id, slotId: doctor.slots[1]!.id, idempotencyKey: key() },
      bed.contextFor(patient(clientId)),
    );
    expect(moved.__typename).toBe('AppointmentRescheduled');
    expect(
      (await bed.db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).confirmedAt,
    ).toBeNull();
    const before = await bed.snapshot();
    expect(await applyReminderAnswer(bed.db, answered(appointment, 'cancel'))).toBe('ignored');
    expect(await applyReminderAnswer(bed.db, answered(appointment, 'confirm'))).toBe('ignored');
    const now = await bed.db.appointment.findUniqueOrThrow({ where: { id: appointment.id } });
    expect(await applyReminderAnswer(bed.db, answered(now, 'cancel', { clientId: randomUUID() }))).toBe(
      'ignored',
    );
    expect(await bed.snapshot()).toEqual(before);
    expect(now.status).toBe('booked');
  });
});
