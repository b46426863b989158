import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  applyMigrations,
  createLogger,
  InProcessEventBus,
  type EventEnvelope,
  type EventPayload,
  type Identity,
} from '@clinic/platform';
import { DateTime } from 'luxon';
import { createTestDatabases, type TestDatabases } from '../../../../dev/system/real-infra';
import { eventually } from '../../../../dev/system/test-system';
import type { DoctorsContext } from '../context';
import { connectDoctorsDatabase, type DoctorsDatabase } from '../database';
import { createDirectoryLoaders } from '../directory/loaders';
import { addAvailabilityException } from './add-availability-exception';
import { removeAvailabilityException } from './remove-availability-exception';
import { horizonEnd } from './publish-availability';
import { createDoctorsRelay } from './relay';
import { rollAvailabilityForward } from './roll-forward';
import { setAvailabilityRules } from './set-availability-rules';
import { setDoctorStatus } from './set-doctor-status';

const HORIZON_DAYS = 21;
const logger = createLogger('doctors-test', 'silent');
const sydney = {
  id: randomUUID(),
  name: 'Surry Hills Medical Centre',
  suburb: 'Surry Hills',
  state: 'NSW',
  timeZone: 'Australia/Sydney',
};
const perth = {
  id: randomUUID(),
  name: 'Subiaco Medical Centre',
  suburb: 'Subiaco',
  state: 'WA',
  timeZone: 'Australia/Perth',
};

let databases: TestDatabases;
let db: DoctorsDatabase;
let bus: InProcessEventBus;
let relay: ReturnType<typeof createDoctorsRelay>;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  databases = await createTestDatabases(['doctors']);
  await applyMigrations(
    databases.urls.doctors,
    path.resolve(__dirname, '../../../../prisma/doctors/migrations'),
  );
  db = connectDoctorsDatabase(databases.urls.doctors);
  await db.clinic.createMany({ data: [sydney, perth] });
  bus = new InProcessEventBus({ logger });
  await bus.subscribe({
    topic: 'doctors',
    group: 'availability-test',
    handle: async (event) => void received.push(event),
  });
  relay = createDoctorsRelay(db, bus, logger);
}, 60_000);
afterAll(async () => {
  await bus?.close();
  await db?.$disconnect();
  await databases?.drop();
});

async function newDoctor(clinicId = sydney.id): Promise<string> {
  const id = randomUUID();
  await db.doctor.create({
    data: { id, clinicId, givenName: 'Alex', familyName: 'Example', specialty: 'General Practice' },
  });
  return id;
}

function contextFor(identity: Identity | null): DoctorsContext {
  return {
    identity,
    correlationId: randomUUID(),
    logger,
    db,
    loaders: createDirectoryLoaders(db),
    outbox: relay,
    horizonDays: HORIZON_DAYS,
  };
}

const admin = (clinicId = sydney.id): Identity => ({
  role: 'ClinicAdmin',
  subject: 'staff-admin-1',
  clinicId,
});
const key = () => `test-${randomUUID()}`;
const weekdays = (slotMinutes = 30) =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startLocal: '09:00', endLocal: '17:00', slotMinutes }));

/** Publishes the outbox and returns the doctor's events that arrived, in order. */
async function eventsOf(doctorId: string, count: number): Promise<EventEnvelope[]> {
  await relay.runOnce();
  return eventually(async () => {
    const mine = received.filter((event) => event.aggregateId === doctorId);
    return mine.length >= count ? mine : undefined;
  });
}

type Availability = EventPayload<'doctor.availability-changed'>;

describe('setAvailabilityRules', () => {
  it('publishes the complete set of slots over the horizon, at 09:00-16:30 local on weekdays', async () => {
    const doctorId = await newDoctor();
    const result = await setAvailabilityRules(
      { doctorId, rules: weekdays(), idempotencyKey: key() },
      contextFor(admin()),
    );
    expect(result).toMatchObject({ __typename: 'AvailabilityRulesSet', doctorId });

    const [event] = await eventsOf(doctorId, 1);
    expect(event?.type).toBe('doctor.availability-changed');
    const payload = event?.payload as Availability;
    expect(payload.clinicId).toBe(sydney.id);
    expect(new Date(payload.windowEnd)).toEqual(horizonEnd(new Date(), HORIZON_DAYS));
    const local = payload.slots.map((slot) => DateTime.fromISO(slot.start, { zone: sydney.timeZone }));
    for (const start of local) {
      expect(start.weekday).toBeLessThanOrEqual(5);
      expect(start.hour * 60 + start.minute).toBeGreaterThanOrEqual(9 * 60);
      expect(start.hour * 60 + start.minute).toBeLessThanOrEqual(16 * 60 + 30);
    }
    // A whole week inside the window holds 5 days x 16 half hours.
    const monday = DateTime.now().setZone(sydney.timeZone).startOf('week').plus({ weeks: 1 });
    expect(local.filter((start) => start >= monday && start < monday.plus({ weeks: 1 }))).toHaveLength(80);
    expect(payload.slots.every((slot) => Date.parse(slot.end) - Date.parse(slot.start) === 30 * 60_000)).toBe(
      true,
    );
  });

  it('returns the first result for a repeated key, even concurrently, and changes and publishes once', async () => {
    const doctorId = await newDoctor();
    const input = { doctorId, rules: weekdays(), idempotencyKey: key() };
    const results = await Promise.all([1, 2, 3].map(() => setAvailabilityRules(input, contextFor(admin()))));
    const again = await setAvailabilityRules(input, contextFor(admin()));
    for (const result of [...results, again]) expect(result).toEqual(results[0]);
    expect(await db.availabilityRule.count({ where: { doctorId } })).toBe(5);
    expect(await db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(1);
    const other = await setAvailabilityRules({ ...input, doctorId: await newDoctor() }, contextFor(admin()));
    expect(other).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
  });

  it.each([
    [
      'overlapping rules',
      [
        { weekday: 1, startLocal: '09:00', endLocal: '12:00', slotMinutes: 30 },
        { weekday: 1, startLocal: '11:00', endLocal: '13:00', slotMinutes: 30 },
      ],
      'rules.1.startLocal',
    ],
    [
      'a slot length that does not divide the period',
      [{ weekday: 2, startLocal: '09:00', endLocal: '10:00', slotMinutes: 25 }],
      'rules.0.slotMinutes',
    ],
    [
      'a slot length under 5 minutes',
      [{ weekday: 2, startLocal: '09:00', endLocal: '10:00', slotMinutes: 4 }],
      'rules.0.slotMinutes',
    ],
    [
      'weekday 8',
      [{ weekday: 8, startLocal: '09:00', endLocal: '10:00', slotMinutes: 30 }],
      'rules.0.weekday',
    ],
    [
      'an end before the start',
      [{ weekday: 3, startLocal: '17:00', endLocal: '09:00', slotMinutes: 30 }],
      'rules.0.endLocal',
    ],
  ])('rejects %s and changes and publishes nothing', async (_name, rules, field) => {
    const doctorId = await newDoctor();
    const result = await setAvailabilityRules(
      { doctorId, rules, idempotencyKey: key() },
      contextFor(admin()),
    );
    expect(result).toMatchObject({ __typename: 'InvalidInput', field });
    expect(await db.availabilityRule.count({ where: { doctorId } })).toBe(0);
    expect(await db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(0);
  });

  it('rejects a clinic whose time zone is not an IANA zone', async () => {
    const clinicId = randomUUID();
    await db.clinic.create({ data: { ...sydney, id: clinicId, timeZone: 'Australia/Atlantis' } });
    const doctorId = await newDoctor(clinicId);
    const result = await setAvailabilityRules(
      { doctorId, rules: weekdays(), idempotencyKey: key() },
      contextFor(admin(clinicId)),
    );
    expect(result).toMatchObject({ __typename: 'InvalidInput', field: 'doctorId' });
  });

  it('splits more than 5000 slots into events whose windows tile the horizon', async () => {
    const doctorId = await newDoctor(perth.id);
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      startLocal: '00:00',
      endLocal: '23:55',
      slotMinutes: 5,
    }));
    await setAvailabilityRules(
      { doctorId, rules: everyDay, idempotencyKey: key() },
      contextFor({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' }),
    );
    const count = await db.outboxEvent.count({ where: { aggregateId: doctorId } });
    expect(count).toBeGreaterThan(1);
    const events = await eventsOf(doctorId, count);
    const payloads = events.map((event) => event.payload as Availability);
    for (const [index, payload] of payloads.entries()) {
      expect(payload.slots.length).toBeLessThanOrEqual(5000);
      if (index > 0) expect(payload.windowStart).toBe(payloads[index - 1]?.windowEnd);
    }
    expect(payloads.reduce((sum, payload) => sum + payload.slots.length, 0)).toBeGreaterThan(5000);
  });
});

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
      'windowEnd',
      'windowStart',
    ]);

    const exceptionId = leave.__typename === 'AvailabilityExceptionAdded' ? leave.exception.id : '';
    const removed = await removeAvailabilityException(
      { exceptionId, idempotencyKey: key() },
      contextFor(admin()),
    );
    expect(removed).toEqual({ __typename: 'AvailabilityExceptionRemoved', exceptionId });
    const [, , restored] = await eventsOf(doctorId, 3);
    const back = (restored?.payload as Availability).slots.filter((slot) => {
      const start = DateTime.fromISO(slot.start, { zone: sydney.timeZone });
      return start >= day && start < day.plus({ days: 1 });
    });
    expect(back).toHaveLength(16);
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

describe('setDoctorStatus', () => {
  it('publishes status-changed, then an empty availability over the horizon; active again brings slots back', async () => {
    const doctorId = await newDoctor();
    await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, contextFor(admin()));
    const result = await setDoctorStatus(
      { doctorId, status: 'unavailable', idempotencyKey: key() },
      contextFor(admin()),
    );
    expect(result).toMatchObject({
      __typename: 'DoctorStatusSet',
      doctor: { id: doctorId, status: 'unavailable' },
    });
    const [, status, empty] = await eventsOf(doctorId, 3);
    expect(status).toMatchObject({
      type: 'doctor.status-changed',
      payload: { doctorId, clinicId: sydney.id, status: 'unavailable' },
    });
    expect(empty).toMatchObject({ type: 'doctor.availability-changed', payload: { slots: [] } });
    expect(new Date((empty?.payload as Availability).windowEnd)).toEqual(
      horizonEnd(new Date(), HORIZON_DAYS),
    );

    await setDoctorStatus({ doctorId, status: 'active', idempotencyKey: key() }, contextFor(admin()));
    const [, , , active, slots] = await eventsOf(doctorId, 5);
    expect(active?.payload).toMatchObject({ status: 'active' });
    expect((slots?.payload as Availability).slots.length).toBeGreaterThan(0);
  });

  it('keeps a removed doctor removed, and publishes nothing for an unchanged status', async () => {
    const doctorId = await newDoctor();
    await setDoctorStatus({ doctorId, status: 'active', idempotencyKey: key() }, contextFor(admin()));
    expect(await db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(0);
    await setDoctorStatus({ doctorId, status: 'removed', idempotencyKey: key() }, contextFor(admin()));
    const back = await setDoctorStatus(
      { doctorId, status: 'active', idempotencyKey: key() },
      contextFor(admin()),
    );
    expect(back).toMatchObject({ __typename: 'InvalidInput', field: 'status' });
    expect((await db.doctor.findUniqueOrThrow({ where: { id: doctorId } })).status).toBe('removed');
  });
});

describe('permissions', () => {
  it.each<[string, string, Identity]>([
    [
      'an administrator of another clinic',
      'NotAllowed',
      { role: 'ClinicAdmin', subject: 's-2', clinicId: perth.id },
    ],
    [
      'a practice manager of the clinic',
      'AvailabilityRulesSet',
      { role: 'PracticeManager', subject: 's-3', clinicId: sydney.id },
    ],
    ['the doctor themself', 'NotAllowed', { role: 'Doctor', subject: '(the doctor)', clinicId: sydney.id }],
    ['a patient', 'NotAllowed', { role: 'Patient', subject: randomUUID() }],
  ])('setting rules: %s gets %s', async (_who, typename, identity) => {
    const doctorId = await newDoctor();
    const caller = identity.subject === '(the doctor)' ? { ...identity, subject: doctorId } : identity;
    const result = await setAvailabilityRules(
      { doctorId, rules: weekdays(), idempotencyKey: key() },
      contextFor(caller),
    );
    expect(result.__typename).toBe(typename);
    if (typename === 'NotAllowed')
      expect(await db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(0);
  });

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

  it('asks an anonymous caller to sign in', async () => {
    const doctorId = await newDoctor();
    await expect(
      setAvailabilityRules({ doctorId, rules: [], idempotencyKey: key() }, contextFor(null)),
    ).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('rollAvailabilityForward', () => {
  it('publishes only the new day for a doctor already published, and only once', async () => {
    const doctorId = await newDoctor();
    await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, contextFor(admin()));
    const published = (await db.doctor.findUniqueOrThrow({ where: { id: doctorId } }))
      .availabilityPublishedUntil;
    const tomorrow = new Date(Date.now() + 864e5);
    expect(
      await rollAvailabilityForward(db, {
        horizonDays: HORIZON_DAYS,
        now: tomorrow,
        onlyDoctorIds: [doctorId],
      }),
    ).toBe(1);
    expect(
      await rollAvailabilityForward(db, {
        horizonDays: HORIZON_DAYS,
        now: tomorrow,
        onlyDoctorIds: [doctorId],
      }),
    ).toBe(0);
    const [, rolled] = await eventsOf(doctorId, 2);
    const payload = rolled?.payload as Availability;
    expect(payload.windowStart).toBe(published?.toISOString());
    expect(payload.windowEnd).toBe(horizonEnd(tomorrow, HORIZON_DAYS).toISOString());
  });
});
