import { randomUUID } from 'node:crypto';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases, realInfra, type TestDatabases, eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import {
  connectAppointmentsDatabase,
  type AppointmentsDatabase,
} from '../../subgraphs/appointments/src/database';
import type { Slot } from '../../subgraphs/appointments/src/generated/prisma/client';

/**
 * Re-assignment end to end on the real broker and PostgreSQL: leave entered through the gateway, the
 * doctors service publishes the doctor's availability on Kafka, this service moves the appointments.
 */
let databases: TestDatabases;
let system: TestSystem;
let db: AppointmentsDatabase;
let admin: string;
let sysadmin: string;
let doctors: string[];

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    { clinics: 1, doctors: 4, appointments: 0, days: 10 },
    {
      ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
      KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
      // Streams of its own: a new consumer group must not replay other runs' doctors into this one.
      KAFKA_TOPIC_PREFIX: `leave-${randomUUID()}.`,
    },
  );
  db = connectAppointmentsDatabase(databases.urls.appointments);
  const clinicId = (await db.slot.findFirstOrThrow()).clinicId;
  admin = await system.token({ role: 'ClinicAdmin', subject: 'staff-admin-1', clinicId });
  sysadmin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
  doctors = (await db.slot.findMany({ distinct: ['doctorId'], orderBy: { doctorId: 'asc' } })).map(
    (slot) => slot.doctorId,
  );
}, 180_000);
afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
  await databases?.drop();
});

async function graphql(query: string, token: string, variables: Record<string, unknown>) {
  const { body } = await system.graphql(query, { token, variables });
  expect(body.errors).toBeUndefined();
  return body.data ?? {};
}

/** The working days of the first doctor (all share the seeded hours), from the day after tomorrow. */
async function workingDays(): Promise<Slot[][]> {
  const slots = await db.slot.findMany({
    where: { doctorId: doctors[0], start: { gt: new Date(Date.now() + 36 * 3_600_000) } },
    orderBy: { start: 'asc' },
  });
  // A working day is a run of back-to-back slots (clinic-local days straddle UTC dates).
  const days: Slot[][] = [];
  for (const slot of slots) {
    const current = days.at(-1);
    if (current && slot.start.getTime() - current.at(-1)!.end.getTime() < 3_600_000) current.push(slot);
    else days.push([slot]);
  }
  return days.filter((day) => day.length >= 8);
}

async function book(slot: Slot): Promise<string> {
  const token = await system.token({ role: 'Patient', subject: randomUUID() });
  const data = await graphql(
    `
      mutation ($input: BookAppointmentInput!) {
        bookAppointment(input: $input) {
          ... on AppointmentBooked {
            appointment {
              id
            }
          }
        }
      }
    `,
    token,
    { input: { slotId: slot.id, idempotencyKey: `leave-${randomUUID()}` } },
  );
  return (data['bookAppointment'] as { appointment: { id: string } }).appointment.id;
}

async function leave(doctorId: string, day: Slot[]): Promise<string> {
  const data = await graphql(
    `
      mutation ($input: AddAvailabilityExceptionInput!) {
        addAvailabilityException(input: $input) {
          __typename
          ... on AvailabilityExceptionAdded {
            exception {
              id
            }
          }
          ... on InvalidInput {
            field
            message
          }
        }
      }
    `,
    admin,
    {
      input: {
        doctorId,
        startsAt: new Date(day[0]!.start.getTime() - 3_600_000).toISOString(),
        endsAt: new Date(day.at(-1)!.end.getTime() + 3_600_000).toISOString(),
        kind: 'leave',
        reasonCode: 'annual-leave',
        idempotencyKey: `leave-${randomUUID()}`,
      },
    },
  );
  const result = data['addAvailabilityException'] as { __typename: string; exception?: { id: string } };
  expect(result.__typename).toBe('AvailabilityExceptionAdded');
  return result.exception!.id;
}

async function slotAt(doctorId: string, start: Date): Promise<Slot> {
  return db.slot.findUniqueOrThrow({ where: { doctorId_start: { doctorId, start } } });
}

async function trail(appointmentId: string): Promise<string[]> {
  const data = await graphql(
    `
      query ($id: ID!) {
        auditTrail(subjectType: "Appointment", subjectId: $id) {
          action
        }
      }
    `,
    sysadmin,
    { id: appointmentId },
  );
  return (data['auditTrail'] as { action: string }[]).map((entry) => entry.action);
}

describe('a doctor goes on leave', () => {
  it('moves every affected appointment to a free doctor at the same time, and the audit log records each move', async () => {
    const [day] = await workingDays();
    const [leaving] = doctors;
    const times = [day![0]!, day![3]!, day![6]!];
    const appointments = await Promise.all(times.map((slot) => book(slot)));

    await leave(leaving!, day!);

    const moved = await eventually(async () => {
      const rows = await db.appointment.findMany({
        where: { id: { in: appointments } },
        orderBy: { start: 'asc' },
      });
      return rows.every((row) => row.doctorId !== leaving) ? rows : undefined;
    }, 90_000);
    expect(moved.map((row) => row.start)).toEqual(times.map((slot) => slot.start));
    expect(moved.every((row) => row.status === 'booked' && row.needsAttentionSince === null)).toBe(true);
    for (const row of moved) {
      expect((await db.slot.findUniqueOrThrow({ where: { id: row.slotId } })).status).toBe('busy');
      expect((await slotAt(leaving!, row.start)).status).toBe('busy_unavailable');
    }
    for (const id of appointments) {
      expect(
        await eventually(
          async () => ((await trail(id)).includes('appointment.reassigned') ? true : undefined),
          60_000,
        ),
      ).toBe(true);
    }
  });

  it('flags an appointment nobody can take, and re-assigns it when another doctor becomes available again', async () => {
    const [, day] = await workingDays();
    const [patientDoctor, ...others] = doctors;
    const time = day![2]!;
    const appointmentId = await book(await slotAt(patientDoctor!, time.start));
    const othersLeave = await Promise.all(others.map((doctorId) => leave(doctorId, day!)));
    await eventually(async () => {
      const statuses = await Promise.all(
        others.map(async (doctorId) => (await slotAt(doctorId, time.start)).status),
      );
      return statuses.every((status) => status === 'busy_unavailable') ? true : undefined;
    }, 90_000);

    await leave(patientDoctor!, day!);
    const flagged = await eventually(async () => {
      const row = await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
      return row.needsAttentionSince ? row : undefined;
    }, 90_000);
    expect(flagged.doctorId).toBe(patientDoctor);
    const waiting = await graphql(
      `
        {
          appointmentsNeedingAttention {
            id
            needsAttention
          }
        }
      `,
      admin,
      {},
    );
    expect(waiting['appointmentsNeedingAttention']).toContainEqual({
      id: appointmentId,
      needsAttention: true,
    });

    // One colleague's leave is cancelled: their time comes back, and the appointment goes to them.
    await graphql(
      `
        mutation ($input: RemoveAvailabilityExceptionInput!) {
          removeAvailabilityException(input: $input) {
            __typename
          }
        }
      `,
      admin,
      { input: { exceptionId: othersLeave[0], idempotencyKey: `leave-${randomUUID()}` } },
    );
    const settled = await eventually(async () => {
      const row = await db.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
      return row.needsAttentionSince === null ? row : undefined;
    }, 90_000);
    expect(settled).toMatchObject({ doctorId: others[0], start: time.start, status: 'booked' });
    const actions = await eventually(async () => {
      const found = await trail(appointmentId);
      return found.includes('appointment.reassigned') ? found : undefined;
    }, 60_000);
    expect(actions).toEqual(
      expect.arrayContaining(['appointment.booked', 'appointment.needs-attention', 'appointment.reassigned']),
    );
  });
});
