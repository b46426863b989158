import { isReplayed, metrics } from '@clinic/platform';

/**
 * clinic_bookings_total: a booking mutation's typed outcome (`AppointmentBooked`, `SlotUnavailable`, ...),
 * once per request that ran: a repeated idempotency key answers the recorded outcome and is not counted
 * again. An error (no typed outcome) is counted by the gateway's graphql_operations_total.
 */
export async function countBooking<O extends { __typename?: string }>(
  operation: string,
  answer: Promise<O>,
): Promise<O> {
  const outcome = await answer;
  if (outcome.__typename && !isReplayed(outcome))
    metrics.bookings.inc({ service: 'appointments', operation, outcome: outcome.__typename });
  return outcome;
}
