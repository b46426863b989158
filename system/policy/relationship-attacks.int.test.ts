import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Client as PgClient } from 'pg';
import {
  DATABASE_NAMES,
  databaseUrlVariable,
  POLICY_TABLE,
  type EventEnvelope,
  type Identity,
} from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { createTestDatabases, type TestDatabases, eventually } from '@clinic/testing';
import { startTestSystem, type GraphQLResponse, type TestSystem } from '../test-system';

/**
 * Relationship attacks: a clinic's staff must never reach another clinic's patients or doctors by
 * creating the relationship that would grant access themselves. Clinic X is the attacker's, clinic Y the
 * victim's; patient P is Y's (registered by Y's reception, booked there by themself). For every policy
 * row that says `own` or `clinic`, ATTACKS holds an attempt to make the data the attacker's (staff
 * bookings, holds, reschedules, re-assignment by leave, another caller's idempotency key, references
 * through Appointment.patient) followed by a read or an act that must be refused. The list of rows is
 * taken from the table, so a new own/clinic row without an attack fails this file.
 */

type Data = Record<string, unknown>;

let databases: TestDatabases;
let system: TestSystem;

interface Clinic {
  id: string;
  doctors: string[];
  /** Free future slots of the clinic's first doctor, taken one at a time. */
  slots: { id: string; start: string }[];
  admin: string;
  manager: string;
  doctor: string;
}

let X: Clinic;
let Y: Clinic;
let Z: Clinic;
let sysadmin: string;
/** The victim: Y's patient, who booked at Y themself. */
let P: { clientId: string; email: string; token: string; appointmentId: string; key: string };

const from = () => new Date(Date.now() + 864e5).toISOString();
const to = () => new Date(Date.now() + 15 * 864e5).toISOString();
const key = () => `attack-${randomUUID()}`;
const ERASE =
  'mutation($c: ID!, $k: String!) { erasePatient(clientId: $c, idempotencyKey: $k) { __typename } }';
const typename = (value: unknown) => (value as { __typename?: string } | null)?.__typename;

let registration = Math.floor(Math.random() * 5000);
const mockPatient = () => {
  const n = String(++registration % 10_000).padStart(4, '0');
  const letters = [...n].map((digit) => 'abcdefghij'[Number(digit)]).join('');
  return {
    givenName: 'Attack',
    familyName: `Mockperson${letters}`,
    dateOfBirth: '1975-06-01',
    email: `attack.mock${n}.${letters}@example.com`,
    phone: `(07) 5550 ${n}`,
    address: `${n} Example Street, Brisbane QLD 4000`,
    idempotencyKey: key(),
  };
};

async function sql(database: 'appointments' | 'patients', text: string, values: unknown[] = []) {
  const client = new PgClient({ connectionString: databases.urls[database] });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function gql(query: string, token: string | undefined, variables: Data = {}): Promise<GraphQLResponse> {
  return system.graphql(query, { ...(token ? { token } : {}), variables });
}

async function must(query: string, token: string | undefined, variables: Data = {}): Promise<Data> {
  const response = await gql(query, token, variables);
  if (!response.body.data || response.body.errors)
    throw new Error(`setup failed: ${query}: ${JSON.stringify(response.body.errors)}`);
  return response.body.data;
}

const codes = (response: GraphQLResponse) =>
  (response.body.errors ?? []).map((error) => error.extensions?.['code']);

/** Refused: a policy error, a `...NotAllowed` or refusal member, or (for reads) nothing of the victim's. */
function refused(response: GraphQLResponse): boolean {
  if (codes(response).some((code) => code === 'FORBIDDEN' || code === 'UNAUTHENTICATED')) return true;
  return Object.values(response.body.data ?? {}).some((value) =>
    /NotAllowed$|Refused$/.test(String(typename(value) ?? '')),
  );
}

// --- The links as each service holds them ------------------------------------------------------------

const patientsLinks = async (clientId: string) =>
  (await sql('patients', 'SELECT "clinic_id" FROM "patient_clinic" WHERE "client_id" = $1', [clientId])).map(
    (row) => String(row['clinic_id']),
  );
const appointmentsLinks = async (clientId: string) =>
  (await sql('appointments', 'SELECT "clinic_id" FROM "clinic_link" WHERE "client_id" = $1', [clientId])).map(
    (row) => String(row['clinic_id']),
  );

/** Waits until both services hold exactly these links for the patient (in any order). */
async function linksSettle(clientId: string, clinicIds: string[]): Promise<void> {
  const want = [...clinicIds].sort();
  await eventually(async () => {
    const [mine, theirs] = [
      (await patientsLinks(clientId)).sort(),
      (await appointmentsLinks(clientId)).sort(),
    ];
    return JSON.stringify(mine) === JSON.stringify(want) && JSON.stringify(theirs) === JSON.stringify(want)
      ? true
      : undefined;
  });
}

/**
 * Waits until the patients service has handled every booking and reschedule event the appointments
 * service wrote about this appointment (its inbox records them; they are the only ones that can link):
 * after that, whatever link those events could have made exists. A hold writes none.
 */
async function appointmentEventsHandled(appointmentId: string): Promise<void> {
  await eventually(async () => {
    const events = await sql(
      'appointments',
      `SELECT "id" FROM "outbox" WHERE "aggregate_id" = $1
         AND "envelope"->>'type' IN ('appointment.booked', 'appointment.rescheduled')`,
      [appointmentId],
    );
    const handled = await sql(
      'patients',
      `SELECT 1 FROM "inbox" WHERE "consumer" = 'patients-clinic-links' AND "event_id" = ANY($1::uuid[])`,
      [events.map((row) => row['id'])],
    );
    return handled.length === events.length ? true : undefined;
  });
}

/**
 * Publishes an appointment event as another service would, then a harmless booking by staff on the same
 * key (so delivered after it, in order) and waits until the patients service recorded that one: by then
 * the first was handled too.
 */
async function deliver(event: EventEnvelope): Promise<void> {
  const sentinel = createEvent({
    type: 'appointment.booked',
    aggregateId: event.aggregateId,
    actor: { role: 'ClinicAdmin', subject: 'sentinel' },
    payload: { ...(event.payload as EventEnvelope<'appointment.booked'>['payload']), clientId: randomUUID() },
  });
  await system.bus.publish('appointments', [event, sentinel]);
  await eventually(async () =>
    (
      await sql(
        'patients',
        `SELECT 1 FROM "inbox" WHERE "consumer" = 'patients-clinic-links' AND "event_id" = $1`,
        [sentinel.id],
      )
    ).length
      ? true
      : undefined,
  );
}

/** No link from the victim to the attacker's clinic in either service, and no event that would make one. */
async function notLinkedToX(clientId = P.clientId): Promise<void> {
  expect(await patientsLinks(clientId)).not.toContain(X.id);
  expect(await appointmentsLinks(clientId)).not.toContain(X.id);
  const linking = await sql(
    'patients',
    `SELECT 1 FROM "outbox" WHERE "envelope"->>'type' = 'patient.clinic-linked'
       AND "envelope"->'payload'->>'clientId' = $1 AND "envelope"->'payload'->>'clinicId' = $2`,
    [clientId, X.id],
  );
  expect(linking).toEqual([]);
}

// --- What the attacker tries -------------------------------------------------------------------------

const FIND = 'query($e: String) { findPatient(email: $e) { clientId profile { email } } }';
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  __typename ... on AppointmentBooked { appointment { id clientId } } } }`;
const HOLD = `mutation($input: HoldSlotInput!) { holdSlot(input: $input) {
  __typename ... on SlotHeld { hold { id } } } }`;

const slotOf = (clinic: Clinic) => {
  const slot = clinic.slots.shift();
  if (!slot) throw new Error('ran out of free slots');
  return slot;
};

/** A staff booking at the attacker's clinic for the victim; refused once booking checks the links. */
async function staffBooksVictim(): Promise<GraphQLResponse> {
  return gql(BOOK, X.admin, { input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: key() } });
}

/** The victim's personal details as the attacker sees them through findPatient: must be nothing. */
async function attackerFindsNothing(token = X.admin): Promise<void> {
  const response = await gql(FIND, token, { e: P.email });
  expect(response.body.data?.['findPatient'] ?? null).toBeNull();
  expect(JSON.stringify(response.body)).not.toContain(P.clientId);
}

/** The victim's profile through an appointment at the attacker's clinic (an _entities reference). */
async function profileThroughAppointment(appointmentId: string, token = X.admin): Promise<void> {
  const response = await gql(
    'query($id: ID!) { appointment(id: $id) { id patient { clientId profile { email } } } }',
    token,
    { id: appointmentId },
  );
  const appointment = response.body.data?.['appointment'] as {
    patient: { profile: unknown } | null;
  } | null;
  expect(appointment?.patient?.profile ?? null).toBeNull();
  expect(JSON.stringify(response.body)).not.toContain(P.email.toLowerCase());
}

// --- Waitlist and reminders: the victim's entry, offer and reminder, made as the product makes them ---

const JOIN = `mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
  __typename ... on WaitlistJoined { entry { id clientId } } } }`;
const LEAVE = 'mutation($input: LeaveWaitlistInput!) { leaveWaitlist(input: $input) { __typename } }';
const CLAIM =
  'mutation($input: ClaimWaitlistOfferInput!) { claimWaitlistOffer(input: $input) { __typename } }';
const CANCEL =
  'mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }';
const REMINDER_SETTINGS = `query($c: ID!) { reminderSettings(clinicId: $c) {
  __typename ... on ReminderSettings { clinicId offsetsMinutes channels } } }`;
const SET_REMINDER_SETTINGS = `mutation($input: SetReminderSettingsInput!) { setReminderSettings(input: $input) {
  __typename ... on ReminderSettings { clinicId offsetsMinutes channels } } }`;
const OPT_OUTS = `mutation($c: [ContactChannel!]!, $k: String!) { setReminderOptOuts(channels: $c, idempotencyKey: $k) {
  __typename ... on ReminderOptOuts { channels } } }`;
const ANSWER = `mutation($t: String!, $a: ReminderAnswer!) { answerReminder(token: $t, answer: $a) {
  __typename ... on ReminderReplyRefused { reason } ... on ReminderAnswered { answer } } }`;
const REMINDERS_OF = 'query($id: ID!) { appointment(id: $id) { id reminders { id status } } }';

/** Another patient of Y than the victim: the attacker when the row is a patient's `own`. */
async function patientAt(clinic: Clinic): Promise<{ clientId: string; token: string }> {
  const { clientId } = await registerAt(clinic);
  return { clientId, token: await system.token({ role: 'Patient', subject: clientId }) };
}

const zones = new Map<string, string>();
async function zoneOf(clinicId: string): Promise<string> {
  if (!zones.has(clinicId)) {
    const data = await must('{ clinics { id timeZone } }', undefined);
    for (const clinic of data['clinics'] as { id: string; timeZone: string }[])
      zones.set(clinic.id, clinic.timeZone);
  }
  return zones.get(clinicId) as string;
}

/** A waitlist entry for exactly this slot's doctor, local day and start. */
async function joinFor(
  token: string,
  clinic: Clinic,
  slot: { start: string },
  idempotencyKey = key(),
): Promise<GraphQLResponse> {
  const timeZone = await zoneOf(clinic.id);
  const local = DateTime.fromISO(slot.start, { zone: timeZone });
  return gql(JOIN, token, {
    input: {
      doctorId: clinic.doctors[0],
      fromDate: local.toISODate(),
      toDate: local.toISODate(),
      timeZone,
      earliestStart: local.toFormat('HH:mm'),
      latestStart: local.toFormat('HH:mm'),
      idempotencyKey,
    },
  });
}

const entryOf = (response: GraphQLResponse) =>
  (response.body.data?.['joinWaitlist'] as { entry?: { id: string; clientId: string } } | undefined)?.entry;

interface Waiting {
  /** The victim's entry on Y's waitlist, the key they joined with, and the offer it got. */
  entryId: string;
  joinKey: string;
  offerId: string;
  /** Q: another patient of Y, waiting for the very same time. */
  Q: { clientId: string; token: string; entryId: string };
}

/**
 * The victim waits for a time at Y that another patient (B) booked; Q, another patient of Y, waits for the
 * same time after them. B cancels, and the freed time is offered to the victim (first in line).
 */
async function buildWaiting(): Promise<Waiting> {
  const slot = slotOf(Y);
  const B = await patientAt(Y);
  const booked = await must(BOOK, B.token, { input: { slotId: slot.id, idempotencyKey: key() } });
  const appointmentId = (booked['bookAppointment'] as { appointment: { id: string } }).appointment.id;
  const joinKey = key();
  const mine = entryOf(await joinFor(P.token, Y, slot, joinKey));
  const Q = await patientAt(Y);
  const theirs = entryOf(await joinFor(Q.token, Y, slot));
  if (!mine || !theirs) throw new Error('setup failed: joining the waitlist');
  await must(CANCEL, B.token, { input: { appointmentId, idempotencyKey: key() } });
  const offerId = await eventually(async () => {
    const rows = await sql(
      'appointments',
      `SELECT "id"::text FROM "waitlist_offer" WHERE "client_id" = $1 AND "slot_id" = $2 AND "status" = 'open'`,
      [P.clientId, slot.id],
    );
    return rows[0] ? String(rows[0]['id']) : undefined;
  }, 120_000);
  return { entryId: mine.id, joinKey, offerId, Q: { ...Q, entryId: theirs.id } };
}
let waitingScene: Promise<Waiting> | undefined;
const waiting = () => (waitingScene ??= buildWaiting());

/** The victim's entry is still active and their offer still open: nothing the attacker did touched them. */
async function waitingUntouched(w: Waiting): Promise<void> {
  const entry = await sql('appointments', 'SELECT "status"::text FROM "waitlist_entry" WHERE "id" = $1', [
    w.entryId,
  ]);
  expect(entry).toEqual([{ status: 'active' }]);
  const offer = await sql('appointments', 'SELECT "status"::text FROM "waitlist_offer" WHERE "id" = $1', [
    w.offerId,
  ]);
  expect(offer).toEqual([{ status: 'open' }]);
}

interface Reminded {
  appointmentId: string;
  /** The reply token of the victim's reminder, derived as the dispatcher does from its notification id. */
  token: string;
}

/**
 * The victim books another time at Y, under an offset Y's admin chose so that its reminder falls due a
 * minute or two later; the reminder worker sends it, and its reply token is derived as the dispatcher
 * derives it (the harness holds the vault's blind-index key). Y's settings are put back afterwards.
 */
async function buildReminded(): Promise<Reminded> {
  const before = (await must(REMINDER_SETTINGS, Y.admin, { c: Y.id }))['reminderSettings'] as {
    offsetsMinutes: number[];
    channels: string[];
  };
  const next = Y.slots[0];
  if (!next) throw new Error('ran out of free slots');
  let offset = Math.floor((Date.parse(next.start) - Date.now()) / 60_000) - 1;
  if (offset % 1440 === 0) offset -= 1;
  const set = async (offsetsMinutes: number[], channels: string[]) =>
    must(SET_REMINDER_SETTINGS, Y.admin, {
      input: { clinicId: Y.id, offsetsMinutes, channels, idempotencyKey: key() },
    });
  // Email: its reminders are answered by the link's token (an SMS by a reply from the number).
  await set([offset], ['email']);
  try {
    const appointmentId = await selfBook(P.token, Y);
    const notificationId = await eventually(async () => {
      const rows = await sql(
        'patients',
        `SELECT "id"::text FROM "notification" WHERE "appointment_id" = $1 AND "reason" = 'reminder'`,
        [appointmentId],
      );
      return rows[0] ? String(rows[0]['id']) : undefined;
    }, 240_000);
    const token = system.vaultKeys.blindIndex
      .derive('reminder-reply', 'reminder', notificationId)
      .toString('base64url');
    return { appointmentId, token };
  } finally {
    await set(before.offsetsMinutes, before.channels);
  }
}
let remindedScene: Promise<Reminded> | undefined;
const reminded = () => (remindedScene ??= buildReminded());

/**
 * One attack per own/clinic row: try to create the relationship from the attacker's side, then read or
 * act on the victim's data, and expect refusal. Rows on doctors are attacked with the victim clinic's
 * doctor: no operation moves a doctor between clinics, so the attack is acting on them directly.
 */
const ATTACKS: Record<string, () => Promise<void>> = {
  'Patient.profile': async () => {
    const booked = await staffBooksVictim();
    const id = (booked.body.data?.['bookAppointment'] as { appointment?: { id: string } })?.appointment?.id;
    if (id) {
      await appointmentEventsHandled(id);
      await profileThroughAppointment(id);
    }
    await attackerFindsNothing();
    await notLinkedToX();
  },
  'Query.findPatient': async () => {
    // A hold for the victim, then the lookup.
    const held = await gql(HOLD, X.admin, {
      input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: key() },
    });
    const id = (held.body.data?.['holdSlot'] as { hold?: { id: string } })?.hold?.id;
    if (id) await appointmentEventsHandled(id);
    await attackerFindsNothing(X.admin);
    await attackerFindsNothing(X.manager);
    await attackerFindsNothing(X.doctor);
    await notLinkedToX();
  },
  'Mutation.bookAppointment': async () => {
    const booked = await staffBooksVictim();
    expect(typename(booked.body.data?.['bookAppointment'])).toBe('NotAllowed');
    // Replaying the victim's own idempotency key does not hand the attacker the victim's booking.
    const replay = await gql(BOOK, X.admin, {
      input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: P.key },
    });
    expect(JSON.stringify(replay.body)).not.toContain(P.appointmentId);
    expect(typename(replay.body.data?.['bookAppointment'])).not.toBe('AppointmentBooked');
  },
  'Mutation.holdSlot': async () => {
    const held = await gql(HOLD, X.admin, {
      input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: key() },
    });
    expect(typename(held.body.data?.['holdSlot'])).toBe('NotAllowed');
    // A clientId that is no registered patient gets the very same answer.
    const nobody = await gql(HOLD, X.admin, {
      input: { slotId: slotOf(X).id, clientId: randomUUID(), idempotencyKey: key() },
    });
    expect(nobody.body.data?.['holdSlot']).toEqual(held.body.data?.['holdSlot']);
  },
  'Mutation.rescheduleAppointment': async () => {
    // The attacker moves the victim's appointment to their own clinic: refused, and a staff reschedule
    // event (as Y's reception might cause) links nobody.
    const moved = await gql(
      `mutation($input: RescheduleAppointmentInput!) { rescheduleAppointment(input: $input) { __typename } }`,
      X.admin,
      { input: { appointmentId: P.appointmentId, slotId: slotOf(X).id, idempotencyKey: key() } },
    );
    expect(typename(moved.body.data?.['rescheduleAppointment'])).not.toBe('AppointmentRescheduled');
    await deliver(placement('appointment.rescheduled', { role: 'ClinicAdmin', subject: 'x-admin' }));
    await notLinkedToX();
    await attackerFindsNothing();
  },
  'Mutation.cancelAppointment': async () => {
    const cancelled = await gql(
      `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`,
      X.admin,
      { input: { appointmentId: P.appointmentId, idempotencyKey: key() } },
    );
    expect(typename(cancelled.body.data?.['cancelAppointment'])).not.toBe('AppointmentCancelled');
  },
  'Mutation.erasePatient': async () => {
    // Re-assignment by leave (the system moves the victim's appointment to the attacker's clinic) makes
    // no link, so the attacker cannot erase the victim.
    await deliver(placement('appointment.reassigned', { role: 'System', subject: 'reassignment' }));
    const erased = await gql(ERASE, X.admin, { c: P.clientId, k: key() });
    expect(typename(erased.body.data?.['erasePatient'])).toBe('NotAllowed');
  },
  'Query.notifications': async () => {
    await deliver(placement('appointment.booked', { role: 'ClinicAdmin', subject: 'x-admin' }));
    const listed = await gql('query($c: ID) { notifications(clientId: $c) { id clinicId } }', X.admin, {
      c: P.clientId,
    });
    const rows = (listed.body.data?.['notifications'] ?? []) as { clinicId: string }[];
    expect(rows.every((row) => row.clinicId === X.id)).toBe(true);
  },
  'Query.appointments': async () => {
    const listed = await gql('{ appointments(first: 200) { id } }', X.admin);
    expect(JSON.stringify(listed.body)).not.toContain(P.appointmentId);
  },
  'Query.appointment': async () => {
    const one = await gql('query($id: ID!) { appointment(id: $id) { id } }', X.admin, {
      id: P.appointmentId,
    });
    expect(one.body.data?.['appointment'] ?? null).toBeNull();
  },
  'Query.appointmentsNeedingAttention': async () => {
    const listed = await gql('query($c: ID) { appointmentsNeedingAttention(clinicId: $c) { id } }', X.admin, {
      c: Y.id,
    });
    expect(JSON.stringify(listed.body)).not.toContain(P.appointmentId);
  },
  'Appointment.reasonForVisit': async () => {
    const listed = await gql('query($id: ID!) { appointment(id: $id) { reasonForVisit } }', X.admin, {
      id: P.appointmentId,
    });
    expect(listed.body.data?.['appointment'] ?? null).toBeNull();
  },
  'Appointment.history': async () => {
    const listed = await gql('query($id: ID!) { appointment(id: $id) { history { action } } }', X.doctor, {
      id: P.appointmentId,
    });
    expect(listed.body.data?.['appointment'] ?? null).toBeNull();
  },
  'Query.auditTrail': async () => {
    const trail = await gql('query($s: ID) { auditTrail(subjectId: $s) { id clinicId } }', X.manager, {
      s: P.appointmentId,
    });
    expect((trail.body.data?.['auditTrail'] ?? []) as unknown[]).toEqual([]);
  },
  'Query.me': async () => {
    // A staff token naming the victim as its subject is still no patient.
    const forged = await system.token({ role: 'ClinicAdmin', subject: P.clientId, clinicId: X.id });
    expect(refused(await gql('{ me { clientId } }', forged))).toBe(true);
  },
  'Subscription.myAppointmentUpdates': async () => {
    // Only the patient themself subscribes; the gateway pre-check refuses staff before any event flows.
    const response = await gql('subscription { myAppointmentUpdates { appointmentId } }', X.admin);
    expect(refused(response) || response.status >= 400).toBe(true);
  },
  'Query.doctorDay': async () => {
    // A day with no slots at all for the victim clinic's doctor is refused too, not answered empty.
    const far = new Date(Date.now() + 400 * 864e5).toISOString().slice(0, 10);
    const day = await gql(
      'query($d: ID!, $date: LocalDate!) { doctorDay(doctorId: $d, date: $date) { slots { slot { id } } } }',
      X.admin,
      { d: Y.doctors[0], date: far },
    );
    expect(codes(day)).toContain('FORBIDDEN');
  },
  'Query.availabilityRules': async () => {
    const rules = await gql('query($d: ID!) { availabilityRules(doctorId: $d) { id } }', X.admin, {
      d: Y.doctors[0],
    });
    expect(refused(rules) || (rules.body.data?.['availabilityRules'] as unknown[]).length === 0).toBe(true);
  },
  'Query.availabilityExceptions': async () => {
    const listed = await gql(
      'query($d: ID!, $f: DateTime!, $t: DateTime!) { availabilityExceptions(doctorId: $d, from: $f, to: $t) { id } }',
      X.admin,
      { d: Y.doctors[0], f: from(), t: to() },
    );
    expect(refused(listed) || (listed.body.data?.['availabilityExceptions'] as unknown[]).length === 0).toBe(
      true,
    );
  },
  'Mutation.setAvailabilityRules': async () => {
    const set = await gql(
      'mutation($input: SetAvailabilityRulesInput!) { setAvailabilityRules(input: $input) { __typename } }',
      X.admin,
      { input: { doctorId: Y.doctors[0], rules: [], idempotencyKey: key() } },
    );
    expect(typename(set.body.data?.['setAvailabilityRules'])).not.toBe('AvailabilityRulesSet');
  },
  'Mutation.addAvailabilityException': async () => {
    // Leave for the victim clinic's doctor would re-assign the victim's appointment: refused.
    const start = new Date(Date.now() + 500 * 864e5);
    const added = await gql(
      'mutation($input: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $input) { __typename } }',
      X.admin,
      {
        input: {
          doctorId: Y.doctors[0],
          kind: 'leave',
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 36e5).toISOString(),
          idempotencyKey: key(),
        },
      },
    );
    expect(typename(added.body.data?.['addAvailabilityException'])).not.toBe('AvailabilityExceptionAdded');
  },
  'Mutation.removeAvailabilityException': async () => {
    const removed = await gql(
      'mutation($input: RemoveAvailabilityExceptionInput!) { removeAvailabilityException(input: $input) { __typename } }',
      X.admin,
      { input: { exceptionId: randomUUID(), idempotencyKey: key() } },
    );
    expect(typename(removed.body.data?.['removeAvailabilityException'])).not.toBe(
      'AvailabilityExceptionRemoved',
    );
  },
  'Mutation.setDoctorStatus': async () => {
    const set = await gql(
      'mutation($input: SetDoctorStatusInput!) { setDoctorStatus(input: $input) { __typename } }',
      X.admin,
      { input: { doctorId: Y.doctors[0], status: 'unavailable', idempotencyKey: key() } },
    );
    expect(typename(set.body.data?.['setDoctorStatus'])).not.toBe('DoctorStatusSet');
  },
  'Mutation.createClinicAccessCode': async () => {
    // Staff cannot make a code for the victim (only the patient's own token can).
    const made = await gql(
      'mutation($k: String!) { createClinicAccessCode(idempotencyKey: $k) { __typename } }',
      X.admin,
      { k: key() },
    );
    expect(refused(made)).toBe(true);
  },
  'Mutation.redeemClinicAccessCode': async () => {
    // A guessed code links nobody.
    const redeemed = await gql(
      'mutation($c: String!, $k: String!) { redeemClinicAccessCode(code: $c, idempotencyKey: $k) { __typename } }',
      X.admin,
      { c: 'ABCD2345', k: key() },
    );
    expect(refused(redeemed)).toBe(true);
    await notLinkedToX();
  },
  'Mutation.revokeClinicAccess': async () => {
    // Staff cannot end (or, by the same path, touch) a patient's links.
    const revoked = await gql(
      'mutation($c: ID!, $k: String!) { revokeClinicAccess(clinicId: $c, idempotencyKey: $k) { __typename } }',
      Y.admin,
      { c: Y.id, k: key() },
    );
    expect(refused(revoked)).toBe(true);
    await linksSettle(P.clientId, [Y.id]);
  },
  'Query.myWaitlist': async () => {
    const w = await waiting();
    // Q waits at the same clinic for the same time: their list is theirs alone.
    const mine = await gql('{ myWaitlist { id clientId } }', w.Q.token);
    const listed = (mine.body.data?.['myWaitlist'] ?? []) as { id: string; clientId: string }[];
    expect(listed.map((entry) => entry.id)).toContain(w.Q.entryId);
    expect(listed.every((entry) => entry.clientId === w.Q.clientId)).toBe(true);
    expect(JSON.stringify(mine.body)).not.toContain(w.entryId);
    // A staff token naming the victim as its subject, after a hold for them, is still no patient.
    await gql(HOLD, X.admin, {
      input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: key() },
    });
    const forged = await system.token({ role: 'ClinicAdmin', subject: P.clientId, clinicId: X.id });
    const theirs = await gql('{ myWaitlist { id clientId } }', forged);
    expect(refused(theirs)).toBe(true);
    expect(JSON.stringify(theirs.body)).not.toContain(w.entryId);
  },
  'Query.clinicWaitlist': async () => {
    const w = await waiting();
    // X's staff hold a time for the victim, then ask for Y's line by name, and for their own.
    await gql(HOLD, X.admin, {
      input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: key() },
    });
    for (const token of [X.admin, X.manager]) {
      const named = await gql('query($c: ID) { clinicWaitlist(clinicId: $c) { id clientId } }', token, {
        c: Y.id,
      });
      expect(codes(named)).toContain('FORBIDDEN');
      expect(JSON.stringify(named.body)).not.toContain(w.entryId);
      const own = await gql('{ clinicWaitlist { id clientId } }', token);
      expect(JSON.stringify(own.body)).not.toContain(w.entryId);
      expect(JSON.stringify(own.body)).not.toContain(P.clientId);
    }
    // Y's own staff do see the victim waiting (the entry is real).
    expect(JSON.stringify(await must('{ clinicWaitlist { id } }', Y.admin))).toContain(w.entryId);
  },
  'Mutation.joinWaitlist': async () => {
    const w = await waiting();
    // Staff cannot put the victim on a line (no clientId to name; a forged subject is no patient).
    const forged = await system.token({ role: 'ClinicAdmin', subject: P.clientId, clinicId: X.id });
    for (const token of [forged, X.admin]) {
      const joined = await joinFor(token, X, { start: from() });
      expect(typename(joined.body.data?.['joinWaitlist'])).toBe('NotAllowed');
    }
    // Q replays the victim's join key: Q's own request, never the victim's entry.
    const replay = await joinFor(w.Q.token, Y, { start: from() }, w.joinKey);
    expect(JSON.stringify(replay.body)).not.toContain(w.entryId);
    expect(JSON.stringify(replay.body)).not.toContain(P.clientId);
    await waitingUntouched(w);
  },
  'Mutation.leaveWaitlist': async () => {
    const w = await waiting();
    // Q, on the same line, leaves the victim's entry by id, also under the victim's join key.
    for (const idempotencyKey of [key(), w.joinKey]) {
      const left = await gql(LEAVE, w.Q.token, { input: { entryId: w.entryId, idempotencyKey } });
      expect(typename(left.body.data?.['leaveWaitlist'])).not.toBe('WaitlistLeft');
    }
    const byStaff = await gql(LEAVE, X.admin, { input: { entryId: w.entryId, idempotencyKey: key() } });
    expect(typename(byStaff.body.data?.['leaveWaitlist'])).toBe('NotAllowed');
    await waitingUntouched(w);
  },
  'Query.myWaitlistOffers': async () => {
    const w = await waiting();
    // Q waited for the same time: only Q's own offers, never the victim's.
    const mine = await gql('{ myWaitlistOffers { id entryId } }', w.Q.token);
    expect(JSON.stringify(mine.body)).not.toContain(w.offerId);
    expect(JSON.stringify(mine.body)).not.toContain(w.entryId);
    const byStaff = await gql('{ myWaitlistOffers { id } }', X.admin);
    expect(refused(byStaff)).toBe(true);
    // The victim does have it.
    expect(JSON.stringify(await must('{ myWaitlistOffers { id } }', P.token))).toContain(w.offerId);
  },
  'Mutation.claimWaitlistOffer': async () => {
    const w = await waiting();
    // Q, waiting for the same time, claims the victim's offer by id (also under the victim's key).
    const claimed = await gql(CLAIM, w.Q.token, { input: { offerId: w.offerId, idempotencyKey: key() } });
    expect(typename(claimed.body.data?.['claimWaitlistOffer'])).toBe('WaitlistOfferNotFound');
    // Under the victim's join key (which Q replayed above, so InvalidInput as one key per action).
    const replay = await gql(CLAIM, w.Q.token, { input: { offerId: w.offerId, idempotencyKey: w.joinKey } });
    expect(typename(replay.body.data?.['claimWaitlistOffer'])).not.toBe('AppointmentBooked');
    expect(JSON.stringify(replay.body)).not.toContain(w.entryId);
    const byStaff = await gql(CLAIM, X.admin, { input: { offerId: w.offerId, idempotencyKey: key() } });
    expect(typename(byStaff.body.data?.['claimWaitlistOffer'])).toBe('NotAllowed');
    await waitingUntouched(w);
  },
  'Query.waitlistSettings': async () => {
    for (const token of [X.admin, X.manager]) {
      const named = await gql('query($c: ID) { waitlistSettings(clinicId: $c) { clinicId mode } }', token, {
        c: Y.id,
      });
      expect(codes(named)).toContain('FORBIDDEN');
      expect(named.body.data?.['waitlistSettings'] ?? null).toBeNull();
    }
  },
  'Mutation.setWaitlistMode': async () => {
    const SETTINGS = '{ waitlistSettings { clinicId mode offerMinutes } }';
    const before = await must(SETTINGS, Y.admin);
    for (const [token, mode] of [
      [X.admin, 'sequential'],
      [X.manager, 'broadcast'],
    ] as const) {
      const set = await gql(
        'mutation($input: SetWaitlistModeInput!) { setWaitlistMode(input: $input) { __typename } }',
        token,
        { input: { clinicId: Y.id, mode, offerMinutes: 5, idempotencyKey: key() } },
      );
      expect(typename(set.body.data?.['setWaitlistMode'])).toBe('NotAllowed');
    }
    expect(await must(SETTINGS, Y.admin)).toEqual(before);
  },
  'Query.reminderSettings': async () => {
    // After holding a time for the victim, X's staff read Y's settings by naming Y.
    await gql(HOLD, X.admin, {
      input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: key() },
    });
    for (const token of [X.admin, X.manager]) {
      const read = await gql(REMINDER_SETTINGS, token, { c: Y.id });
      expect(refused(read)).toBe(true);
      expect(JSON.stringify(read.body)).not.toContain('offsetsMinutes');
    }
  },
  'Query.reminderStats': async () => {
    // After holding a time for the victim, X's staff ask for Y's confirmation rate by naming Y.
    await gql(HOLD, X.admin, {
      input: { slotId: slotOf(X).id, clientId: P.clientId, idempotencyKey: key() },
    });
    const STATS = `query($c: ID!, $f: DateTime!, $t: DateTime!) { reminderStats(clinicId: $c, from: $f, to: $t) {
      __typename ... on ReminderStats { reminded } } }`;
    const window = {
      f: new Date(Date.now() - 864e5).toISOString(),
      t: new Date(Date.now() + 30 * 864e5).toISOString(),
    };
    // Y's own admin reaches it, so a refusal below is the clinic's boundary, not a broken query.
    expect(typename((await must(STATS, Y.admin, { c: Y.id, ...window }))['reminderStats'])).toBe(
      'ReminderStats',
    );
    for (const token of [X.admin, X.manager]) {
      const read = await gql(STATS, token, { c: Y.id, ...window });
      expect(refused(read)).toBe(true);
      expect(JSON.stringify(read.body)).not.toContain('reminded');
    }
  },
  'Mutation.setReminderSettings': async () => {
    const before = await must(REMINDER_SETTINGS, Y.admin, { c: Y.id });
    for (const token of [X.admin, X.manager]) {
      const set = await gql(SET_REMINDER_SETTINGS, token, {
        input: { clinicId: Y.id, offsetsMinutes: [60], channels: ['email'], idempotencyKey: key() },
      });
      expect(refused(set)).toBe(true);
    }
    expect(await must(REMINDER_SETTINGS, Y.admin, { c: Y.id })).toEqual(before);
  },
  'Mutation.setReminderOptOuts': async () => {
    const ME = '{ me { clientId reminderOptOuts } }';
    const k = key();
    await must(OPT_OUTS, P.token, { c: [], k });
    // Staff (and a staff token naming the victim) cannot set them; Q under the victim's key sets only Q's.
    const forged = await system.token({ role: 'ClinicAdmin', subject: P.clientId, clinicId: X.id });
    for (const token of [X.admin, forged]) {
      expect(refused(await gql(OPT_OUTS, token, { c: ['sms', 'email'], k: key() }))).toBe(true);
    }
    const Q = await patientAt(Y);
    await gql(OPT_OUTS, Q.token, { c: ['sms', 'email'], k });
    expect(await must(ME, P.token)).toEqual({ me: { clientId: P.clientId, reminderOptOuts: [] } });
  },
  'Mutation.answerReminder': async () => {
    const r = await reminded();
    // Q, another patient of the same clinic, signed in, uses the victim's link: NOT_YOURS.
    const Q = await patientAt(Y);
    for (const answer of ['CANCEL', 'CONFIRM']) {
      const answered = await gql(ANSWER, Q.token, { t: r.token, a: answer });
      expect(answered.body.data?.['answerReminder']).toEqual({
        __typename: 'ReminderReplyRefused',
        reason: 'NOT_YOURS',
      });
    }
    const still = await sql('appointments', 'SELECT "status"::text FROM "appointment" WHERE "id" = $1', [
      r.appointmentId,
    ]);
    expect(still).toEqual([{ status: 'booked' }]);
    // The token was the victim's real one: the link's holder, not signed in, still answers it.
    const holder = await gql(ANSWER, undefined, { t: r.token, a: 'CONFIRM' });
    expect(holder.body.data?.['answerReminder']).toEqual({
      __typename: 'ReminderAnswered',
      answer: 'CONFIRM',
    });
  },
  'Appointment.reminders': async () => {
    const r = await reminded();
    const rows = await sql('patients', 'SELECT "id"::text FROM "reminder" WHERE "appointment_id" = $1', [
      r.appointmentId,
    ]);
    expect(rows.length).toBeGreaterThan(0);
    // Y's staff see them (the query reaches real reminders) ...
    expect(JSON.stringify(await must(REMINDERS_OF, Y.admin, { id: r.appointmentId }))).toContain(
      String(rows[0]!['id']),
    );
    // ... X's staff, after booking the victim at X, see none of them.
    const booked = await staffBooksVictim();
    const id = (booked.body.data?.['bookAppointment'] as { appointment?: { id: string } })?.appointment?.id;
    if (id) await appointmentEventsHandled(id);
    for (const token of [X.admin, X.manager, X.doctor]) {
      const read = await gql(REMINDERS_OF, token, { id: r.appointmentId });
      for (const row of rows) expect(JSON.stringify(read.body)).not.toContain(String(row['id']));
    }
  },
};

/** An appointment event for the victim at the attacker's clinic, acted by someone other than the victim. */
function placement(
  type: 'appointment.booked' | 'appointment.rescheduled' | 'appointment.reassigned',
  actor: EventEnvelope['actor'],
): EventEnvelope {
  const appointmentId = randomUUID();
  const base = {
    appointmentId,
    slotId: randomUUID(),
    doctorId: X.doctors[0] as string,
    clinicId: X.id,
    clientId: P.clientId,
    start: from(),
    end: new Date(Date.now() + 864e5 + 9e5).toISOString(),
  };
  const extra =
    type === 'appointment.rescheduled'
      ? { previousSlotId: randomUUID(), previousDoctorId: randomUUID(), previousStart: from() }
      : type === 'appointment.reassigned'
        ? { previousDoctorId: Y.doctors[0] as string }
        : {};
  // The payload is checked against the event catalogue by createEvent's consumers.
  return createEvent({
    type,
    aggregateId: appointmentId,
    actor,
    payload: { ...base, ...extra },
  } as Parameters<typeof createEvent>[0]);
}

async function clinicOf(clinic: { id: string; doctors: { id: string }[] }, name: string): Promise<Clinic> {
  const staff = (role: Identity['role'], subject: string) =>
    system.token({ role, subject, clinicId: clinic.id } as Identity);
  const doctors = clinic.doctors.map((doctor) => doctor.id);
  const free = await must(
    'query($d: ID, $f: DateTime!, $t: DateTime!) { freeSlots(doctorId: $d, from: $f, to: $t, first: 200) { id start } }',
    undefined,
    { d: doctors[0], f: from(), t: to() },
  );
  return {
    id: clinic.id,
    doctors,
    slots: [...(free['freeSlots'] as { id: string; start: string }[])],
    admin: await staff('ClinicAdmin', `${name}-admin`),
    manager: await staff('PracticeManager', `${name}-manager`),
    doctor: await system.token({ role: 'Doctor', subject: doctors[0] as string, clinicId: clinic.id }),
  };
}

/** Registers a new patient at a clinic's reception; returns their clientId and email. */
async function registerAt(clinic: Clinic): Promise<{ clientId: string; email: string }> {
  const input = mockPatient();
  const data = await must(
    'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { __typename ... on PatientRegistered { patient { clientId } } } }',
    clinic.admin,
    { input },
  );
  return {
    clientId: (data['registerPatient'] as { patient: { clientId: string } }).patient.clientId,
    email: input.email,
  };
}

/** The patient books a slot at the clinic themself. */
async function selfBook(token: string, clinic: Clinic, idempotencyKey = key()): Promise<string> {
  const data = await must(BOOK, token, { input: { slotId: slotOf(clinic).id, idempotencyKey } });
  const booked = data['bookAppointment'] as { __typename: string; appointment?: { id: string } };
  if (!booked.appointment) throw new Error(`self booking failed: ${booked.__typename}`);
  return booked.appointment.id;
}

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
  );
  sysadmin = await system.token({ role: 'SystemAdministrator', subject: 'attack-sysadmin' });
  const data = await must('{ clinics { id doctors { id } } }', undefined);
  const clinics = (data['clinics'] as { id: string; doctors: { id: string }[] }[]).filter(
    (clinic) => clinic.doctors.length >= 1,
  );
  if (clinics.length < 3) throw new Error('the seed needs three clinics with a doctor each');
  [X, Y, Z] = [
    await clinicOf(clinics[0]!, 'x'),
    await clinicOf(clinics[1]!, 'y'),
    await clinicOf(clinics[2]!, 'z'),
  ];
  const victim = await registerAt(Y);
  const token = await system.token({ role: 'Patient', subject: victim.clientId });
  const bookingKey = key();
  const appointmentId = await selfBook(token, Y, bookingKey);
  P = { ...victim, token, appointmentId, key: bookingKey };
  await linksSettle(P.clientId, [Y.id]);
}, 600_000);

afterAll(async () => {
  await system?.stop();
  await databases?.drop();
});

describe('a clinic reaches a patient only through something the patient did or granted', () => {
  it("a staff booking for another clinic's patient gives neither the details nor a link, even after a cancellation", async () => {
    const found = await gql(FIND, X.admin, { e: P.email });
    expect(found.body.data?.['findPatient'] ?? null).toBeNull();
    const booked = await staffBooksVictim();
    const id = (booked.body.data?.['bookAppointment'] as { appointment?: { id: string } })?.appointment?.id;
    if (id) {
      await appointmentEventsHandled(id);
      await profileThroughAppointment(id);
      await gql(
        `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`,
        X.admin,
        { input: { appointmentId: id, idempotencyKey: key() } },
      );
      await appointmentEventsHandled(id);
      await profileThroughAppointment(id);
    }
    await attackerFindsNothing();
    await notLinkedToX();
  });

  it("registering an existing patient's email or phone at another clinic neither links nor reveals them", async () => {
    const again = { ...mockPatient(), email: P.email };
    const response = await gql(
      'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { __typename ... on PatientRegistered { patient { clientId } } ... on InvalidInput { field message } } }',
      X.admin,
      { input: again },
    );
    expect(typename(response.body.data?.['registerPatient'])).toBe('InvalidInput');
    expect(JSON.stringify(response.body)).not.toContain(P.clientId);
    expect(JSON.stringify(response.body)).not.toContain(P.email);
    await attackerFindsNothing();
    await notLinkedToX();
  });

  it("the patient's own registration at a clinic links them there", async () => {
    const fresh = await registerAt(Z);
    await linksSettle(fresh.clientId, [Z.id]);
    const found = await must(FIND, Z.admin, { e: fresh.email });
    expect(found['findPatient']).toMatchObject({ clientId: fresh.clientId, profile: { email: fresh.email } });
  });

  it("the patient's own booking links them; a booking by staff of that clinic does not", async () => {
    const fresh = await registerAt(Y);
    await linksSettle(fresh.clientId, [Y.id]);
    const token = await system.token({ role: 'Patient', subject: fresh.clientId });
    const own = await selfBook(token, Z);
    await appointmentEventsHandled(own);
    await linksSettle(fresh.clientId, [Y.id, Z.id]);
    expect((await must(FIND, Z.admin, { e: fresh.email }))['findPatient']).toMatchObject({
      clientId: fresh.clientId,
    });
  });

  it('a code from the patient links the clinic that redeems it, once; the patient can end the link', async () => {
    // Another patient of Y than the victim, whom nothing may ever link to X.
    const fresh = await registerAt(Y);
    await linksSettle(fresh.clientId, [Y.id]);
    const patient = await system.token({ role: 'Patient', subject: fresh.clientId });
    const made = await must(
      'mutation($k: String!) { createClinicAccessCode(idempotencyKey: $k) { __typename ... on ClinicAccessCode { code expiresAt } } }',
      patient,
      { k: key() },
    );
    const { code, expiresAt } = made['createClinicAccessCode'] as { code: string; expiresAt: string };
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    // Only a hash is stored.
    expect(JSON.stringify(await sql('patients', 'SELECT * FROM "clinic_access_code"'))).not.toContain(code);
    const REDEEM = `mutation($c: String!, $k: String!) { redeemClinicAccessCode(code: $c, idempotencyKey: $k) {
      __typename ... on ClinicAccessGranted { patient { clientId } } ... on ClinicAccessCodeRefused { reason } } }`;
    const redeemed = await must(REDEEM, X.admin, { c: code.toLowerCase(), k: key() });
    expect(redeemed['redeemClinicAccessCode']).toEqual({
      __typename: 'ClinicAccessGranted',
      patient: { clientId: fresh.clientId },
    });
    await linksSettle(fresh.clientId, [X.id, Y.id]);
    expect((await must(FIND, X.admin, { e: fresh.email }))['findPatient']).toMatchObject({
      profile: { email: fresh.email },
    });
    // Single use: the same code again (here at another clinic) is refused like a wrong one.
    const again = await must(REDEEM, Z.admin, { c: code, k: key() });
    expect(again['redeemClinicAccessCode']).toEqual({
      __typename: 'ClinicAccessCodeRefused',
      reason: 'INVALID_CODE',
    });

    const revoked = await must(
      'mutation($c: ID!, $k: String!) { revokeClinicAccess(clinicId: $c, idempotencyKey: $k) { __typename ... on ClinicAccessRevoked { clinicId } } }',
      patient,
      { c: X.id, k: key() },
    );
    expect(revoked['revokeClinicAccess']).toEqual({ __typename: 'ClinicAccessRevoked', clinicId: X.id });
    await linksSettle(fresh.clientId, [Y.id]);
    const after = await gql(FIND, X.admin, { e: fresh.email });
    expect(after.body.data?.['findPatient'] ?? null).toBeNull();
  });

  it('bounds guessing: after a few wrong codes a clinic is refused even the right one, with a typed answer', async () => {
    const fresh = await registerAt(Y);
    const token = await system.token({ role: 'Patient', subject: fresh.clientId });
    const made = await must(
      'mutation($k: String!) { createClinicAccessCode(idempotencyKey: $k) { ... on ClinicAccessCode { code } } }',
      token,
      { k: key() },
    );
    const { code } = made['createClinicAccessCode'] as { code: string };
    const REDEEM = `mutation($c: String!, $k: String!) { redeemClinicAccessCode(code: $c, idempotencyKey: $k) {
      __typename ... on ClinicAccessCodeRefused { reason message } } }`;
    const reasons: string[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const wrong = await must(REDEEM, Z.manager, {
        c: `WRONG${String(attempt).padStart(3, '2')}`.slice(0, 8),
        k: key(),
      });
      const refusal = wrong['redeemClinicAccessCode'] as { reason: string; message: string };
      reasons.push(refusal.reason);
      expect(refusal.message).not.toContain('WRONG');
    }
    expect(reasons).toContain('TOO_MANY_ATTEMPTS');
    const right = await must(REDEEM, Z.manager, { c: code, k: key() });
    expect(right['redeemClinicAccessCode']).toMatchObject({ reason: 'TOO_MANY_ATTEMPTS' });
    expect(await patientsLinks(fresh.clientId)).not.toContain(Z.id);
  });

  it('erasure ends every link', async () => {
    const fresh = await registerAt(Z);
    await linksSettle(fresh.clientId, [Z.id]);
    const erased = await must(ERASE, sysadmin, { c: fresh.clientId, k: key() });
    expect(typename(erased['erasePatient'])).toBe('PatientErased');
    await linksSettle(fresh.clientId, []);
  });

  it('booking for an unlinked patient or an unknown clientId answers the same NotAllowed', async () => {
    const input = (clientId: string) => ({
      input: { slotId: slotOf(X).id, clientId, idempotencyKey: key() },
    });
    const unlinked = await gql(BOOK, X.admin, input(P.clientId));
    const unknown = await gql(BOOK, X.admin, input(randomUUID()));
    expect(typename(unlinked.body.data?.['bookAppointment'])).toBe('NotAllowed');
    expect(unknown.body.data?.['bookAppointment']).toEqual(unlinked.body.data?.['bookAppointment']);
  });
});

describe('one bad row never breaks a list', () => {
  it('an appointment whose clientId is no registered patient lists with a null patient and an error on its path', async () => {
    const slot = slotOf(X);
    const row = await sql('appointments', 'SELECT "doctor_id", "start", "end" FROM "slot" WHERE "id" = $1', [
      slot.id,
    ]);
    const id = randomUUID();
    await sql(
      'appointments',
      `INSERT INTO "appointment" ("id", "slot_id", "doctor_id", "clinic_id", "client_id", "start", "end", "status")
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked')`,
      [id, slot.id, row[0]!['doctor_id'], X.id, randomUUID(), row[0]!['start'], row[0]!['end']],
    );
    const listed = await gql('{ appointments(first: 200) { id patient { clientId } } }', X.admin);
    const rows = listed.body.data?.['appointments'] as { id: string; patient: unknown }[] | undefined;
    expect(rows?.length ?? 0).toBeGreaterThan(1);
    expect(rows?.find((appointment) => appointment.id === id)).toEqual({ id, patient: null });
    expect(rows?.filter((appointment) => appointment.patient !== null).length).toBeGreaterThan(0);
    expect(codes(listed)).not.toContain('INTERNAL_SERVER_ERROR');
    expect((listed.body.errors ?? []).every((error) => (error as { path?: unknown }).path)).toBe(true);
  });
});

describe('relationship attacks, one per own and clinic row of the policy table', () => {
  const rows = POLICY_TABLE.filter((row) =>
    Object.values(row.access).some((access) => access === 'own' || access === 'clinic'),
  );

  it('has an attack for every own and clinic row', () => {
    expect(Object.keys(ATTACKS).sort()).toEqual(rows.map((row) => row.coordinate).sort());
  });

  it.each(rows.map((row) => [row.coordinate]))('%s', async (coordinate) => {
    const attack = ATTACKS[coordinate];
    if (!attack) throw new Error(`no relationship attack for ${coordinate}`);
    await attack();
  });
});
