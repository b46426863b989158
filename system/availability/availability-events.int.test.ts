import { randomUUID } from 'node:crypto';
import { DATABASE_NAMES, databaseUrlVariable, type EventEnvelope } from '@clinic/contracts';
import { createTestDatabases, realInfra, type TestDatabases, eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { connectDoctorsDatabase, type DoctorsDatabase } from '../../subgraphs/doctors/src/database';

let databases: TestDatabases;
let system: TestSystem;
let db: DoctorsDatabase;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    { clinics: 2, doctors: 2, patients: 2, appointments: 0, days: 7 },
    {
      ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
      KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
      KAFKA_GROUP_PREFIX: `availability-${randomUUID()}-`,
      // Streams of its own: the seed's doctor ids are the same every run, and a new consumer group would
      // otherwise replay earlier runs' availability for them into this run's slots.
      KAFKA_TOPIC_PREFIX: `availability-${randomUUID()}.`,
    },
  );
  db = connectDoctorsDatabase(system.databaseUrls.doctors);
  await system.bus.subscribe({
    topic: 'doctors',
    group: 'availability-events-test',
    handle: async (event) => void received.push(event),
  });
}, 180_000);
afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
  await databases?.drop();
});

const setRules = `mutation($input: SetAvailabilityRulesInput!) {
  setAvailabilityRules(input: $input) {
    __typename
    ... on AvailabilityRulesSet { doctorId rules { weekday startLocal endLocal slotMinutes } }
    ... on InvalidInput { field message }
    ... on NotAllowed { message }
  }
}`;

describe('availability events on the real Kafka topic', () => {
  it('setting rules through the gateway publishes doctor.availability-changed on topic doctors', async () => {
    const doctor = await db.doctor.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const admin = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-admin-1',
      clinicId: doctor.clinicId,
    });
    const correlationId = `availability-${randomUUID()}`;
    const rules = [{ weekday: 3, startLocal: '10:00', endLocal: '12:00', slotMinutes: 60 }];
    const { body } = await system.graphql(setRules, {
      token: admin,
      variables: { input: { doctorId: doctor.id, rules, idempotencyKey: `kafka-${randomUUID()}` } },
      headers: { 'x-correlation-id': correlationId },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.['setAvailabilityRules']).toEqual({
      __typename: 'AvailabilityRulesSet',
      doctorId: doctor.id,
      rules,
    });

    const event = await eventually(
      async () => received.find((e) => e.correlationId === correlationId),
      60_000,
    );
    expect(event).toMatchObject({
      type: 'doctor.availability-changed',
      aggregateId: doctor.id,
      actor: { role: 'ClinicAdmin', subject: 'staff-admin-1' },
      payload: { doctorId: doctor.id, clinicId: doctor.clinicId },
    });
    const slots = (event.payload as { slots: { start: string }[] }).slots;
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.length % 2).toBe(0); // two one-hour slots every Wednesday in the window

    const read = await system.graphql(
      `query($id: ID!) { availabilityRules(doctorId: $id) { weekday startLocal } }`,
      {
        token: admin,
        variables: { id: doctor.id },
      },
    );
    expect(read.body.data?.['availabilityRules']).toEqual([{ weekday: 3, startLocal: '10:00' }]);
  });

  it('making a doctor unavailable publishes status-changed, then an empty availability', async () => {
    const doctor = await db.doctor.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
    const correlationId = `status-${randomUUID()}`;
    const { body } = await system.graphql(
      `mutation($input: SetDoctorStatusInput!) { setDoctorStatus(input: $input) { __typename ... on DoctorStatusSet { doctor { id status } } } }`,
      {
        token: admin,
        variables: {
          input: { doctorId: doctor.id, status: 'unavailable', idempotencyKey: `kafka-${randomUUID()}` },
        },
        headers: { 'x-correlation-id': correlationId },
      },
    );
    expect(body.data?.['setDoctorStatus']).toEqual({
      __typename: 'DoctorStatusSet',
      doctor: { id: doctor.id, status: 'unavailable' },
    });
    const events = await eventually(async () => {
      const mine = received.filter((e) => e.correlationId === correlationId);
      return mine.length >= 2 ? mine : undefined;
    }, 60_000);
    expect(events.map((e) => e.type)).toEqual(['doctor.status-changed', 'doctor.availability-changed']);
    expect(events[1]?.payload).toMatchObject({ doctorId: doctor.id, slots: [] });
  });

  it('refuses an anonymous caller and a patient', async () => {
    const doctor = await db.doctor.findFirstOrThrow();
    const input = { doctorId: doctor.id, rules: [], idempotencyKey: `kafka-${randomUUID()}` };
    const anonymous = await system.graphql(setRules, { variables: { input } });
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const patient = await system.token({ role: 'Patient', subject: randomUUID() });
    const refused = await system.graphql(setRules, { token: patient, variables: { input } });
    expect(refused.body.data?.['setAvailabilityRules']).toMatchObject({ __typename: 'NotAllowed' });
  });
});
