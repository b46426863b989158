import { randomUUID } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { admin, atOnce, key, kinds, patient, useBookingBed } from '../testing/booking-bed';
import { setWaitlistMode } from './set-waitlist-mode';

const bed = useBookingBed({ invariants: false });

describe('setWaitlistMode', () => {
  it("sets the caller's own clinic, once per key however often asked", async () => {
    const clinicId = randomUUID();
    const input = { mode: 'sequential' as const, offerMinutes: 5, idempotencyKey: key() };
    const outcomes = await atOnce(2, () => setWaitlistMode(input, bed.contextFor(admin(clinicId))));
    expect(kinds(outcomes)).toEqual(['WaitlistModeSet', 'WaitlistModeSet']);
    expect(await bed.db.waitlistSetting.findUnique({ where: { clinicId } })).toMatchObject({
      mode: 'sequential',
      offerMinutes: 5,
    });
    const manager: Identity = { role: 'PracticeManager', subject: 'pm', clinicId };
    const back = await setWaitlistMode(
      { clinicId, mode: 'broadcast', offerMinutes: 120, idempotencyKey: key() },
      bed.contextFor(manager),
    );
    expect(back).toMatchObject({
      __typename: 'WaitlistModeSet',
      settings: { mode: 'broadcast', offerMinutes: 120 },
    });
  });

  it('refuses another clinic, patients, doctors and minutes outside 5 to 120, changing nothing', async () => {
    const clinicId = randomUUID();
    const other = randomUUID();
    const refused = [
      await setWaitlistMode(
        { clinicId: other, mode: 'sequential', idempotencyKey: key() },
        bed.contextFor(admin(clinicId)),
      ),
      await setWaitlistMode(
        { clinicId, mode: 'sequential', idempotencyKey: key() },
        bed.contextFor(patient()),
      ),
      await setWaitlistMode(
        { clinicId, mode: 'sequential', idempotencyKey: key() },
        bed.contextFor({ role: 'Doctor', subject: randomUUID(), clinicId }),
      ),
      await setWaitlistMode(
        { clinicId, mode: 'sequential', idempotencyKey: key() },
        bed.contextFor({ role: 'SystemAdministrator', subject: 'root' }),
      ),
    ];
    expect(kinds(refused)).toEqual(['NotAllowed', 'NotAllowed', 'NotAllowed', 'NotAllowed']);
    for (const offerMinutes of [4, 121, 0, -1]) {
      expect(
        await setWaitlistMode(
          { mode: 'sequential', offerMinutes, idempotencyKey: key() },
          bed.contextFor(admin(clinicId)),
        ),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'offerMinutes' });
    }
    const canary = 'CANARY#mode';
    const malformed = await setWaitlistMode(
      { clinicId: canary, mode: 'sequential', idempotencyKey: key() },
      bed.contextFor(admin(clinicId)),
    );
    expect(malformed).toMatchObject({ __typename: 'InvalidInput', field: 'clinicId' });
    expect(JSON.stringify(malformed)).not.toContain(canary);
    expect(await bed.db.waitlistSetting.count({ where: { clinicId: { in: [clinicId, other] } } })).toBe(0);
  });
});
