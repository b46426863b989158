import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { Slot as SlotRow, Appointment as AppointmentRow, WaitlistEntry as WaitlistEntryRow, WaitlistOffer as WaitlistOfferRow } from './prisma/client';
import { DoctorReference } from '../doctor-reference';
import { AppointmentsContext } from '../context';
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
  /** A calendar date, YYYY-MM-DD. */
  LocalDate: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** An appointment. The patient is known here only by the pseudonymous clientId. */
export type Appointment = {
  __typename?: 'Appointment';
  clientId: Scalars['ID']['output'];
  /** When the patient confirmed by answering a reminder; null until then, and again after a move (docs/reminders.md). */
  confirmedAt: Maybe<Scalars['DateTime']['output']>;
  doctor: Doctor;
  end: Scalars['DateTime']['output'];
  /** While a hold lasts (status pending). */
  holdExpiresAt: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** True when its doctor became unavailable and no other doctor is free yet; retried automatically. */
  needsAttention: Scalars['Boolean']['output'];
  reasonForVisit: Maybe<Scalars['String']['output']>;
  slot: Slot;
  start: Scalars['DateTime']['output'];
  status: AppointmentStatus;
  /**
   * A telehealth (video or phone) consultation rather than a visit to the clinic. When its doctor becomes
   * unavailable it moves only to a doctor who offers telehealth, at any clinic of its practice group.
   */
  telehealth: Scalars['Boolean']['output'];
};

export type AppointmentBooked = {
  __typename?: 'AppointmentBooked';
  appointment: Appointment;
};

export type AppointmentCancelled = {
  __typename?: 'AppointmentCancelled';
  appointment: Appointment;
};

/** No appointment with this id that the caller may change. */
export type AppointmentNotFound = {
  __typename?: 'AppointmentNotFound';
  appointmentId: Scalars['ID']['output'];
  message: Scalars['String']['output'];
};

export type AppointmentRescheduled = {
  __typename?: 'AppointmentRescheduled';
  appointment: Appointment;
  previousSlotId: Scalars['ID']['output'];
};

/** FHIR R4 appointment status (the subset this product uses). */
export type AppointmentStatus =
  | 'booked'
  | 'cancelled'
  | 'fulfilled'
  | 'noshow'
  | 'pending';

/** Something happened to one of the signed-in patient's appointments. */
export type AppointmentUpdate = {
  __typename?: 'AppointmentUpdate';
  appointment: Maybe<Appointment>;
  /** The appointment's id; for waitlist_offer, the offer's id (as offerId), and appointment is null. */
  appointmentId: Scalars['ID']['output'];
  kind: AppointmentUpdateKind;
  occurredAt: Scalars['DateTime']['output'];
  /** For waitlist_offer: when the offer lapses. */
  offerExpiresAt: Maybe<Scalars['DateTime']['output']>;
  /** For waitlist_offer: the offer to claim. */
  offerId: Maybe<Scalars['ID']['output']>;
  /** For waitlist_offer: the slot offered. */
  slotId: Maybe<Scalars['ID']['output']>;
};

/** Why an appointment update was sent. */
export type AppointmentUpdateKind =
  | 'booked'
  | 'cancelled'
  | 'needs_attention'
  | 'reassigned'
  | 'rescheduled'
  /** Back with its own doctor after needing attention (their time came back). */
  | 'returned'
  /** A freed time was offered to you from the waitlist: claim it with claimWaitlistOffer(offerId) before offerExpiresAt. */
  | 'waitlist_offer';

/** Where to look for available slots. Dates are calendar days in `timeZone`. */
export type AvailableSlotsFilter = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  doctorId?: InputMaybe<Scalars['ID']['input']>;
  /** First day, inclusive. */
  fromDate: Scalars['LocalDate']['input'];
  /** IANA time zone the dates are in, e.g. Australia/Perth. Defaults to Australia/Sydney. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  /** Last day, inclusive; at most 31 days after fromDate. */
  toDate: Scalars['LocalDate']['input'];
};

export type BookAppointmentInput = {
  /** The patient booked for. Patients book for themselves and leave it out; clinic staff must give it. */
  clientId?: InputMaybe<Scalars['ID']['input']>;
  /** Your hold (from holdSlot) to confirm. Give this or slotId. */
  holdId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  /** Why the patient is coming, at most 200 characters. No clinical notes. */
  reasonForVisit?: InputMaybe<Scalars['String']['input']>;
  /** A free slot to book. Give this or holdId. */
  slotId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * A telehealth (video or phone) consultation; the slot's doctor must offer it (Doctor.offersTelehealth), else
   * InvalidInput on telehealth. With holdId the hold's choice stands: true on a hold made in person is InvalidInput.
   */
  telehealth?: InputMaybe<Scalars['Boolean']['input']>;
};

export type BookAppointmentResult = AppointmentBooked | AppointmentNotFound | HoldExpired | InvalidInput | NotAllowed | SlotUnavailable;

export type CancelAppointmentInput = {
  appointmentId: Scalars['ID']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
};

export type CancelAppointmentResult = AppointmentCancelled | AppointmentNotFound | InvalidInput | NotAllowed;

export type ClaimWaitlistOfferInput = {
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  offerId: Scalars['ID']['input'];
};

export type ClaimWaitlistOfferResult = AppointmentBooked | InvalidInput | NotAllowed | OfferExpired | SlotUnavailable | WaitlistOfferNotFound;

export type DaySlot = {
  __typename?: 'DaySlot';
  /** The booking or hold on this slot, if any. */
  appointment: Maybe<Appointment>;
  slot: Slot;
};

export type Doctor = {
  __typename?: 'Doctor';
  /** The doctor's free slots from `from` (default now) for `days` days (1 to 31, default 7), earliest first and at most 500; slots that have started are not listed. */
  freeSlots: Array<Slot>;
  id: Scalars['ID']['output'];
};


export type DoctorFreeSlotsArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
};

/** One doctor's day for staff: every slot in order, with its appointment if it has one. */
export type DoctorDay = {
  __typename?: 'DoctorDay';
  date: Scalars['LocalDate']['output'];
  doctorId: Scalars['ID']['output'];
  /** At most 300: a day of five-minute slots, on the 25-hour day when daylight saving ends. */
  slots: Array<DaySlot>;
  timeZone: Scalars['String']['output'];
};

/** The hold ran out or was released; hold the slot again if it is still free. */
export type HoldExpired = {
  __typename?: 'HoldExpired';
  holdId: Scalars['ID']['output'];
  message: Scalars['String']['output'];
};

export type HoldSlotInput = {
  /** The patient held for. Patients hold for themselves and leave it out; clinic staff must give it. */
  clientId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  slotId: Scalars['ID']['input'];
  /**
   * Hold for a telehealth (video or phone) consultation; the slot's doctor must offer it, else InvalidInput on
   * telehealth. Confirming the hold keeps this choice.
   */
  telehealth?: InputMaybe<Scalars['Boolean']['input']>;
};

export type HoldSlotResult = InvalidInput | NotAllowed | SlotHeld | SlotUnavailable;

/** The input broke a rule; `field` names it. */
export type InvalidInput = {
  __typename?: 'InvalidInput';
  field: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

export type JoinWaitlistInput = {
  /** Wait for a time at this clinic, with any of its doctors. Give this or doctorId. */
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  /** Wait for a time with this doctor only (at their clinic). Give this or clinicId. */
  doctorId?: InputMaybe<Scalars['ID']['input']>;
  /** Earliest start time of day, HH:MM (24 h) in timeZone. */
  earliestStart?: InputMaybe<Scalars['String']['input']>;
  /** First day, inclusive, not before today in timeZone. */
  fromDate: Scalars['LocalDate']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  /** Latest start time of day, HH:MM (24 h) in timeZone; not before earliestStart. */
  latestStart?: InputMaybe<Scalars['String']['input']>;
  /** The clinic's IANA time zone (Clinic.timeZone), e.g. Australia/Perth. Defaults to Australia/Sydney. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  /** Last day, inclusive; at most 60 days after fromDate. */
  toDate: Scalars['LocalDate']['input'];
};

export type JoinWaitlistResult = InvalidInput | NotAllowed | WaitlistJoined;

export type LeaveWaitlistInput = {
  entryId: Scalars['ID']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
};

export type LeaveWaitlistResult = InvalidInput | NotAllowed | WaitlistEntryNotFound | WaitlistLeft;

/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Books a free slot, or confirms your hold. */
  bookAppointment: BookAppointmentResult;
  /** Cancels a future booking or hold and frees its slot. */
  cancelAppointment: CancelAppointmentResult;
  /**
   * Books the time of one of your waitlist offers, as bookAppointment does: SlotUnavailable when someone else
   * claimed or booked it first, OfferExpired when the offer lapsed or was passed on.
   */
  claimWaitlistOffer: ClaimWaitlistOfferResult;
  /** Holds a free slot for a few minutes (busy-tentative) while the patient finishes booking. */
  holdSlot: HoldSlotResult;
  /** Joins a clinic's or a doctor's waitlist. Patients only, for themselves. */
  joinWaitlist: JoinWaitlistResult;
  /** Leaves one of your waitlist entries. */
  leaveWaitlist: LeaveWaitlistResult;
  /** Moves a booking to another free slot, atomically. */
  rescheduleAppointment: RescheduleAppointmentResult;
  /** Chooses how the clinic offers freed times to its waitlist. Its admins and practice managers. */
  setWaitlistMode: SetWaitlistModeResult;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationBookAppointmentArgs = {
  input: BookAppointmentInput;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationCancelAppointmentArgs = {
  input: CancelAppointmentInput;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationClaimWaitlistOfferArgs = {
  input: ClaimWaitlistOfferInput;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationHoldSlotArgs = {
  input: HoldSlotInput;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationJoinWaitlistArgs = {
  input: JoinWaitlistInput;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationLeaveWaitlistArgs = {
  input: LeaveWaitlistInput;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationRescheduleAppointmentArgs = {
  input: RescheduleAppointmentInput;
};


/** Every mutation takes an idempotency key; outcomes a client must handle are members of its result union. */
export type MutationSetWaitlistModeArgs = {
  input: SetWaitlistModeInput;
};

/** The caller's role may not do this. */
export type NotAllowed = {
  __typename?: 'NotAllowed';
  message: Scalars['String']['output'];
};

/** The offer ran out, was passed on, or its hold was released; the time may have gone to someone else. */
export type OfferExpired = {
  __typename?: 'OfferExpired';
  message: Scalars['String']['output'];
  offerId: Scalars['ID']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One appointment the caller may see, or null. */
  appointment: Maybe<Appointment>;
  /**
   * Appointments earliest first, at most `first` (1 to 200), after the appointment id `after`.
   * A patient sees only their own; clinic staff see their clinic's; a system administrator sees all.
   */
  appointments: Array<Appointment>;
  /** Future appointments whose doctor became unavailable and that wait for another doctor. Clinic staff and system administrators. */
  appointmentsNeedingAttention: Array<Appointment>;
  /** Free slots matching the filter, earliest first, `first` (1 to 200) per page after the cursor `after`. Public. */
  availableSlots: SlotConnection;
  /**
   * A clinic's active waitlist in line order (oldest first), at most `first` (1 to 200). Clinic staff see their
   * own clinic's (clinicId may be left out); a system administrator names the clinic.
   */
  clinicWaitlist: Array<WaitlistEntry>;
  /** A doctor's day in `timeZone` (default Australia/Sydney). The doctor, their clinic's staff and system administrators. */
  doctorDay: DoctorDay;
  /** Free slots in a time window, earliest first, at most `first` (1 to 200); slots that have started are not listed. Public. */
  freeSlots: Array<Slot>;
  /** The signed-in patient's active waitlist entries, oldest first (at most 5). Patients only. */
  myWaitlist: Array<WaitlistEntry>;
  /** The signed-in patient's offers that can still be claimed, soonest to lapse first (at most 20). Patients only. */
  myWaitlistOffers: Array<WaitlistOffer>;
  /** The earliest free slot from now at a clinic or with a doctor (give one of them), or null. Public. */
  nextAvailableSlot: Maybe<Slot>;
  /** One slot by id, or null. Public. */
  slot: Maybe<Slot>;
  /** A clinic's waitlist setting. Its admins and practice managers (clinicId may be left out); a system administrator names the clinic. */
  waitlistSettings: WaitlistSettings;
};


export type QueryAppointmentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAppointmentsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAppointmentsNeedingAttentionArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAvailableSlotsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter: AvailableSlotsFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryClinicWaitlistArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryDoctorDayArgs = {
  date: Scalars['LocalDate']['input'];
  doctorId: Scalars['ID']['input'];
  timeZone?: InputMaybe<Scalars['String']['input']>;
};


export type QueryFreeSlotsArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  doctorId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryNextAvailableSlotArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  doctorId?: InputMaybe<Scalars['ID']['input']>;
};


export type QuerySlotArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWaitlistSettingsArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
};

export type RescheduleAppointmentInput = {
  appointmentId: Scalars['ID']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  /**
   * The free slot to move to. The old time is released only if this one is booked. A telehealth appointment
   * moves only to a doctor who offers telehealth, else InvalidInput on slotId.
   */
  slotId: Scalars['ID']['input'];
};

export type RescheduleAppointmentResult = AppointmentNotFound | AppointmentRescheduled | InvalidInput | NotAllowed | SlotUnavailable;

export type SetWaitlistModeInput = {
  /** Your clinic; may be left out. */
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  mode: WaitlistMode;
  /** 5 to 120; default 15. */
  offerMinutes?: InputMaybe<Scalars['Int']['input']>;
};

export type SetWaitlistModeResult = InvalidInput | NotAllowed | WaitlistModeSet;

/** A bookable period of one doctor's time. */
export type Slot = {
  __typename?: 'Slot';
  doctor: Doctor;
  end: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  start: Scalars['DateTime']['output'];
  status: SlotStatus;
};

/** A slot's status changed. `slot` is read when the event is delivered, so it may already be newer. */
export type SlotAvailabilityChange = {
  __typename?: 'SlotAvailabilityChange';
  occurredAt: Scalars['DateTime']['output'];
  slot: Maybe<Slot>;
  slotId: Scalars['ID']['output'];
  /** The status the event reported. */
  status: SlotStatus;
};

/** A page of slots, earliest first. */
export type SlotConnection = {
  __typename?: 'SlotConnection';
  /** As many as the query's `first` (see availableSlots). */
  edges: Array<SlotEdge>;
  pageInfo: PageInfo;
};

export type SlotEdge = {
  __typename?: 'SlotEdge';
  cursor: Scalars['String']['output'];
  node: Slot;
};

/** The slot is busy-tentative for you until expiresAt; confirm it with bookAppointment(holdId). */
export type SlotHeld = {
  __typename?: 'SlotHeld';
  expiresAt: Scalars['DateTime']['output'];
  hold: Appointment;
};

/** FHIR R4 slot status. */
export type SlotStatus =
  | 'busy'
  | 'busy_tentative'
  | 'busy_unavailable'
  | 'free';

/** The slot is taken, held, unavailable, already past, or overlaps another of the patient's appointments. */
export type SlotUnavailable = {
  __typename?: 'SlotUnavailable';
  message: Scalars['String']['output'];
  slotId: Scalars['ID']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The signed-in patient's bookings, cancellations, reschedules, re-assignments and waitlist offers. Patients only. */
  myAppointmentUpdates: AppointmentUpdate;
  /** Slots whose status changes within [from, to), optionally of one clinic or doctor. Public. */
  slotAvailabilityChanged: SlotAvailabilityChange;
};


export type SubscriptionSlotAvailabilityChangedArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  doctorId?: InputMaybe<Scalars['ID']['input']>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};

/** A patient's place on a clinic's waitlist. The patient is known here only by the pseudonymous clientId. */
export type WaitlistEntry = {
  __typename?: 'WaitlistEntry';
  clientId: Scalars['ID']['output'];
  clinicId: Scalars['ID']['output'];
  /** When the patient joined: the line's order. */
  createdAt: Scalars['DateTime']['output'];
  /** Set when the patient waits for this doctor only; null for any doctor of the clinic. */
  doctorId: Maybe<Scalars['ID']['output']>;
  /** Earliest start time of day, HH:MM in timeZone; null for any. */
  earliestStart: Maybe<Scalars['String']['output']>;
  /** First and last calendar day (inclusive) the patient could come, in timeZone. */
  fromDate: Scalars['LocalDate']['output'];
  id: Scalars['ID']['output'];
  /** Latest start time of day, HH:MM in timeZone; null for any. */
  latestStart: Maybe<Scalars['String']['output']>;
  status: WaitlistEntryStatus;
  /** The IANA time zone of the dates and times of day: the clinic's. */
  timeZone: Scalars['String']['output'];
  toDate: Scalars['LocalDate']['output'];
};

/** No active waitlist entry with this id that the caller may change. */
export type WaitlistEntryNotFound = {
  __typename?: 'WaitlistEntryNotFound';
  entryId: Scalars['ID']['output'];
  message: Scalars['String']['output'];
};

/** Whether a waitlist entry still waits. */
export type WaitlistEntryStatus =
  | 'active'
  /** The patient booked through an offer of this entry. */
  | 'fulfilled'
  /** The patient left the waitlist. */
  | 'left';

export type WaitlistJoined = {
  __typename?: 'WaitlistJoined';
  entry: WaitlistEntry;
};

export type WaitlistLeft = {
  __typename?: 'WaitlistLeft';
  entry: WaitlistEntry;
};

/** How a clinic offers a freed time to its waitlist. */
export type WaitlistMode =
  /** Every matching entry (up to 100, first in line first) is offered the time at once; the first to claim it books it. */
  | 'broadcast'
  /** The first matching entry in line alone is offered the time, held busy-tentative for them; if they do not claim it in time it passes to the next. */
  | 'sequential';

export type WaitlistModeSet = {
  __typename?: 'WaitlistModeSet';
  settings: WaitlistSettings;
};

/** A freed time offered to a waitlisted patient. Patients know it by its id only (from the message or myAppointmentUpdates). */
export type WaitlistOffer = {
  __typename?: 'WaitlistOffer';
  clinicId: Scalars['ID']['output'];
  end: Scalars['DateTime']['output'];
  entryId: Scalars['ID']['output'];
  expiresAt: Scalars['DateTime']['output'];
  /** Sequential mode: the hold keeping the time for you until expiresAt. */
  holdId: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  mode: WaitlistMode;
  slot: Slot;
  start: Scalars['DateTime']['output'];
  /** open until expiresAt; a lapsed open offer reads as expired. */
  status: WaitlistOfferStatus;
};

/** No waitlist offer with this id that the caller may claim. */
export type WaitlistOfferNotFound = {
  __typename?: 'WaitlistOfferNotFound';
  message: Scalars['String']['output'];
  offerId: Scalars['ID']['output'];
};

/** Whether an offer can still be claimed. */
export type WaitlistOfferStatus =
  /** Claimed: the time is booked for the patient. */
  | 'claimed'
  /** Lapsed, or passed on to the next in line. */
  | 'expired'
  | 'open'
  /** Another claim or booking took the time first. */
  | 'taken';

/** A clinic's waitlist setting. A clinic that never chose is broadcast, 15 minutes. */
export type WaitlistSettings = {
  __typename?: 'WaitlistSettings';
  clinicId: Scalars['ID']['output'];
  mode: WaitlistMode;
  /** How long an offer lasts (and, in sequential mode, holds the time): 5 to 120 minutes. */
  offerMinutes: Scalars['Int']['output'];
};

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
  Doctor: Doctor;
  Slot: Slot;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Appointment:
    ( { __typename: 'Appointment' }
    & GraphQLRecursivePick<FederationTypes['Appointment'], {"id":true}> );
  Doctor:
    ( { __typename: 'Doctor' }
    & GraphQLRecursivePick<FederationTypes['Doctor'], {"id":true}> );
  Slot:
    ( { __typename: 'Slot' }
    & GraphQLRecursivePick<FederationTypes['Slot'], {"id":true}> );
}>;

/** Mapping of union types */
export type ResolversUnionTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  BookAppointmentResult:
    | ( Omit<AppointmentBooked, 'appointment'> & { appointment: _RefType['Appointment'] } )
    | ( AppointmentNotFound )
    | ( HoldExpired )
    | ( InvalidInput )
    | ( NotAllowed )
    | ( SlotUnavailable )
  ;
  CancelAppointmentResult:
    | ( Omit<AppointmentCancelled, 'appointment'> & { appointment: _RefType['Appointment'] } )
    | ( AppointmentNotFound )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
  ClaimWaitlistOfferResult:
    | ( Omit<AppointmentBooked, 'appointment'> & { appointment: _RefType['Appointment'] } )
    | ( InvalidInput )
    | ( NotAllowed )
    | ( OfferExpired )
    | ( SlotUnavailable )
    | ( WaitlistOfferNotFound )
  ;
  HoldSlotResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( Omit<SlotHeld, 'hold'> & { hold: _RefType['Appointment'] } )
    | ( SlotUnavailable )
  ;
  JoinWaitlistResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( Omit<WaitlistJoined, 'entry'> & { entry: _RefType['WaitlistEntry'] } )
  ;
  LeaveWaitlistResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( WaitlistEntryNotFound )
    | ( Omit<WaitlistLeft, 'entry'> & { entry: _RefType['WaitlistEntry'] } )
  ;
  RescheduleAppointmentResult:
    | ( AppointmentNotFound )
    | ( Omit<AppointmentRescheduled, 'appointment'> & { appointment: _RefType['Appointment'] } )
    | ( InvalidInput )
    | ( NotAllowed )
    | ( SlotUnavailable )
  ;
  SetWaitlistModeResult:
    | ( InvalidInput )
    | ( NotAllowed )
    | ( WaitlistModeSet )
  ;
}>;


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Appointment: ResolverTypeWrapper<AppointmentRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AppointmentBooked: ResolverTypeWrapper<Omit<AppointmentBooked, 'appointment'> & { appointment: ResolversTypes['Appointment'] }>;
  AppointmentCancelled: ResolverTypeWrapper<Omit<AppointmentCancelled, 'appointment'> & { appointment: ResolversTypes['Appointment'] }>;
  AppointmentNotFound: ResolverTypeWrapper<AppointmentNotFound>;
  AppointmentRescheduled: ResolverTypeWrapper<Omit<AppointmentRescheduled, 'appointment'> & { appointment: ResolversTypes['Appointment'] }>;
  AppointmentStatus: AppointmentStatus;
  AppointmentUpdate: ResolverTypeWrapper<Omit<AppointmentUpdate, 'appointment'> & { appointment?: Maybe<ResolversTypes['Appointment']> }>;
  AppointmentUpdateKind: AppointmentUpdateKind;
  AvailableSlotsFilter: AvailableSlotsFilter;
  BookAppointmentInput: BookAppointmentInput;
  BookAppointmentResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['BookAppointmentResult']>;
  CancelAppointmentInput: CancelAppointmentInput;
  CancelAppointmentResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['CancelAppointmentResult']>;
  ClaimWaitlistOfferInput: ClaimWaitlistOfferInput;
  ClaimWaitlistOfferResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['ClaimWaitlistOfferResult']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DaySlot: ResolverTypeWrapper<Omit<DaySlot, 'appointment' | 'slot'> & { appointment?: Maybe<ResolversTypes['Appointment']>, slot: ResolversTypes['Slot'] }>;
  Doctor: ResolverTypeWrapper<DoctorReference>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DoctorDay: ResolverTypeWrapper<Omit<DoctorDay, 'slots'> & { slots: Array<ResolversTypes['DaySlot']> }>;
  HoldExpired: ResolverTypeWrapper<HoldExpired>;
  HoldSlotInput: HoldSlotInput;
  HoldSlotResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['HoldSlotResult']>;
  InvalidInput: ResolverTypeWrapper<InvalidInput>;
  JoinWaitlistInput: JoinWaitlistInput;
  JoinWaitlistResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['JoinWaitlistResult']>;
  LeaveWaitlistInput: LeaveWaitlistInput;
  LeaveWaitlistResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['LeaveWaitlistResult']>;
  LocalDate: ResolverTypeWrapper<Scalars['LocalDate']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NotAllowed: ResolverTypeWrapper<NotAllowed>;
  OfferExpired: ResolverTypeWrapper<OfferExpired>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RescheduleAppointmentInput: RescheduleAppointmentInput;
  RescheduleAppointmentResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['RescheduleAppointmentResult']>;
  SetWaitlistModeInput: SetWaitlistModeInput;
  SetWaitlistModeResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['SetWaitlistModeResult']>;
  Slot: ResolverTypeWrapper<SlotRow>;
  SlotAvailabilityChange: ResolverTypeWrapper<Omit<SlotAvailabilityChange, 'slot'> & { slot?: Maybe<ResolversTypes['Slot']> }>;
  SlotConnection: ResolverTypeWrapper<Omit<SlotConnection, 'edges'> & { edges: Array<ResolversTypes['SlotEdge']> }>;
  SlotEdge: ResolverTypeWrapper<Omit<SlotEdge, 'node'> & { node: ResolversTypes['Slot'] }>;
  SlotHeld: ResolverTypeWrapper<Omit<SlotHeld, 'hold'> & { hold: ResolversTypes['Appointment'] }>;
  SlotStatus: SlotStatus;
  SlotUnavailable: ResolverTypeWrapper<SlotUnavailable>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  WaitlistEntry: ResolverTypeWrapper<WaitlistEntryRow>;
  WaitlistEntryNotFound: ResolverTypeWrapper<WaitlistEntryNotFound>;
  WaitlistEntryStatus: WaitlistEntryStatus;
  WaitlistJoined: ResolverTypeWrapper<Omit<WaitlistJoined, 'entry'> & { entry: ResolversTypes['WaitlistEntry'] }>;
  WaitlistLeft: ResolverTypeWrapper<Omit<WaitlistLeft, 'entry'> & { entry: ResolversTypes['WaitlistEntry'] }>;
  WaitlistMode: WaitlistMode;
  WaitlistModeSet: ResolverTypeWrapper<WaitlistModeSet>;
  WaitlistOffer: ResolverTypeWrapper<WaitlistOfferRow>;
  WaitlistOfferNotFound: ResolverTypeWrapper<WaitlistOfferNotFound>;
  WaitlistOfferStatus: WaitlistOfferStatus;
  WaitlistSettings: ResolverTypeWrapper<WaitlistSettings>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Appointment: AppointmentRow;
  ID: Scalars['ID']['output'];
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
  AppointmentBooked: Omit<AppointmentBooked, 'appointment'> & { appointment: ResolversParentTypes['Appointment'] };
  AppointmentCancelled: Omit<AppointmentCancelled, 'appointment'> & { appointment: ResolversParentTypes['Appointment'] };
  AppointmentNotFound: AppointmentNotFound;
  AppointmentRescheduled: Omit<AppointmentRescheduled, 'appointment'> & { appointment: ResolversParentTypes['Appointment'] };
  AppointmentUpdate: Omit<AppointmentUpdate, 'appointment'> & { appointment?: Maybe<ResolversParentTypes['Appointment']> };
  AvailableSlotsFilter: AvailableSlotsFilter;
  BookAppointmentInput: BookAppointmentInput;
  BookAppointmentResult: ResolversUnionTypes<ResolversParentTypes>['BookAppointmentResult'];
  CancelAppointmentInput: CancelAppointmentInput;
  CancelAppointmentResult: ResolversUnionTypes<ResolversParentTypes>['CancelAppointmentResult'];
  ClaimWaitlistOfferInput: ClaimWaitlistOfferInput;
  ClaimWaitlistOfferResult: ResolversUnionTypes<ResolversParentTypes>['ClaimWaitlistOfferResult'];
  DateTime: Scalars['DateTime']['output'];
  DaySlot: Omit<DaySlot, 'appointment' | 'slot'> & { appointment?: Maybe<ResolversParentTypes['Appointment']>, slot: ResolversParentTypes['Slot'] };
  Doctor: DoctorReference;
  Int: Scalars['Int']['output'];
  DoctorDay: Omit<DoctorDay, 'slots'> & { slots: Array<ResolversParentTypes['DaySlot']> };
  HoldExpired: HoldExpired;
  HoldSlotInput: HoldSlotInput;
  HoldSlotResult: ResolversUnionTypes<ResolversParentTypes>['HoldSlotResult'];
  InvalidInput: InvalidInput;
  JoinWaitlistInput: JoinWaitlistInput;
  JoinWaitlistResult: ResolversUnionTypes<ResolversParentTypes>['JoinWaitlistResult'];
  LeaveWaitlistInput: LeaveWaitlistInput;
  LeaveWaitlistResult: ResolversUnionTypes<ResolversParentTypes>['LeaveWaitlistResult'];
  LocalDate: Scalars['LocalDate']['output'];
  Mutation: Record<PropertyKey, never>;
  NotAllowed: NotAllowed;
  OfferExpired: OfferExpired;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RescheduleAppointmentInput: RescheduleAppointmentInput;
  RescheduleAppointmentResult: ResolversUnionTypes<ResolversParentTypes>['RescheduleAppointmentResult'];
  SetWaitlistModeInput: SetWaitlistModeInput;
  SetWaitlistModeResult: ResolversUnionTypes<ResolversParentTypes>['SetWaitlistModeResult'];
  Slot: SlotRow;
  SlotAvailabilityChange: Omit<SlotAvailabilityChange, 'slot'> & { slot?: Maybe<ResolversParentTypes['Slot']> };
  SlotConnection: Omit<SlotConnection, 'edges'> & { edges: Array<ResolversParentTypes['SlotEdge']> };
  SlotEdge: Omit<SlotEdge, 'node'> & { node: ResolversParentTypes['Slot'] };
  SlotHeld: Omit<SlotHeld, 'hold'> & { hold: ResolversParentTypes['Appointment'] };
  SlotUnavailable: SlotUnavailable;
  Subscription: Record<PropertyKey, never>;
  WaitlistEntry: WaitlistEntryRow;
  WaitlistEntryNotFound: WaitlistEntryNotFound;
  WaitlistJoined: Omit<WaitlistJoined, 'entry'> & { entry: ResolversParentTypes['WaitlistEntry'] };
  WaitlistLeft: Omit<WaitlistLeft, 'entry'> & { entry: ResolversParentTypes['WaitlistEntry'] };
  WaitlistModeSet: WaitlistModeSet;
  WaitlistOffer: WaitlistOfferRow;
  WaitlistOfferNotFound: WaitlistOfferNotFound;
  WaitlistSettings: WaitlistSettings;
}>;

export type AppointmentResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Appointment'] = ResolversParentTypes['Appointment'], FederationReferenceType extends FederationReferenceTypes['Appointment'] = FederationReferenceTypes['Appointment']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Appointment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clientId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  confirmedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  doctor?: Resolver<ResolversTypes['Doctor'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  holdExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  needsAttention?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reasonForVisit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  slot?: Resolver<ResolversTypes['Slot'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AppointmentStatus'], ParentType, ContextType>;
  telehealth?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AppointmentBookedResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['AppointmentBooked'] = ResolversParentTypes['AppointmentBooked']> = ResolversObject<{
  appointment?: Resolver<ResolversTypes['Appointment'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AppointmentCancelledResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['AppointmentCancelled'] = ResolversParentTypes['AppointmentCancelled']> = ResolversObject<{
  appointment?: Resolver<ResolversTypes['Appointment'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AppointmentNotFoundResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['AppointmentNotFound'] = ResolversParentTypes['AppointmentNotFound']> = ResolversObject<{
  appointmentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AppointmentRescheduledResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['AppointmentRescheduled'] = ResolversParentTypes['AppointmentRescheduled']> = ResolversObject<{
  appointment?: Resolver<ResolversTypes['Appointment'], ParentType, ContextType>;
  previousSlotId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AppointmentUpdateResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['AppointmentUpdate'] = ResolversParentTypes['AppointmentUpdate']> = ResolversObject<{
  appointment?: Resolver<Maybe<ResolversTypes['Appointment']>, ParentType, ContextType>;
  appointmentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AppointmentUpdateKind'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  offerExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  offerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  slotId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type BookAppointmentResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['BookAppointmentResult'] = ResolversParentTypes['BookAppointmentResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AppointmentBooked' | 'AppointmentNotFound' | 'HoldExpired' | 'InvalidInput' | 'NotAllowed' | 'SlotUnavailable', ParentType, ContextType>;
}>;

export type CancelAppointmentResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['CancelAppointmentResult'] = ResolversParentTypes['CancelAppointmentResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AppointmentCancelled' | 'AppointmentNotFound' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export type ClaimWaitlistOfferResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['ClaimWaitlistOfferResult'] = ResolversParentTypes['ClaimWaitlistOfferResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AppointmentBooked' | 'InvalidInput' | 'NotAllowed' | 'OfferExpired' | 'SlotUnavailable' | 'WaitlistOfferNotFound', ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DaySlotResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['DaySlot'] = ResolversParentTypes['DaySlot']> = ResolversObject<{
  appointment?: Resolver<Maybe<ResolversTypes['Appointment']>, ParentType, ContextType>;
  slot?: Resolver<ResolversTypes['Slot'], ParentType, ContextType>;
}>;

export type DoctorResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Doctor'] = ResolversParentTypes['Doctor'], FederationReferenceType extends FederationReferenceTypes['Doctor'] = FederationReferenceTypes['Doctor']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Doctor']> | FederationReferenceType, FederationReferenceType, ContextType>;
  freeSlots?: Resolver<Array<ResolversTypes['Slot']>, ParentType, ContextType, RequireFields<DoctorFreeSlotsArgs, 'days'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type DoctorDayResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['DoctorDay'] = ResolversParentTypes['DoctorDay']> = ResolversObject<{
  date?: Resolver<ResolversTypes['LocalDate'], ParentType, ContextType>;
  doctorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  slots?: Resolver<Array<ResolversTypes['DaySlot']>, ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type HoldExpiredResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['HoldExpired'] = ResolversParentTypes['HoldExpired']> = ResolversObject<{
  holdId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type HoldSlotResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['HoldSlotResult'] = ResolversParentTypes['HoldSlotResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'SlotHeld' | 'SlotUnavailable', ParentType, ContextType>;
}>;

export type InvalidInputResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['InvalidInput'] = ResolversParentTypes['InvalidInput']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type JoinWaitlistResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['JoinWaitlistResult'] = ResolversParentTypes['JoinWaitlistResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'WaitlistJoined', ParentType, ContextType>;
}>;

export type LeaveWaitlistResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['LeaveWaitlistResult'] = ResolversParentTypes['LeaveWaitlistResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'WaitlistEntryNotFound' | 'WaitlistLeft', ParentType, ContextType>;
}>;

export interface LocalDateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['LocalDate'], any> {
  name: 'LocalDate';
}

export type MutationResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  bookAppointment?: Resolver<ResolversTypes['BookAppointmentResult'], ParentType, ContextType, RequireFields<MutationBookAppointmentArgs, 'input'>>;
  cancelAppointment?: Resolver<ResolversTypes['CancelAppointmentResult'], ParentType, ContextType, RequireFields<MutationCancelAppointmentArgs, 'input'>>;
  claimWaitlistOffer?: Resolver<ResolversTypes['ClaimWaitlistOfferResult'], ParentType, ContextType, RequireFields<MutationClaimWaitlistOfferArgs, 'input'>>;
  holdSlot?: Resolver<ResolversTypes['HoldSlotResult'], ParentType, ContextType, RequireFields<MutationHoldSlotArgs, 'input'>>;
  joinWaitlist?: Resolver<ResolversTypes['JoinWaitlistResult'], ParentType, ContextType, RequireFields<MutationJoinWaitlistArgs, 'input'>>;
  leaveWaitlist?: Resolver<ResolversTypes['LeaveWaitlistResult'], ParentType, ContextType, RequireFields<MutationLeaveWaitlistArgs, 'input'>>;
  rescheduleAppointment?: Resolver<ResolversTypes['RescheduleAppointmentResult'], ParentType, ContextType, RequireFields<MutationRescheduleAppointmentArgs, 'input'>>;
  setWaitlistMode?: Resolver<ResolversTypes['SetWaitlistModeResult'], ParentType, ContextType, RequireFields<MutationSetWaitlistModeArgs, 'input'>>;
}>;

export type NotAllowedResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['NotAllowed'] = ResolversParentTypes['NotAllowed']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type OfferExpiredResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['OfferExpired'] = ResolversParentTypes['OfferExpired']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  offerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  appointment?: Resolver<Maybe<ResolversTypes['Appointment']>, ParentType, ContextType, RequireFields<QueryAppointmentArgs, 'id'>>;
  appointments?: Resolver<Array<ResolversTypes['Appointment']>, ParentType, ContextType, RequireFields<QueryAppointmentsArgs, 'first'>>;
  appointmentsNeedingAttention?: Resolver<Array<ResolversTypes['Appointment']>, ParentType, ContextType, RequireFields<QueryAppointmentsNeedingAttentionArgs, 'first'>>;
  availableSlots?: Resolver<ResolversTypes['SlotConnection'], ParentType, ContextType, RequireFields<QueryAvailableSlotsArgs, 'filter' | 'first'>>;
  clinicWaitlist?: Resolver<Array<ResolversTypes['WaitlistEntry']>, ParentType, ContextType, RequireFields<QueryClinicWaitlistArgs, 'first'>>;
  doctorDay?: Resolver<ResolversTypes['DoctorDay'], ParentType, ContextType, RequireFields<QueryDoctorDayArgs, 'date' | 'doctorId'>>;
  freeSlots?: Resolver<Array<ResolversTypes['Slot']>, ParentType, ContextType, RequireFields<QueryFreeSlotsArgs, 'first' | 'from' | 'to'>>;
  myWaitlist?: Resolver<Array<ResolversTypes['WaitlistEntry']>, ParentType, ContextType>;
  myWaitlistOffers?: Resolver<Array<ResolversTypes['WaitlistOffer']>, ParentType, ContextType>;
  nextAvailableSlot?: Resolver<Maybe<ResolversTypes['Slot']>, ParentType, ContextType, Partial<QueryNextAvailableSlotArgs>>;
  slot?: Resolver<Maybe<ResolversTypes['Slot']>, ParentType, ContextType, RequireFields<QuerySlotArgs, 'id'>>;
  waitlistSettings?: Resolver<ResolversTypes['WaitlistSettings'], ParentType, ContextType, Partial<QueryWaitlistSettingsArgs>>;
}>;

export type RescheduleAppointmentResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['RescheduleAppointmentResult'] = ResolversParentTypes['RescheduleAppointmentResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AppointmentNotFound' | 'AppointmentRescheduled' | 'InvalidInput' | 'NotAllowed' | 'SlotUnavailable', ParentType, ContextType>;
}>;

export type SetWaitlistModeResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SetWaitlistModeResult'] = ResolversParentTypes['SetWaitlistModeResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'InvalidInput' | 'NotAllowed' | 'WaitlistModeSet', ParentType, ContextType>;
}>;

export type SlotResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Slot'] = ResolversParentTypes['Slot'], FederationReferenceType extends FederationReferenceTypes['Slot'] = FederationReferenceTypes['Slot']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Slot']> | FederationReferenceType, FederationReferenceType, ContextType>;
  doctor?: Resolver<ResolversTypes['Doctor'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SlotStatus'], ParentType, ContextType>;
}>;

export type SlotAvailabilityChangeResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SlotAvailabilityChange'] = ResolversParentTypes['SlotAvailabilityChange']> = ResolversObject<{
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  slot?: Resolver<Maybe<ResolversTypes['Slot']>, ParentType, ContextType>;
  slotId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SlotStatus'], ParentType, ContextType>;
}>;

export type SlotConnectionResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SlotConnection'] = ResolversParentTypes['SlotConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['SlotEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type SlotEdgeResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SlotEdge'] = ResolversParentTypes['SlotEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Slot'], ParentType, ContextType>;
}>;

export type SlotHeldResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SlotHeld'] = ResolversParentTypes['SlotHeld']> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  hold?: Resolver<ResolversTypes['Appointment'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SlotUnavailableResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SlotUnavailable'] = ResolversParentTypes['SlotUnavailable']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slotId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  myAppointmentUpdates?: SubscriptionResolver<ResolversTypes['AppointmentUpdate'], "myAppointmentUpdates", ParentType, ContextType>;
  slotAvailabilityChanged?: SubscriptionResolver<ResolversTypes['SlotAvailabilityChange'], "slotAvailabilityChanged", ParentType, ContextType, RequireFields<SubscriptionSlotAvailabilityChangedArgs, 'from' | 'to'>>;
}>;

export type WaitlistEntryResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistEntry'] = ResolversParentTypes['WaitlistEntry']> = ResolversObject<{
  clientId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  clinicId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  doctorId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  earliestStart?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fromDate?: Resolver<ResolversTypes['LocalDate'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  latestStart?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WaitlistEntryStatus'], ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  toDate?: Resolver<ResolversTypes['LocalDate'], ParentType, ContextType>;
}>;

export type WaitlistEntryNotFoundResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistEntryNotFound'] = ResolversParentTypes['WaitlistEntryNotFound']> = ResolversObject<{
  entryId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WaitlistJoinedResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistJoined'] = ResolversParentTypes['WaitlistJoined']> = ResolversObject<{
  entry?: Resolver<ResolversTypes['WaitlistEntry'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WaitlistLeftResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistLeft'] = ResolversParentTypes['WaitlistLeft']> = ResolversObject<{
  entry?: Resolver<ResolversTypes['WaitlistEntry'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WaitlistModeSetResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistModeSet'] = ResolversParentTypes['WaitlistModeSet']> = ResolversObject<{
  settings?: Resolver<ResolversTypes['WaitlistSettings'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WaitlistOfferResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistOffer'] = ResolversParentTypes['WaitlistOffer']> = ResolversObject<{
  clinicId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  entryId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  holdId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['WaitlistMode'], ParentType, ContextType>;
  slot?: Resolver<ResolversTypes['Slot'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WaitlistOfferStatus'], ParentType, ContextType>;
}>;

export type WaitlistOfferNotFoundResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistOfferNotFound'] = ResolversParentTypes['WaitlistOfferNotFound']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  offerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WaitlistSettingsResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['WaitlistSettings'] = ResolversParentTypes['WaitlistSettings']> = ResolversObject<{
  clinicId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['WaitlistMode'], ParentType, ContextType>;
  offerMinutes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = AppointmentsContext> = ResolversObject<{
  Appointment?: AppointmentResolvers<ContextType>;
  AppointmentBooked?: AppointmentBookedResolvers<ContextType>;
  AppointmentCancelled?: AppointmentCancelledResolvers<ContextType>;
  AppointmentNotFound?: AppointmentNotFoundResolvers<ContextType>;
  AppointmentRescheduled?: AppointmentRescheduledResolvers<ContextType>;
  AppointmentUpdate?: AppointmentUpdateResolvers<ContextType>;
  BookAppointmentResult?: BookAppointmentResultResolvers<ContextType>;
  CancelAppointmentResult?: CancelAppointmentResultResolvers<ContextType>;
  ClaimWaitlistOfferResult?: ClaimWaitlistOfferResultResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DaySlot?: DaySlotResolvers<ContextType>;
  Doctor?: DoctorResolvers<ContextType>;
  DoctorDay?: DoctorDayResolvers<ContextType>;
  HoldExpired?: HoldExpiredResolvers<ContextType>;
  HoldSlotResult?: HoldSlotResultResolvers<ContextType>;
  InvalidInput?: InvalidInputResolvers<ContextType>;
  JoinWaitlistResult?: JoinWaitlistResultResolvers<ContextType>;
  LeaveWaitlistResult?: LeaveWaitlistResultResolvers<ContextType>;
  LocalDate?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  NotAllowed?: NotAllowedResolvers<ContextType>;
  OfferExpired?: OfferExpiredResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RescheduleAppointmentResult?: RescheduleAppointmentResultResolvers<ContextType>;
  SetWaitlistModeResult?: SetWaitlistModeResultResolvers<ContextType>;
  Slot?: SlotResolvers<ContextType>;
  SlotAvailabilityChange?: SlotAvailabilityChangeResolvers<ContextType>;
  SlotConnection?: SlotConnectionResolvers<ContextType>;
  SlotEdge?: SlotEdgeResolvers<ContextType>;
  SlotHeld?: SlotHeldResolvers<ContextType>;
  SlotUnavailable?: SlotUnavailableResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  WaitlistEntry?: WaitlistEntryResolvers<ContextType>;
  WaitlistEntryNotFound?: WaitlistEntryNotFoundResolvers<ContextType>;
  WaitlistJoined?: WaitlistJoinedResolvers<ContextType>;
  WaitlistLeft?: WaitlistLeftResolvers<ContextType>;
  WaitlistModeSet?: WaitlistModeSetResolvers<ContextType>;
  WaitlistOffer?: WaitlistOfferResolvers<ContextType>;
  WaitlistOfferNotFound?: WaitlistOfferNotFoundResolvers<ContextType>;
  WaitlistSettings?: WaitlistSettingsResolvers<ContextType>;
}>;

