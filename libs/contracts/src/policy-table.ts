import { ROLES, type Identity, type Role } from './identity';

/**
 * THE authorization policy: for every operation (root field) of the public API and every protected
 * object field, what each caller may do. The subgraphs enforce it (server/use-policy.ts), the gateway
 * pre-checks root fields with it (gateway/src/hardening/use-policy-precheck.ts), docs/policy.md is
 * rendered from it (`npm run docs`), and system/policy/policy.int.test.ts runs every cell of it
 * through the gateway.
 *
 * - allow:  the caller may, whatever the data.
 * - own:    only on data that is the caller's own (the row's `own` says what that means); the resolver
 *           scopes, so another's data is refused or simply absent, by the rules in the row's `rules`
 *           file (each service keeps all of its rules in one: src/access/access.ts).
 * - clinic: only on data of the caller's clinic (the row's `clinic` says what that means; same file).
 * - deny:   never; refused before any resolver runs.
 */
export const ACCESS = ['allow', 'own', 'clinic', 'deny'] as const;
export type Access = (typeof ACCESS)[number];

/** The five roles, plus a caller without a token (public data only). */
export const CALLERS = ['Anonymous', ...ROLES] as const;
export type Caller = (typeof CALLERS)[number];

export interface PolicyRow {
  /** Query.x, Mutation.y, Subscription.z, or Type.field for a protected object field. */
  coordinate: string;
  access: Record<Caller, Access>;
  /** What "own" means on this row; required when any caller has `own`. */
  own?: string;
  /** What "clinic" means on this row; required when any caller has `clinic`. */
  clinic?: string;
  /** The file whose rules scope `own` and `clinic` on this row; required when either is used. */
  rules?: string;
}

/** Where each service scopes `own` and `clinic` rows: one access file each. */
export const ACCESS_RULES = {
  appointments: 'subgraphs/appointments/src/access/access.ts',
  doctors: 'subgraphs/doctors/src/access/access.ts',
  patients: 'subgraphs/patients/src/access/access.ts',
  audit: 'subgraphs/audit/src/access/access.ts',
  /** Subscriptions are served by the gateway, which filters each subscriber's events. */
  gateway: 'gateway/src/subscriptions/live-fields.ts',
} as const;

type Cells = [Access, Access, Access, Access, Access, Access];

function row(
  coordinate: string,
  cells: Cells,
  scope: { own?: string; clinic?: string; rules?: string } = {},
): PolicyRow {
  const access = Object.fromEntries(CALLERS.map((caller, i) => [caller, cells[i]])) as Record<Caller, Access>;
  return { coordinate, access, ...scope };
}

const PUBLIC: Cells = ['allow', 'allow', 'allow', 'allow', 'allow', 'allow'];
const SYSADMIN_ONLY: Cells = ['deny', 'deny', 'deny', 'deny', 'deny', 'allow'];

const APPOINTMENT_SCOPE = {
  own: "a patient's own appointments (clientId = the patient); a doctor's appointments with them",
  clinic: "appointments at the caller's clinic",
  rules: ACCESS_RULES.appointments,
};
/** What makes a patient a clinic's (docs/policy.md, "Patients linked to a clinic"). */
const LINKED = "patients linked to the caller's clinic";
const CHANGE_SCOPE = {
  own: 'a patient acts only for themself (their own clientId and appointments)',
  clinic: `a clinic admin acts, on slots and appointments of their clinic, for ${LINKED} only (anyone else, or an unknown clientId: NotAllowed)`,
  rules: ACCESS_RULES.appointments,
};
const AVAILABILITY_CLINIC = "doctors of the caller's clinic";
const AVAILABILITY_SCOPE = { clinic: AVAILABILITY_CLINIC, rules: ACCESS_RULES.doctors };
const OWN_LEAVE_SCOPE = { ...AVAILABILITY_SCOPE, own: "a doctor's own leave (not blocked time)" };
const CLINIC_STAFF: Cells = ['deny', 'deny', 'clinic', 'clinic', 'clinic', 'allow'];
const CLINIC_MANAGERS: Cells = ['deny', 'deny', 'deny', 'clinic', 'clinic', 'allow'];
const MANAGERS_AND_OWN: Cells = ['deny', 'deny', 'own', 'clinic', 'clinic', 'allow'];

const REMINDER_SETTINGS_SCOPE = {
  clinic: "the caller's own clinic's reminder settings and confirmation rate (another clinic's: NotAllowed)",
  rules: ACCESS_RULES.patients,
};

//                                                Anonymous Patient  Doctor   ClinicAdmin PracticeMgr SysAdmin
export const POLICY_TABLE: readonly PolicyRow[] = [
  // Public directory and free time.
  row('Query.clinics', PUBLIC),
  row('Query.clinic', PUBLIC),
  row('Query.doctor', PUBLIC),
  row('Query.slot', PUBLIC),
  row('Query.freeSlots', PUBLIC),
  row('Query.availableSlots', PUBLIC),
  row('Query.nextAvailableSlot', PUBLIC),
  row('Subscription.slotAvailabilityChanged', PUBLIC),
  row('Subscription.doctorStatusChanged', PUBLIC),

  // Appointments.
  row('Query.appointments', ['deny', 'own', 'own', 'clinic', 'clinic', 'allow'], APPOINTMENT_SCOPE),
  row('Query.appointment', ['deny', 'own', 'own', 'clinic', 'clinic', 'allow'], APPOINTMENT_SCOPE),
  row('Query.doctorDay', ['deny', 'deny', 'own', 'clinic', 'clinic', 'allow'], {
    own: "a doctor's own day",
    clinic:
      "days of doctors at the caller's clinic; any other doctor's day (one this service has no slots of included) is refused with FORBIDDEN, never answered empty",
    rules: ACCESS_RULES.appointments,
  }),
  row(
    'Query.appointmentsNeedingAttention',
    ['deny', 'deny', 'own', 'clinic', 'clinic', 'allow'],
    APPOINTMENT_SCOPE,
  ),
  row('Subscription.myAppointmentUpdates', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "events of the patient's own appointments",
    rules: ACCESS_RULES.gateway,
  }),
  row('Mutation.holdSlot', ['deny', 'own', 'deny', 'clinic', 'deny', 'deny'], CHANGE_SCOPE),
  row('Mutation.bookAppointment', ['deny', 'own', 'deny', 'clinic', 'deny', 'deny'], CHANGE_SCOPE),
  row('Mutation.cancelAppointment', ['deny', 'own', 'deny', 'clinic', 'deny', 'deny'], CHANGE_SCOPE),
  row('Mutation.rescheduleAppointment', ['deny', 'own', 'deny', 'clinic', 'deny', 'deny'], CHANGE_SCOPE),
  row('Appointment.reasonForVisit', ['deny', 'own', 'own', 'clinic', 'deny', 'deny'], {
    own: "the patient's own appointments; a doctor's appointments with them",
    clinic: "appointments at the caller's clinic",
    rules: ACCESS_RULES.appointments,
  }),
  row('Appointment.history', ['deny', 'own', 'clinic', 'clinic', 'clinic', 'allow'], {
    own: "entries about the patient's own appointments",
    clinic: "entries of the caller's clinic",
    rules: ACCESS_RULES.audit,
  }),

  // Doctors' availability.
  row('Query.availabilityRules', CLINIC_STAFF, AVAILABILITY_SCOPE),
  row('Query.availabilityExceptions', CLINIC_STAFF, AVAILABILITY_SCOPE),
  row('Mutation.setAvailabilityRules', CLINIC_MANAGERS, AVAILABILITY_SCOPE),
  row('Mutation.addAvailabilityException', MANAGERS_AND_OWN, OWN_LEAVE_SCOPE),
  row('Mutation.removeAvailabilityException', MANAGERS_AND_OWN, OWN_LEAVE_SCOPE),
  row('Mutation.setDoctorStatus', CLINIC_MANAGERS, AVAILABILITY_SCOPE),

  // Patients and their personal information.
  row('Query.me', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: 'the signed-in patient',
    rules: ACCESS_RULES.patients,
  }),
  row('Query.findPatient', ['deny', 'deny', 'clinic', 'clinic', 'clinic', 'allow'], {
    clinic: `${LINKED}; anyone else is null, as when nobody matches`,
    rules: ACCESS_RULES.patients,
  }),
  row('Mutation.registerPatient', ['deny', 'deny', 'deny', 'allow', 'allow', 'allow']),
  row('Mutation.erasePatient', ['deny', 'deny', 'deny', 'clinic', 'deny', 'allow'], {
    clinic: LINKED,
    rules: ACCESS_RULES.patients,
  }),
  row('Mutation.createClinicAccessCode', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: 'a code for the signed-in patient themself',
    rules: ACCESS_RULES.patients,
  }),
  row('Mutation.redeemClinicAccessCode', ['deny', 'deny', 'deny', 'clinic', 'clinic', 'deny'], {
    clinic: "links the code's patient to the caller's clinic",
    rules: ACCESS_RULES.patients,
  }),
  row('Mutation.revokeClinicAccess', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "the signed-in patient's own links",
    rules: ACCESS_RULES.patients,
  }),
  row('Query.notifications', ['deny', 'own', 'deny', 'clinic', 'clinic', 'allow'], {
    own: 'messages sent to the patient themself',
    clinic: "messages about appointments at the caller's clinic, alerts to its admins included",
    rules: ACCESS_RULES.patients,
  }),
  row('Patient.profile', ['deny', 'own', 'deny', 'clinic', 'deny', 'deny'], {
    own: 'the patient themself',
    clinic: `${LINKED}; every read is audited`,
    rules: ACCESS_RULES.patients,
  }),

  // Waitlist (issue 19; docs/waitlist.md). A patient's entries are theirs alone; the clinic's staff who run
  // its bookings see its line; a doctor does not (least privilege: they need the booked day, not who waits).
  row('Query.myWaitlist', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "the signed-in patient's own entries",
    rules: ACCESS_RULES.appointments,
  }),
  row('Query.clinicWaitlist', ['deny', 'deny', 'deny', 'clinic', 'clinic', 'allow'], {
    clinic: "entries at the caller's clinic; naming another clinic is FORBIDDEN",
    rules: ACCESS_RULES.appointments,
  }),
  row('Mutation.joinWaitlist', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: 'a patient joins only for themself',
    rules: ACCESS_RULES.appointments,
  }),
  row('Mutation.leaveWaitlist', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "the patient's own entries (another's: WaitlistEntryNotFound, as for none)",
    rules: ACCESS_RULES.appointments,
  }),
  row('Query.myWaitlistOffers', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "the signed-in patient's own live offers",
    rules: ACCESS_RULES.appointments,
  }),
  row('Mutation.claimWaitlistOffer', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "the patient's own offers (another's: WaitlistOfferNotFound, as for none)",
    rules: ACCESS_RULES.appointments,
  }),
  row('Query.waitlistSettings', ['deny', 'deny', 'deny', 'clinic', 'clinic', 'allow'], {
    clinic: "the caller's clinic's setting; naming another clinic is FORBIDDEN",
    rules: ACCESS_RULES.appointments,
  }),
  row('Mutation.setWaitlistMode', ['deny', 'deny', 'deny', 'clinic', 'clinic', 'deny'], {
    clinic: "the caller's own clinic (another clinic: NotAllowed)",
    rules: ACCESS_RULES.appointments,
  }),

  // Reminders (issue 19, docs/reminders.md).
  row('Query.reminderSettings', CLINIC_MANAGERS, REMINDER_SETTINGS_SCOPE),
  row('Mutation.setReminderSettings', CLINIC_MANAGERS, REMINDER_SETTINGS_SCOPE),
  row('Query.reminderStats', CLINIC_MANAGERS, REMINDER_SETTINGS_SCOPE),
  row('Mutation.setReminderOptOuts', ['deny', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "the signed-in patient's own reminder channels",
    rules: ACCESS_RULES.patients,
  }),
  row('Mutation.answerReminder', ['allow', 'own', 'deny', 'deny', 'deny', 'deny'], {
    own: "a signed-in patient answers only their own reminders (another's link: NOT_YOURS); a caller not signed in is admitted by the link's single-use token alone",
    rules: ACCESS_RULES.patients,
  }),
  row('Appointment.reminders', ['deny', 'own', 'clinic', 'clinic', 'clinic', 'allow'], {
    own: "reminders of the patient's own appointments",
    clinic: "reminders of appointments at the caller's clinic",
    rules: ACCESS_RULES.patients,
  }),

  // Audit trail and operations.
  row('Query.auditTrail', ['deny', 'deny', 'deny', 'deny', 'clinic', 'allow'], {
    clinic: "entries of the caller's clinic",
    rules: ACCESS_RULES.audit,
  }),
  row('Query.verifyAuditChain', SYSADMIN_ONLY),
  row('Query.deadLetters', SYSADMIN_ONLY),
  row('Mutation.replayDeadLetter', SYSADMIN_ONLY),
];

/**
 * What the gateway may answer from its response cache (docs/response-cache.md): public root fields, and
 * every field an answer of theirs may carry. An operation selecting anything else (a patient, an
 * appointment, the audit trail) is never cached; each root field here must be allowed to every caller,
 * so an answer cannot depend on who asks.
 */
export const CACHEABLE_FIELDS: ReadonlySet<string> = new Set([
  'Query.clinics',
  'Query.clinic',
  'Query.doctor',
  'Query.slot',
  'Query.freeSlots',
  'Query.availableSlots',
  'Query.nextAvailableSlot',
  ...['id', 'name', 'suburb', 'state', 'timeZone', 'doctors'].map((field) => `Clinic.${field}`),
  ...[
    'id',
    'freeSlots',
    'name',
    'givenName',
    'familyName',
    'specialty',
    'status',
    'clinic',
    'offersTelehealth',
  ].map((field) => `Doctor.${field}`),
  ...['id', 'start', 'end', 'status', 'doctor'].map((field) => `Slot.${field}`),
  'SlotConnection.edges',
  'SlotConnection.pageInfo',
  'SlotEdge.cursor',
  'SlotEdge.node',
  'PageInfo.hasNextPage',
  'PageInfo.endCursor',
]);

const BY_COORDINATE = new Map(POLICY_TABLE.map((entry) => [entry.coordinate, entry]));

export function policyRow(coordinate: string): PolicyRow | undefined {
  return BY_COORDINATE.get(coordinate);
}

export function callerOf(identity: Identity | null): Caller {
  return identity ? identity.role : 'Anonymous';
}

/**
 * What the table says for this caller at this coordinate. A root field with no row is denied (fail
 * closed: a new operation is unreachable until it has a row); an object field with no row is unprotected.
 */
export function decide(caller: Caller | Role, coordinate: string): Access {
  const entry = BY_COORDINATE.get(coordinate);
  if (entry) return entry.access[caller];
  return isRootCoordinate(coordinate) ? 'deny' : 'allow';
}

export function isRootCoordinate(coordinate: string): boolean {
  return /^(Query|Mutation|Subscription)\./.test(coordinate);
}

/** The error code for a refusal: a caller without a token is asked to sign in, anyone else forbidden. */
export function refusalCode(caller: Caller): 'UNAUTHENTICATED' | 'FORBIDDEN' {
  return caller === 'Anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
}

export function refusalMessage(caller: Caller, coordinate: string): string {
  return caller === 'Anonymous'
    ? `Sign in to use ${coordinate}.`
    : `A ${caller} may not use ${coordinate} (see docs/policy.md).`;
}

export function renderPolicyMarkdown(): string {
  const groups: [string, (coordinate: string) => boolean][] = [
    ['Queries', (c) => c.startsWith('Query.')],
    ['Mutations', (c) => c.startsWith('Mutation.')],
    ['Subscriptions', (c) => c.startsWith('Subscription.')],
    ['Protected fields', (c) => !isRootCoordinate(c)],
  ];
  const sections = groups.flatMap(([title, belongs]) => {
    const rows = POLICY_TABLE.filter((entry) => belongs(entry.coordinate))
      .slice()
      .sort((a, b) => a.coordinate.localeCompare(b.coordinate));
    return [
      `## ${title}`,
      '',
      `| coordinate | ${CALLERS.join(' | ')} | own means | clinic means | scoped in |`,
      `| --- | ${CALLERS.map(() => '---').join(' | ')} | --- | --- | --- |`,
      ...rows.map(
        (entry) =>
          `| \`${entry.coordinate}\` | ${CALLERS.map((caller) => entry.access[caller]).join(' | ')} | ${entry.own ?? ''} | ${entry.clinic ?? ''} | ${entry.rules ? `[${shortName(entry.rules)}](../${entry.rules})` : ''} |`,
      ),
      '',
    ];
  });
  return [
    '# Authorization policy',
    '',
    '<!-- Generated from libs/contracts/src/policy-table.ts by `npm run docs`. Do not edit. -->',
    '',
    'Who may use each operation and read each protected field. `allow`: always. `own`: only on the',
    "caller's own data (see the row). `clinic`: only on data of the caller's clinic (see the row).",
    '`deny`: never. Staff tokens name one clinic; a patient is known by their pseudonymous clientId.',
    '',
    'Every subgraph enforces this table on its own fields before a resolver runs (a `deny` is refused',
    'with `FORBIDDEN`, or `UNAUTHENTICATED` for a caller without a token; a mutation whose result union',
    'has a `...NotAllowed` member answers with that member instead), and the resolvers scope `own` and',
    '`clinic` rows to the data, each service by the rules in its one access file (`scoped in`, below:',
    '`subgraphs/<service>/src/access/access.ts`). The gateway refuses an operation whose root fields are denied before it',
    'plans any subgraph call. An operation missing from the table is denied. Every read of',
    '`Patient.profile` writes a `patient.pii-read` entry to the audit trail.',
    '',
    '## Patients linked to a clinic',
    '',
    "A clinic reaches a patient (their contact details, `findPatient`, its staff's bookings and holds for",
    'them) only through a link, and a link starts only with something the patient did or granted:',
    '',
    '- **their own booking** there: an `appointment.booked` or `.rescheduled` event whose actor is the patient',
    '  themself. Bookings, holds, reschedules and re-assignments by staff or by the system link nobody;',
    "- **their registration** there: `registerPatient` by the clinic's staff creating a new patient. An email",
    '  or phone already registered is refused and links nothing, and counts against the clinic (below),',
    "  since it tells staff that the person is somebody's patient;",
    '- **a code they gave** its reception: the patient makes one in their app (`createClinicAccessCode`: 8',
    '  characters, valid 10 minutes, one live code per patient, only its HMAC stored) and a clinic admin or',
    '  practice manager enters it (`redeemClinicAccessCode`), which spends it. Wrong, expired and used codes',
    '  get one answer; after 10 wrong codes in an hour a clinic is refused every code (`TOO_MANY_ATTEMPTS`),',
    '  and after 10 registrations of details already registered, every registration, for the hour.',
    '',
    'A link ends when the patient revokes it (`revokeClinicAccess`) or is erased (every link and code). The',
    'patients service keeps the links (`patient_clinic`) and publishes each change from its outbox as',
    '`patient.clinic-linked` / `patient.clinic-unlinked` (clientId and clinicId only); the appointments',
    'service keeps a copy (`clinic_link`, through its inbox) and refuses a staff booking or hold for a',
    "patient not linked to the staff's clinic, or for a clientId that is no patient, with the same",
    '`NotAllowed`. Links made before this rule (from every appointment event, staff bookings included, the',
    'actor not recorded) were dropped. Each read of contact details queues its `audit.recorded` event in',
    "the vault's outbox before the details leave the service, so no read goes unaudited.",
    '',
    'The table is applied to each subgraph by a schema transform (libs/platform/src/server/use-policy.ts)',
    'rather than by `@policy` directives in the SDL: a directive would repeat every row in four SDL files',
    'and the composed supergraph, and the open-source gateway would not enforce it anyway.',
    '',
    ...sections,
    '## Cacheable public reads',
    '',
    'The gateway may answer an operation from its response cache (docs/response-cache.md) only when every',
    'field it selects is one of these; anything else, at any depth, makes the whole answer uncacheable.',
    '',
    ...[...CACHEABLE_FIELDS].sort().map((coordinate) => `- \`${coordinate}\``),
    '',
  ].join('\n');
}

/** A rules file as the table shows it: the service's folder and the file's name. */
function shortName(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'subgraphs' ? `${parts[1]}/…/${parts.at(-1)}` : file;
}
