/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AddAvailabilityExceptionInput = {
  doctorId: string;
  endsAt: string;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: string;
  kind: AvailabilityExceptionKind;
  /** Optional short code: lowercase letters, digits and - (e.g. annual-leave); no free text. */
  reasonCode?: string | null | undefined;
  startsAt: string;
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

export type AvailabilityExceptionKind =
  | 'blocked'
  | 'leave';

/** Where to look for available slots. Dates are calendar days in `timeZone`. */
export type AvailableSlotsFilter = {
  clinicId?: string | null | undefined;
  doctorId?: string | null | undefined;
  /** First day, inclusive. */
  fromDate: string;
  /** IANA time zone the dates are in, e.g. Australia/Perth. Defaults to Australia/Sydney. */
  timeZone?: string | null | undefined;
  /** Last day, inclusive; at most 31 days after fromDate. */
  toDate: string;
};

export type BookAppointmentInput = {
  /** The patient booked for. Patients book for themselves and leave it out; clinic staff must give it. */
  clientId?: string | null | undefined;
  /** Your hold (from holdSlot) to confirm. Give this or slotId. */
  holdId?: string | null | undefined;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: string;
  /** Why the patient is coming, at most 200 characters. No clinical notes. */
  reasonForVisit?: string | null | undefined;
  /** A free slot to book. Give this or holdId. */
  slotId?: string | null | undefined;
  /**
   * A telehealth (video or phone) consultation; the slot's doctor must offer it (Doctor.offersTelehealth), else
   * InvalidInput on telehealth. With holdId the hold's choice stands: true on a hold made in person is InvalidInput.
   */
  telehealth?: boolean | null | undefined;
};

export type CancelAppointmentInput = {
  appointmentId: string;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: string;
};

export type ContactChannel =
  | 'email'
  | 'sms';

export type HoldSlotInput = {
  /** The patient held for. Patients hold for themselves and leave it out; clinic staff must give it. */
  clientId?: string | null | undefined;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: string;
  slotId: string;
  /**
   * Hold for a telehealth (video or phone) consultation; the slot's doctor must offer it, else InvalidInput on
   * telehealth. Confirming the hold keeps this choice.
   */
  telehealth?: boolean | null | undefined;
};

export type ReminderAnswer =
  | 'CANCEL'
  | 'CONFIRM';

export type ReminderReplyRefusal =
  /** A signed-in patient used another patient's link. */
  | 'NOT_YOURS'
  /** Unknown, already used or expired (the appointment has started): one answer for all three. */
  | 'TOKEN_NOT_VALID';

export type RescheduleAppointmentInput = {
  appointmentId: string;
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: string;
  /**
   * The free slot to move to. The old time is released only if this one is booked. A telehealth appointment
   * moves only to a doctor who offers telehealth, else InvalidInput on slotId.
   */
  slotId: string;
};

/** FHIR R4 slot status. */
export type SlotStatus =
  | 'busy'
  | 'busy_tentative'
  | 'busy_unavailable'
  | 'free';

export type AppointmentUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AppointmentUpdatesSubscription = { myAppointmentUpdates: { kind: AppointmentUpdateKind, appointmentId: string, occurredAt: string, appointment: { start: string } | null } };

export type CancelAppointmentMutationVariables = Exact<{
  input: CancelAppointmentInput;
}>;


export type CancelAppointmentMutation = { cancelAppointment:
    | { __typename: 'AppointmentCancelled', appointment: { id: string } }
    | { __typename: 'AppointmentNotFound', appointmentId: string }
    | { __typename: 'InvalidInput', field: string, message: string }
    | { __typename: 'NotAllowed', message: string }
   };

export type NextAvailableSlotQueryVariables = Exact<{
  clinicId?: string | null | undefined;
  doctorId?: string | null | undefined;
}>;


export type NextAvailableSlotQuery = { nextAvailableSlot: { id: string, start: string, doctor: { name: string } } | null };

export type UpcomingAppointmentsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type UpcomingAppointmentsQuery = { appointments: Array<{ id: string, start: string, doctor: { name: string, clinic: { name: string, timeZone: string } } }> };

export type AddAvailabilityExceptionMutationVariables = Exact<{
  input: AddAvailabilityExceptionInput;
}>;


export type AddAvailabilityExceptionMutation = { addAvailabilityException:
    | { __typename: 'AvailabilityExceptionAdded' }
    | { __typename: 'InvalidInput', field: string, message: string }
    | { __typename: 'NotAllowed' }
   };

export type AnswerReminderMutationVariables = Exact<{
  token: string;
  answer: ReminderAnswer;
}>;


export type AnswerReminderMutation = { answerReminder:
    | { __typename: 'ReminderAnswered', answer: ReminderAnswer, appointmentStart: string }
    | { __typename: 'ReminderReplyRefused', reason: ReminderReplyRefusal, message: string }
   };

export type AuditTrailQueryVariables = Exact<{
  correlationId: string;
}>;


export type AuditTrailQuery = { auditTrail: Array<{ action: string, actorRole: string, subjectId: string, occurredAt: string }> };

export type AvailableSlotsQueryVariables = Exact<{
  filter: AvailableSlotsFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AvailableSlotsQuery = { availableSlots: { edges: Array<{ node: { id: string, start: string, doctor: { name: string, clinic: { name: string } } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type BookAppointmentMutationVariables = Exact<{
  input: BookAppointmentInput;
}>;


export type BookAppointmentMutation = { bookAppointment:
    | { __typename: 'AppointmentBooked', appointment: { id: string, start: string, doctor: { name: string } } }
    | { __typename: 'AppointmentNotFound' }
    | { __typename: 'HoldExpired' }
    | { __typename: 'InvalidInput', field: string, message: string }
    | { __typename: 'NotAllowed', message: string }
    | { __typename: 'SlotUnavailable', message: string }
   };

export type ClinicsQueryVariables = Exact<{ [key: string]: never; }>;


export type ClinicsQuery = { clinics: Array<{ id: string, name: string, timeZone: string, doctors: Array<{ id: string, name: string, specialty: string }> }> };

export type HoldSlotMutationVariables = Exact<{
  input: HoldSlotInput;
}>;


export type HoldSlotMutation = { holdSlot:
    | { __typename: 'InvalidInput' }
    | { __typename: 'NotAllowed' }
    | { __typename: 'SlotHeld', expiresAt: string, hold: { id: string } }
    | { __typename: 'SlotUnavailable', message: string }
   };

export type FreeSlotsQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type FreeSlotsQuery = { freeSlots: Array<{ id: string, start: string, status: SlotStatus, doctor: { name: string, clinic: { name: string } } }> };

export type AvailabilitySubscriptionVariables = Exact<{
  from: string;
  to: string;
}>;


export type AvailabilitySubscription = { slotAvailabilityChanged: { slotId: string, status: SlotStatus, occurredAt: string, slot: { start: string, doctor: { name: string, clinic: { name: string, timeZone: string } } } | null } };

export type MyAppointmentsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyAppointmentsQuery = { appointments: Array<{ id: string, start: string, slot: { status: SlotStatus }, doctor: { name: string, clinic: { name: string } }, patient: { clientId: string, preferredChannel: ContactChannel } | null, history: Array<{ action: string, occurredAt: string }> }> };

export type RescheduleAppointmentMutationVariables = Exact<{
  input: RescheduleAppointmentInput;
}>;


export type RescheduleAppointmentMutation = { rescheduleAppointment:
    | { __typename: 'AppointmentNotFound' }
    | { __typename: 'AppointmentRescheduled', previousSlotId: string, appointment: { start: string } }
    | { __typename: 'InvalidInput' }
    | { __typename: 'NotAllowed' }
    | { __typename: 'SlotUnavailable', message: string }
   };


export const AppointmentUpdatesDocument = {"__meta__":{"hash":"sha256:e95455eae93c1070db8176ebcedeaa80ef9e96a070464c3412ced9f90b7a10d5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AppointmentUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myAppointmentUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"appointmentId"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}}]}}]}}]}}]} as unknown as DocumentNode<AppointmentUpdatesSubscription, AppointmentUpdatesSubscriptionVariables>;
export const CancelAppointmentDocument = {"__meta__":{"hash":"sha256:ab29542fb3cd3ffffcd5fce68ec0086b018a2b994493eefbfb0cef5501aa1492"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelAppointment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelAppointmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AppointmentCancelled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AppointmentNotFound"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointmentId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotAllowed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CancelAppointmentMutation, CancelAppointmentMutationVariables>;
export const NextAvailableSlotDocument = {"__meta__":{"hash":"sha256:1e425dfc1dc92fec991e4782722a3ff9100c509e5178a857b65ddaa9eb6fc312"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NextAvailableSlot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clinicId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"doctorId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nextAvailableSlot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"clinicId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clinicId"}}},{"kind":"Argument","name":{"kind":"Name","value":"doctorId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"doctorId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"doctor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<NextAvailableSlotQuery, NextAvailableSlotQueryVariables>;
export const UpcomingAppointmentsDocument = {"__meta__":{"hash":"sha256:1b86213826267158e09ed331a74bc5f7cfda79034b0c54ef93d5fafe45a34520"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UpcomingAppointments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"doctor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clinic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UpcomingAppointmentsQuery, UpcomingAppointmentsQueryVariables>;
export const AddAvailabilityExceptionDocument = {"__meta__":{"hash":"sha256:ecb648387a3af3377bc3c445fd00e471bbb904951bee88ecf59eec1937239014"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddAvailabilityException"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddAvailabilityExceptionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addAvailabilityException"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AddAvailabilityExceptionMutation, AddAvailabilityExceptionMutationVariables>;
export const AnswerReminderDocument = {"__meta__":{"hash":"sha256:121b7d389904b78b1401ef38ab6cafec764f2ddc1d8f90f677e0f2f82f674b67"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnswerReminder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"token"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"answer"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReminderAnswer"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"answerReminder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"token"},"value":{"kind":"Variable","name":{"kind":"Name","value":"token"}}},{"kind":"Argument","name":{"kind":"Name","value":"answer"},"value":{"kind":"Variable","name":{"kind":"Name","value":"answer"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReminderAnswered"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"answer"}},{"kind":"Field","name":{"kind":"Name","value":"appointmentStart"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReminderReplyRefused"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AnswerReminderMutation, AnswerReminderMutationVariables>;
export const AuditTrailDocument = {"__meta__":{"hash":"sha256:313371e891032a48fff7d909a5bf62749bc94f54fabc2d9bfb97137126cf134e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditTrail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"correlationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditTrail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"correlationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"correlationId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"actorRole"}},{"kind":"Field","name":{"kind":"Name","value":"subjectId"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<AuditTrailQuery, AuditTrailQueryVariables>;
export const AvailableSlotsDocument = {"__meta__":{"hash":"sha256:63f09eec42a7d248eb43b37b919d9a9af031e86f937b7e334c2d18d54702b252"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AvailableSlots"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AvailableSlotsFilter"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"availableSlots"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"doctor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clinic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<AvailableSlotsQuery, AvailableSlotsQueryVariables>;
export const BookAppointmentDocument = {"__meta__":{"hash":"sha256:38b186c42f30dca6c46e204eeec307e4000ef5bedda7c87a6b7c838cd22a3a72"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"BookAppointment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BookAppointmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bookAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AppointmentBooked"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"doctor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SlotUnavailable"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotAllowed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<BookAppointmentMutation, BookAppointmentMutationVariables>;
export const ClinicsDocument = {"__meta__":{"hash":"sha256:d1b81a8995a727b1d167bf35fc6173ae9a5facfb9cc4b9b4c9e39e1b050402d7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Clinics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clinics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"doctors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"specialty"}}]}}]}}]}}]} as unknown as DocumentNode<ClinicsQuery, ClinicsQueryVariables>;
export const HoldSlotDocument = {"__meta__":{"hash":"sha256:b2c86b7fb6438a2715bb1d52fd76b640dad1f0af4fc7fa1b810a52651de93246"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"HoldSlot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"HoldSlotInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"holdSlot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SlotHeld"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hold"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SlotUnavailable"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<HoldSlotMutation, HoldSlotMutationVariables>;
export const FreeSlotsDocument = {"__meta__":{"hash":"sha256:a31bedee3d68e9d9d28c530170236ba9e3a2ad18f3d3303610c84bbe55509c9c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FreeSlots"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freeSlots"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"doctor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clinic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<FreeSlotsQuery, FreeSlotsQueryVariables>;
export const AvailabilityDocument = {"__meta__":{"hash":"sha256:4a867d6ea39da207c0e6664b0c959cf52e3ad6c4f1bb9fea0a9f6f996cf2a182"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"Availability"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slotAvailabilityChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slotId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"slot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"doctor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clinic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AvailabilitySubscription, AvailabilitySubscriptionVariables>;
export const MyAppointmentsDocument = {"__meta__":{"hash":"sha256:7d091cf22d2c7a9f45e4854cc90334b7371047bccc051a81a8ad640f505cf55d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyAppointments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"slot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"doctor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clinic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"patient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientId"}},{"kind":"Field","name":{"kind":"Name","value":"preferredChannel"}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]}}]} as unknown as DocumentNode<MyAppointmentsQuery, MyAppointmentsQueryVariables>;
export const RescheduleAppointmentDocument = {"__meta__":{"hash":"sha256:e5880558bba92e3fa29271d3b1be5e0819d186e9ba272f448a514b4e942aca0f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RescheduleAppointment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RescheduleAppointmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rescheduleAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AppointmentRescheduled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}}]}},{"kind":"Field","name":{"kind":"Name","value":"previousSlotId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SlotUnavailable"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RescheduleAppointmentMutation, RescheduleAppointmentMutationVariables>;