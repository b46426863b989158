import type { Identity } from '@clinic/contracts';
import { DateTime } from 'luxon';
import { addAvailabilityException } from './add-availability-exception';
import { removeAvailabilityException } from './remove-availability-exception';
import { setAvailabilityRules } from './set-availability-rules';
import {
  admin,
  key,
  startAvailabilityHarness,
  sydney,
  weekdays,
  type Availability,
  type AvailabilityHarness,
} from './testing/availability-harness';

let h: AvailabilityHarness;
beforeAll(async () => {
  h = await startAvailabilityHarness();
}, 60_000);
afterAll(async () => h?.stop());

/** A doctor with weekday hours and a day of leave next Wednesday; returns the ids and that day. */
async function doctorOnLeave(entered: (doctorId: string) => Identity) {
  const doctorId = await h.newDoctor();
  await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, h.contextFor(admin()));
  const day = DateTime.now().setZone(sydney.timeZone).startOf('week').plus({ weeks: 1, days: 2 });
  const added = await addAvailabilityException(
    {
      doctorId,
      startsAt: day.toJSDate(),
      endsAt: day.plus({ days: 1 }).toJSDate(),
      kind: 'leave',
      idempotencyKey: key(),
    },
    h.contextFor(entered(doctorId)),
  );
  if (added.__typename !== 'AvailabilityExceptionAdded') throw new Error(added.__typename);
  return { doctorId, exceptionId: added.exception.id, day };
}

describe('removeAvailabilityException', () => {
  it('brings the slots back, and a repeat returns the first outcome without publishing again', async () => {
    const { doctorId, exceptionId, day } = await doctorOnLeave(() => admin());
    const input = { exceptionId, idempotencyKey: key() };
    const removed = await removeAvailabilityException(input, h.contextFor(admin()));
    expect(removed).toEqual({ __typename: 'AvailabilityExceptionRemoved', exceptionId });
    expect(await removeAvailabilityException(input, h.contextFor(admin()))).toEqual(removed);
    expect(await h.db.availabilityException.count({ where: { doctorId } })).toBe(0);
    expect(await h.db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(3);

    const [, , restored] = await h.eventsOf(doctorId, 3);
    const back = (restored?.payload as Availability).slots.filter((slot) => {
      const start = DateTime.fromISO(slot.start, { zone: sydney.timeZone });
      return start >= day && start < day.plus({ days: 1 });
    });
    expect(back).toHaveLength(16);
  });

  it('answers the same removal sent three times at once alike, and publishes it once', async () => {
    const { doctorId, exceptionId } = await doctorOnLeave(() => admin());
    const input = { exceptionId, idempotencyKey: key() };
    const answers = await Promise.all(
      [1, 2, 3].map(() => removeAvailabilityException(input, h.contextFor(admin()))),
    );
    for (const answer of answers)
      expect(answer).toEqual({ __typename: 'AvailabilityExceptionRemoved', exceptionId });
    expect(await h.db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(3);
  });

  it('lets a doctor remove their own leave but not a colleague’s; an unknown id is InvalidInput', async () => {
    const own = await doctorOnLeave((doctorId) => ({
      role: 'Doctor',
      subject: doctorId,
      clinicId: sydney.id,
    }));
    const colleague = await doctorOnLeave(() => admin());
    const self = h.contextFor({ role: 'Doctor', subject: own.doctorId, clinicId: sydney.id });
    const theirs = await removeAvailabilityException(
      { exceptionId: colleague.exceptionId, idempotencyKey: key() },
      self,
    );
    expect(theirs.__typename).toBe('NotAllowed');
    const mine = await removeAvailabilityException(
      { exceptionId: own.exceptionId, idempotencyKey: key() },
      self,
    );
    expect(mine.__typename).toBe('AvailabilityExceptionRemoved');
    const unknown = await removeAvailabilityException(
      { exceptionId: '00000000-0000-4000-8000-000000000000', idempotencyKey: key() },
      h.contextFor(admin()),
    );
    expect(unknown).toMatchObject({ __typename: 'InvalidInput', field: 'exceptionId' });
  });
});
