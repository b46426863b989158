/* eslint-disable */
import * as types from './graphql';
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "subscription AppointmentUpdates {\n  myAppointmentUpdates {\n    kind\n    appointmentId\n    occurredAt\n    appointment {\n      start\n    }\n  }\n}": typeof types.AppointmentUpdatesDocument,
    "mutation CancelAppointment($input: CancelAppointmentInput!) {\n  cancelAppointment(input: $input) {\n    __typename\n    ... on AppointmentCancelled {\n      appointment {\n        id\n      }\n    }\n    ... on AppointmentNotFound {\n      appointmentId\n    }\n    ... on NotAllowed {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}": typeof types.CancelAppointmentDocument,
    "query NextAvailableSlot($clinicId: ID, $doctorId: ID) {\n  nextAvailableSlot(clinicId: $clinicId, doctorId: $doctorId) {\n    id\n    start\n    doctor {\n      name\n    }\n  }\n}": typeof types.NextAvailableSlotDocument,
    "query UpcomingAppointments($first: Int) {\n  appointments(first: $first) {\n    id\n    start\n    doctor {\n      name\n      clinic {\n        name\n        timeZone\n      }\n    }\n  }\n}": typeof types.UpcomingAppointmentsDocument,
    "mutation AddAvailabilityException($input: AddAvailabilityExceptionInput!) {\n  addAvailabilityException(input: $input) {\n    __typename\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}": typeof types.AddAvailabilityExceptionDocument,
    "mutation AnswerReminder($token: String!, $answer: ReminderAnswer!) {\n  answerReminder(token: $token, answer: $answer) {\n    __typename\n    ... on ReminderAnswered {\n      answer\n      appointmentStart\n    }\n    ... on ReminderReplyRefused {\n      reason\n      message\n    }\n  }\n}": typeof types.AnswerReminderDocument,
    "query AuditTrail($correlationId: ID!) {\n  auditTrail(correlationId: $correlationId) {\n    action\n    actorRole\n    subjectId\n    occurredAt\n  }\n}": typeof types.AuditTrailDocument,
    "query AvailableSlots($filter: AvailableSlotsFilter!, $first: Int, $after: String) {\n  availableSlots(filter: $filter, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        start\n        doctor {\n          name\n          clinic {\n            name\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.AvailableSlotsDocument,
    "mutation BookAppointment($input: BookAppointmentInput!) {\n  bookAppointment(input: $input) {\n    __typename\n    ... on AppointmentBooked {\n      appointment {\n        id\n        start\n        doctor {\n          name\n        }\n      }\n    }\n    ... on SlotUnavailable {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n    ... on NotAllowed {\n      message\n    }\n  }\n}": typeof types.BookAppointmentDocument,
    "query Clinics {\n  clinics {\n    id\n    name\n    timeZone\n    doctors {\n      id\n      name\n      specialty\n    }\n  }\n}": typeof types.ClinicsDocument,
    "mutation HoldSlot($input: HoldSlotInput!) {\n  holdSlot(input: $input) {\n    __typename\n    ... on SlotHeld {\n      hold {\n        id\n      }\n      expiresAt\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}": typeof types.HoldSlotDocument,
    "query FreeSlots($from: DateTime!, $to: DateTime!) {\n  freeSlots(from: $from, to: $to, first: 5) {\n    id\n    start\n    status\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n  }\n}\n\nsubscription Availability($from: DateTime!, $to: DateTime!) {\n  slotAvailabilityChanged(from: $from, to: $to) {\n    slotId\n    status\n    occurredAt\n    slot {\n      start\n      doctor {\n        name\n        clinic {\n          name\n          timeZone\n        }\n      }\n    }\n  }\n}": typeof types.FreeSlotsDocument,
    "query MyAppointments {\n  appointments(first: 5) {\n    id\n    start\n    slot {\n      status\n    }\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n    patient {\n      clientId\n      preferredChannel\n    }\n    history {\n      action\n      occurredAt\n    }\n  }\n}": typeof types.MyAppointmentsDocument,
    "mutation RescheduleAppointment($input: RescheduleAppointmentInput!) {\n  rescheduleAppointment(input: $input) {\n    __typename\n    ... on AppointmentRescheduled {\n      appointment {\n        start\n      }\n      previousSlotId\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}": typeof types.RescheduleAppointmentDocument,
};
const documents: Documents = {
    "subscription AppointmentUpdates {\n  myAppointmentUpdates {\n    kind\n    appointmentId\n    occurredAt\n    appointment {\n      start\n    }\n  }\n}": types.AppointmentUpdatesDocument,
    "mutation CancelAppointment($input: CancelAppointmentInput!) {\n  cancelAppointment(input: $input) {\n    __typename\n    ... on AppointmentCancelled {\n      appointment {\n        id\n      }\n    }\n    ... on AppointmentNotFound {\n      appointmentId\n    }\n    ... on NotAllowed {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}": types.CancelAppointmentDocument,
    "query NextAvailableSlot($clinicId: ID, $doctorId: ID) {\n  nextAvailableSlot(clinicId: $clinicId, doctorId: $doctorId) {\n    id\n    start\n    doctor {\n      name\n    }\n  }\n}": types.NextAvailableSlotDocument,
    "query UpcomingAppointments($first: Int) {\n  appointments(first: $first) {\n    id\n    start\n    doctor {\n      name\n      clinic {\n        name\n        timeZone\n      }\n    }\n  }\n}": types.UpcomingAppointmentsDocument,
    "mutation AddAvailabilityException($input: AddAvailabilityExceptionInput!) {\n  addAvailabilityException(input: $input) {\n    __typename\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}": types.AddAvailabilityExceptionDocument,
    "mutation AnswerReminder($token: String!, $answer: ReminderAnswer!) {\n  answerReminder(token: $token, answer: $answer) {\n    __typename\n    ... on ReminderAnswered {\n      answer\n      appointmentStart\n    }\n    ... on ReminderReplyRefused {\n      reason\n      message\n    }\n  }\n}": types.AnswerReminderDocument,
    "query AuditTrail($correlationId: ID!) {\n  auditTrail(correlationId: $correlationId) {\n    action\n    actorRole\n    subjectId\n    occurredAt\n  }\n}": types.AuditTrailDocument,
    "query AvailableSlots($filter: AvailableSlotsFilter!, $first: Int, $after: String) {\n  availableSlots(filter: $filter, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        start\n        doctor {\n          name\n          clinic {\n            name\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.AvailableSlotsDocument,
    "mutation BookAppointment($input: BookAppointmentInput!) {\n  bookAppointment(input: $input) {\n    __typename\n    ... on AppointmentBooked {\n      appointment {\n        id\n        start\n        doctor {\n          name\n        }\n      }\n    }\n    ... on SlotUnavailable {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n    ... on NotAllowed {\n      message\n    }\n  }\n}": types.BookAppointmentDocument,
    "query Clinics {\n  clinics {\n    id\n    name\n    timeZone\n    doctors {\n      id\n      name\n      specialty\n    }\n  }\n}": types.ClinicsDocument,
    "mutation HoldSlot($input: HoldSlotInput!) {\n  holdSlot(input: $input) {\n    __typename\n    ... on SlotHeld {\n      hold {\n        id\n      }\n      expiresAt\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}": types.HoldSlotDocument,
    "query FreeSlots($from: DateTime!, $to: DateTime!) {\n  freeSlots(from: $from, to: $to, first: 5) {\n    id\n    start\n    status\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n  }\n}\n\nsubscription Availability($from: DateTime!, $to: DateTime!) {\n  slotAvailabilityChanged(from: $from, to: $to) {\n    slotId\n    status\n    occurredAt\n    slot {\n      start\n      doctor {\n        name\n        clinic {\n          name\n          timeZone\n        }\n      }\n    }\n  }\n}": types.FreeSlotsDocument,
    "query MyAppointments {\n  appointments(first: 5) {\n    id\n    start\n    slot {\n      status\n    }\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n    patient {\n      clientId\n      preferredChannel\n    }\n    history {\n      action\n      occurredAt\n    }\n  }\n}": types.MyAppointmentsDocument,
    "mutation RescheduleAppointment($input: RescheduleAppointmentInput!) {\n  rescheduleAppointment(input: $input) {\n    __typename\n    ... on AppointmentRescheduled {\n      appointment {\n        start\n      }\n      previousSlotId\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}": types.RescheduleAppointmentDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription AppointmentUpdates {\n  myAppointmentUpdates {\n    kind\n    appointmentId\n    occurredAt\n    appointment {\n      start\n    }\n  }\n}"): (typeof documents)["subscription AppointmentUpdates {\n  myAppointmentUpdates {\n    kind\n    appointmentId\n    occurredAt\n    appointment {\n      start\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CancelAppointment($input: CancelAppointmentInput!) {\n  cancelAppointment(input: $input) {\n    __typename\n    ... on AppointmentCancelled {\n      appointment {\n        id\n      }\n    }\n    ... on AppointmentNotFound {\n      appointmentId\n    }\n    ... on NotAllowed {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation CancelAppointment($input: CancelAppointmentInput!) {\n  cancelAppointment(input: $input) {\n    __typename\n    ... on AppointmentCancelled {\n      appointment {\n        id\n      }\n    }\n    ... on AppointmentNotFound {\n      appointmentId\n    }\n    ... on NotAllowed {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query NextAvailableSlot($clinicId: ID, $doctorId: ID) {\n  nextAvailableSlot(clinicId: $clinicId, doctorId: $doctorId) {\n    id\n    start\n    doctor {\n      name\n    }\n  }\n}"): (typeof documents)["query NextAvailableSlot($clinicId: ID, $doctorId: ID) {\n  nextAvailableSlot(clinicId: $clinicId, doctorId: $doctorId) {\n    id\n    start\n    doctor {\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UpcomingAppointments($first: Int) {\n  appointments(first: $first) {\n    id\n    start\n    doctor {\n      name\n      clinic {\n        name\n        timeZone\n      }\n    }\n  }\n}"): (typeof documents)["query UpcomingAppointments($first: Int) {\n  appointments(first: $first) {\n    id\n    start\n    doctor {\n      name\n      clinic {\n        name\n        timeZone\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddAvailabilityException($input: AddAvailabilityExceptionInput!) {\n  addAvailabilityException(input: $input) {\n    __typename\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation AddAvailabilityException($input: AddAvailabilityExceptionInput!) {\n  addAvailabilityException(input: $input) {\n    __typename\n    ... on InvalidInput {\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AnswerReminder($token: String!, $answer: ReminderAnswer!) {\n  answerReminder(token: $token, answer: $answer) {\n    __typename\n    ... on ReminderAnswered {\n      answer\n      appointmentStart\n    }\n    ... on ReminderReplyRefused {\n      reason\n      message\n    }\n  }\n}"): (typeof documents)["mutation AnswerReminder($token: String!, $answer: ReminderAnswer!) {\n  answerReminder(token: $token, answer: $answer) {\n    __typename\n    ... on ReminderAnswered {\n      answer\n      appointmentStart\n    }\n    ... on ReminderReplyRefused {\n      reason\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AuditTrail($correlationId: ID!) {\n  auditTrail(correlationId: $correlationId) {\n    action\n    actorRole\n    subjectId\n    occurredAt\n  }\n}"): (typeof documents)["query AuditTrail($correlationId: ID!) {\n  auditTrail(correlationId: $correlationId) {\n    action\n    actorRole\n    subjectId\n    occurredAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AvailableSlots($filter: AvailableSlotsFilter!, $first: Int, $after: String) {\n  availableSlots(filter: $filter, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        start\n        doctor {\n          name\n          clinic {\n            name\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query AvailableSlots($filter: AvailableSlotsFilter!, $first: Int, $after: String) {\n  availableSlots(filter: $filter, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        start\n        doctor {\n          name\n          clinic {\n            name\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation BookAppointment($input: BookAppointmentInput!) {\n  bookAppointment(input: $input) {\n    __typename\n    ... on AppointmentBooked {\n      appointment {\n        id\n        start\n        doctor {\n          name\n        }\n      }\n    }\n    ... on SlotUnavailable {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n    ... on NotAllowed {\n      message\n    }\n  }\n}"): (typeof documents)["mutation BookAppointment($input: BookAppointmentInput!) {\n  bookAppointment(input: $input) {\n    __typename\n    ... on AppointmentBooked {\n      appointment {\n        id\n        start\n        doctor {\n          name\n        }\n      }\n    }\n    ... on SlotUnavailable {\n      message\n    }\n    ... on InvalidInput {\n      field\n      message\n    }\n    ... on NotAllowed {\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Clinics {\n  clinics {\n    id\n    name\n    timeZone\n    doctors {\n      id\n      name\n      specialty\n    }\n  }\n}"): (typeof documents)["query Clinics {\n  clinics {\n    id\n    name\n    timeZone\n    doctors {\n      id\n      name\n      specialty\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation HoldSlot($input: HoldSlotInput!) {\n  holdSlot(input: $input) {\n    __typename\n    ... on SlotHeld {\n      hold {\n        id\n      }\n      expiresAt\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}"): (typeof documents)["mutation HoldSlot($input: HoldSlotInput!) {\n  holdSlot(input: $input) {\n    __typename\n    ... on SlotHeld {\n      hold {\n        id\n      }\n      expiresAt\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query FreeSlots($from: DateTime!, $to: DateTime!) {\n  freeSlots(from: $from, to: $to, first: 5) {\n    id\n    start\n    status\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n  }\n}\n\nsubscription Availability($from: DateTime!, $to: DateTime!) {\n  slotAvailabilityChanged(from: $from, to: $to) {\n    slotId\n    status\n    occurredAt\n    slot {\n      start\n      doctor {\n        name\n        clinic {\n          name\n          timeZone\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query FreeSlots($from: DateTime!, $to: DateTime!) {\n  freeSlots(from: $from, to: $to, first: 5) {\n    id\n    start\n    status\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n  }\n}\n\nsubscription Availability($from: DateTime!, $to: DateTime!) {\n  slotAvailabilityChanged(from: $from, to: $to) {\n    slotId\n    status\n    occurredAt\n    slot {\n      start\n      doctor {\n        name\n        clinic {\n          name\n          timeZone\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyAppointments {\n  appointments(first: 5) {\n    id\n    start\n    slot {\n      status\n    }\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n    patient {\n      clientId\n      preferredChannel\n    }\n    history {\n      action\n      occurredAt\n    }\n  }\n}"): (typeof documents)["query MyAppointments {\n  appointments(first: 5) {\n    id\n    start\n    slot {\n      status\n    }\n    doctor {\n      name\n      clinic {\n        name\n      }\n    }\n    patient {\n      clientId\n      preferredChannel\n    }\n    history {\n      action\n      occurredAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RescheduleAppointment($input: RescheduleAppointmentInput!) {\n  rescheduleAppointment(input: $input) {\n    __typename\n    ... on AppointmentRescheduled {\n      appointment {\n        start\n      }\n      previousSlotId\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}"): (typeof documents)["mutation RescheduleAppointment($input: RescheduleAppointmentInput!) {\n  rescheduleAppointment(input: $input) {\n    __typename\n    ... on AppointmentRescheduled {\n      appointment {\n        start\n      }\n      previousSlotId\n    }\n    ... on SlotUnavailable {\n      message\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;