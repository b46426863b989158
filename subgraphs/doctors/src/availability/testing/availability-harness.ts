import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { EventEnvelope, EventPayload, Identity } from '@clinic/contracts';
import { applyMigrations, createLogger, InProcessEventBus } from '@clinic/platform';
import { createTestDatabases, type TestDatabases, eventually } from '@clinic/testing';
import type { DoctorsContext } from '../../context';
import { connectDoctorsDatabase, type DoctorsDatabase } from '../../database';
import { createDirectoryLoaders } from '../../directory/loaders';
import { createDoctorsRelay } from '../../events/relay';

/** What the availability integration tests share: a fresh doctors database on the real server, two clinics,
 * the real outbox relay, and an in-process bus that records what reaches the doctors topic. */
export const HORIZON_DAYS = 21;
export const sydney = {
  id: randomUUID(),
  name: 'Surry Hills Medical Centre',
  suburb: 'Surry Hills',
  state: 'NSW',
  timeZone: 'Australia/Sydney',
};
export const perth = {
  id: randomUUID(),
  name: 'Subiaco Medical Centre',
  suburb: 'Subiaco',
  state: 'WA',
  timeZone: 'Australia/Perth',
};
export type Availability = EventPayload<'doctor.availability-changed'>;

export const admin = (clinicId = sydney.id): Identity => ({
  role: 'ClinicAdmin',
  subject: 'staff-admin-1',
  clinicId,
});
export const key = () => `test-${randomUUID()}`;
export const weekdays = (slotMinutes = 30) =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startLocal: '09:00', endLocal: '17:00', slotMinutes }));

export interface AvailabilityHarness {
  db: DoctorsDatabase;
  newDoctor(clinicId?: string): Promise<string>;
  contextFor(identity: Identity | null): DoctorsContext;
  /** Publishes the outbox and returns the doctor's events that reached the bus, in order, once there are `count`. */
  eventsOf(doctorId: string, count: number): Promise<EventEnvelope[]>;
  stop(): Promise<void>;
}

export async function startAvailabilityHarness(): Promise<AvailabilityHarness> {
  const logger = createLogger('doctors-test', 'silent');
  const databases: TestDatabases = await createTestDatabases(['doctors']);
  await applyMigrations(
    databases.urls.doctors,
    path.resolve(__dirname, '../../../../../prisma/doctors/migrations'),
  );
  const db = connectDoctorsDatabase(databases.urls.doctors);
  await db.clinic.createMany({ data: [sydney, perth] });
  const bus = new InProcessEventBus({ logger });
  const received: EventEnvelope[] = [];
  await bus.subscribe({
    topic: 'doctors',
    group: 'availability-test',
    handle: async (event) => void received.push(event),
  });
  const relay = createDoctorsRelay(db, bus, logger);
  return {
    db,
    newDoctor: async (clinicId = sydney.id) => {
      const id = randomUUID();
      await db.doctor.create({
        data: { id, clinicId, givenName: 'Alex', familyName: 'Example', specialty: 'General Practice' },
      });
      return id;
    },
    contextFor: (identity) => ({
      identity,
      correlationId: randomUUID(),
      logger,
      db,
      loaders: createDirectoryLoaders(db),
      outbox: relay,
      horizonDays: HORIZON_DAYS,
    }),
    eventsOf: async (doctorId, count) => {
      await relay.runOnce();
      return eventually(async () => {
        const mine = received.filter((event) => event.aggregateId === doctorId);
        return mine.length >= count ? mine : undefined;
      });
    },
    stop: async () => {
      await bus.close();
      await db.$disconnect();
      await databases.drop();
    },
  };
}
