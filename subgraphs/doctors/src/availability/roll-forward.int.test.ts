import type { Identity } from '@clinic/contracts';
import { startAvailabilityHarness, type AvailabilityHarness } from './testing/availability-harness';
import { horizonEnd } from './publish-availability';
import { rollAvailabilityForward } from './roll-forward';
import { setAvailabilityRules } from './set-availability-rules';
import { admin, HORIZON_DAYS, key, weekdays, type Availability } from './testing/availability-harness';

let h: AvailabilityHarness;
beforeAll(async () => {
  h = await startAvailabilityHarness();
}, 60_000);
afterAll(async () => h?.stop());
const newDoctor = (clinicId?: string) => h.newDoctor(clinicId);
const contextFor = (identity: Identity | null) => h.contextFor(identity);
const eventsOf = (doctorId: string, count: number) => h.eventsOf(doctorId, count);

describe('rollAvailabilityForward', () => {
  it('publishes only the new day for a doctor already published, and only once', async () => {
    const doctorId = await newDoctor();
    await setAvailabilityRules({ doctorId, rules: weekdays(), idempotencyKey: key() }, contextFor(admin()));
    const published = (await h.db.doctor.findUniqueOrThrow({ where: { id: doctorId } }))
      .availabilityPublishedUntil;
    const tomorrow = new Date(Date.now() + 864e5);
    expect(
      await rollAvailabilityForward(h.db, {
        horizonDays: HORIZON_DAYS,
        now: tomorrow,
        onlyDoctorIds: [doctorId],
      }),
    ).toBe(1);
    expect(
      await rollAvailabilityForward(h.db, {
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
