import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { buildSchema, isObjectType } from 'graphql';
import { createClient, type Client as SseClient, type ExecutionResult } from 'graphql-sse';
import {
  CALLERS,
  DATABASE_NAMES,
  databaseUrlVariable,
  POLICY_TABLE,
  type Caller,
  type EventEnvelope,
} from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { createTestDatabases, type TestDatabases, eventually } from '@clinic/testing';
import { startTestSystem, type GraphQLResponse, type TestSystem } from '../test-system';

/**
 * The policy table, cell by cell, through the gateway: every caller against every operation and
 * protected field. `allow` must not be refused and `deny` must be; `own` and `clinic` must reach the
 * caller's own data (side A: the caller's patient, doctor and clinic) and must not reach another's
 * (side B: another patient, doctor and clinic). The samples below are checked against the table and
 * the public schema first, so a new operation or protected field without a sample fails this file.
 */

type Data = Record<string, unknown>;

interface Side {
  name: 'A' | 'B';
  clinicId: string;
  /** The doctor of the side's appointments; a Doctor caller is side A's. */
  doctorId: string;
  /** Another doctor of the clinic, whose hours and status the availability mutations touch. */
  otherDoctorId: string;
  clientId: string;
  email: string;
  /** A booked appointment of the side's patient with the side's doctor, with a reason for visit. */
  appointment: Placement;
  /** One of the side's appointments marked as needing attention. */
  attentionId: string;
  freeSlot(): SlotRow;
  freshAppointment(): Promise<string>;
  freshException(): Promise<string>;
  freshPatient(): Promise<string>;
  /** A clinic access code made by a fresh patient of this side. */
  freshCode(): Promise<string>;
  /** An active waitlist entry of the side's patient at the side's clinic. */
  waitlistEntryId: string;
  /** Another active waitlist entry of the side's patient there. */
  freshWaitlistEntry(): Promise<string>;
  /** An open offer of one of the side's free slots to the side's patient. */
  waitlistOfferId: string;
  freshWaitlistOffer(): Promise<string>;
}

interface SlotRow {
  id: string;
  start: string;
  end: string;
}

interface Placement {
  id: string;
  slotId: string;
  start: string;
  end: string;
}

interface Sample {
  query: string | ((caller: Caller) => string);
  variables?: (side: Side, caller: Caller) => Data | Promise<Data>;
  /** Whether the answer shows the side's data, or shows that the action on it happened. */
  reached: (data: Data, side: Side) => boolean;
  /** When there is no way to name another's data (`me`), only the caller's own side is asked. */
  ownSideOnly?: (caller: Caller) => boolean;
}

const REASON = 'Check-up';
const from = () => new Date(Date.now() + 864e5).toISOString();
const to = () => new Date(Date.now() + 15 * 864e5).toISOString();
const key = () => `policy-${randomUUID()}`;
const typename = (field: string) => (data: Data) =>
  (data[field] as { __typename?: string } | null)?.__typename;
const ids = (value: unknown) => ((value ?? []) as { id: string }[]).map((row) => row.id);

let exceptionDay = 200;
const leave = () => {
  const startsAt = new Date(Date.now() + ++exceptionDay * 864e5);
  return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 36e5).toISOString() };
};

let registration = Math.floor(Math.random() * 5000);
const mockPatient = () => {
  const n = String(++registration % 10_000).padStart(4, '0');
  const letters = [...n].map((digit) => 'abcdefghij'[Number(digit)]).join('');
  return {
    givenName: 'Policy',
    familyName: `Mockperson${letters}`,
    dateOfBirth: '1980-02-29',
    email: `policy.mock${n}.${letters}@example.com`,
    phone: `(08) 5550 ${n}`,
    address: `${n} Example Road, Perth WA 6000`,
    idempotencyKey: key(),
  };
};

const SAMPLES: Record<string, Sample> = {
  'Query.clinics': { query: '{ clinics { id } }', reached: (d, s) => ids(d['clinics']).includes(s.clinicId) },
  'Query.clinic': {
    query: 'query($id: ID!) { clinic(id: $id) { id } }',
    variables: (s) => ({ id: s.clinicId }),
    reached: (d, s) => (d['clinic'] as { id: string } | null)?.id === s.clinicId,
  },
  'Query.doctor': {
    query: 'query($id: ID!) { doctor(id: $id) { id } }',
    variables: (s) => ({ id: s.doctorId }),
    reached: (d) => d['doctor'] !== null,
  },
  'Query.slot': {
    query: 'query($id: ID!) { slot(id: $id) { id } }',
    variables: (s) => ({ id: s.appointment.slotId }),
    reached: (d) => d['slot'] !== null,
  },
  'Query.freeSlots': {
    query:
      'query($d: ID, $f: DateTime!, $t: DateTime!) { freeSlots(doctorId: $d, from: $f, to: $t, first: 1) { id } }',
    variables: (s) => ({ d: s.doctorId, f: from(), t: to() }),
    reached: (d) => ids(d['freeSlots']).length > 0,
  },
  'Query.availableSlots': {
    query: `query($filter: AvailableSlotsFilter!) { availableSlots(filter: $filter, first: 1) { edges { node { id } } } }`,
    variables: (s) => ({
      filter: { clinicId: s.clinicId, fromDate: from().slice(0, 10), toDate: to().slice(0, 10) },
    }),
    reached: (d) => (d['availableSlots'] as { edges: unknown[] }).edges.length > 0,
  },
  'Query.nextAvailableSlot': {
    query: 'query($c: ID) { nextAvailableSlot(clinicId: $c) { id } }',
    variables: (s) => ({ c: s.clinicId }),
    reached: (d) => d['nextAvailableSlot'] !== null,
  },
  'Query.appointments': {
    query: '{ appointments(first: 200) { id } }',
    reached: (d, s) => ids(d['appointments']).includes(s.appointment.id),
  },
  'Query.appointment': {
    query: 'query($id: ID!) { appointment(id: $id) { id } }',
    variables: (s) => ({ id: s.appointment.id }),
    reached: (d, s) => (d['appointment'] as { id: string } | null)?.id === s.appointment.id,
  },
  'Query.doctorDay': {
    query: `query($d: ID!, $date: LocalDate!) {
      doctorDay(doctorId: $d, date: $date, timeZone: "Australia/Sydney") { slots { appointment { id } } } }`,
    variables: (s) => ({ d: s.doctorId, date: sydneyDate(s.appointment.start) }),
    reached: (d, s) =>
      (d['doctorDay'] as { slots: { appointment: { id: string } | null }[] }).slots.some(
        (slot) => slot.appointment?.id === s.appointment.id,
      ),
  },
  'Query.appointmentsNeedingAttention': {
    query: 'query($c: ID) { appointmentsNeedingAttention(clinicId: $c, first: 200) { id } }',
    variables: (s) => ({ c: s.clinicId }),
    reached: (d, s) => ids(d['appointmentsNeedingAttention']).includes(s.attentionId),
  },
  'Query.auditTrail': {
    query: 'query($s: ID) { auditTrail(subjectId: $s) { id } }',
    variables: (s) => ({ s: s.appointment.id }),
    reached: (d) => ids(d['auditTrail']).length > 0,
  },
  'Query.verifyAuditChain': {
    query: '{ verifyAuditChain { ok } }',
    reached: (d) => d['verifyAuditChain'] !== null,
  },
  'Query.deadLetters': { query: '{ deadLetters { id } }', reached: (d) => Array.isArray(d['deadLetters']) },
  'Query.availabilityRules': {
    query: 'query($d: ID!) { availabilityRules(doctorId: $d) { id } }',
    variables: (s) => ({ d: s.doctorId }),
    reached: (d) => ids(d['availabilityRules']).length > 0,
  },
  'Query.availabilityExceptions': {
    query: `query($d: ID!, $f: DateTime!, $t: DateTime!) { availabilityExceptions(doctorId: $d, from: $f, to: $t) { id } }`,
    variables: (s) => ({ d: s.doctorId, f: from(), t: to() }),
    reached: (d) => Array.isArray(d['availabilityExceptions']),
  },
  'Query.me': {
    query: '{ me { clientId } }',
    reached: (d, s) => (d['me'] as { clientId: string } | null)?.clientId === s.clientId,
    ownSideOnly: () => true,
  },
  'Query.findPatient': {
    query: 'query($e: String) { findPatient(email: $e) { clientId } }',
    variables: (s) => ({ e: s.email }),
    reached: (d, s) => (d['findPatient'] as { clientId: string } | null)?.clientId === s.clientId,
  },
  'Query.notifications': {
    query: 'query($c: ID) { notifications(clientId: $c) { id } }',
    variables: (s) => ({ c: s.clientId }),
    reached: (d) => ids(d['notifications']).length > 0,
  },
  'Mutation.holdSlot': {
    query: `mutation($input: HoldSlotInput!) { holdSlot(input: $input) { __typename } }`,
    variables: (s) => ({ input: { slotId: s.freeSlot().id, clientId: s.clientId, idempotencyKey: key() } }),
    reached: (d) => typename('holdSlot')(d) === 'SlotHeld',
  },
  'Mutation.bookAppointment': {
    query: `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }`,
    variables: (s) => ({ input: { slotId: s.freeSlot().id, clientId: s.clientId, idempotencyKey: key() } }),
    reached: (d) => typename('bookAppointment')(d) === 'AppointmentBooked',
  },
  'Mutation.cancelAppointment': {
    query: `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`,
    variables: async (s) => ({ input: { appointmentId: await s.freshAppointment(), idempotencyKey: key() } }),
    reached: (d) => typename('cancelAppointment')(d) === 'AppointmentCancelled',
  },
  'Mutation.rescheduleAppointment': {
    query: `mutation($input: RescheduleAppointmentInput!) { rescheduleAppointment(input: $input) { __typename } }`,
    variables: async (s) => ({
      input: { appointmentId: await s.freshAppointment(), slotId: s.freeSlot().id, idempotencyKey: key() },
    }),
    reached: (d) => typename('rescheduleAppointment')(d) === 'AppointmentRescheduled',
  },
  'Mutation.replayDeadLetter': {
    query: 'mutation($id: ID!, $k: String!) { replayDeadLetter(id: $id, idempotencyKey: $k) { __typename } }',
    variables: () => ({ id: randomUUID(), k: key() }),
    reached: (d) => d['replayDeadLetter'] != null,
  },
  'Mutation.setAvailabilityRules': {
    query: `mutation($input: SetAvailabilityRulesInput!) { setAvailabilityRules(input: $input) { __typename } }`,
    // The seed's own hours again: the caller's permission is tested, the doctor's week stays as it was.
    variables: (s) => ({ input: { doctorId: s.otherDoctorId, rules: STANDARD_WEEK, idempotencyKey: key() } }),
    reached: (d) => typename('setAvailabilityRules')(d) === 'AvailabilityRulesSet',
  },
  'Mutation.addAvailabilityException': {
    query: `mutation($input: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $input) { __typename } }`,
    variables: (s) => ({ input: { doctorId: s.doctorId, kind: 'leave', ...leave(), idempotencyKey: key() } }),
    reached: (d) => typename('addAvailabilityException')(d) === 'AvailabilityExceptionAdded',
  },
  'Mutation.removeAvailabilityException': {
    query: `mutation($input: RemoveAvailabilityExceptionInput!) { removeAvailabilityException(input: $input) { __typename } }`,
    variables: async (s) => ({ input: { exceptionId: await s.freshException(), idempotencyKey: key() } }),
    reached: (d) => typename('removeAvailabilityException')(d) === 'AvailabilityExceptionRemoved',
  },
  'Mutation.setDoctorStatus': {
    query: `mutation($input: SetDoctorStatusInput!) { setDoctorStatus(input: $input) { __typename } }`,
    variables: (s) => ({ input: { doctorId: s.otherDoctorId, status: 'active', idempotencyKey: key() } }),
    reached: (d) => typename('setDoctorStatus')(d) === 'DoctorStatusSet',
  },
  'Mutation.registerPatient': {
    query: `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { __typename } }`,
    variables: () => ({ input: mockPatient() }),
    reached: (d) => typename('registerPatient')(d) === 'PatientRegistered',
  },
  'Mutation.erasePatient': {
    query: 'mutation($c: ID!, $k: String!) { erasePatient(clientId: $c, idempotencyKey: $k) { __typename } }',
    variables: async (s) => ({ c: await s.freshPatient(), k: key() }),
    reached: (d) => typename('erasePatient')(d) === 'PatientErased',
  },
  'Mutation.createClinicAccessCode': {
    query: 'mutation($k: String!) { createClinicAccessCode(idempotencyKey: $k) { __typename } }',
    variables: () => ({ k: key() }),
    reached: (d) => typename('createClinicAccessCode')(d) === 'ClinicAccessCode',
    // A code is always the signed-in patient's own: there is no other patient to name.
    ownSideOnly: () => true,
  },
  'Mutation.redeemClinicAccessCode': {
    query:
      'mutation($c: String!, $k: String!) { redeemClinicAccessCode(code: $c, idempotencyKey: $k) { __typename } }',
    variables: async (s) => ({ c: await s.freshCode(), k: key() }),
    reached: (d) => typename('redeemClinicAccessCode')(d) === 'ClinicAccessGranted',
    // A code links its patient to the caller's clinic whoever the patient is: that is the patient's grant.
    ownSideOnly: () => true,
  },
  'Mutation.revokeClinicAccess': {
    // A clinic the patient was never linked to: the patient's real links stay for the other rows.
    query:
      'mutation($c: ID!, $k: String!) { revokeClinicAccess(clinicId: $c, idempotencyKey: $k) { __typename } }',
    variables: () => ({ c: randomUUID(), k: key() }),
    reached: (d) => typename('revokeClinicAccess')(d) === 'ClinicAccessRevoked',
    ownSideOnly: () => true,
  },
  // Waitlist (issue 19).
  'Query.myWaitlist': {
    query: '{ myWaitlist { id } }',
    reached: (d, s) => ids(d['myWaitlist']).includes(s.waitlistEntryId),
    // The signed-in patient's own list: there is no other patient to name.
    ownSideOnly: () => true,
  },
  'Query.clinicWaitlist': {
    query: 'query($c: ID) { clinicWaitlist(clinicId: $c, first: 200) { id } }',
    variables: (s) => ({ c: s.clinicId }),
    reached: (d, s) => ids(d['clinicWaitlist']).includes(s.waitlistEntryId),
  },
  'Mutation.joinWaitlist': {
    query: `mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) { __typename } }`,
    variables: (s) => ({
      input: {
        clinicId: s.clinicId,
        fromDate: sydneyDate(from()),
        toDate: sydneyDate(to()),
        timeZone: 'Australia/Sydney',
        idempotencyKey: key(),
      },
    }),
    reached: (d) => typename('joinWaitlist')(d) === 'WaitlistJoined',
    // A patient joins for themself alone, at any clinic: there is no other patient to name.
    ownSideOnly: () => true,
  },
  'Mutation.leaveWaitlist': {
    query: `mutation($input: LeaveWaitlistInput!) { leaveWaitlist(input: $input) { __typename } }`,
    variables: async (s) => ({ input: { entryId: await s.freshWaitlistEntry(), idempotencyKey: key() } }),
    reached: (d) => typename('leaveWaitlist')(d) === 'WaitlistLeft',
  },
  'Query.myWaitlistOffers': {
    query: '{ myWaitlistOffers { id } }',
    reached: (d, s) => ids(d['myWaitlistOffers']).includes(s.waitlistOfferId),
    // The signed-in patient's own offers: there is no other patient to name.
    ownSideOnly: () => true,
  },
  'Mutation.claimWaitlistOffer': {
    query: `mutation($input: ClaimWaitlistOfferInput!) { claimWaitlistOffer(input: $input) { __typename } }`,
    variables: async (s) => ({ input: { offerId: await s.freshWaitlistOffer(), idempotencyKey: key() } }),
    reached: (d) => typename('claimWaitlistOffer')(d) === 'AppointmentBooked',
  },
  'Query.waitlistSettings': {
    query: 'query($c: ID) { waitlistSettings(clinicId: $c) { clinicId } }',
    variables: (s) => ({ c: s.clinicId }),
    reached: (d, s) => (d['waitlistSettings'] as { clinicId: string } | null)?.clinicId === s.clinicId,
  },
  'Mutation.setWaitlistMode': {
    query: `mutation($input: SetWaitlistModeInput!) { setWaitlistMode(input: $input) { __typename } }`,
    // The default again: the caller's permission is tested, the clinic's offers stay as they were.
    variables: (s) => ({ input: { clinicId: s.clinicId, mode: 'broadcast', idempotencyKey: key() } }),
    reached: (d) => typename('setWaitlistMode')(d) === 'WaitlistModeSet',
  },
  // Reminders (issue 19).
  'Query.reminderSettings': {
    query: 'query($c: ID!) { reminderSettings(clinicId: $c) { __typename } }',
    variables: (s) => ({ c: s.clinicId }),
    reached: (d) => typename('reminderSettings')(d) === 'ReminderSettings',
  },
  'Query.reminderStats': {
    query:
      'query($c: ID!, $f: DateTime!, $t: DateTime!) { reminderStats(clinicId: $c, from: $f, to: $t) { __typename } }',
    variables: (s) => ({ c: s.clinicId, f: from(), t: to() }),
    reached: (d) => typename('reminderStats')(d) === 'ReminderStats',
  },
  'Mutation.setReminderSettings': {
    // The defaults, so the other rows see the clinic as it was.
    query: `mutation($input: SetReminderSettingsInput!) { setReminderSettings(input: $input) { __typename } }`,
    variables: (s) => ({
      input: {
        clinicId: s.clinicId,
        offsetsMinutes: [1440, 120],
        channels: ['sms', 'email'],
        idempotencyKey: key(),
      },
    }),
    reached: (d) => typename('setReminderSettings')(d) === 'ReminderSettings',
  },
  'Mutation.setReminderOptOuts': {
    query: 'mutation($k: String!) { setReminderOptOuts(channels: [], idempotencyKey: $k) { __typename } }',
    variables: () => ({ k: key() }),
    reached: (d) => typename('setReminderOptOuts')(d) === 'ReminderOptOuts',
    // Always the signed-in patient's own: there is no other patient to name.
    ownSideOnly: () => true,
  },
  'Mutation.answerReminder': {
    query:
      'mutation($t: String!) { answerReminder(token: $t, answer: CONFIRM) { __typename ... on ReminderReplyRefused { reason } } }',
    // A fresh reply token of the side's patient and appointment (only its SHA-256 is stored).
    variables: async (s) => {
      const token = randomBytes(32).toString('base64url');
      await sql(
        'patients',
        `INSERT INTO "reminder_reply" ("token_hash", "reminder_id", "notification_id", "appointment_id", "client_id",
           "clinic_id", "appointment_start", "expires_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [
          createHash('sha256').update(token).digest(),
          randomUUID(),
          randomUUID(),
          s.appointment.id,
          s.clientId,
          s.clinicId,
          s.appointment.start,
        ],
      );
      return { t: token };
    },
    reached: (d) => typename('answerReminder')(d) === 'ReminderAnswered',
  },
  'Appointment.reminders': {
    query: 'query($id: ID!) { appointment(id: $id) { id reminders { id status dueAt } } }',
    // Scheduled by the patients service's consumer from the booking event: wait for the rows.
    variables: async (s) => {
      await eventually(async () =>
        (await sql('patients', 'SELECT 1 FROM "reminder" WHERE "appointment_id" = $1', [s.appointment.id]))
          .length
          ? true
          : undefined,
      );
      return { id: s.appointment.id };
    },
    reached: (d) => ((d['appointment'] as { reminders: unknown[] } | null)?.reminders.length ?? 0) > 0,
  },
  'Appointment.reasonForVisit': {
    query: 'query($id: ID!) { appointment(id: $id) { id reasonForVisit } }',
    variables: (s) => ({ id: s.appointment.id }),
    reached: (d) => (d['appointment'] as { reasonForVisit: string } | null)?.reasonForVisit === REASON,
  },
  'Appointment.history': {
    query: 'query($id: ID!) { appointment(id: $id) { id history { action } } }',
    variables: (s) => ({ id: s.appointment.id }),
    reached: (d) => ((d['appointment'] as { history: unknown[] } | null)?.history.length ?? 0) > 0,
  },
  'Patient.profile': {
    // A patient reads their own through `me`; staff reach another patient through findPatient.
    query: (caller) =>
      caller === 'Patient'
        ? '{ me { clientId profile { email } } }'
        : 'query($e: String) { findPatient(email: $e) { clientId profile { email } } }',
    variables: (s) => ({ e: s.email }),
    reached: (d, s) =>
      ((d['me'] ?? d['findPatient']) as { profile: { email: string } | null } | null)?.profile?.email ===
      s.email.toLowerCase(),
    ownSideOnly: (caller) => caller === 'Patient',
  },
};

interface LiveSample {
  query: string;
  variables: (side: Side) => Data;
  /** An event for the side, published on the bus; the subscriber should get it when allowed. */
  event: (side: Side) => EventEnvelope;
  reached: (result: Data, side: Side) => boolean;
}

const LIVE_SAMPLES: Record<string, LiveSample> = {
  'Subscription.slotAvailabilityChanged': {
    query: `subscription($c: ID, $f: DateTime!, $t: DateTime!) {
      slotAvailabilityChanged(clinicId: $c, from: $f, to: $t) { slotId } }`,
    variables: (s) => ({ c: s.clinicId, f: new Date(Date.now() - 864e5).toISOString(), t: to() }),
    event: (s) => {
      const slot = s.freeSlot();
      return liveEvent('slot.changed', slot.id, {
        slotId: slot.id,
        doctorId: s.doctorId,
        clinicId: s.clinicId,
        start: slot.start,
        end: slot.end,
        status: 'free',
      });
    },
    reached: (d) => d['slotAvailabilityChanged'] != null,
  },
  'Subscription.doctorStatusChanged': {
    query: 'subscription($c: ID!) { doctorStatusChanged(clinicId: $c) { doctorId } }',
    variables: (s) => ({ c: s.clinicId }),
    event: (s) =>
      liveEvent('doctor.status-changed', s.otherDoctorId, {
        doctorId: s.otherDoctorId,
        clinicId: s.clinicId,
        status: 'active',
      }),
    reached: (d, s) => (d['doctorStatusChanged'] as { doctorId: string }).doctorId === s.otherDoctorId,
  },
  'Subscription.myAppointmentUpdates': {
    query: 'subscription { myAppointmentUpdates { appointmentId } }',
    variables: () => ({}),
    event: (s) =>
      liveEvent('appointment.booked', s.appointment.id, {
        appointmentId: s.appointment.id,
        slotId: s.appointment.slotId,
        doctorId: s.doctorId,
        clinicId: s.clinicId,
        clientId: s.clientId,
        start: s.appointment.start,
        end: s.appointment.end,
      }),
    reached: (d, s) =>
      (d['myAppointmentUpdates'] as { appointmentId: string }).appointmentId === s.appointment.id,
  },
};

let STANDARD_WEEK: Data[] = [];
let databases: TestDatabases;
let system: TestSystem;
let sides: { A: Side; B: Side };
const tokens = new Map<Caller, string | undefined>();
const sseClients: SseClient[] = [];

function liveEvent(type: EventEnvelope['type'], aggregateId: string, payload: Data): EventEnvelope {
  // The payload is checked against the event catalogue by createEvent.
  return createEvent({
    type,
    aggregateId,
    actor: { role: 'System', subject: 'policy-test' },
    payload,
  } as Parameters<typeof createEvent>[0]);
}

function sydneyDate(instant: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(new Date(instant));
}

async function sql(database: 'appointments' | 'patients', text: string, values: unknown[] = []) {
  const client = new PgClient({ connectionString: databases.urls[database] });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function must(query: string, token: string | undefined, variables: Data = {}): Promise<Data> {
  const response = await system.graphql(query, { ...(token ? { token } : {}), variables });
  if (!response.body.data || response.body.errors)
    throw new Error(`setup failed: ${query}: ${JSON.stringify(response.body.errors)}`);
  return response.body.data;
}

async function makeSide(name: 'A' | 'B', clinic: { id: string; doctors: { id: string }[] }): Promise<Side> {
  const sysadmin = tokens.get('SystemAdministrator');
  const admin = await system.token({
    role: 'ClinicAdmin',
    subject: `policy-admin-${name}`,
    clinicId: clinic.id,
  });
  const [doctor, otherDoctor] = clinic.doctors as [{ id: string }, { id: string }];
  const free = await must(
    'query($d: ID, $f: DateTime!, $t: DateTime!) { freeSlots(doctorId: $d, from: $f, to: $t, first: 200) { id start end } }',
    undefined,
    { d: doctor.id, f: from(), t: to() },
  );
  const pool = [...(free['freeSlots'] as SlotRow[])];
  const freeSlot = () => {
    const slot = pool.shift();
    if (!slot) throw new Error(`side ${name} ran out of free slots`);
    return slot;
  };
  // Registered at the side's own desk, which links the new patient to the clinic (docs/policy.md); its
  // staff book for them once the appointments service has the link.
  const register = async () => {
    const input = mockPatient();
    const data = await must(
      'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { ... on PatientRegistered { patient { clientId } } } }',
      admin,
      { input },
    );
    const clientId = (data['registerPatient'] as { patient: { clientId: string } }).patient.clientId;
    await eventually(async () =>
      (await sql('appointments', 'SELECT 1 FROM "clinic_link" WHERE "client_id" = $1', [clientId])).length
        ? true
        : undefined,
    );
    return { clientId, email: input.email };
  };
  const patient = await register();
  const book = async (reasonForVisit?: string, clientId = patient.clientId): Promise<Placement> => {
    const slot = freeSlot();
    const data = await must(
      `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
        __typename ... on AppointmentBooked { appointment { id start end slot { id } } } } }`,
      admin,
      { input: { slotId: slot.id, clientId, reasonForVisit, idempotencyKey: key() } },
    );
    const booked = data['bookAppointment'] as {
      __typename: string;
      appointment?: { id: string; start: string; end: string; slot: { id: string } };
    };
    if (!booked.appointment) throw new Error(`side ${name} could not book: ${booked.__typename}`);
    return { ...booked.appointment, slotId: booked.appointment.slot.id };
  };
  const appointment = await book(REASON);
  const attention = await book();
  await sql('appointments', 'UPDATE "appointment" SET "needs_attention_since" = now() WHERE "id" = $1', [
    attention.id,
  ]);
  await sql(
    'patients',
    `INSERT INTO "notification" ("id", "recipient", "client_id", "clinic_id", "channel", "reason",
       "appointment_id", "appointment_start", "doctor_id", "event_id", "status")
     VALUES ($1, 'patient', $2, $3, 'email', 'reassigned', $4, $5, $6, $7, 'sent')`,
    [randomUUID(), patient.clientId, clinic.id, appointment.id, appointment.start, doctor.id, randomUUID()],
  );
  // Written directly, not by joinWaitlist: the rows below make many, and the per-patient cap is not tested here.
  const waitlistEntry = async () => {
    const id = randomUUID();
    await sql(
      'appointments',
      `INSERT INTO "waitlist_entry" ("id", "client_id", "clinic_id", "from_date", "to_date", "time_zone")
       VALUES ($1, $2, $3, current_date + 1, current_date + 14, 'Australia/Sydney')`,
      [id, patient.clientId, clinic.id],
    );
    return id;
  };
  const waitlistEntryId = await waitlistEntry();
  // An open broadcast offer of one of the side's free slots, as the waitlist consumer would make it.
  const waitlistOffer = async () => {
    const id = randomUUID();
    const slot = freeSlot();
    await sql(
      'appointments',
      `INSERT INTO "waitlist_offer" ("id", "entry_id", "client_id", "clinic_id", "doctor_id", "slot_id",
         "start", "end", "mode", "expires_at", "event_id")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'broadcast', now() + interval '1 hour', $9)`,
      [
        id,
        await waitlistEntry(),
        patient.clientId,
        clinic.id,
        doctor.id,
        slot.id,
        slot.start,
        slot.end,
        randomUUID(),
      ],
    );
    return id;
  };
  const waitlistOfferId = await waitlistOffer();
  return {
    name,
    clinicId: clinic.id,
    waitlistEntryId,
    freshWaitlistEntry: waitlistEntry,
    waitlistOfferId,
    freshWaitlistOffer: waitlistOffer,
    doctorId: doctor.id,
    otherDoctorId: otherDoctor.id,
    clientId: patient.clientId,
    email: patient.email,
    appointment,
    attentionId: attention.id,
    freeSlot,
    freshAppointment: async () => (await book()).id,
    freshException: async () => {
      const data = await must(
        `mutation($input: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $input) {
          ... on AvailabilityExceptionAdded { exception { id } } } }`,
        sysadmin,
        { input: { doctorId: doctor.id, kind: 'leave', ...leave(), idempotencyKey: key() } },
      );
      return (data['addAvailabilityException'] as { exception: { id: string } }).exception.id;
    },
    // A patient of this side's clinic: registered and booked there.
    freshPatient: async () => {
      const { clientId } = await register();
      await book(undefined, clientId);
      return clientId;
    },
    freshCode: async () => {
      const { clientId } = await register();
      const token = await system.token({ role: 'Patient', subject: clientId });
      const data = await must(
        'mutation($k: String!) { createClinicAccessCode(idempotencyKey: $k) { ... on ClinicAccessCode { code } } }',
        token,
        { k: key() },
      );
      return (data['createClinicAccessCode'] as { code: string }).code;
    },
  };
}

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
  );
  tokens.set(
    'SystemAdministrator',
    await system.token({ role: 'SystemAdministrator', subject: 'policy-sysadmin' }),
  );
  const data = await must('{ clinics { id doctors { id } } }', undefined);
  const clinics = (data['clinics'] as { id: string; doctors: { id: string }[] }[]).filter(
    (clinic) => clinic.doctors.length >= 2,
  );
  if (clinics.length < 2) throw new Error('the seed needs two clinics with two doctors each');
  const rules = await must(
    'query($d: ID!) { availabilityRules(doctorId: $d) { weekday startLocal endLocal slotMinutes } }',
    tokens.get('SystemAdministrator'),
    { d: clinics[0]!.doctors[1]!.id },
  );
  STANDARD_WEEK = rules['availabilityRules'] as Data[];
  sides = { A: await makeSide('A', clinics[0]!), B: await makeSide('B', clinics[1]!) };
  const a = sides.A;
  tokens.set('Anonymous', undefined);
  tokens.set('Patient', await system.token({ role: 'Patient', subject: a.clientId }));
  tokens.set('Doctor', await system.token({ role: 'Doctor', subject: a.doctorId, clinicId: a.clinicId }));
  tokens.set(
    'ClinicAdmin',
    await system.token({ role: 'ClinicAdmin', subject: 'policy-admin', clinicId: a.clinicId }),
  );
  tokens.set(
    'PracticeManager',
    await system.token({ role: 'PracticeManager', subject: 'policy-manager', clinicId: a.clinicId }),
  );
  // The bookings' events have reached the audit trail and the patients' clinic links.
  for (const side of [sides.A, sides.B]) {
    await eventually(async () => {
      const trail = await must(
        'query($s: ID) { auditTrail(subjectId: $s) { id } }',
        tokens.get('SystemAdministrator'),
        {
          s: side.appointment.id,
        },
      );
      return ids(trail['auditTrail']).length > 0 ? true : undefined;
    });
    await eventually(async () =>
      (await sql('patients', 'SELECT 1 FROM "patient_clinic" WHERE "client_id" = $1', [side.clientId])).length
        ? true
        : undefined,
    );
  }
}, 600_000);

afterAll(async () => {
  for (const client of sseClients) client.dispose();
  await system?.stop();
  await databases?.drop();
});

function refused(response: GraphQLResponse): boolean {
  const codes = (response.body.errors ?? []).map((error) => error.extensions?.['code']);
  if (codes.some((code) => code === 'FORBIDDEN' || code === 'UNAUTHENTICATED')) return true;
  return Object.values(response.body.data ?? {}).some((value) =>
    String((value as { __typename?: unknown } | null)?.__typename ?? '').endsWith('NotAllowed'),
  );
}

async function ask(coordinate: string, caller: Caller, side: Side) {
  const sample = SAMPLES[coordinate] as Sample;
  const query = typeof sample.query === 'function' ? sample.query(caller) : sample.query;
  const variables = (await sample.variables?.(side, caller)) ?? {};
  const token = tokens.get(caller);
  const response = await system.graphql(query, { ...(token ? { token } : {}), variables });
  const explain = `${caller} on side ${side.name}: ${JSON.stringify(response.body)}`;
  return {
    refused: refused(response),
    reached: !refused(response) && !!response.body.data && sample.reached(response.body.data, side),
    explain,
  };
}

describe('the policy test covers the whole table', () => {
  it('has a sample for every row, and a row for every operation of the public API', () => {
    const rows = POLICY_TABLE.map((row) => row.coordinate).sort();
    expect([...Object.keys(SAMPLES), ...Object.keys(LIVE_SAMPLES)].sort()).toEqual(rows);
    const api = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/api.graphql'), 'utf8'));
    const operations = ['Query', 'Mutation', 'Subscription'].flatMap((root) => {
      const type = api.getType(root);
      return type && isObjectType(type)
        ? Object.keys(type.getFields()).map((field) => `${root}.${field}`)
        : [];
    });
    expect(operations.filter((operation) => !rows.includes(operation))).toEqual([]);
  });
});

const cases = (coordinates: string[]) =>
  POLICY_TABLE.filter((row) => coordinates.includes(row.coordinate)).flatMap((row) =>
    CALLERS.map((caller) => [`${caller} × ${row.coordinate} (${row.access[caller]})`, caller, row] as const),
  );

describe('every caller against every operation and field, through the gateway', () => {
  it.each(cases(Object.keys(SAMPLES)))('%s', async (_name, caller, row) => {
    const access = row.access[caller];
    const mine = await ask(row.coordinate, caller, sides.A);
    if (access === 'deny') {
      expect({ refused: mine.refused, explain: mine.explain }).toMatchObject({ refused: true });
      return;
    }
    expect({ refused: mine.refused, explain: mine.explain }).toMatchObject({ refused: false });
    if (access === 'allow') return;
    // own and clinic: the caller's own data is reached, another's is refused or absent.
    expect({ reached: mine.reached, explain: mine.explain }).toMatchObject({ reached: true });
    if (SAMPLES[row.coordinate]?.ownSideOnly?.(caller)) return;
    const theirs = await ask(row.coordinate, caller, sides.B);
    expect({ reached: theirs.reached, explain: theirs.explain }).toMatchObject({ reached: false });
  });
});

async function subscribe(query: string, variables: Data, token: string | undefined) {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: system.gatewayUrl,
    singleConnection: false,
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  sseClients.push(client);
  const received: ExecutionResult<Data, unknown>[] = [];
  const stop = client.subscribe(
    { query, variables },
    { next: (result) => void received.push(result), error: () => undefined, complete: () => undefined },
  );
  await ready;
  return { received, stop };
}

describe('every caller against every subscription, through the gateway', () => {
  it.each(cases(Object.keys(LIVE_SAMPLES)))('%s', async (_name, caller, row) => {
    const sample = LIVE_SAMPLES[row.coordinate] as LiveSample;
    const access = row.access[caller];
    const stream = await subscribe(sample.query, sample.variables(sides.A), tokens.get(caller));
    try {
      if (access === 'deny') {
        await eventually(async () => (stream.received.length > 0 ? true : undefined));
        const codes = stream.received[0]?.errors?.map((error) => error.extensions?.['code']);
        expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(codes?.[0]);
        return;
      }
      // Another side's event first, on the same key so it is delivered first: when the caller's own
      // arrives, the other one has been filtered (own) or delivered too (allow).
      const aggregate = randomUUID();
      const theirs = { ...sample.event(sides.B), aggregateId: aggregate };
      const mine = { ...sample.event(sides.A), aggregateId: aggregate };
      await system.bus.publish(topicOf(row.coordinate), [theirs, mine]);
      await eventually(async () =>
        stream.received.some((result) => result.data && sample.reached(result.data, sides.A))
          ? true
          : undefined,
      );
      expect(stream.received.every((result) => !result.errors)).toBe(true);
      if (access === 'own')
        expect(stream.received.some((result) => result.data && sample.reached(result.data, sides.B))).toBe(
          false,
        );
    } finally {
      stream.stop();
    }
  });
});

function topicOf(coordinate: string): 'appointments' | 'doctors' {
  return coordinate === 'Subscription.doctorStatusChanged' ? 'doctors' : 'appointments';
}

describe('the gateway pre-check', () => {
  it('refuses a denied operation before any subgraph runs it', async () => {
    const response = await system.graphql('{ clinics { id } deadLetters { id } }', {
      token: tokens.get('Patient') as string,
    });
    // A subgraph's refusal would carry the field's path and leave the allowed field's data.
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]).not.toHaveProperty('path');
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('contact details', () => {
  it("are read by a clinic admin only for their clinic's patients, and every read is audited", async () => {
    const admin = tokens.get('ClinicAdmin');
    const query = 'query($e: String) { findPatient(email: $e) { clientId profile { email } } }';
    const own = await system.graphql(query, { token: admin, variables: { e: sides.A.email } });
    expect(own.body.errors).toBeUndefined();
    // Another clinic's patient is not found at all: no clientId, no details, nothing to audit.
    const other = await system.graphql(query, { token: admin, variables: { e: sides.B.email } });
    expect(other.body).toEqual({ data: { findPatient: null } });
    const entries = await eventually(async () => {
      const trail = await must(
        'query($s: ID) { auditTrail(subjectId: $s) { action actorRole actorSubject subjectType } }',
        tokens.get('SystemAdministrator'),
        { s: sides.A.clientId },
      );
      const reads = (trail['auditTrail'] as { action: string; actorRole: string }[]).filter(
        (entry) => entry.action === 'patient.pii-read' && entry.actorRole === 'ClinicAdmin',
      );
      return reads.length > 0 ? reads : undefined;
    });
    expect(entries[0]).toMatchObject({ actorSubject: 'policy-admin', subjectType: 'Patient' });
    const trailB = await must(
      'query($s: ID) { auditTrail(subjectId: $s) { action } }',
      tokens.get('SystemAdministrator'),
      {
        s: sides.B.clientId,
      },
    );
    expect((trailB['auditTrail'] as { action: string }[]).map((entry) => entry.action)).not.toContain(
      'patient.pii-read',
    );
  });

  it("one patient asking for another's appointments gets nothing of theirs", async () => {
    const patient = tokens.get('Patient');
    const list = await must('{ appointments(first: 200) { id clientId } }', patient);
    const rows = list['appointments'] as { id: string; clientId: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.clientId === sides.A.clientId)).toBe(true);
    const one = await must('query($id: ID!) { appointment(id: $id) { id } }', patient, {
      id: sides.B.appointment.id,
    });
    expect(one['appointment']).toBeNull();
  });
});
