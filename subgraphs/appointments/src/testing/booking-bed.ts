import { randomUUID } from 'node:crypto';
import type { EventEnvelope, Identity } from '@clinic/contracts';
import { createLogger } from '@clinic/platform';
import { migratedTestDatabase } from '@clinic/testing';
import type { AppointmentsContext } from '../context';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '../database';
import type { Slot } from '../generated/prisma/client';
import { createScheduleLoaders } from '../schedule/loaders';

/**
 * What the service-level booking tests share: one fresh, migrated appointments database on the real server,
 * request contexts for any identity (the operations are called as the resolvers call them), doctors with
 * slots of their own, clinic links, and the checks every attack ends with: is each slot in step with its
 * active appointments, does any patient or doctor have two overlapping ones, and did anything change at all.
 */
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const SLOT_MINUTES = 30;

export const key = () => `test-${randomUUID()}`;
export const patient = (clientId: string = randomUUID()): Identity => ({
  role: 'Patient',
  subject: clientId,
});
export const admin = (clinicId: string): Identity => ({
  role: 'ClinicAdmin',
  subject: `staff-${clinicId.slice(0, 8)}`,
  clinicId,
});

export interface NewDoctor {
  clinicId?: string;
  /** How many consecutive slots, SLOT_MINUTES each (default 4). */
  slots?: number;
  /** When the first slot starts (default: a fresh hour some days ahead, so tests never share a time). */
  start?: Date;
  telehealth?: boolean;
}

export interface Doctor {
  doctorId: string;
  clinicId: string;
  slots: Slot[];
}

export interface Snapshot {
  slots: unknown[];
  appointments: unknown[];
  outbox: number;
}

export interface BookingBed {
  db: AppointmentsDatabase;
  /** A request's context, as the subgraph builds it; `pokes()` counts the outbox wake-ups it asked for. */
  contextFor(
    identity: Identity | null,
    options?: { holdMinutes?: number; holdsPerPatient?: number },
  ): AppointmentsContext & { pokes(): number };
  /** A doctor of their own (a fresh clinic unless given) with free slots nobody else uses. */
  newDoctor(options?: NewDoctor): Promise<Doctor>;
  /** A free slot starting `minutesFromNow` (negative: it has started) for a doctor of its own. */
  slotStartingIn(minutesFromNow: number): Promise<Slot>;
  /** The patient as linked to the clinic, as the patients service's event would have it. */
  link(clientId: string, clinicId: string): Promise<void>;
  /** Makes a hold lapse, as if its minutes had run out and no sweeper had passed yet. */
  lapse(holdId: string): Promise<void>;
  slot(id: string): Promise<Slot>;
  /** The events written to the outbox about this appointment or slot, oldest first. */
  eventsAbout(aggregateId: string): Promise<EventEnvelope[]>;
  /** Slots whose status disagrees with their active (pending or booked) appointments: none, ever. */
  slotsOutOfStep(): Promise<unknown[]>;
  /** Pairs of active appointments of one patient or one doctor that overlap: none, ever. */
  activeOverlaps(): Promise<number>;
  /** Every slot, appointment and the outbox's size: equal before and after means nothing changed. */
  snapshot(): Promise<Snapshot>;
  idempotencyRecords(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBookingBed(): Promise<BookingBed> {
  const database = await migratedTestDatabase('appointments');
  const db = connectAppointmentsDatabase(database.url);
  const logger = createLogger('appointments-test', 'silent');
  // Each doctor's day starts at an hour of its own, a few days ahead, so no two tests' slots meet.
  let nextHour = Math.ceil((Date.now() + 72 * HOUR) / HOUR) * HOUR;

  const bed: BookingBed = {
    db,
    contextFor: (identity, options = {}) => {
      let pokes = 0;
      return {
        identity,
        correlationId: randomUUID(),
        logger,
        db,
        outbox: { poke: () => void pokes++ },
        loaders: createScheduleLoaders(db),
        holdMinutes: options.holdMinutes ?? 10,
        holdsPerPatient: options.holdsPerPatient ?? 2,
        pokes: () => pokes,
      };
    },
    newDoctor: async (options = {}) => {
      const doctorId = randomUUID();
      const clinicId = options.clinicId ?? randomUUID();
      const first = options.start ?? new Date((nextHour += 24 * HOUR));
      const slots = Array.from({ length: options.slots ?? 4 }, (_, index) => {
        const start = new Date(first.getTime() + index * SLOT_MINUTES * MINUTE);
        return {
          id: randomUUID(),
          doctorId,
          clinicId,
          start,
          end: new Date(start.getTime() + SLOT_MINUTES * MINUTE),
          telehealth: options.telehealth ?? false,
        };
      });
      await db.slot.createMany({ data: slots });
      return {
        doctorId,
        clinicId,
        slots: await db.slot.findMany({ where: { doctorId }, orderBy: [{ start: 'asc' }, { id: 'asc' }] }),
      };
    },
    slotStartingIn: async (minutesFromNow) => {
      const start = new Date(Date.now() + minutesFromNow * MINUTE);
      const { slots } = await bed.newDoctor({ start, slots: 1 });
      return slots[0] as Slot;
    },
    link: async (clientId, clinicId) => {
      await db.clinicLink.create({ data: { clientId, clinicId } });
    },
    lapse: async (holdId) => {
      await db.appointment.update({
        where: { id: holdId },
        data: { holdExpiresAt: new Date(Date.now() - MINUTE) },
      });
    },
    slot: (id) => db.slot.findUniqueOrThrow({ where: { id } }),
    eventsAbout: async (aggregateId) =>
      (await db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { seq: 'asc' } })).map(
        (row) => row.envelope as unknown as EventEnvelope,
      ),
    slotsOutOfStep: () =>
      db.$queryRawUnsafe(
        `SELECT s.id, s.status::text AS status, count(a.id)::int AS active
           FROM slot s LEFT JOIN appointment a ON a.slot_id = s.id AND a.status IN ('pending', 'booked')
          GROUP BY s.id, s.status
         HAVING (s.status IN ('busy', 'busy-tentative') AND count(a.id) <> 1)
             OR (s.status = 'free' AND count(a.id) > 0)
             OR count(a.id) > 1
             OR count(a.id) FILTER (WHERE a.status = 'pending' AND s.status <> 'busy-tentative') > 0
             OR count(a.id) FILTER (WHERE a.status = 'booked' AND s.status = 'busy-tentative') > 0`,
      ),
    activeOverlaps: async () => {
      const [row] = await db.$queryRawUnsafe<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM appointment a JOIN appointment b ON a.id < b.id
          WHERE a.status IN ('pending', 'booked') AND b.status IN ('pending', 'booked')
            AND (a.doctor_id = b.doctor_id OR a.client_id = b.client_id)
            AND tstzrange(a.start, a."end") && tstzrange(b.start, b."end")`,
      );
      return row?.count ?? -1;
    },
    snapshot: async () => ({
      slots: await db.slot.findMany({ orderBy: { id: 'asc' } }),
      appointments: await db.appointment.findMany({ orderBy: { id: 'asc' } }),
      outbox: await db.outboxEvent.count(),
    }),
    idempotencyRecords: () => db.idempotencyRecord.count(),
    stop: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
  return bed;
}

/** The `__typename`s of some outcomes, in order. */
export const kinds = (outcomes: readonly { __typename: string }[]) => outcomes.map((o) => o.__typename);

/** Runs `request` `times` times at once: a double (or triple) tap. */
export const atOnce = <T>(times: number, request: () => Promise<T>) =>
  Promise.all(Array.from({ length: times }, request));

/**
 * One bed for a test file: started before its tests, stopped after them and, unless `invariants` is
 * false, checked after each: every slot in step with its live appointments, and no overlaps.
 */
export function useBookingBed({ invariants = true } = {}): BookingBed {
  let started: BookingBed | undefined;
  beforeAll(async () => {
    started = await startBookingBed();
  }, 600_000);
  afterAll(async () => {
    await started?.stop();
  });
  if (invariants)
    afterEach(async () => {
      expect(await bed.slotsOutOfStep()).toEqual([]);
      expect(await bed.activeOverlaps()).toBe(0);
    });
  // Tests refer to the bed while declaring themselves, before it has started; they use it only once it has.
  const bed = new Proxy({} as BookingBed, {
    get: (_target, property) => {
      if (!started) throw new Error('the booking bed is used before it started');
      return Reflect.get(started, property);
    },
  });
  return bed;
}
