import { appError } from '@clinic/contracts';
import { directRead, isUuid } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import type { Slot } from '../generated/prisma/client';
import type { AvailableSlotsFilter } from '../generated/graphql';
import { checkInDateWindow } from './date-window';
import { freeForReads, LAPSED_HOLD_SQL, readAsFree } from './lapsed-holds';
import { localDays } from './local-days';

const MAX_PAGE = 200;

/** The search's conditions on a slot aliased `s`, shared by both halves of the free-slot union. */
const SEARCH = `s.start >= $1 AND s.start < $2
  AND ($3::uuid IS NULL OR s.clinic_id = $3::uuid)
  AND ($4::uuid IS NULL OR s.doctor_id = $4::uuid)
  AND ($5::timestamptz IS NULL OR (s.start, s.id) > ($5::timestamptz, $6::uuid))`;

/**
 * A page of free slots: $1 earliest start, $2 end of the range, $3 clinic, $4 doctor, $5 and $6 the
 * cursor's start and id, $7 the rows wanted. Each half is ordered and limited on its own, so the free
 * half stays one short scan of the free-slot index; ordering the union alone sorted every free slot in
 * the range.
 */
export const AVAILABLE_SLOTS_SQL = `SELECT id, "doctorId", "clinicId", start, "end", 'free' AS status FROM (
       (SELECT s.id, s.doctor_id AS "doctorId", s.clinic_id AS "clinicId", s.start, s."end" FROM slot s
         WHERE s.status = 'free' AND ${SEARCH}
         ORDER BY s.start, s.id LIMIT $7)
       UNION ALL
       -- Held slots whose hold has lapsed are free to every reader at once (slots/lapsed-holds.ts).
       (SELECT s.id, s.doctor_id, s.clinic_id, s.start, s."end" FROM slot s
         WHERE ${LAPSED_HOLD_SQL} AND ${SEARCH}
         ORDER BY s.start, s.id LIMIT $7)) AS free
      ORDER BY start, id
      LIMIT $7`;

export interface SlotPage {
  edges: { cursor: string; node: Slot }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Opaque to clients: the (start, id) of the last slot seen, the same order the query sorts by. */
export const encodeCursor = (slot: Pick<Slot, 'start' | 'id'>) =>
  Buffer.from(`${slot.start.toISOString()}|${slot.id}`).toString('base64url');

function decodeCursor(cursor: string): { start: Date; id: string } {
  const [start, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const at = new Date(start ?? '');
  if (!id || !isUuid(id) || Number.isNaN(at.getTime())) {
    throw appError('BAD_USER_INPUT', 'after is not a cursor from a previous page.');
  }
  return { start: at, id };
}

export function checkIds(ids: Record<string, string | null | undefined>): void {
  for (const [name, value] of Object.entries(ids)) {
    if (value != null && !isUuid(value)) throw appError('BAD_USER_INPUT', `${name} is not a valid id.`);
  }
}

/** `from`, or now if `from` has passed: a slot that has started cannot be booked (see claim-slot.ts). */
export const notBefore = (from: Date) => new Date(Math.max(from.getTime(), Date.now()));

/**
 * Keyset pagination over free slots (start, id): each page is one indexed range scan however deep the
 * client pages, and a slot booked between pages cannot shift the next page.
 */
export async function availableSlots(
  db: AppointmentsDatabase,
  filter: AvailableSlotsFilter,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<SlotPage> {
  const take = first ?? 50;
  if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
    throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
  }
  checkIds({ clinicId: filter.clinicId, doctorId: filter.doctorId });
  const { from, to } = localDays(filter.fromDate, filter.toDate, filter.timeZone);
  checkInDateWindow('fromDate', from);
  checkInDateWindow('toDate', to);
  const cursor = after ? decodeCursor(after) : null;
  const earliest = notBefore(from);
  // Raw SQL for the row comparison `(start, id) > (…)`, which PostgreSQL answers from the index directly;
  // Prisma can only say it as an OR that the index cannot use. The public availability page's read,
  // so it goes straight to the pool (directRead): Prisma's work per query was more than the query's.
  const rows = await directRead<Slot>(db, AVAILABLE_SLOTS_SQL, [
    earliest,
    to,
    filter.clinicId ?? null,
    filter.doctorId ?? null,
    cursor?.start ?? null,
    cursor?.id ?? null,
    take + 1,
  ]);
  const page = rows.slice(0, take);
  const last = page.at(-1);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > take, endCursor: last ? encodeCursor(last) : null },
  };
}

export async function nextAvailableSlot(
  db: AppointmentsDatabase,
  clinicId: string | null | undefined,
  doctorId: string | null | undefined,
): Promise<Slot | null> {
  if (!clinicId && !doctorId) throw appError('BAD_USER_INPUT', 'Give a clinicId or a doctorId.');
  checkIds({ clinicId, doctorId });
  const slot = await db.slot.findFirst({
    where: {
      ...freeForReads(),
      start: { gt: new Date() },
      ...(clinicId ? { clinicId } : {}),
      ...(doctorId ? { doctorId } : {}),
    },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
  });
  return slot && (readAsFree([slot])[0] ?? null);
}
