import type { Identity } from '@clinic/contracts';
import { startAvailabilityHarness, type AvailabilityHarness } from './testing/availability-harness';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { horizonEnd } from './publish-availability';
import { setAvailabilityRules } from './set-availability-rules';
import {
  admin,
  HORIZON_DAYS,
  key,
  perth,
  sydney,
  weekdays,
  type Availability,
} from './testing/availability-harness';

let h: AvailabilityHarness;
beforeAll(async () => {
  h = await startAvailabilityHarness();
}, 60_000);
afterAll(async () => h?.stop());
const newDoctor = (clinicId?: string) => h.newDoctor(clinicId);
const contextFor = (identity: Identity | null) => h.contextFor(identity);
const eventsOf = (doctorId: string, count: number) => h.eventsOf(doctorId, count);

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

  it('publishes whether the doctor offers telehealth with their slots', async () => {
    const remote = await newDoctor();
    await h.db.doctor.update({ where: { id: remote }, data: { offersTelehealth: true } });
    const inPerson = await newDoctor();
    for (const doctorId of [remote, inPerson]) {
      await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, contextFor(admin()));
    }
    const [[video], [visit]] = await Promise.all([eventsOf(remote, 1), eventsOf(inPerson, 1)]);
    expect((video?.payload as Availability).telehealth).toBe(true);
    expect((visit?.payload as Availability).telehealth).toBe(false);
  });

  it('returns the first result for a repeated key, even concurrently, and changes and publishes once', async () => {
    const doctorId = await newDoctor();
    const input = { doctorId, rules: weekdays(), idempotencyKey: key() };
    const results = await Promise.all([1, 2, 3].map(() => setAvailabilityRules(input, contextFor(admin()))));
    const again = await setAvailabilityRules(input, contextFor(admin()));
    for (const result of [...results, again]) expect(result).toEqual(results[0]);
    expect(await h.db.availabilityRule.count({ where: { doctorId } })).toBe(5);
    expect(await h.db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(1);
    const other = await setAvailabilityRules({ ...input, doctorId: await newDoctor() }, contextFor(admin()));
    expect(other).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    // Another rule set for the same doctor under the key is another request too: refused, nothing changes.
    const otherRules = await setAvailabilityRules(
      { ...input, rules: weekdays().slice(0, 2) },
      contextFor(admin()),
    );
    expect(otherRules).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await h.db.availabilityRule.count({ where: { doctorId } })).toBe(5);
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
    expect(await h.db.availabilityRule.count({ where: { doctorId } })).toBe(0);
    expect(await h.db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(0);
  });

  it('rejects a clinic whose time zone is not an IANA zone', async () => {
    const clinicId = randomUUID();
    await h.db.clinic.create({ data: { ...sydney, id: clinicId, timeZone: 'Australia/Atlantis' } });
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
    const count = await h.db.outboxEvent.count({ where: { aggregateId: doctorId } });
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

describe('setAvailabilityRules permissions', () => {
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
      expect(await h.db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(0);
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
