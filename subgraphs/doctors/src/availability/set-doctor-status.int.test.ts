import type { Identity } from '@clinic/contracts';
import { startAvailabilityHarness, type AvailabilityHarness } from './testing/availability-harness';
import { createDirectoryLoaders } from '../directory/loaders';
import { horizonEnd } from './publish-availability';
import { setAvailabilityRules } from './set-availability-rules';
import { setDoctorStatus } from './set-doctor-status';
import {
  admin,
  HORIZON_DAYS,
  key,
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

  it("answers the same request sent three times at once alike, once; the key is the caller's own", async () => {
    const doctorId = await newDoctor();
    const input = { doctorId, status: 'unavailable' as const, idempotencyKey: key() };
    const answers = await Promise.all([1, 2, 3].map(() => setDoctorStatus(input, contextFor(admin()))));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await h.db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(2);
    expect(await setDoctorStatus({ ...input, status: 'active' }, contextFor(admin()))).toMatchObject({
      __typename: 'InvalidInput',
      field: 'idempotencyKey',
    });
    // A colleague's use of the same key is theirs: it changes the status, as a new key would.
    const colleague = { ...admin(), subject: 'staff-admin-2' };
    expect(await setDoctorStatus({ ...input, status: 'active' }, contextFor(colleague))).toMatchObject({
      __typename: 'DoctorStatusSet',
      doctor: { status: 'active' },
    });
  });

  it('keeps a removed doctor removed, and publishes nothing for an unchanged status', async () => {
    const doctorId = await newDoctor();
    await setDoctorStatus({ doctorId, status: 'active', idempotencyKey: key() }, contextFor(admin()));
    expect(await h.db.outboxEvent.count({ where: { aggregateId: doctorId } })).toBe(0);
    await setDoctorStatus({ doctorId, status: 'removed', idempotencyKey: key() }, contextFor(admin()));
    const back = await setDoctorStatus(
      { doctorId, status: 'active', idempotencyKey: key() },
      contextFor(admin()),
    );
    expect(back).toMatchObject({ __typename: 'InvalidInput', field: 'status' });
    expect((await h.db.doctor.findUniqueOrThrow({ where: { id: doctorId } })).status).toBe('removed');
    // Gone from the clinic's list, still found by id for the appointments that name them.
    const loaders = createDirectoryLoaders(h.db);
    expect((await loaders.doctorsByClinic.load(sydney.id)).map((doctor) => doctor.id)).not.toContain(
      doctorId,
    );
    expect(await loaders.doctor.load(doctorId)).toMatchObject({ id: doctorId, status: 'removed' });
  });
});
