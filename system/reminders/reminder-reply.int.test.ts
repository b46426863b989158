import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createClient, type Client as SseClient, type ExecutionResult } from 'graphql-sse';
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
const clients: SseClient[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
  );
}, 600_000);
afterAll(async () => {
  for (const client of clients) client.dispose();
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

/** The patient's live updates, registered at the gateway once this resolves. */
async function myUpdates(token: string) {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: system.gatewayUrl,
    headers: () => ({ authorization: `Bearer ${token}` }),
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  clients.push(client);
  const received: ExecutionResult<Record<string, unknown>, unknown>[] = [];
  client.subscribe(
    { query: 'subscription { myAppointmentUpdates { kind appointmentId } }' },
    { next: (result) => void received.push(result), error: () => undefined, complete: () => undefined },
  );
  await ready;
  return received;
}

/**
 * The patient books a free slot two to ten days ahead (skipping `except`) and waits for its reminders. The
 * slot is at a time the patient holds nothing else: the seed's appointments move with the date, and one
 * at the same time would be refused as an overlap.
 */
async function bookWithReminders(
  token: string,
  clientId: string,
  except: string[] = [],
): Promise<{ id: string; slotId: string }> {
  const [slot] = await sql<{ id: string }>(
    'appointments',
    `SELECT s.id::text FROM slot s WHERE s.status = 'free' AND s.start > now() + interval '2 days'
     AND s.start < now() + interval '10 days' AND NOT (s.id = ANY($1::uuid[]))
     AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.client_id = $2::uuid
       AND a.status IN ('pending', 'booked') AND a.start < s."end" AND a."end" > s.start)
     ORDER BY s.start LIMIT 1`,
    [except, clientId],
  );
  const booked = await system.graphql(
    `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
       __typename ... on AppointmentBooked { appointment { id } } } }`,
    { token, variables: { input: { slotId: slot!.id, idempotencyKey: randomUUID() } } },
  );
  const id = (booked.body.data?.['bookAppointment'] as { appointment: { id: string } }).appointment.id;
  await eventually(async () => {
    const rows = await sql(
      'patients',
      `SELECT 1 FROM reminder WHERE appointment_id = $1 AND status = 'pending'`,
      [id],
    );
    return rows.length === 2 ? true : undefined;
  }, 60_000);
  return { id, slotId: slot!.id };
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
  const { id: appointmentId } = await bookWithReminders(token, clientId);
  const live = await myUpdates(token);
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
  // Announced on the live subscription like any cancellation.
  await eventually(async () =>
    live.some((result) => {
      const update = result.data?.['myAppointmentUpdates'] as
        { kind: string; appointmentId: string } | undefined;
      return update?.appointmentId === appointmentId && update.kind === 'cancelled';
    })
      ? true
      : undefined,
  );

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

it("a patient confirms from the reminder email; staff see it in the doctor's day", async () => {
  const [patient] = await sql<{ client_id: string }>(
    'patients',
    `SELECT client_id::text FROM patient ORDER BY client_id DESC LIMIT 1`,
  );
  const clientId = patient!.client_id;
  const token = await system.token({ role: 'Patient', subject: clientId });
  await sql('patients', `UPDATE patient SET preferred_channel = 'email' WHERE client_id = $1`, [clientId]);
  const { id: appointmentId } = await bookWithReminders(token, clientId);
  await sql(
    'patients',
    `UPDATE reminder SET due_at = now() WHERE appointment_id = $1 AND offset_minutes = 120`,
    [appointmentId],
  );
  const notification = await eventually(async () => {
    const [row] = await sql<{ id: string }>(
      'patients',
      `SELECT id::text FROM notification WHERE appointment_id = $1 AND reason = 'reminder' AND status = 'sent'`,
      [appointmentId],
    );
    return row;
  }, 120_000);
  const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
  const sink = await (
    await fetch(system.notificationsPage!, { headers: { authorization: `Bearer ${admin}` } })
  ).text();
  const row = sink.split('\n').find((line) => line.includes(notification.id)) ?? '';
  const replyToken = /\/reminder#([A-Za-z0-9_-]{43})/.exec(
    sink
      .slice(0, sink.indexOf(row) + row.length)
      .split('<tr>')
      .pop() ?? '',
  )?.[1];
  expect(replyToken).toBeDefined();
  expect(await answer(replyToken!, 'CONFIRM')).toMatchObject({
    __typename: 'ReminderAnswered',
    answer: 'CONFIRM',
  });
  const [placed] = await sql<{ doctor_id: string; start: Date }>(
    'appointments',
    'SELECT doctor_id::text, start FROM appointment WHERE id = $1',
    [appointmentId],
  );
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(placed!.start);
  const confirmedAt = await eventually(async () => {
    const day = await system.graphql(
      `query($d: ID!, $date: LocalDate!) { doctorDay(doctorId: $d, date: $date) { slots { appointment { id confirmedAt } } } }`,
      { token: admin, variables: { d: placed!.doctor_id, date } },
    );
    const slots = (
      day.body.data?.['doctorDay'] as {
        slots: { appointment: { id: string; confirmedAt: string | null } | null }[];
      }
    ).slots;
    return (
      slots.find((slot) => slot.appointment?.id === appointmentId)?.appointment?.confirmedAt ?? undefined
    );
  }, 60_000);
  expect(new Date(confirmedAt).getTime()).toBeLessThanOrEqual(Date.now());
}, 300_000);
