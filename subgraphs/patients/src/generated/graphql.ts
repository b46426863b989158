import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { Patient as PatientRow } from './prisma-patients/client';
import { AppointmentReference } from '../appointment-reference';
import { PatientsContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in ISO 8601 with an offset, e.g. 2026-12-01T09:00:00.000Z. */
  DateTime: { input: Date; output: Date; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AnswerReminderResult = ReminderAnswered | ReminderReplyRefused;

export type Appointment = {
  __typename?: 'Appointment';
  clientId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** The patient booked for; null (with an error on this path) when the clientId is no registered patient. */
  patient: Maybe<Patient>;
  /**
   * The appointment's reminders, earliest due first, at every time it had (docs/reminders.md). The patient
   * sees their own; the clinic's staff their clinic's; system administrators all.
   */
  reminders: Array<Reminder>;
};

/** A short single-use code the patient reads out at a clinic's reception to link that clinic to them. */
export type ClinicAccessCode = {
  __typename?: 'ClinicAccessCode';
  /** 8 letters and digits (no look-alikes); reception types it as shown, spaces and case do not matter. */
  code: Scalars['String']['output'];
  /** The code is refused after this, and once used. */
  expiresAt: Scalars['DateTime']['output'];
};

export type ClinicAccessCodeRefusal =
  /** Wrong, expired or already used: one answer for all three. */
  | 'INVALID_CODE'
  /** Too many wrong codes were entered at this clinic lately; every code is refused for a while. */
  | 'TOO_MANY_ATTEMPTS';

/** The code was not accepted; nothing was linked. */
export type ClinicAccessCodeRefused = {
  __typename?: 'ClinicAccessCodeRefused';
  message: Scalars['String']['output'];
  reason: ClinicAccessCodeRefusal;
};

/** The patient is now linked to the caller's clinic. */
export type ClinicAccessGranted = {
  __typename?: 'ClinicAccessGranted';
  patient: Patient;
};

/** The clinic no longer reaches the patient (also when it never did). */
export type ClinicAccessRevoked = {
  __typename?: 'ClinicAccessRevoked';
  clinicId: Scalars['ID']['output'];
};

export type ContactChannel =
  | 'email'
  | 'sms';

export type CreateClinicAccessCodeResult = ClinicAccessCode | InvalidInput | NotAllowed;

export type ErasePatientResult = InvalidInput | NotAllowed | PatientErased;

/** The input broke a rule; `field` names it. */
export type InvalidInput = {
  __typename?: 'InvalidInput';
  field: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Answers an emailed reminder with the single-use token of its link: confirm or cancel that appointment
   * at that time. No sign-in needed (the token is the credential); a signed-in patient may answer only their
   * own. Each token works once, until the appointment starts.
   */
  answerReminder: AnswerReminderResult;
  /**
   * Makes a code the signed-in patient gives a clinic's reception so that clinic may see their details and
   * book for them; a new code ends the previous one. Patients only.
   */
  createClinicAccessCode: CreateClinicAccessCodeResult;
  /**
   * Erases a patient's personal information by destroying their data key: it is unreadable at once.
   * Their appointments stay, known by clientId. Clinic administrators and system administrators.
   */
  erasePatient: ErasePatientResult;
  /** Links the code's patient to the caller's clinic and spends the code. Clinic admins and practice managers. */
  redeemClinicAccessCode: RedeemClinicAccessCodeResult;
  /** Registers a patient: their details are encrypted into the vault; everyone else sees only the clientId. Clinic staff. */
  registerPatient: RegisterPatientResult;
  /** Ends a clinic's access to the signed-in patient (erasure ends every clinic's). Patients only. */
  revokeClinicAccess: RevokeClinicAccessResult;
  /**
   * Sets the channels on which the signed-in patient wants no reminders (all of them: the full set, not a
   * change). A reminder goes by the preferred channel, else by the other one, unless both are opted out.
   * Patients only.
   */
  setReminderOptOuts: SetReminderOptOutsResult;
  /**
   * Sets a clinic's reminder offsets and channels, for appointments booked or moved from now on (a channel
   * turned off also stops reminders already scheduled). Its admins and practice managers; system
   * administrators any clinic's.
   */
  setReminderSettings: SetReminderSettingsResult;
};


export type MutationAnswerReminderArgs = {
  answer: ReminderAnswer;
  token: Scalars['String']['input'];
};


export type MutationCreateClinicAccessCodeArgs = {
  idempotencyKey: Scalars['String']['input'];
};


export type MutationErasePatientArgs = {
  clientId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};


export type MutationRedeemClinicAccessCodeArgs = {
  code: Scalars['String']['input'];
  idempotencyKey: Scalars['String']['input'];
};


export type MutationRegisterPatientArgs = {
  input: RegisterPatientInput;
};


export type MutationRevokeClinicAccessArgs = {
  clinicId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};


export type MutationSetReminderOptOutsArgs = {
  channels: Array<ContactChannel>;
  idempotencyKey: Scalars['String']['input'];
};


export type MutationSetReminderSettingsArgs = {
  input: SetReminderSettingsInput;
};

/** The caller's role may not do this. */
export type NotAllowed = {
  __typename?: 'NotAllowed';
  message: Scalars['String']['output'];
};

/** A message about an appointment, as recorded by the patients service. */
export type Notification = {
  __typename?: 'Notification';
  appointmentId: Scalars['ID']['output'];
  appointmentStart: Scalars['DateTime']['output'];
  attempts: Scalars['Int']['output'];
  channel: ContactChannel;
  /** Null for alerts to the clinic's admins. */
  clientId: Maybe<Scalars['ID']['output']>;
  clinicId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  queuedAt: Scalars['DateTime']['output'];
  reason: NotificationReason;
  recipient: NotificationRecipient;
  /** Null until the provider accepted it. */
  sentAt: Maybe<Scalars['DateTime']['output']>;
  status: NotificationStatus;
};

/** Why a message was sent. */
export type NotificationReason =
  /** Its doctor became unavailable and nobody else was free then. */
  | 'needs_attention'
  /** The appointment moved to another doctor at the same time. */
  | 'reassigned'
  /** A reminder of an upcoming appointment, at one of the clinic's offsets (docs/reminders.md). */
  | 'reminder'
  /** The one help message an SMS reply to a reminder gets when it is neither C nor X. */
  | 'reminder_help'
  /** The one message an SMS reply gets when the number has reminders of more than one visit open. */
  | 'reminder_unclear'
  /** After needing attention, it is back with its own doctor, whose time came back. */
  | 'returned'
  /** A freed time was offered from the waitlist; appointmentId is the offer's id. */
  | 'waitlist_offer';

export type NotificationRecipient =
  | 'clinic_admins'
  | 'patient';

export type NotificationStatus =
  | 'failed'
  | 'pending'
  | 'sent';

/** A patient, known outside the vault only by the pseudonymous clientId. */
export type Patient = {
  __typename?: 'Patient';
  clientId: Scalars['ID']['output'];
  /** How the patient prefers to be told about changes. */
  preferredChannel: ContactChannel;
  /**
   * Personal details from the vault: readable by the patient themself and the admins of a clinic linked to
   * them (see docs/policy.md); null once erased.
   */
  profile: Maybe<PatientProfile>;
  /** Channels on which the patient wants no appointment reminders (docs/reminders.md). */
  reminderOptOuts: Array<ContactChannel>;
};

export type PatientErased = {
  __typename?: 'PatientErased';
  clientId: Scalars['ID']['output'];
  /** When the patient's data key was destroyed (the first erasure, if repeated). */
  erasedAt: Scalars['DateTime']['output'];
};

/** Personal information held in the PII vault, each field encrypted under the patient's own key. */
export type PatientProfile = {
  __typename?: 'PatientProfile';
  address: Scalars['String']['output'];
  /** YYYY-MM-DD. */
  dateOfBirth: Scalars['String']['output'];
  /** Lower case. */
  email: Scalars['String']['output'];
  familyName: Scalars['String']['output'];
  givenName: Scalars['String']['output'];
  /** Individual Healthcare Identifier, when given. */
  ihi: Maybe<Scalars['String']['output']>;
  /** E.164, e.g. +61412345678. */
  phone: Scalars['String']['output'];
};

export type PatientRegistered = {
  __typename?: 'PatientRegistered';
  patient: Patient;
};

export type Query = {
  __typename?: 'Query';
  /**
   * The patient registered with this email or this phone (give exactly one), found through the vault's
   * blind index. Staff only; clinic staff find only patients linked to their clinic (see docs/policy.md),
   * and get null, as when nobody matches, for anyone else.
   */
  findPatient: Maybe<Patient>;
  /** The signed-in patient. */
  me: Maybe<Patient>;
  /**
   * Messages about appointments, newest first (at most `first`, default 50, up to 200): what was sent, to
   * whom by role, how and when, never the text or the address. A patient sees their own; clinic admins and
   * practice managers their clinic's, alerts to the admins included; system administrators everyone's.
   * `clientId` narrows to one patient (a patient may leave it out).
   */
  notifications: Array<Notification>;
  /** A clinic's reminder settings. Its admins and practice managers; system administrators any clinic's. */
  reminderSettings: ReminderSettingsResult;
  /** A clinic's confirmation rate over appointments starting in [from, to) (at most 366 days). Its admins and practice managers; system administrators any clinic's. */
  reminderStats: ReminderStatsResult;
};


export type QueryFindPatientArgs = {
  email?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
};


export type QueryNotificationsArgs = {
  clientId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryReminderSettingsArgs = {
  clinicId: Scalars['ID']['input'];
};


export type QueryReminderStatsArgs = {
  clinicId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};

export type RedeemClinicAccessCodeResult = ClinicAccessCodeRefused | ClinicAccessGranted | InvalidInput | NotAllowed;

export type RegisterPatientInput = {
  address: Scalars['String']['input'];
  /** YYYY-MM-DD. Patients are adults (18 or over). */
  dateOfBirth: Scalars['String']['input'];
  email: Scalars['String']['input'];
  familyName: Scalars['String']['input'];
  givenName: Scalars['String']['input'];
  /**
   * Your key for this registration: send it again on a retry. The same request with the same key answers the
   * first outcome, even concurrently; another request under your key is InvalidInput on
   * idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  /** Individual Healthcare Identifier (optional): 16 digits starting 800360, with a valid check digit. */
  ihi?: InputMaybe<Scalars['String']['input']>;
  /** An Australian mobile or landline number in any common format; stored as E.164 (+61...). */
  phone: Scalars['String']['input'];
  preferredChannel?: InputMaybe<ContactChannel>;
};

export type RegisterPatientResult = InvalidInput | NotAllowed | PatientRegistered;

/** One reminder of one appointment at one offset. Times and outcome only, never the text or the address. */
export type Reminder = {
  __typename?: 'Reminder';
  /** The appointment's start it reminds of (a moved appointment's old reminders keep the old start). */
  appointmentStart: Scalars['DateTime']['output'];
  /** Null until it was queued. */
  channel: Maybe<ContactChannel>;
  dueAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  offsetMinutes: Scalars['Int']['output'];
  /** Null until the provider accepted it. */
  sentAt: Maybe<Scalars['DateTime']['output']>;
  /** started (found due only after the start) or no_channel (every channel turned off or opted out). */
  skipReason: Maybe<Scalars['String']['output']>;
  status: ReminderStatus;
};

export type ReminderAnswer =
  | 'CANCEL'
  | 'CONFIRM';

/** The answer was taken: the appointments service confirms or cancels the appointment shortly. */
export type ReminderAnswered = {
  __typename?: 'ReminderAnswered';
  answer: ReminderAnswer;
  appointmentStart: Scalars['DateTime']['output'];
};

/** The channels on which the signed-in patient wants no reminders. */
export type ReminderOptOuts = {
  __typename?: 'ReminderOptOuts';
  channels: Array<ContactChannel>;
};

export type ReminderReplyRefusal =
  /** A signed-in patient used another patient's link. */
  | 'NOT_YOURS'
  /** Unknown, already used or expired (the appointment has started): one answer for all three. */
  | 'TOKEN_NOT_VALID';

/** The link was refused; nothing was changed (the attempt is in the audit trail). */
export type ReminderReplyRefused = {
  __typename?: 'ReminderReplyRefused';
  message: Scalars['String']['output'];
  reason: ReminderReplyRefusal;
};

/** A clinic's appointment reminders; a clinic that never set its own has 1440 and 120 minutes on both channels. */
export type ReminderSettings = {
  __typename?: 'ReminderSettings';
  /** Channels reminders go by; none turns reminders off. */
  channels: Array<ContactChannel>;
  clinicId: Scalars['ID']['output'];
  /**
   * Minutes before the start, largest first. A whole number of days (1440, 2880, ...) is counted on the
   * clinic's wall clock: the same time of day that many days earlier, across daylight-saving changes.
   * Anything else is elapsed time.
   */
  offsetsMinutes: Array<Scalars['Int']['output']>;
};

export type ReminderSettingsResult = InvalidInput | NotAllowed | ReminderSettings;

/** A clinic's confirmation rate over appointments starting in a window. Counts only. */
export type ReminderStats = {
  __typename?: 'ReminderStats';
  /** Of those, how many the patient cancelled by answering a reminder. */
  cancelled: Scalars['Int']['output'];
  clinicId: Scalars['ID']['output'];
  /** confirmed / reminded, from 0 to 1; null when nothing was reminded. */
  confirmationRate: Maybe<Scalars['Float']['output']>;
  /** Of those, how many the patient confirmed by answering a reminder about their time. */
  confirmed: Scalars['Int']['output'];
  from: Scalars['DateTime']['output'];
  /** Appointments starting in the window that were sent at least one reminder. */
  reminded: Scalars['Int']['output'];
  to: Scalars['DateTime']['output'];
};

export type ReminderStatsResult = InvalidInput | NotAllowed | ReminderStats;

/** Where a reminder is: scheduled, then sending and sent (or failed); cancelled or skipped instead. */
export type ReminderStatus =
  /** The appointment was cancelled, moved or lost its doctor before it was due. */
  | 'cancelled'
  /** The provider refused it after every attempt, or the patient has no contact details. */
  | 'failed'
  /** Waiting for its due instant. */
  | 'scheduled'
  /** Queued as a notification; the provider has not accepted it yet. */
  | 'sending'
  | 'sent'
  /** Nothing was sent when it fell due: `skipReason` says why. */
  | 'skipped';

export type RevokeClinicAccessResult = ClinicAccessRevoked | InvalidInput | NotAllowed;

export type SetReminderOptOutsResult = InvalidInput | NotAllowed | ReminderOptOuts;

export type SetReminderSettingsInput = {
  /** Distinct; none turns reminders off. */
  channels: Array<ContactChannel>;
  clinicId: Scalars['ID']['input'];
  /** Per intended change; a retry sends it again (docs/idempotency.md). */
  idempotencyKey: Scalars['String']['input'];
  /** At most 4 distinct offsets (none: no reminders), each 15 to 20160 minutes (14 days). */
  offsetsMinutes: Array<Scalars['Int']['input']>;
};

export type SetReminderSettingsResult = InvalidInput | NotAllowed | ReminderSettings;

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Appointment: Appointment;
  Patient: Patient;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Appointment:
    ( { __typename: 'Appointment' }
    & GraphQLRecursivePick<FederationTypes['Appointment'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Appointment'], {"clientId":true}> ) );
  Patient:
    ( { __typename: 'Patient' }
    & GraphQLRecursivePick<FederationTypes['Patient'], {"clientId":true}> );
}>;

/** Mapping of union types */
export type ResolversUnionTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  AnswerReminderResult:
    | ( ReminderAnswered )
    | ( ReminderReplyRefused )
  ;
  CreateClinicAccessCodeResult:
    | ( ClinicAccessCode )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
  ErasePatientResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( PatientErased )
  ;
  RedeemClinicAccessCodeResult:
    | ( ClinicAccessCodeRefused )
    | ( Omit<ClinicAccessGranted, 'patient'> & { patient: _RefType['Patient'] } )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
  RegisterPatientResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( Omit<PatientRegistered, 'patient'> & { patient: _RefType['Patient'] } )
  ;
  ReminderSettingsResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( ReminderSettings )
  ;
  ReminderStatsResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( ReminderStats )
  ;
  RevokeClinicAccessResult:
    | ( ClinicAccessRevoked )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
  SetReminderOptOutsResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( ReminderOptOuts )
  ;
  SetReminderSettingsResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( ReminderSettings )
  ;
}>;


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AnswerReminderResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['AnswerReminderResult']>;
  Appointment: ResolverTypeWrapper<AppointmentReference>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ClinicAccessCode: ResolverTypeWrapper<ClinicAccessCode>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ClinicAccessCodeRefusal: ClinicAccessCodeRefusal;
  ClinicAccessCodeRefused: ResolverTypeWrapper<ClinicAccessCodeRefused>;
  ClinicAccessGranted: ResolverTypeWrapper<Omit<ClinicAccessGranted, 'patient'> & { patient: ResolversTypes['Patient'] }>;
  ClinicAccessRevoked: ResolverTypeWrapper<ClinicAccessRevoked>;
  ContactChannel: ContactChannel;
  CreateClinicAccessCodeResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['CreateClinicAccessCodeResult']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ErasePatientResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['ErasePatientResult']>;
  InvalidInput: ResolverTypeWrapper<InvalidInput>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NotAllowed: ResolverTypeWrapper<NotAllowed>;
  Notification: ResolverTypeWrapper<Notification>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  NotificationReason: NotificationReason;
  NotificationRecipient: NotificationRecipient;
  NotificationStatus: NotificationStatus;
  Patient: ResolverTypeWrapper<PatientRow>;
  PatientErased: ResolverTypeWrapper<PatientErased>;
  PatientProfile: ResolverTypeWrapper<PatientProfile>;
  PatientRegistered: ResolverTypeWrapper<Omit<PatientRegistered, 'patient'> & { patient: ResolversTypes['Patient'] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RedeemClinicAccessCodeResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['RedeemClinicAccessCodeResult']>;
  RegisterPatientInput: RegisterPatientInput;
  RegisterPatientResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['RegisterPatientResult']>;
  Reminder: ResolverTypeWrapper<Reminder>;
  ReminderAnswer: ReminderAnswer;
  ReminderAnswered: ResolverTypeWrapper<ReminderAnswered>;
  ReminderOptOuts: ResolverTypeWrapper<ReminderOptOuts>;
  ReminderReplyRefusal: ReminderReplyRefusal;
  ReminderReplyRefused: ResolverTypeWrapper<ReminderReplyRefused>;
  ReminderSettings: ResolverTypeWrapper<ReminderSettings>;
  ReminderSettingsResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['ReminderSettingsResult']>;
  ReminderStats: ResolverTypeWrapper<ReminderStats>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ReminderStatsResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['ReminderStatsResult']>;
  ReminderStatus: ReminderStatus;
  RevokeClinicAccessResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['RevokeClinicAccessResult']>;
  SetReminderOptOutsResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['SetReminderOptOutsResult']>;
  SetReminderSettingsInput: SetReminderSettingsInput;
  SetReminderSettingsResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['SetReminderSettingsResult']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AnswerReminderResult: ResolversUnionTypes<ResolversParentTypes>['AnswerReminderResult'];
  Appointment: AppointmentReference;
  ID: Scalars['ID']['output'];
  ClinicAccessCode: ClinicAccessCode;
  String: Scalars['String']['output'];
  ClinicAccessCodeRefused: ClinicAccessCodeRefused;
  ClinicAccessGranted: Omit<ClinicAccessGranted, 'patient'> & { patient: ResolversParentTypes['Patient'] };
  ClinicAccessRevoked: ClinicAccessRevoked;
  CreateClinicAccessCodeResult: ResolversUnionTypes<ResolversParentTypes>['CreateClinicAccessCodeResult'];
  DateTime: Scalars['DateTime']['output'];
  ErasePatientResult: ResolversUnionTypes<ResolversParentTypes>['ErasePatientResult'];
  InvalidInput: InvalidInput;
  Mutation: Record<PropertyKey, never>;
  NotAllowed: NotAllowed;
  Notification: Notification;
  Int: Scalars['Int']['output'];
  Patient: PatientRow;
  PatientErased: PatientErased;
  PatientProfile: PatientProfile;
  PatientRegistered: Omit<PatientRegistered, 'patient'> & { patient: ResolversParentTypes['Patient'] };
  Query: Record<PropertyKey, never>;
  RedeemClinicAccessCodeResult: ResolversUnionTypes<ResolversParentTypes>['RedeemClinicAccessCodeResult'];
  RegisterPatientInput: RegisterPatientInput;
  RegisterPatientResult: ResolversUnionTypes<ResolversParentTypes>['RegisterPatientResult'];
  Reminder: Reminder;
  ReminderAnswered: ReminderAnswered;
  ReminderOptOuts: ReminderOptOuts;
  ReminderReplyRefused: ReminderReplyRefused;
  ReminderSettings: ReminderSettings;
  ReminderSettingsResult: ResolversUnionTypes<ResolversParentTypes>['ReminderSettingsResult'];
  ReminderStats: ReminderStats;
  Float: Scalars['Float']['output'];
  ReminderStatsResult: ResolversUnionTypes<ResolversParentTypes>['ReminderStatsResult'];
  RevokeClinicAccessResult: ResolversUnionTypes<ResolversParentTypes>['RevokeClinicAccessResult'];
  SetReminderOptOutsResult: ResolversUnionTypes<ResolversParentTypes>['SetReminderOptOutsResult'];
  SetReminderSettingsInput: SetReminderSettingsInput;
  SetReminderSettingsResult: ResolversUnionTypes<ResolversParentTypes>['SetReminderSettingsResult'];
  Boolean: Scalars['Boolean']['output'];
}>;

export type AnswerReminderResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['AnswerReminderResult'] = ResolversParentTypes['AnswerReminderResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'ReminderAnswered' | 'ReminderReplyRefused', ParentType, ContextType>;
}>;

export type AppointmentResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['Appointment'] = ResolversParentTypes['Appointment'], FederationReferenceType extends FederationReferenceTypes['Appointment'] = FederationReferenceTypes['Appointment']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Appointment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  patient?: Resolver<Maybe<ResolversTypes['Patient']>, ParentType, ContextType>;
  reminders?: Resolver<Array<ResolversTypes['Reminder']>, ParentType, ContextType>;
}>;

export type ClinicAccessCodeResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ClinicAccessCode'] = ResolversParentTypes['ClinicAccessCode']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ClinicAccessCodeRefusedResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ClinicAccessCodeRefused'] = ResolversParentTypes['ClinicAccessCodeRefused']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['ClinicAccessCodeRefusal'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ClinicAccessGrantedResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ClinicAccessGranted'] = ResolversParentTypes['ClinicAccessGranted']> = ResolversObject<{
  patient?: Resolver<ResolversTypes['Patient'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ClinicAccessRevokedResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ClinicAccessRevoked'] = ResolversParentTypes['ClinicAccessRevoked']> = ResolversObject<{
  clinicId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type CreateClinicAccessCodeResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['CreateClinicAccessCodeResult'] = ResolversParentTypes['CreateClinicAccessCodeResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'ClinicAccessCode' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ErasePatientResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ErasePatientResult'] = ResolversParentTypes['ErasePatientResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'PatientErased', ParentType, ContextType>;
}>;

export type InvalidInputResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['InvalidInput'] = ResolversParentTypes['InvalidInput']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  answerReminder?: Resolver<ResolversTypes['AnswerReminderResult'], ParentType, ContextType, RequireFields<MutationAnswerReminderArgs, 'answer' | 'token'>>;
  createClinicAccessCode?: Resolver<ResolversTypes['CreateClinicAccessCodeResult'], ParentType, ContextType, RequireFields<MutationCreateClinicAccessCodeArgs, 'idempotencyKey'>>;
  erasePatient?: Resolver<ResolversTypes['ErasePatientResult'], ParentType, ContextType, RequireFields<MutationErasePatientArgs, 'clientId' | 'idempotencyKey'>>;
  redeemClinicAccessCode?: Resolver<ResolversTypes['RedeemClinicAccessCodeResult'], ParentType, ContextType, RequireFields<MutationRedeemClinicAccessCodeArgs, 'code' | 'idempotencyKey'>>;
  registerPatient?: Resolver<ResolversTypes['RegisterPatientResult'], ParentType, ContextType, RequireFields<MutationRegisterPatientArgs, 'input'>>;
  revokeClinicAccess?: Resolver<ResolversTypes['RevokeClinicAccessResult'], ParentType, ContextType, RequireFields<MutationRevokeClinicAccessArgs, 'clinicId' | 'idempotencyKey'>>;
  setReminderOptOuts?: Resolver<ResolversTypes['SetReminderOptOutsResult'], ParentType, ContextType, RequireFields<MutationSetReminderOptOutsArgs, 'channels' | 'idempotencyKey'>>;
  setReminderSettings?: Resolver<ResolversTypes['SetReminderSettingsResult'], ParentType, ContextType, RequireFields<MutationSetReminderSettingsArgs, 'input'>>;
}>;

export type NotAllowedResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['NotAllowed'] = ResolversParentTypes['NotAllowed']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type NotificationResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['Notification'] = ResolversParentTypes['Notification']> = ResolversObject<{
  appointmentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  appointmentStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['ContactChannel'], ParentType, ContextType>;
  clientId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  clinicId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  queuedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['NotificationReason'], ParentType, ContextType>;
  recipient?: Resolver<ResolversTypes['NotificationRecipient'], ParentType, ContextType>;
  sentAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['NotificationStatus'], ParentType, ContextType>;
}>;

export type PatientResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['Patient'] = ResolversParentTypes['Patient'], FederationReferenceType extends FederationReferenceTypes['Patient'] = FederationReferenceTypes['Patient']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Patient']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clientId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  preferredChannel?: Resolver<ResolversTypes['ContactChannel'], ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['PatientProfile']>, ParentType, ContextType>;
  reminderOptOuts?: Resolver<Array<ResolversTypes['ContactChannel']>, ParentType, ContextType>;
}>;

export type PatientErasedResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['PatientErased'] = ResolversParentTypes['PatientErased']> = ResolversObject<{
  clientId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  erasedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PatientProfileResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['PatientProfile'] = ResolversParentTypes['PatientProfile']> = ResolversObject<{
  address?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  dateOfBirth?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  familyName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  givenName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ihi?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PatientRegisteredResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['PatientRegistered'] = ResolversParentTypes['PatientRegistered']> = ResolversObject<{
  patient?: Resolver<ResolversTypes['Patient'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  findPatient?: Resolver<Maybe<ResolversTypes['Patient']>, ParentType, ContextType, Partial<QueryFindPatientArgs>>;
  me?: Resolver<Maybe<ResolversTypes['Patient']>, ParentType, ContextType>;
  notifications?: Resolver<Array<ResolversTypes['Notification']>, ParentType, ContextType, RequireFields<QueryNotificationsArgs, 'first'>>;
  reminderSettings?: Resolver<ResolversTypes['ReminderSettingsResult'], ParentType, ContextType, RequireFields<QueryReminderSettingsArgs, 'clinicId'>>;
  reminderStats?: Resolver<ResolversTypes['ReminderStatsResult'], ParentType, ContextType, RequireFields<QueryReminderStatsArgs, 'clinicId' | 'from' | 'to'>>;
}>;

export type RedeemClinicAccessCodeResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['RedeemClinicAccessCodeResult'] = ResolversParentTypes['RedeemClinicAccessCodeResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'ClinicAccessCodeRefused' | 'ClinicAccessGranted' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export type RegisterPatientResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['RegisterPatientResult'] = ResolversParentTypes['RegisterPatientResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'PatientRegistered', ParentType, ContextType>;
}>;

export type ReminderResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['Reminder'] = ResolversParentTypes['Reminder']> = ResolversObject<{
  appointmentStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  channel?: Resolver<Maybe<ResolversTypes['ContactChannel']>, ParentType, ContextType>;
  dueAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  offsetMinutes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sentAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  skipReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReminderStatus'], ParentType, ContextType>;
}>;

export type ReminderAnsweredResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ReminderAnswered'] = ResolversParentTypes['ReminderAnswered']> = ResolversObject<{
  answer?: Resolver<ResolversTypes['ReminderAnswer'], ParentType, ContextType>;
  appointmentStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ReminderOptOutsResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ReminderOptOuts'] = ResolversParentTypes['ReminderOptOuts']> = ResolversObject<{
  channels?: Resolver<Array<ResolversTypes['ContactChannel']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ReminderReplyRefusedResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ReminderReplyRefused'] = ResolversParentTypes['ReminderReplyRefused']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['ReminderReplyRefusal'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ReminderSettingsResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ReminderSettings'] = ResolversParentTypes['ReminderSettings']> = ResolversObject<{
  channels?: Resolver<Array<ResolversTypes['ContactChannel']>, ParentType, ContextType>;
  clinicId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  offsetsMinutes?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ReminderSettingsResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ReminderSettingsResult'] = ResolversParentTypes['ReminderSettingsResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'ReminderSettings', ParentType, ContextType>;
}>;

export type ReminderStatsResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ReminderStats'] = ResolversParentTypes['ReminderStats']> = ResolversObject<{
  cancelled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  clinicId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  confirmationRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  confirmed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  reminded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ReminderStatsResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['ReminderStatsResult'] = ResolversParentTypes['ReminderStatsResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'ReminderStats', ParentType, ContextType>;
}>;

export type RevokeClinicAccessResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['RevokeClinicAccessResult'] = ResolversParentTypes['RevokeClinicAccessResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'ClinicAccessRevoked' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export type SetReminderOptOutsResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['SetReminderOptOutsResult'] = ResolversParentTypes['SetReminderOptOutsResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'ReminderOptOuts', ParentType, ContextType>;
}>;

export type SetReminderSettingsResultResolvers<ContextType = PatientsContext, ParentType extends ResolversParentTypes['SetReminderSettingsResult'] = ResolversParentTypes['SetReminderSettingsResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'ReminderSettings', ParentType, ContextType>;
}>;

export type Resolvers<ContextType = PatientsContext> = ResolversObject<{
  AnswerReminderResult?: AnswerReminderResultResolvers<ContextType>;
  Appointment?: AppointmentResolvers<ContextType>;
  ClinicAccessCode?: ClinicAccessCodeResolvers<ContextType>;
  ClinicAccessCodeRefused?: ClinicAccessCodeRefusedResolvers<ContextType>;
  ClinicAccessGranted?: ClinicAccessGrantedResolvers<ContextType>;
  ClinicAccessRevoked?: ClinicAccessRevokedResolvers<ContextType>;
  CreateClinicAccessCodeResult?: CreateClinicAccessCodeResultResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  ErasePatientResult?: ErasePatientResultResolvers<ContextType>;
  InvalidInput?: InvalidInputResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NotAllowed?: NotAllowedResolvers<ContextType>;
  Notification?: NotificationResolvers<ContextType>;
  Patient?: PatientResolvers<ContextType>;
  PatientErased?: PatientErasedResolvers<ContextType>;
  PatientProfile?: PatientProfileResolvers<ContextType>;
  PatientRegistered?: PatientRegisteredResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RedeemClinicAccessCodeResult?: RedeemClinicAccessCodeResultResolvers<ContextType>;
  RegisterPatientResult?: RegisterPatientResultResolvers<ContextType>;
  Reminder?: ReminderResolvers<ContextType>;
  ReminderAnswered?: ReminderAnsweredResolvers<ContextType>;
  ReminderOptOuts?: ReminderOptOutsResolvers<ContextType>;
  ReminderReplyRefused?: ReminderReplyRefusedResolvers<ContextType>;
  ReminderSettings?: ReminderSettingsResolvers<ContextType>;
  ReminderSettingsResult?: ReminderSettingsResultResolvers<ContextType>;
  ReminderStats?: ReminderStatsResolvers<ContextType>;
  ReminderStatsResult?: ReminderStatsResultResolvers<ContextType>;
  RevokeClinicAccessResult?: RevokeClinicAccessResultResolvers<ContextType>;
  SetReminderOptOutsResult?: SetReminderOptOutsResultResolvers<ContextType>;
  SetReminderSettingsResult?: SetReminderSettingsResultResolvers<ContextType>;
}>;

