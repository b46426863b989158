/**
 * Issue 5 (privacy): after an end-to-end run, no seeded or registered patient's name, email or phone is
 * in any non-vault table, any Kafka message or any log line, and the vault holds none in clear.
 *
 * Each test file gets its own databases and topics, so "the whole end-to-end suite" is this file's one
 * scenario: every path that touches personal data, driven through the gateway, then the scan.
 *
 * Not scanned: the development notification sink (`<keyDir>/notifications/sent.jsonl`). It holds contact
 * details by design, because it IS the message that would have gone to the patient's phone or inbox.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable, type DatabaseName } from '@clinic/contracts';
import { createTestDatabases, realInfra, type TestDatabases, eventually } from '@clinic/testing';
import { connectVaultDatabase, readPatients } from '@clinic/patients-subgraph';
import {
  dumpDatabase,
  findInVault,
  findLeaks,
  logCapture,
  needlesOf,
  readTopics,
  type Finding,
  type Haystack,
  type Needle,
  type Person,
} from './scan';
import { startTestSystem, type GraphQLResponse, type TestSystem } from '../test-system';

let databases: TestDatabases;
let system: TestSystem;
const logs = logCapture();
/** Console output too, in case anything writes around the loggers. */
const consoleLines: string[] = [];
const topicPrefix = `privacy-${randomUUID()}.`;
/** Everyone whose details must stay in the vault, collected before any of them is erased. */
const people: Person[] = [];
/** Details typed into failing requests: they must not surface anywhere either. */
const extraNeedles: Needle[] = [];
/** The answer to a registration the schema refused, and what it was sent with. */
let refused: GraphQLResponse | undefined;
const refusedNeedles: Needle[] = [
  { kind: 'name', value: 'theodora missingdob' },
  { kind: 'email', value: 'theodora.missingdob@example.com' },
];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest
      .spyOn(console, method)
      .mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' ')));
  }
  databases = await createTestDatabases();
  const env = {
    ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
    KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
    KAFKA_GROUP_PREFIX: `privacy-${randomUUID()}-`,
    KAFKA_TOPIC_PREFIX: topicPrefix,
  };
  system = await startTestSystem({}, env, { logLevel: 'trace', logDestination: logs.destination });
  // The seeded patients, decrypted through the vault's own API with the system's keys.
  const vault = connectVaultDatabase(databases.urls.pii_vault);
  try {
    const ids = (await vault.dataKey.findMany({ select: { clientId: true } })).map((row) => row.clientId);
    const seeded = await readPatients(vault, system.vaultKeys.masterKey, ids);
    people.push(...seeded.values());
  } finally {
    await vault.$disconnect();
  }
}, 600_000);
afterAll(async () => {
  await system?.stop();
  await databases?.drop();
  jest.restoreAllMocks();
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

/** The one field a mutation or query answered with, failing clearly on errors. */
function field<T>(response: GraphQLResponse, name: string): T {
  if (response.body.errors) throw new Error(`${name}: ${JSON.stringify(response.body.errors)}`);
  return response.body.data?.[name] as T;
}

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.source} ${f.where}: a patient's ${f.kind} ("${f.value}")`).join('\n');
}

const allNeedles = () => [...people.flatMap(needlesOf), ...extraNeedles];

const registered: Person & { dateOfBirth: string; address: string } = {
  givenName: 'Marigold',
  familyName: 'Quenby-Fictional',
  email: 'marigold.quenby.fictional@example.com',
  phone: '+61355509876',
  dateOfBirth: '1980-02-29',
  address: '12 Imaginary Lane, Fitzroy',
};

const REGISTER = `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) {
  __typename ... on PatientRegistered { patient { clientId } }
  ... on InvalidInput { field message } ... on NotAllowed { message } } }`;
const FIND = `query($email: String, $phone: String) { findPatient(email: $email, phone: $phone) {
  clientId preferredChannel profile { givenName familyName email phone } } }`;
const HOLD = `mutation($input: HoldSlotInput!) { holdSlot(input: $input) {
  __typename ... on SlotHeld { hold { id } } } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  __typename ... on AppointmentBooked { appointment { id } } } }`;
const RESCHEDULE = `mutation($input: RescheduleAppointmentInput!) { rescheduleAppointment(input: $input) {
  __typename } }`;
const CANCEL = `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`;
const ERASE = `mutation($clientId: ID!, $key: String!) {
  erasePatient(clientId: $clientId, idempotencyKey: $key) { __typename } }`;

describe('personal information after an end-to-end run', () => {
  it('runs every path that touches personal data through the gateway', async () => {
    expect(people.length).toBe(20);
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
    const [clinic] = await sql<{ id: string }>('doctors', 'SELECT id FROM clinic ORDER BY name LIMIT 1');
    const clinicAdmin = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-admin-1',
      clinicId: clinic!.id,
    });

    // Registration, then the patient reads their own profile.
    const input = {
      ...registered,
      phone: '(03) 5550 9876',
      preferredChannel: 'email',
      idempotencyKey: randomUUID(),
    };
    const outcome = field<{ __typename: string; patient?: { clientId: string } }>(
      await system.graphql(REGISTER, { token: clinicAdmin, variables: { input } }),
      'registerPatient',
    );
    expect(outcome.__typename).toBe('PatientRegistered');
    people.push(registered);
    const clientId = outcome.patient!.clientId;
    const patient = await system.token({ role: 'Patient', subject: clientId });
    const me = field<{ profile: { email: string } }>(
      await system.graphql('{ me { clientId profile { givenName familyName email phone address } } }', {
        token: patient,
      }),
      'me',
    );
    expect(me.profile.email).toBe(registered.email);

    // Staff look patients up by email and by phone (E.164 and local), and try to read the profile: the
    // clinic admin the patient they registered (linked to their clinic), a system administrator anyone.
    for (const [token, variables] of [
      [clinicAdmin, { email: registered.email.toUpperCase() }],
      [clinicAdmin, { phone: registered.phone }],
      [clinicAdmin, { phone: '03 5550 9876' }],
      [admin, { email: people[0]!.email }],
      [admin, { phone: people[1]!.phone }],
    ] as const) {
      const found = await system.graphql(FIND, { token, variables });
      expect(found.body.data?.['findPatient']).not.toBeNull();
    }

    // Failing inputs: the answer names the field, never the value.
    const invalid = [
      {
        person: {
          givenName: 'Perpetua',
          familyName: 'Invalidphone',
          email: 'perpetua.invalidphone@example.com',
        },
        phone: '(02) 5550 12',
        field: 'phone',
      },
      {
        person: { givenName: 'Octavian', familyName: 'Bademail', email: 'octavian.bademail@@example' },
        phone: '(07) 5550 4321',
        field: 'email',
      },
    ];
    for (const { person, phone, field: wrong } of invalid) {
      // Searched for whatever happens next, so a request that fails oddly is still scanned for.
      const needles: Needle[] = [
        { kind: 'name', value: `${person.givenName} ${person.familyName}`.toLowerCase() },
        { kind: 'email', value: person.email.toLowerCase() },
        { kind: 'phone', value: phone },
      ];
      extraNeedles.push(...needles);
      const variables = { input: { ...registered, ...person, phone, idempotencyKey: randomUUID() } };
      const response = await system.graphql(REGISTER, { token: clinicAdmin, variables });
      const answer = field<{ __typename: string; field: string; message: string }>(
        response,
        'registerPatient',
      );
      expect(answer).toMatchObject({ __typename: 'InvalidInput', field: wrong });
      expect(
        findLeaks(
          [{ source: 'response', where: 'registerPatient', text: JSON.stringify(response.body) }],
          needles,
        ),
      ).toEqual([]);
    }
    // A request the schema refuses (a required field missing): checked on its own below.
    const incomplete = {
      ...registered,
      givenName: 'Theodora',
      familyName: 'Missingdob',
      email: 'theodora.missingdob@example.com',
      idempotencyKey: randomUUID(),
    };
    const { dateOfBirth: _omitted, ...withoutBirth } = incomplete;
    extraNeedles.push(...refusedNeedles);
    refused = await system.graphql(REGISTER, { token: clinicAdmin, variables: { input: withoutBirth } });
    expect(refused.body.errors?.length).toBeGreaterThan(0);

    // A bad token, carrying an email to look up.
    const forged = await system.graphql(FIND, {
      token: 'not-a-token',
      variables: { email: registered.email },
    });
    expect(forged.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(forged.body)).not.toContain(registered.email);

    // The new patient holds, books, reschedules and cancels; staff book for a seeded patient.
    // From two days on: a booking of the day's first slots, made within two hours of them (as early in
    // Sydney's morning), would get no reminder at all, and the reminders' part below would wait in vain.
    const from = new Date(Date.now() + 2 * 864e5).toISOString();
    const to = new Date(Date.now() + 16 * 864e5).toISOString();
    const slots = field<{ id: string }[]>(
      await system.graphql(
        'query($clinicId: ID, $from: DateTime!, $to: DateTime!) { freeSlots(clinicId: $clinicId, from: $from, to: $to, first: 50) { id } }',
        { variables: { clinicId: clinic!.id, from, to } },
      ),
      'freeSlots',
    );
    expect(slots.length).toBeGreaterThanOrEqual(4);
    const held = field<{ __typename: string; hold: { id: string } }>(
      await system.graphql(HOLD, {
        token: patient,
        variables: { input: { slotId: slots[0]!.id, idempotencyKey: randomUUID() } },
      }),
      'holdSlot',
    );
    expect(held.__typename).toBe('SlotHeld');
    const booked = field<{ __typename: string; appointment: { id: string } }>(
      await system.graphql(BOOK, {
        token: patient,
        variables: {
          input: { holdId: held.hold.id, reasonForVisit: 'Check-up', idempotencyKey: randomUUID() },
        },
      }),
      'bookAppointment',
    );
    expect(booked.__typename).toBe('AppointmentBooked');
    const moved = field<{ __typename: string }>(
      await system.graphql(RESCHEDULE, {
        token: patient,
        variables: {
          input: { appointmentId: booked.appointment.id, slotId: slots[1]!.id, idempotencyKey: randomUUID() },
        },
      }),
      'rescheduleAppointment',
    );
    expect(moved.__typename).toBe('AppointmentRescheduled');
    const second = field<{ __typename: string; appointment: { id: string } }>(
      await system.graphql(BOOK, {
        token: patient,
        variables: { input: { slotId: slots[2]!.id, idempotencyKey: randomUUID() } },
      }),
      'bookAppointment',
    );
    expect(second.__typename).toBe('AppointmentBooked');
    // Waitlist (issue 19): the patient waits for a time at the clinic, so the cancellation below is offered
    // to them (a waitlist_offer message, a waitlist.offered event), and the clinic's staff see the line.
    const sydneyToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(new Date());
    const later = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(
      new Date(Date.now() + 30 * 864e5),
    );
    const joined = field<{ __typename: string }>(
      await system.graphql(
        'mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) { __typename } }',
        {
          token: patient,
          variables: {
            input: {
              clinicId: clinic!.id,
              fromDate: sydneyToday,
              toDate: later,
              timeZone: 'Australia/Sydney',
              idempotencyKey: randomUUID(),
            },
          },
        },
      ),
      'joinWaitlist',
    );
    expect(joined.__typename).toBe('WaitlistJoined');
    const line = field<{ clientId: string }[]>(
      await system.graphql('{ clinicWaitlist { clientId } }', { token: clinicAdmin }),
      'clinicWaitlist',
    );
    expect(line.map((entry) => entry.clientId)).toContain(clientId);
    const cancelled = field<{ __typename: string }>(
      await system.graphql(CANCEL, {
        token: patient,
        variables: { input: { appointmentId: second.appointment.id, idempotencyKey: randomUUID() } },
      }),
      'cancelAppointment',
    );
    expect(cancelled.__typename).toBe('AppointmentCancelled');
    await eventually(async () =>
      (
        await sql<{ reason: string }>(
          'patients',
          "SELECT reason::text FROM notification WHERE client_id = $1 AND reason = 'waitlist_offer'",
          [clientId],
        )
      ).length
        ? true
        : undefined,
    );
    // A seeded patient of this clinic (their seeded booking there linked them): staff book only for those.
    const [seededPatient] = await sql<{ client_id: string }>(
      'appointments',
      'SELECT client_id FROM clinic_link WHERE clinic_id = $1 LIMIT 1',
      [clinic!.id],
    );
    const forSeeded = field<{ __typename: string }>(
      await system.graphql(BOOK, {
        token: clinicAdmin,
        variables: {
          input: { slotId: slots[3]!.id, clientId: seededPatient!.client_id, idempotencyKey: randomUUID() },
        },
      }),
      'bookAppointment',
    );
    expect(forSeeded.__typename).toBe('AppointmentBooked');

    // Reminders (issue 19): the clinic sets its own, the patient opts out of SMS reminders, their booking
    // gets reminder rows; those are made due now, so the worker queues them and the dispatcher sends them
    // (contact details from the vault at send time only). The scan below then covers the reminder tables.
    const settings = field<{ __typename: string }>(
      await system.graphql(
        'mutation($input: SetReminderSettingsInput!) { setReminderSettings(input: $input) { __typename } }',
        {
          token: clinicAdmin,
          variables: {
            input: {
              clinicId: clinic!.id,
              offsetsMinutes: [1440, 60],
              channels: ['sms', 'email'],
              idempotencyKey: randomUUID(),
            },
          },
        },
      ),
      'setReminderSettings',
    );
    expect(settings.__typename).toBe('ReminderSettings');
    const optOut = field<{ __typename: string }>(
      await system.graphql(
        'mutation($k: String!) { setReminderOptOuts(channels: [sms], idempotencyKey: $k) { __typename } }',
        { token: patient, variables: { k: randomUUID() } },
      ),
      'setReminderOptOuts',
    );
    expect(optOut.__typename).toBe('ReminderOptOuts');
    await eventually(async () => {
      const [row] = await sql<{ n: number }>(
        'patients',
        "SELECT count(*)::int AS n FROM reminder WHERE client_id = $1 AND status = 'pending'",
        [clientId],
      );
      return row && row.n > 0 ? row : undefined;
    }, 60_000);
    await sql('patients', "UPDATE reminder SET due_at = now() WHERE client_id = $1 AND status = 'pending'", [
      clientId,
    ]);
    await eventually(async () => {
      const rows = await sql<{ channel: string; status: string }>(
        'patients',
        "SELECT channel::text, status::text FROM notification WHERE client_id = $1 AND reason = 'reminder'",
        [clientId],
      );
      return rows.length > 0 && rows.every((row) => row.status === 'sent') ? rows : undefined;
    }, 120_000);
    // Opted out of SMS reminders: they went by email.
    const [byChannel] = await sql<{ sms: number }>(
      'patients',
      "SELECT count(*) FILTER (WHERE channel = 'sms')::int AS sms FROM notification WHERE client_id = $1 AND reason = 'reminder'",
      [clientId],
    );
    expect(byChannel!.sms).toBe(0);

    // The busiest doctor goes on leave (re-assignment, messages to patients); another takes a day off.
    const doctors = await sql<{ doctor_id: string }>(
      'appointments',
      `SELECT doctor_id FROM appointment WHERE status = 'booked' AND start > now()
       GROUP BY doctor_id ORDER BY count(*) DESC LIMIT 2`,
    );
    expect(doctors).toHaveLength(2);
    const leave = field<{ __typename: string }>(
      await system.graphql(
        'mutation($input: SetDoctorStatusInput!) { setDoctorStatus(input: $input) { __typename } }',
        {
          token: admin,
          variables: {
            input: { doctorId: doctors[0]!.doctor_id, status: 'unavailable', idempotencyKey: randomUUID() },
          },
        },
      ),
      'setDoctorStatus',
    );
    expect(leave.__typename).toBe('DoctorStatusSet');
    const dayOff = field<{ __typename: string }>(
      await system.graphql(
        'mutation($input: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $input) { __typename } }',
        {
          token: admin,
          variables: {
            input: {
              doctorId: doctors[1]!.doctor_id,
              startsAt: new Date(Date.now() + 864e5).toISOString(),
              endsAt: new Date(Date.now() + 4 * 864e5).toISOString(),
              kind: 'leave',
              reasonCode: 'annual-leave',
              idempotencyKey: randomUUID(),
            },
          },
        },
      ),
      'addAvailabilityException',
    );
    expect(dayOff.__typename).toBe('AvailabilityExceptionAdded');
    await eventually(async () => {
      const [row] = await sql<{ sent: number; pending: number }>(
        'patients',
        "SELECT count(*) FILTER (WHERE status <> 'pending')::int AS sent, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM notification",
      );
      return row && row.sent > 0 && row.pending === 0 ? row : undefined;
    }, 300_000);

    // Reads of what was sent and of the trail; then erasure of a seeded patient and the new one.
    field(
      await system.graphql('{ notifications(first: 200) { id recipient channel status } }', { token: admin }),
      'notifications',
    );
    field(
      await system.graphql('{ auditTrail(first: 500) { action subjectType subjectId } }', { token: admin }),
      'auditTrail',
    );
    for (const erased of [seededPatient!.client_id, clientId]) {
      const answer = field<{ __typename: string }>(
        await system.graphql(ERASE, { token: admin, variables: { clientId: erased, key: randomUUID() } }),
        'erasePatient',
      );
      expect(answer.__typename).toBe('PatientErased');
    }

    // Settled: every outbox published, no message pending, and the audit trail no longer growing over
    // 2 s (the audit and notification consumers gather up to half a second of events per fetch).
    const progress = async () => {
      const unpublished = await Promise.all(
        (['appointments', 'doctors', 'pii_vault', 'patients'] as const).map(
          async (database) =>
            (
              await sql<{ n: number }>(
                database,
                'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
              )
            )[0]!.n,
        ),
      );
      const [pending] = await sql<{ n: number }>(
        'patients',
        "SELECT count(*)::int AS n FROM notification WHERE status = 'pending'",
      );
      const [audit] = await sql<{ n: number }>('audit', 'SELECT count(*)::int AS n FROM audit_entry');
      return { idle: unpublished.every((n) => n === 0) && pending!.n === 0, audit: audit!.n };
    };
    let last = -1;
    await eventually(async () => {
      const now = await progress();
      const settled = now.idle && now.audit === last;
      last = now.audit;
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 2_000));
      return settled ? true : undefined;
    }, 300_000);
    expect(people).toHaveLength(21);
  }, 300_000);

  // graphql-js words a variable coercion error as `Variable "$input" got invalid value { givenName: ...,
  // email: ... }; ...`; mask-error.ts cuts the values out (redact-input-values.ts) before it leaves.
  it('does not echo the personal details of a request the schema refused', () => {
    expect(refused?.body.errors?.length).toBeGreaterThan(0);
    const haystack: Haystack = {
      source: 'response',
      where: 'registerPatient',
      text: JSON.stringify(refused?.body),
    };
    expect(describeFindings(findLeaks([haystack], refusedNeedles))).toBe('');
  });

  it('is where it belongs: the development sink holds the addresses the messages went to', async () => {
    // The positive control: the needles have the shapes the system really writes.
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
    const page = await fetch(system.notificationsPage!, { headers: { authorization: `Bearer ${admin}` } });
    const haystack: Haystack = { source: 'response', where: 'sink page', text: await page.text() };
    const kinds = new Set(findLeaks([haystack], allNeedles()).map((finding) => finding.kind));
    expect(kinds.has('email') || kinds.has('phone')).toBe(true);
  });

  it('is in no row of any table outside the vault', async () => {
    const haystacks: Haystack[] = [];
    for (const database of DATABASE_NAMES.filter((name) => name !== 'pii_vault')) {
      haystacks.push(...(await dumpDatabase(databases.urls[database], database)));
    }
    expect(haystacks.length).toBeGreaterThan(10);
    expect(describeFindings(findLeaks(haystacks, allNeedles()))).toBe('');
  });

  it('is in no message on any of the run’s Kafka topics', async () => {
    const haystacks = await readTopics(realInfra().kafkaBrokers, topicPrefix, `privacy-scan-${randomUUID()}`);
    expect(haystacks.some((haystack) => haystack.text.length > 0)).toBe(true);
    expect(describeFindings(findLeaks(haystacks, allNeedles()))).toBe('');
  }, 300_000);

  it('is in no log line', () => {
    // Every service logged, down to debug level: the capture saw the whole system.
    const logged = logs.lines.map((line) => JSON.parse(line) as { service: string; level: string });
    expect(new Set(logged.map((line) => line.service))).toEqual(
      new Set(['gateway', 'doctors', 'appointments', 'patients', 'audit', 'event-bus', 'metrics']),
    );
    expect(logged.some((line) => line.level === 'debug')).toBe(true);
    const haystacks: Haystack[] = [
      ...logs.lines.map((text, index): Haystack => ({ source: 'log', where: `line ${index + 1}`, text })),
      ...consoleLines.map((text, index): Haystack => ({
        source: 'log',
        where: `console ${index + 1}`,
        text,
      })),
    ];
    expect(describeFindings(findLeaks(haystacks, allNeedles()))).toBe('');
  });

  it('is in the vault only as ciphertext', async () => {
    const haystacks = (await dumpDatabase(databases.urls.pii_vault, 'pii_vault')).map(
      (haystack): Haystack => ({ ...haystack, source: 'vault' }),
    );
    expect(haystacks.map((haystack) => haystack.where).join()).toContain('patient_pii');
    expect(describeFindings(findInVault(haystacks, allNeedles()))).toBe('');
  });
});
