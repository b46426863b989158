import type { Identity } from '@clinic/contracts';
import { startAvailabilityHarness, type AvailabilityHarness } from './testing/availability-harness';
import { DateTime } from 'luxon';
import { addAvailabilityException } from './add-availability-exception';
import { setAvailabilityRules } from './set-availability-rules';
import { setDoctorStatus } from './set-doctor-status';
import { admin, key, sydney, weekdays, type Availability } from './testing/availability-harness';

let h: AvailabilityHarness;
beforeAll(async () => {
  h = await startAvailabilityHarness();
}, 60_000);
afterAll(async () => h?.stop());
const newDoctor = (clinicId?: string) => h.newDoctor(clinicId);
const contextFor = (identity: Identity | null) => h.contextFor(identity);
const eventsOf = (doctorId: string, count: number) => h.eventsOf(doctorId, count);

describe('exceptions', () => {
  it('leave withdraws the slots it covers; the event carries the remaining slots, not the leave', async () => {
    const doctorId = await newDoctor();
    await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, contextFor(admin()));
    const day = DateTime.now().setZone(sydney.timeZone).startOf('week').plus({ weeks: 1, days: 2 }); // a Wednesday
    const leave = await addAvailabilityException(
      {
        doctorId,
        startsAt: day.toJSDate(),
        endsAt: day.plus({ days: 1 }).toJSDate(),
        kind: 'leave',
        reasonCode: 'annual-leave',
        idempotencyKey: key(),
      },
      contextFor({ role: 'Doctor', subject: doctorId, clinicId: sydney.id }),
    );
    expect(leave.__typename).toBe('AvailabilityExceptionAdded');
    const [, after] = await eventsOf(doctorId, 2);
    const payload = after?.payload as Availability;
    const onLeaveDay = payload.slots.filter((slot) => {
      const start = DateTime.fromISO(slot.start, { zone: sydney.timeZone });
      return start >= day && start < day.plus({ days: 1 });
    });
    expect(onLeaveDay).toEqual([]);
    expect(payload.slots.length).toBeGreaterThan(0);
    const text = JSON.stringify(after);
    expect(text).not.toContain('annual-leave');
    expect(text).not.toContain(day.toUTC().toISO());
    expect(Object.keys(payload).sort()).toEqual([
      'clinicId',
      'doctorId',
      'slots',
      'telehealth',
      'windowEnd',
      'windowStart',
    ]);
  });

  it('answers a repeated key with the first outcome, and refuses it for another period', async () => {
    const doctorId = await newDoctor();
    await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, contextFor(admin()));
    const startsAt = new Date(Date.now() + 2 * 864e5);
    const input = {
      doctorId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
      kind: 'blocked' as const,
      idempotencyKey: key(),
    };
    const [first, ...repeats] = await Promise.all(
      [1, 2, 3].map(() => addAvailabilityException(input, contextFor(admin()))),
    );
    expect(first?.__typename).toBe('AvailabilityExceptionAdded');
    for (const repeat of repeats) expect(repeat).toEqual(first);
    const otherPeriod = await addAvailabilityException(
      { ...input, endsAt: new Date(startsAt.getTime() + 7_200_000) },
      contextFor(admin()),
    );
    expect(otherPeriod).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await h.db.availabilityException.count({ where: { doctorId } })).toBe(1);
  });

  it('never loses a leave to a rule change made at the same moment: the last event is the whole truth', async () => {
    for (let round = 0; round < 8; round++) {
      const doctorId = await newDoctor();
      await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, contextFor(admin()));
      const day = DateTime.now().setZone(sydney.timeZone).startOf('week').plus({ weeks: 1, days: 1 }); // Tuesday
      const [leave] = await Promise.all([
        addAvailabilityException(
          {
            doctorId,
            startsAt: day.toJSDate(),
            endsAt: day.plus({ days: 1 }).toJSDate(),
            kind: 'leave',
            idempotencyKey: key(),
          },
          contextFor(admin()),
        ),
        setAvailabilityRules({ doctorId, rules: weekdays(15), idempotencyKey: key() }, contextFor(admin())),
      ]);
      expect(leave.__typename).toBe('AvailabilityExceptionAdded');
      const events = await eventsOf(doctorId, 3);
      const last = events.at(-1)?.payload as Availability;
      const onLeave = last.slots.filter((slot) => {
        const start = DateTime.fromISO(slot.start, { zone: sydney.timeZone });
        return start >= day && start < day.plus({ days: 1 });
      });
      expect(onLeave).toEqual([]);
    }
  });

  it('rejects an exception that ends before it starts and a free-text reason', async () => {
    const doctorId = await newDoctor();
    const startsAt = new Date(Date.now() + 864e5);
    const base = { doctorId, kind: 'blocked' as const, idempotencyKey: key() };
    expect(
      await addAvailabilityException({ ...base, startsAt, endsAt: startsAt }, contextFor(admin())),
    ).toMatchObject({ field: 'endsAt' });
    expect(
      await addAvailabilityException(
        {
          ...base,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 36e5),
          reasonCode: 'Seeing her GP about anxiety',
        },
        contextFor(admin()),
      ),
    ).toMatchObject({ field: 'reasonCode' });
  });
});

describe('addAvailabilityException permissions', () => {
  it('lets a doctor enter their own leave but not block time, nor touch another doctor', async () => {
    const doctorId = await newDoctor();
    const other = await newDoctor();
    const self = contextFor({ role: 'Doctor', subject: doctorId, clinicId: sydney.id });
    const startsAt = new Date(Date.now() + 2 * 864e5);
    const endsAt = new Date(startsAt.getTime() + 4 * 36e5);
    const leave = { startsAt, endsAt, kind: 'leave' as const };
    expect(
      (await addAvailabilityException({ doctorId, ...leave, idempotencyKey: key() }, self)).__typename,
    ).toBe('AvailabilityExceptionAdded');
    expect(
      (await addAvailabilityException({ doctorId, ...leave, kind: 'blocked', idempotencyKey: key() }, self))
        .__typename,
    ).toBe('NotAllowed');
    expect(
      (await addAvailabilityException({ doctorId: other, ...leave, idempotencyKey: key() }, self)).__typename,
    ).toBe('NotAllowed');
    expect(
      (await setDoctorStatus({ doctorId, status: 'unavailable', idempotencyKey: key() }, self)).__typename,
    ).toBe('NotAllowed');
  });
});
