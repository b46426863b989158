import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable, type DatabaseName } from '@clinic/contracts';
import { createTestDatabases, eventually, type TestDatabases } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { answerReminderDocumentId } from '../../gateway/src/reminder-page/reminder-page';

/**
 * The email reminder loop through the whole system (docs/reminders.md): a patient books, opts out of SMS
 * reminders, the reminder falls due and goes to the development sink with its answer link; the sink's
 * button and the gateway's page lead to answerReminder, which cancels the appointment and frees its slot;
 * the same link used again is refused and audited.
 */
let databases: TestDatabases;
let system: TestSystem;

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
  );
}, 600_000);
afterAll(async () => {
  await system?.stop();
  await databases?.drop();
});

async function sql<T>(database: DatabaseName, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databases.urls[database] });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const answer = (token: string, reply: 'CONFIRM' | 'CANCEL') =>
  fetch(system.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ documentId: answerReminderDocumentId(), variables: { token, answer: reply } }),
  }).then(
    async (response) =>
      ((await response.json()) as { data?: { answerReminder: Record<string, string> } }).data?.answerReminder,
  );

it('a patient cancels from the reminder email; the link then works no more', async () => {
  const [patient] = await sql<{ client_id: string }>(
    'patients',
    'SELECT client_id::text FROM patient LIMIT 1',
  );
  const clientId = patient!.client_id;
  const token = await system.token({ role: 'Patient', subject: clientId });
  const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
  const optOut = await system.graphql(
    'mutation($k: String!) { setReminderOptOuts(channels: [sms], idempotencyKey: $k) { __typename } }',
    { token, variables: { k: randomUUID() } },
  );
  expect(optOut.body.data?.['setReminderOptOuts']).toEqual({ __typename: 'ReminderOptOuts' });
  // A free slot two to ten days ahead, booked by the patient.
  const [slot] = await sql<{ id: string }>(
    'appointments',
    `SELECT id::text FROM slot WHERE status = 'free' AND start > now() + interval '2 days'
     AND start < now() + interval '10 days' ORDER BY start LIMIT 1`,
  );
  const booked = await system.graphql(
    `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
       __typename ... on AppointmentBooked { appointment { id } } } }`,
    { token, variables: { input: { slotId: slot!.id, idempotencyKey: randomUUID() } } },
  );
  const appointmentId = (booked.body.data?.['bookAppointment'] as { appointment: { id: string } }).appointment
    .id;
  await eventually(async () => {
    const rows = await sql(
      'patients',
      `SELECT 1 FROM reminder WHERE appointment_id = $1 AND status = 'pending'`,
      [appointmentId],
    );
    return rows.length === 2 ? true : undefined;
  }, 60_000);
  // The day-before reminder falls due now.
  await sql(
    'patients',
    `UPDATE reminder SET due_at = now() WHERE appointment_id = $1 AND offset_minutes = 1440`,
    [appointmentId],
  );

  const page = await eventually(async () => {
    const sink = await fetch(system.notificationsPage!, { headers: { authorization: `Bearer ${admin}` } });
    const text = sink.ok ? await sink.text() : '';
    return /\/reminder#[A-Za-z0-9_-]{43}/.test(text) ? text : undefined;
  }, 120_000);
  const link = /(https?:\/\/[^\s<]+\/reminder)#([A-Za-z0-9_-]{43})/.exec(page)!;
  expect(page).toContain('Appointment reminder');
  // The sink's button opens the same page with the same token.
  expect(page).toContain(`href="/reminder#${link[2]}"`);
  const replyToken = link[2]!;
  // The token is in the fragment only: the page the link opens is the same for everyone.
  const reminderPage = await fetch(link[1]!);
  expect(reminderPage.status).toBe(200);
  expect(reminderPage.headers.get('referrer-policy')).toBe('no-referrer');
  expect(await reminderPage.text()).toContain('No, cancel my appointment');
  expect(await (await fetch(`${link[1]}/page.js`)).text()).toContain(answerReminderDocumentId());

  expect(await answer(replyToken, 'CANCEL')).toMatchObject({
    __typename: 'ReminderAnswered',
    answer: 'CANCEL',
  });
  await eventually(async () => {
    const [row] = await sql<{ status: string; slot: string }>(
      'appointments',
      `SELECT a.status::text, s.status::text AS slot FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.id = $1`,
      [appointmentId],
    );
    return row?.status === 'cancelled' && row.slot === 'free' ? true : undefined;
  }, 60_000);

  // Used once: refused, nothing changed, audited.
  expect(await answer(replyToken, 'CONFIRM')).toMatchObject({
    __typename: 'ReminderReplyRefused',
    reason: 'TOKEN_NOT_VALID',
  });
  await eventually(async () => {
    const rows = await sql('audit', `SELECT 1 FROM audit_entry WHERE action = 'reminder.reply-refused'`);
    return rows.length > 0 ? true : undefined;
  }, 60_000);
  const [after] = await sql<{ confirmed_at: Date | null }>(
    'appointments',
    'SELECT confirmed_at FROM appointment WHERE id = $1',
    [appointmentId],
  );
  expect(after?.confirmed_at).toBeNull();
}, 300_000);
