import { randomUUID } from 'node:crypto';
import type { AppointmentsDatabase } from '@clinic/appointments-subgraph';
import type { Identity } from '@clinic/contracts';

/** One booking a test client will make: who, which slot, and the keys that make it traceable. */
export interface PlannedBooking {
  clientId: string;
  slotId: string;
  idempotencyKey: string;
  correlationId: string;
}

/**
 * `count` bookings of distinct free slots by the seeded patients, none overlapping another appointment of
 * the same patient (which the service would refuse as SlotUnavailable), spread over the patients in turn.
 */
export async function planBookings(
  db: AppointmentsDatabase,
  count: number,
  tag: string,
): Promise<PlannedBooking[]> {
  const existing = await db.appointment.findMany({ select: { clientId: true, start: true, end: true } });
  const patients = [...new Set(existing.map((row) => row.clientId))];
  const busy = new Map(patients.map((id) => [id, [] as { start: Date; end: Date }[]]));
  for (const row of existing) busy.get(row.clientId)?.push(row);
  const slots = await db.slot.findMany({
    where: { status: 'free', start: { gt: new Date(Date.now() + 3_600_000) } },
    orderBy: { start: 'asc' },
    select: { id: true, start: true, end: true },
  });
  const planned: PlannedBooking[] = [];
  let turn = 0;
  for (const slot of slots) {
    if (planned.length === count) break;
    for (let tried = 0; tried < patients.length; tried++) {
      const clientId = patients[turn++ % patients.length] as string;
      const intervals = busy.get(clientId) ?? [];
      if (intervals.some((other) => other.start < slot.end && slot.start < other.end)) continue;
      intervals.push(slot);
      const n = planned.length + 1;
      planned.push({
        clientId,
        slotId: slot.id,
        idempotencyKey: `${tag}-${n}-${randomUUID()}`,
        correlationId: `${tag}-${n}`,
      });
      break;
    }
  }
  if (planned.length < count) throw new Error(`only ${planned.length} of ${count} bookings could be planned`);
  return planned;
}

export type BookingAnswer =
  | { kind: 'booked' }
  | { kind: 'result'; typename: string }
  | { kind: 'error'; codes: string[]; status: number }
  | { kind: 'no answer'; reason: string };

/** Sends one bookAppointment through `url`; whatever comes back, described. */
export async function book(
  url: string,
  booking: PlannedBooking,
  token: (identity: Identity) => Promise<string>,
  timeoutMs = 60_000,
): Promise<BookingAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token({ role: 'Patient', subject: booking.clientId })}`,
        'x-correlation-id': booking.correlationId,
      },
      body: JSON.stringify({
        query: `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }`,
        variables: { input: { slotId: booking.slotId, idempotencyKey: booking.idempotencyKey } },
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as {
      data?: { bookAppointment?: { __typename: string } } | null;
      errors?: { extensions?: { code?: string } }[];
    };
    if (body.errors?.length)
      return {
        kind: 'error',
        codes: body.errors.map((error) => error.extensions?.code ?? 'none'),
        status: response.status,
      };
    const typename = body.data?.bookAppointment?.__typename ?? 'nothing';
    return typename === 'AppointmentBooked' ? { kind: 'booked' } : { kind: 'result', typename };
  } catch (error) {
    return { kind: 'no answer', reason: error instanceof Error ? error.name : String(error) };
  }
}
