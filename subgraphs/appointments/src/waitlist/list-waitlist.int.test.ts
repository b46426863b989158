import { randomUUID } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { admin, key, patient, useBookingBed } from '../testing/booking-bed';
import { joinWaitlist } from './join-waitlist';
import { clinicWaitlist, myWaitlist } from './list-waitlist';
import { asDateColumn } from './limits';
import { sydneyDay } from './testing';

const bed = useBookingBed();

async function join(clientId: string, clinicId: string) {
  const outcome = await joinWaitlist(
    { clinicId, fromDate: sydneyDay(1), toDate: sydneyDay(10), idempotencyKey: key() },
    bed.contextFor(patient(clientId)),
  );
  if (outcome.__typename !== 'WaitlistJoined') throw new Error(outcome.__typename);
  return outcome.entry.id;
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

describe('myWaitlist and clinicWaitlist', () => {
  it("show a patient their own entries only, and a clinic's staff their clinic's line in order", async () => {
    const [a, b] = [await bed.newDoctor(), await bed.newDoctor()];
    const me = randomUUID();
    const other = randomUUID();
    const mine = [await join(me, a.clinicId), await join(me, b.clinicId)];
    const theirsAtA = await join(other, a.clinicId);
    expect(ids(await myWaitlist(bed.contextFor(patient(me))))).toEqual(mine);
    expect(ids(await myWaitlist(bed.contextFor(patient(other))))).toEqual([theirsAtA]);
    expect(ids(await clinicWaitlist(bed.contextFor(admin(a.clinicId)), null, 50))).toEqual([
      mine[0],
      theirsAtA,
    ]);
    const manager: Identity = { role: 'PracticeManager', subject: 'pm', clinicId: b.clinicId };
    expect(ids(await clinicWaitlist(bed.contextFor(manager), b.clinicId, 50))).toEqual([mine[1]]);
    const sysadmin: Identity = { role: 'SystemAdministrator', subject: 'root' };
    expect(ids(await clinicWaitlist(bed.contextFor(sysadmin), a.clinicId, 50))).toEqual([mine[0], theirsAtA]);
  });

  it("leave out entries whose window has passed, in the patient's list and the clinic's line", async () => {
    const { clinicId } = await bed.newDoctor();
    const me = randomUUID();
    const [stale, current] = [await join(me, clinicId), await join(me, clinicId)];
    // The window ended two days ago in the entry's zone (Sydney); nobody left or fulfilled it.
    await bed.db.waitlistEntry.update({
      where: { id: stale },
      data: { fromDate: asDateColumn(sydneyDay(-5)), toDate: asDateColumn(sydneyDay(-2)) },
    });
    expect(ids(await myWaitlist(bed.contextFor(patient(me))))).toEqual([current]);
    expect(ids(await clinicWaitlist(bed.contextFor(admin(clinicId)), null, 50))).toEqual([current]);
  });

  it("refuses another clinic's line, a doctor, a patient and nobody signed in", async () => {
    const [a, b] = [await bed.newDoctor(), await bed.newDoctor()];
    await join(randomUUID(), b.clinicId);
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'answered',
        (error: { extensions?: { code?: string } }) => error.extensions?.code,
      );
    expect(await code(clinicWaitlist(bed.contextFor(admin(a.clinicId)), b.clinicId, 50))).toBe('FORBIDDEN');
    const doctor: Identity = { role: 'Doctor', subject: b.doctorId, clinicId: b.clinicId };
    expect(await code(clinicWaitlist(bed.contextFor(doctor), b.clinicId, 50))).toBe('FORBIDDEN');
    expect(await code(clinicWaitlist(bed.contextFor(patient()), b.clinicId, 50))).toBe('FORBIDDEN');
    expect(await code(clinicWaitlist(bed.contextFor(null), b.clinicId, 50))).toBe('UNAUTHENTICATED');
    expect(await code(myWaitlist(bed.contextFor(admin(a.clinicId))))).toBe('FORBIDDEN');
    expect(await code(clinicWaitlist(bed.contextFor(admin(a.clinicId)), null, 201))).toBe('BAD_USER_INPUT');
  });

  it('leaves out entries that were left', async () => {
    const { clinicId } = await bed.newDoctor();
    const me = randomUUID();
    const entryId = await join(me, clinicId);
    await bed.db.waitlistEntry.update({ where: { id: entryId }, data: { status: 'left' } });
    expect(await myWaitlist(bed.contextFor(patient(me)))).toEqual([]);
    expect(await clinicWaitlist(bed.contextFor(admin(clinicId)), null, 50)).toEqual([]);
  });
});
