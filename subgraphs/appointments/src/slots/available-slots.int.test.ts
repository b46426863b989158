import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { DateTime } from 'luxon';
import type { Slot } from '../generated/prisma/client';
import { bookAppointment } from '../booking/book-appointment';
import { cancelAppointment } from '../booking/cancel-appointment';
import { holdSlot } from '../booking/hold-slot';
import { HOUR, MINUTE, key, patient, useBookingBed } from '../testing/booking-bed';
import { availableSlots, nextAvailableSlot, type SlotPage } from './available-slots';

/** Finding a time: the slot search's keyset pages and the next available slot, on real PostgreSQL. */
const bed = useBookingBed({ invariants: false });

/** The UTC calendar day of an instant, as the search's LocalDate. */
const day = (at: Date) => at.toISOString().slice(0, 10);
const byStartThenId = (a: Pick<Slot, 'start' | 'id'>, b: Pick<Slot, 'start' | 'id'>) =>
  a.start.getTime() - b.start.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

type SlotState = 'free' | 'booked' | 'held' | 'lapsed';

/**
 * A clinic of its own with `doctors` doctors on one UTC day, all at the same times (so starts tie and
 * the id decides), each slot put in the state asked for through the service's own mutations.
 */
async function clinicWith(states: SlotState[][]) {
  const clinicId = randomUUID();
  // 09:00 UTC a month ahead; other clinics' slots at that time are outside the clinic's search.
  const first = new Date(Math.ceil((Date.now() + 30 * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR + 9 * HOUR);
  const doctors = [];
  for (const row of states) doctors.push(await bed.newDoctor({ clinicId, start: first, slots: row.length }));
  for (const [d, row] of states.entries()) {
    for (const [s, state] of row.entries()) {
      const slot = doctors[d]!.slots[s]!;
      if (state === 'booked') {
        const booked = await bookAppointment(
          { slotId: slot.id, idempotencyKey: key() },
          bed.contextFor(patient()),
        );
        expect(booked.__typename).toBe('AppointmentBooked');
      } else if (state === 'held' || state === 'lapsed') {
        const held = await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(patient()));
        if (held.__typename !== 'SlotHeld') throw new Error(held.__typename);
        if (state === 'lapsed') await bed.lapse(held.hold.id);
      }
    }
  }
  const all = doctors.flatMap((doctor, d) =>
    doctor.slots.map((slot, s) => ({ slot, state: states[d]![s]! })),
  );
  return {
    clinicId,
    date: day(first),
    doctors,
    /** What a patient may book, in the search's order: free slots, and held ones whose hold lapsed. */
    bookable: all
      .filter(({ state }) => state === 'free' || state === 'lapsed')
      .map(({ slot }) => slot)
      .sort(byStartThenId),
  };
}

/** Every page of a search, following endCursor until hasNextPage is false. */
async function allPages(filter: Parameters<typeof availableSlots>[1], first: number) {
  const pages: SlotPage[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await availableSlots(bed.db, filter, first, after);
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
  throw new Error('the pages never ended');
}

/** Refused as the caller's mistake: a GraphQLError coded BAD_USER_INPUT. */
async function badInput(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions['code']).toBe('BAD_USER_INPUT');
}

describe('availableSlots', () => {
  it('pages through free slots with a cursor, in (start, id) order, without gaps or repeats', async () => {
    const clinic = await clinicWith([
      ['free', 'booked', 'free', 'held', 'free'],
      ['free', 'free', 'lapsed', 'free', 'booked'],
      ['held', 'free', 'free', 'free', 'free'],
    ]);
    const filter = { clinicId: clinic.clinicId, fromDate: clinic.date, toDate: clinic.date, timeZone: 'UTC' };
    const pages = await allPages(filter, 4);
    const listed = pages.flatMap((page) => page.edges.map((edge) => edge.node.id));
    expect(listed).toEqual(clinic.bookable.map((slot) => slot.id));
    expect(pages.map((page) => page.edges.length)).toEqual([4, 4, 3]);
    expect(pages.flatMap((page) => page.edges.map((edge) => edge.node.status))).toEqual(
      listed.map(() => 'free'),
    );
    // Each page's endCursor is its last edge's cursor, and the last page says there is no more.
    for (const page of pages) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    // By doctor, the same slots of that doctor alone.
    const doctor = clinic.doctors[1]!;
    const theirs = await allPages({ ...filter, clinicId: null, doctorId: doctor.doctorId }, 2);
    expect(theirs.flatMap((page) => page.edges.map((edge) => edge.node.id))).toEqual(
      clinic.bookable.filter((slot) => slot.doctorId === doctor.doctorId).map((slot) => slot.id),
    );
  });

  it('matches the free slots for any states and page size (property)', async () => {
    const state = fc.constantFrom<SlotState>('free', 'free', 'booked', 'held', 'lapsed');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(state, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        async (states, first) => {
          const clinic = await clinicWith(states);
          const filter = {
            clinicId: clinic.clinicId,
            fromDate: clinic.date,
            toDate: clinic.date,
            timeZone: 'UTC',
          };
          const pages = await allPages(filter, first);
          expect(pages.flatMap((page) => page.edges.map((edge) => edge.node.id))).toEqual(
            clinic.bookable.map((slot) => slot.id),
          );
          // Full pages until the last; an empty search is one empty page.
          for (const page of pages.slice(0, -1)) expect(page.edges).toHaveLength(first);
          expect(pages.at(-1)!.edges.length).toBe(
            clinic.bookable.length === 0 ? 0 : ((clinic.bookable.length - 1) % first) + 1,
          );
        },
      ),
      { numRuns: 15 },
    );
  });

  it('neither skips nor repeats a slot when slots are booked and freed between pages (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ slot: fc.nat({ max: 7 }), book: fc.boolean() }), { maxLength: 6 }),
        async (first, changes) => {
          const clinic = await clinicWith([Array<SlotState>(8).fill('free')]);
          const slots = clinic.doctors[0]!.slots;
          const filter = {
            clinicId: clinic.clinicId,
            fromDate: clinic.date,
            toDate: clinic.date,
            timeZone: 'UTC',
          };
          const bookings = new Map<string, { id: string; who: ReturnType<typeof patient> }>();
          const listed: Slot[] = [];
          /** Slots free at every read: each of them must be listed. */
          const alwaysFree = new Set(slots.map((slot) => slot.id));
          let after: string | null = null;
          let pending = [...changes];
          for (;;) {
            const page = await availableSlots(bed.db, filter, first, after);
            const freeNow = new Set(
              (await bed.db.slot.findMany({ where: { clinicId: clinic.clinicId, status: 'free' } })).map(
                (slot) => slot.id,
              ),
            );
            for (const edge of page.edges) expect(freeNow).toContain(edge.node.id);
            listed.push(...page.edges.map((edge) => edge.node));
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
            // Between pages, someone books or cancels.
            const change = pending[0];
            pending = pending.slice(1);
            if (!change) continue;
            const slot = slots[change.slot]!;
            const booking = bookings.get(slot.id);
            if (change.book && !booking) {
              const who = patient();
              const outcome = await bookAppointment(
                { slotId: slot.id, idempotencyKey: key() },
                bed.contextFor(who),
              );
              if (outcome.__typename === 'AppointmentBooked')
                bookings.set(slot.id, { id: outcome.appointment.id, who });
              alwaysFree.delete(slot.id);
            } else if (!change.book && booking) {
              await cancelAppointment(
                { appointmentId: booking.id, idempotencyKey: key() },
                bed.contextFor(booking.who),
              );
              bookings.delete(slot.id);
            }
          }
          const ids = listed.map((slot) => slot.id);
          // Strictly ascending: nothing repeated, nothing out of order.
          expect([...listed].sort(byStartThenId).map((slot) => slot.id)).toEqual(ids);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of alwaysFree) expect(ids).toContain(id);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('lists only slots that have not started, however early the days begin', async () => {
    const clinicId = randomUUID();
    const startingIn = async (minutes: number) =>
      (
        await bed.newDoctor({
          clinicId,
          slots: 1,
          start: new Date(Math.floor((Date.now() + minutes * MINUTE) / 1000) * 1000),
        })
      ).slots[0]!;
    const started = [await startingIn(-120), await startingIn(-5)];
    const upcoming = [await startingIn(60), await startingIn(180)];
    const filter = {
      clinicId,
      fromDate: day(new Date(Date.now() - 24 * HOUR)),
      toDate: day(new Date(Date.now() + 24 * HOUR)),
      timeZone: 'UTC',
    };
    const listed = (await allPages(filter, 50)).flatMap((page) => page.edges.map((edge) => edge.node.id));
    expect(listed).toEqual(upcoming.map((slot) => slot.id));
    expect(listed).not.toContain(started[0]!.id);
    expect(listed).not.toContain(started[1]!.id);
  });

  it('reads a lapsed hold as free at once, and a live hold as taken', async () => {
    const clinic = await clinicWith([['held', 'held']]);
    const [live, lapsing] = clinic.doctors[0]!.slots;
    const filter = { clinicId: clinic.clinicId, fromDate: clinic.date, toDate: clinic.date, timeZone: 'UTC' };
    expect((await availableSlots(bed.db, filter, 10, null)).edges).toEqual([]);
    const hold = await bed.db.appointment.findFirstOrThrow({
      where: { slotId: lapsing!.id, status: 'pending' },
    });
    await bed.lapse(hold.id);
    const page = await availableSlots(bed.db, filter, 10, null);
    expect(page.edges.map((edge) => [edge.node.id, edge.node.status])).toEqual([[lapsing!.id, 'free']]);
    expect(page.edges.map((edge) => edge.node.id)).not.toContain(live!.id);
  });

  it('covers whole local days in the time zone asked for', async () => {
    // 00:30 and 23:30 in Perth (UTC+8, no daylight saving), and 00:30 the next Perth day.
    const clinicId = randomUUID();
    const perthDay = day(new Date(Date.now() + 40 * 24 * HOUR));
    const perthMidnight = new Date(`${perthDay}T00:00:00+08:00`).getTime();
    const at = async (ms: number) =>
      (await bed.newDoctor({ clinicId, slots: 1, start: new Date(perthMidnight + ms) })).slots[0]!;
    const early = await at(30 * MINUTE);
    const late = await at(23 * HOUR + 30 * MINUTE);
    const nextDay = await at(24 * HOUR + 30 * MINUTE);
    const perth = { clinicId, fromDate: perthDay, toDate: perthDay, timeZone: 'Australia/Perth' };
    expect((await availableSlots(bed.db, perth, 10, null)).edges.map((edge) => edge.node.id)).toEqual([
      early.id,
      late.id,
    ]);
    const utc = { ...perth, timeZone: 'UTC' };
    // The same date in UTC starts eight hours later: the early slot belongs to the day before.
    expect((await availableSlots(bed.db, utc, 10, null)).edges.map((edge) => edge.node.id)).toEqual([
      late.id,
      nextDay.id,
    ]);
  });

  it.each([
    ['25-hour', 25],
    ['23-hour', 23],
  ])('covers a %s day when daylight saving changes, and no more', async (_name, hours) => {
    const zone = 'Australia/Sydney';
    let local = DateTime.now().setZone(zone).startOf('day').plus({ days: 2 });
    for (let days = 0; local.plus({ days: 1 }).diff(local, 'hours').hours !== hours; days++) {
      if (days > 400) throw new Error(`no ${hours}-hour day in ${zone} within a year`);
      local = local.plus({ days: 1 });
    }
    const next = local.plus({ days: 1 });
    const clinicId = randomUUID();
    const at = async (instant: DateTime) =>
      (await bed.newDoctor({ clinicId, slots: 1, start: instant.toJSDate() })).slots[0]!;
    const dayBefore = await at(local.minus({ minutes: 30 }));
    const first = await at(local);
    const last = await at(next.minus({ minutes: 30 }));
    const dayAfter = await at(next);
    const ids = async (fromDate: string, toDate: string) =>
      (await allPages({ clinicId, fromDate, toDate, timeZone: zone }, 1)).flatMap((page) =>
        page.edges.map((edge) => edge.node.id),
      );
    expect(await ids(local.toISODate()!, local.toISODate()!)).toEqual([first.id, last.id]);
    // Consecutive days meet without a gap or an overlap.
    const before = local.minus({ days: 1 }).toISODate()!;
    expect(await ids(before, before)).toEqual([dayBefore.id]);
    expect(await ids(next.toISODate()!, next.toISODate()!)).toEqual([dayAfter.id]);
    expect(await ids(before, next.toISODate()!)).toEqual([dayBefore.id, first.id, last.id, dayAfter.id]);
  });

  it('answers every page exactly as the same SQL through Prisma did, in any time zone', async () => {
    // The search reads the pool directly (directRead); Prisma's $queryRawUnsafe of the same statement
    // was the read before. A client directRead does not know is asked through Prisma.
    const viaPrisma = {
      $queryRawUnsafe: bed.db.$queryRawUnsafe.bind(bed.db),
    } as unknown as typeof bed.db;
    const clinic = await clinicWith([
      ['free', 'booked', 'free', 'held', 'free', 'lapsed'],
      ['free', 'lapsed', 'free', 'free', 'booked', 'free'],
    ]);
    const dayAfter = day(new Date(new Date(`${clinic.date}T00:00:00Z`).getTime() + 24 * HOUR));
    const compared: string[] = [];
    for (const timeZone of [
      'UTC',
      'Australia/Sydney',
      'Australia/Perth',
      'Pacific/Chatham',
      'America/St_Johns',
    ])
      for (const first of [1, 4, 50])
        for (const scope of [
          { clinicId: clinic.clinicId },
          { doctorId: clinic.doctors[1]!.doctorId },
          { clinicId: clinic.clinicId, doctorId: clinic.doctors[0]!.doctorId },
        ]) {
          const filter = { ...scope, fromDate: clinic.date, toDate: dayAfter, timeZone };
          let after: string | null = null;
          for (let guard = 0; guard < 20; guard++) {
            const page = await availableSlots(bed.db, filter, first, after);
            expect(page).toStrictEqual(await availableSlots(viaPrisma, filter, first, after));
            for (const edge of page.edges) {
              expect(edge.node.start).toBeInstanceOf(Date);
              expect(edge.node.end).toBeInstanceOf(Date);
            }
            compared.push(...page.edges.map((edge) => edge.node.id));
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
          }
        }
    // Not vacuous: the searches found the clinic's bookable slots.
    expect(new Set(compared)).toEqual(new Set(clinic.bookable.map((slot) => slot.id)));
  });

  it('refuses bad arguments as BAD_USER_INPUT', async () => {
    const date = day(new Date(Date.now() + 5 * 24 * HOUR));
    const filter = { fromDate: date, toDate: date, timeZone: 'UTC' };
    await badInput(availableSlots(bed.db, filter, 0, null));
    await badInput(availableSlots(bed.db, filter, 201, null));
    await badInput(availableSlots(bed.db, filter, 1.5, null));
    await badInput(availableSlots(bed.db, filter, 5, 'not-a-cursor'));
    await badInput(
      availableSlots(bed.db, filter, 5, Buffer.from('2026-01-01T00:00:00Z|nope').toString('base64url')),
    );
    await badInput(availableSlots(bed.db, { ...filter, clinicId: 'nope' }, 5, null));
    await badInput(availableSlots(bed.db, { ...filter, doctorId: 'nope' }, 5, null));
    await badInput(availableSlots(bed.db, { ...filter, fromDate: '2026-1-1' }, 5, null));
    await badInput(
      availableSlots(bed.db, { ...filter, toDate: day(new Date(Date.now() - 2 * 24 * HOUR)) }, 5, null),
    );
    await badInput(
      availableSlots(bed.db, { ...filter, toDate: day(new Date(Date.now() + 60 * 24 * HOUR)) }, 5, null),
    );
    await badInput(availableSlots(bed.db, { ...filter, timeZone: 'Mars/Olympus' }, 5, null));
    await badInput(
      availableSlots(bed.db, { ...filter, fromDate: '9999-01-01', toDate: '9999-01-02' }, 5, null),
    );
  });
});

describe('nextAvailableSlot', () => {
  it('finds the earliest bookable slot of a doctor or clinic: not booked, not held, not started', async () => {
    const clinicId = randomUUID();
    const soon = new Date(Math.floor((Date.now() + 2 * HOUR) / 1000) * 1000);
    const first = await bed.newDoctor({ clinicId, start: soon, slots: 4 });
    const second = await bed.newDoctor({ clinicId, start: new Date(soon.getTime() + 30 * MINUTE), slots: 4 });
    const started = await bed.newDoctor({ clinicId, start: new Date(Date.now() - 10 * MINUTE), slots: 1 });
    expect(started.slots).toHaveLength(1);
    await bookAppointment({ slotId: first.slots[0]!.id, idempotencyKey: key() }, bed.contextFor(patient()));
    const hold = await holdSlot(
      { slotId: first.slots[1]!.id, idempotencyKey: key() },
      bed.contextFor(patient()),
    );
    if (hold.__typename !== 'SlotHeld') throw new Error(hold.__typename);

    // The doctor's first two are booked and held; the clinic's earliest is then the colleague's first.
    expect((await nextAvailableSlot(bed.db, null, first.doctorId))?.id).toBe(first.slots[2]!.id);
    expect((await nextAvailableSlot(bed.db, clinicId, null))?.id).toBe(second.slots[0]!.id);
    expect((await nextAvailableSlot(bed.db, clinicId, second.doctorId))?.id).toBe(second.slots[0]!.id);

    // The hold lapses: its slot is the doctor's next again, and reads as free.
    await bed.lapse(hold.hold.id);
    expect(await nextAvailableSlot(bed.db, null, first.doctorId)).toMatchObject({
      id: first.slots[1]!.id,
      status: 'free',
    });
    // Another clinic's doctor is not this clinic's; nobody's slots at all is null.
    expect(await nextAvailableSlot(bed.db, randomUUID(), first.doctorId)).toBeNull();
    expect(await nextAvailableSlot(bed.db, null, randomUUID())).toBeNull();
  });

  it('refuses to search everything, and ids that are no ids', async () => {
    await badInput(nextAvailableSlot(bed.db, null, null));
    await badInput(nextAvailableSlot(bed.db, 'nope', null));
    await badInput(nextAvailableSlot(bed.db, null, 'nope'));
  });
});
