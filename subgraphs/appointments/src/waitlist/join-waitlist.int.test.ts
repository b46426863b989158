import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@clinic/platform';
import { admin, atOnce, key, kinds, patient, useBookingBed } from '../testing/booking-bed';
import type { JoinWaitlistInput } from '../generated/graphql';
import { joinWaitlist } from './join-waitlist';
import { asDateColumn, ENTRIES_PER_PATIENT, MAX_WINDOW_DAYS } from './limits';
import { sydneyDay } from './testing';

const bed = useBookingBed();

const wish = (clinicId: string, overrides: Partial<JoinWaitlistInput> = {}): JoinWaitlistInput => ({
  clinicId,
  fromDate: sydneyDay(1),
  toDate: sydneyDay(14),
  timeZone: 'Australia/Sydney',
  idempotencyKey: key(),
  ...overrides,
});

const entries = (clientId: string) => bed.db.waitlistEntry.findMany({ where: { clientId } });

describe('joinWaitlist', () => {
  it("puts a patient on a clinic's line, or a doctor's at the doctor's clinic", async () => {
    const { clinicId, doctorId } = await bed.newDoctor();
    const me = patient();
    const atClinic = await joinWaitlist(
      wish(clinicId, { earliestStart: '08:00', latestStart: '12:30' }),
      bed.contextFor(me),
    );
    expect(atClinic).toMatchObject({
      __typename: 'WaitlistJoined',
      entry: { clientId: me.subject, clinicId, doctorId: null, status: 'active', earliestStartMinute: 480 },
    });
    const withDoctor = await joinWaitlist(
      { ...wish(clinicId), clinicId: null, doctorId },
      bed.contextFor(me),
    );
    expect(withDoctor).toMatchObject({ __typename: 'WaitlistJoined', entry: { clinicId, doctorId } });
  });

  it('answers a replay and a double tap with the first outcome, and makes one entry', async () => {
    const { clinicId } = await bed.newDoctor();
    const me = patient();
    const input = wish(clinicId);
    const [first, second] = await atOnce(2, () => joinWaitlist(input, bed.contextFor(me)));
    const later = await joinWaitlist(input, bed.contextFor(me));
    expect(kinds([first!, second!, later])).toEqual(['WaitlistJoined', 'WaitlistJoined', 'WaitlistJoined']);
    expect(second).toEqual(first);
    expect(later).toEqual(first);
    expect(await entries(me.subject)).toHaveLength(1);
    // The same key for another wish is refused on the key, and changes nothing.
    const reused = await joinWaitlist({ ...input, toDate: sydneyDay(20) }, bed.contextFor(me));
    expect(reused).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await entries(me.subject)).toHaveLength(1);
  });

  it(`takes ${ENTRIES_PER_PATIENT} active entries per patient, even asked all at once, and no more`, async () => {
    const { clinicId } = await bed.newDoctor();
    const me = patient();
    const outcomes = await Promise.all(
      Array.from({ length: ENTRIES_PER_PATIENT + 3 }, () => joinWaitlist(wish(clinicId), bed.contextFor(me))),
    );
    expect(kinds(outcomes).filter((kind) => kind === 'WaitlistJoined')).toHaveLength(ENTRIES_PER_PATIENT);
    expect(kinds(outcomes).filter((kind) => kind === 'NotAllowed')).toHaveLength(3);
    expect(await entries(me.subject)).toHaveLength(ENTRIES_PER_PATIENT);
    // Another patient's count is their own.
    expect(await joinWaitlist(wish(clinicId), bed.contextFor(patient()))).toMatchObject({
      __typename: 'WaitlistJoined',
    });
  });

  it('does not count entries whose window has passed toward the per-patient limit', async () => {
    const { clinicId } = await bed.newDoctor();
    const me = patient();
    for (let i = 0; i < ENTRIES_PER_PATIENT; i++) {
      expect((await joinWaitlist(wish(clinicId), bed.contextFor(me))).__typename).toBe('WaitlistJoined');
    }
    // Their windows all ended yesterday in their zone: they wait for nothing any more.
    await bed.db.waitlistEntry.updateMany({
      where: { clientId: me.subject },
      data: { fromDate: asDateColumn(sydneyDay(-3)), toDate: asDateColumn(sydneyDay(-1)) },
    });
    expect(await joinWaitlist(wish(clinicId), bed.contextFor(me))).toMatchObject({
      __typename: 'WaitlistJoined',
    });
  });

  it(`takes a window of ${MAX_WINDOW_DAYS} days and refuses one day more, changing nothing`, async () => {
    const { clinicId } = await bed.newDoctor();
    const me = patient();
    const inside = await joinWaitlist(
      wish(clinicId, { fromDate: sydneyDay(1), toDate: sydneyDay(1 + MAX_WINDOW_DAYS) }),
      bed.contextFor(me),
    );
    expect(inside.__typename).toBe('WaitlistJoined');
    const before = await entries(me.subject);
    const outside = await joinWaitlist(
      wish(clinicId, { fromDate: sydneyDay(1), toDate: sydneyDay(2 + MAX_WINDOW_DAYS) }),
      bed.contextFor(me),
    );
    expect(outside).toMatchObject({ __typename: 'InvalidInput', field: 'toDate' });
    expect(await entries(me.subject)).toEqual(before);
  });

  it('refuses a clinic or doctor it has never had a time of, and both or neither, as typed input errors', async () => {
    const me = patient();
    const unknown = await joinWaitlist(wish(randomUUID()), bed.contextFor(me));
    expect(unknown).toMatchObject({ __typename: 'InvalidInput', field: 'clinicId' });
    const noDoctor = await joinWaitlist(
      { ...wish(randomUUID()), clinicId: null, doctorId: randomUUID() },
      bed.contextFor(me),
    );
    expect(noDoctor).toMatchObject({ __typename: 'InvalidInput', field: 'doctorId' });
    const { clinicId, doctorId } = await bed.newDoctor();
    expect(await joinWaitlist({ ...wish(clinicId), doctorId }, bed.contextFor(me))).toMatchObject({
      __typename: 'InvalidInput',
      field: 'clinicId',
    });
    expect(await joinWaitlist({ ...wish(clinicId), clinicId: null }, bed.contextFor(me))).toMatchObject({
      __typename: 'InvalidInput',
      field: 'clinicId',
    });
    expect(await entries(me.subject)).toEqual([]);
  });

  it('refuses a zone Node knows but PostgreSQL does not, naming no zone, and changes nothing', async () => {
    const { clinicId } = await bed.newDoctor();
    const me = patient();
    // Both are in Node's (ICU's) zone list and missing from PostgreSQL's: an entry in one would make every
    // freed time at the clinic fail in the offer consumer, which converts times in the entry's zone.
    for (const timeZone of ['US/Pacific-New', 'Canada/East-Saskatchewan']) {
      const outcome = await joinWaitlist(wish(clinicId, { timeZone }), bed.contextFor(me));
      expect(outcome).toMatchObject({ __typename: 'InvalidInput', field: 'timeZone' });
      expect(JSON.stringify(outcome)).not.toContain(timeZone.split('/')[1]);
    }
    expect(await entries(me.subject)).toEqual([]);
  });

  it('is for patients themselves: staff get NotAllowed, nobody signed in UNAUTHENTICATED', async () => {
    const { clinicId } = await bed.newDoctor();
    expect(await joinWaitlist(wish(clinicId), bed.contextFor(admin(clinicId)))).toMatchObject({
      __typename: 'NotAllowed',
    });
    await expect(joinWaitlist(wish(clinicId), bed.contextFor(null))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(await bed.db.waitlistEntry.count({ where: { clinicId } })).toBe(0);
  });

  it('echoes no canary from any argument into its answer or its logs', async () => {
    const { clinicId } = await bed.newDoctor();
    const lines: string[] = [];
    const logger = createLogger(
      'waitlist-test',
      'trace',
      new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) }),
    );
    const canary = 'CANARY#7f3e';
    const fields: (keyof JoinWaitlistInput)[] = [
      'clinicId',
      'doctorId',
      'fromDate',
      'toDate',
      'timeZone',
      'earliestStart',
      'latestStart',
      'idempotencyKey',
    ];
    for (const field of fields) {
      const input = { ...wish(clinicId), [field]: `${canary}-${field}` };
      if (field === 'doctorId') input.clinicId = null;
      const context = { ...bed.contextFor(patient()), logger };
      const outcome = await joinWaitlist(input, context).catch((error: unknown) => error);
      expect(outcome).toMatchObject({ __typename: 'InvalidInput', field });
      expect(JSON.stringify(outcome)).not.toContain(canary);
    }
    expect(lines.join('')).not.toContain(canary);
    expect(await bed.db.waitlistEntry.count({ where: { clinicId } })).toBe(0);
  });
});
