import { randomUUID } from 'node:crypto';
import { createClient, type Client as SseClient, type ExecutionResult } from 'graphql-sse';
import { DateTime } from 'luxon';
import { Client as PgClient } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases, eventually, type TestDatabases } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import {
  makeSnsSigner,
  signedNotification,
  type FakeSnsSigner,
} from '../../subgraphs/patients/src/reminders/sns/testing/fake-sns';
import { normaliseAustralianPhone } from '../../subgraphs/patients/src/vault/validation';
import { mockRegistration } from '../../subgraphs/patients/src/vault/testing/vault-test-bed';

/**
 * Two-way SMS end to end on real PostgreSQL: a patient's SMS reminder goes out, SNS posts their reply to
 * the gateway's /webhooks/sns, the patients service checks SNS's signature, and X cancels the appointment
 * in the appointments service: the slot is free again, a live subscriber hears it, and the patient
 * waiting for that time is offered it. A forged reply and a replayed one change nothing, and the forgery
 * is in the audit trail. SNS's certificate is the only stand-in (the test signs as SNS).
 */
const TOPIC = 'arn:aws:sns:ap-southeast-2:123456789012:clinic-test-sms-replies';
let databases: TestDatabases;
let system: TestSystem;
let sns: FakeSnsSigner;

beforeAll(async () => {
  sns = makeSnsSigner();
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    {
      ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
      SNS_REPLIES_TOPIC_ARN: TOPIC,
    },
    {},
    {
      snsCertificates: (url) =>
        url === sns.certificateUrl ? Promise.resolve(sns.certificatePem) : Promise.reject(new Error('404')),
    },
  );
}, 600_000);
const clients: SseClient[] = [];
afterAll(async () => {
  for (const client of clients) client.dispose();
  await system?.stop();
  await databases?.drop();
});

async function sql(database: 'appointments' | 'patients' | 'audit', text: string, values: unknown[] = []) {
  const client = new PgClient({ connectionString: databases.urls[database] });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function gql(query: string, token: string, variables: Record<string, unknown> = {}) {
  const { body } = await system.graphql(query, { token, variables });
  if (!body.data || body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A live subscription through the gateway; what it receives, once it is connected. */
async function subscribe(query: string, token?: string) {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: system.gatewayUrl,
    singleConnection: false,
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  clients.push(client);
  const received: ExecutionResult<Record<string, unknown>, unknown>[] = [];
  client.subscribe(
    { query },
    { next: (result) => void received.push(result), error: () => undefined, complete: () => undefined },
  );
  await ready;
  return received;
}

const webhook = () => new URL('/webhooks/sns', system.gatewayUrl).toString();
const post = async (body: unknown) =>
  (
    await fetch(webhook(), {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: JSON.stringify(body),
    })
  ).status;

describe('two-way SMS through the gateway', () => {
  it('X cancels the reminded appointment once; a forgery and a replay change nothing', async () => {
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'sysadmin' });
    const registration = {
      ...mockRegistration(),
      phone: `(08) 5550 ${String(Date.now() % 10_000).padStart(4, '0')}`,
    };
    const registered = await gql(
      `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) {
         __typename ... on PatientRegistered { patient { clientId } } } }`,
      admin,
      { input: { ...registration, preferredChannel: 'sms' } },
    );
    const clientId = (registered['registerPatient'] as { patient: { clientId: string } }).patient.clientId;
    const patient = await system.token({ role: 'Patient', subject: clientId });
    const [slot] = (
      await gql(
        `query($f: DateTime!, $t: DateTime!) { freeSlots(from: $f, to: $t, first: 1) {
           id start doctor { id clinic { timeZone } } } }`,
        patient,
        { f: new Date(Date.now() + 864e5).toISOString(), t: new Date(Date.now() + 10 * 864e5).toISOString() },
      )
    )['freeSlots'] as { id: string; start: string; doctor: { id: string; clinic: { timeZone: string } } }[];
    const booked = await gql(
      `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
         __typename ... on AppointmentBooked { appointment { id } } } }`,
      patient,
      { input: { slotId: slot?.id, idempotencyKey: `sms-${randomUUID()}` } },
    );
    const appointmentId = (booked['bookAppointment'] as { appointment: { id: string } }).appointment.id;

    // The reminders are scheduled from the booking's event; bring the first one due now.
    await eventually(async () =>
      (await sql('patients', `SELECT 1 FROM "reminder" WHERE "appointment_id" = $1`, [appointmentId]))
        .length > 0
        ? true
        : undefined,
    );
    await sql(
      'patients',
      `UPDATE "reminder" SET "due_at" = now() WHERE "appointment_id" = $1 AND "status" = 'pending'`,
      [appointmentId],
    );
    await eventually(
      async () =>
        (
          await sql(
            'patients',
            `SELECT 1 FROM "reminder_reply" WHERE "appointment_id" = $1 AND "channel" = 'sms'`,
            [appointmentId],
          )
        ).length > 0 || undefined,
    );
    // The reply answers the last text sent: wait until the reminder is out of the dispatcher.
    await eventually(
      async () =>
        (
          await sql(
            'patients',
            `SELECT 1 FROM "notification" WHERE "appointment_id" = $1 AND "reason" = 'reminder'
               AND "channel" = 'sms' AND "status" = 'sent'`,
            [appointmentId],
          )
        ).length > 0 || undefined,
    );
    const phone = normaliseAustralianPhone(registration.phone) ?? '';

    // A forgery: signed by another key, naming SNS's certificate.
    const forged = {
      ...signedNotification(makeSnsSigner(), TOPIC, { originationNumber: phone, messageBody: 'X' }),
      SigningCertURL: sns.certificateUrl,
    };
    expect(await post(forged)).toBe(403);
    await eventually(
      async () =>
        (await sql('audit', `SELECT 1 FROM "audit_entry" WHERE "action" = 'sms-reply.refused-bad-signature'`))
          .length > 0 || undefined,
    );
    expect(
      (await sql('appointments', `SELECT "status" FROM "appointment" WHERE "id" = $1`, [appointmentId]))[0],
    ).toEqual({ status: 'booked' });

    // Someone waiting for exactly that time, and a live subscriber to the doctor's slots.
    if (!slot) throw new Error('no free slot');
    const waiting = await system.token({ role: 'Patient', subject: randomUUID() });
    const local = DateTime.fromISO(slot.start, { zone: slot.doctor.clinic.timeZone });
    const joined = await gql(
      `mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) { __typename } }`,
      waiting,
      {
        input: {
          doctorId: slot.doctor.id,
          fromDate: local.toISODate(),
          toDate: local.toISODate(),
          timeZone: slot.doctor.clinic.timeZone,
          earliestStart: local.toFormat('HH:mm'),
          latestStart: local.toFormat('HH:mm'),
          idempotencyKey: `sms-${randomUUID()}`,
        },
      },
    );
    expect(joined['joinWaitlist']).toEqual({ __typename: 'WaitlistJoined' });
    const slotChanges = await subscribe(
      `subscription { slotAvailabilityChanged(doctorId: "${slot.doctor.id}", from: "${slot.start}",
         to: "${new Date(Date.parse(slot.start) + 864e5).toISOString()}") { slotId status } }`,
    );

    // The patient's reply, and SNS delivering it a second time.
    const reply = signedNotification(sns, TOPIC, { originationNumber: phone, messageBody: 'X' });
    expect(await post(reply)).toBe(200);
    expect(await post(reply)).toBe(200);
    await eventually(
      async () =>
        (
          await sql('appointments', `SELECT "status" FROM "appointment" WHERE "id" = $1`, [appointmentId])
        )[0]?.['status'] === 'cancelled' || undefined,
    );
    expect(
      (await sql('appointments', `SELECT "status"::text FROM "slot" WHERE "id" = $1`, [slot?.id]))[0],
    ).toEqual({ status: 'free' });
    const answers = await sql(
      'patients',
      `SELECT "envelope" FROM "outbox" WHERE "envelope"->>'type' = 'patient.reminder-answered'
         AND "envelope"->'payload'->>'appointmentId' = $1`,
      [appointmentId],
    );
    expect(answers).toHaveLength(1);
    // The freed time is announced live and offered to the patient who was waiting for it.
    await eventually(
      async () =>
        slotChanges.some((result) => {
          const change = result.data?.['slotAvailabilityChanged'] as
            { slotId: string; status: string } | undefined;
          return change?.slotId === slot.id && change.status === 'free';
        }) || undefined,
    );
    const offers = await eventually(async () => {
      const data = await gql('{ myWaitlistOffers { slot { id } } }', waiting);
      const list = data['myWaitlistOffers'] as { slot: { id: string } }[];
      return list.length > 0 ? list : undefined;
    });
    expect(offers).toEqual([{ slot: { id: slot.id } }]);
  });
});
