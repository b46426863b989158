import { createHash } from 'node:crypto';
import type { AppointmentsDatabase } from '../database';
import type { Prisma } from '../generated/prisma/client';
import { invalid, type InvalidInput } from './outcomes';

/** What is kept of a successful outcome: enough to answer a repeat with the same result. */
export interface StoredOutcome {
  __typename: string;
  appointmentId: string;
  [detail: string]: string;
}

export interface IdempotentRequest {
  key: string;
  operation: string;
  actorSubject: string;
  /** The request's meaningful input; a repeat with other input under the same key is refused. */
  input: unknown;
}

const hashOf = (request: IdempotentRequest) =>
  createHash('sha256')
    .update(JSON.stringify([request.operation, request.actorSubject, request.input]))
    .digest('hex');

/**
 * The outcome stored for this key, `InvalidInput` when the key was used for a different request, or
 * null when it is new. Only successes are stored (a refusal changed nothing, so retrying it is safe).
 */
export async function previousOutcome(
  db: AppointmentsDatabase,
  request: IdempotentRequest,
): Promise<{ stored: StoredOutcome } | { refused: InvalidInput } | null> {
  const row = await db.mutationResult.findUnique({ where: { idempotencyKey: request.key } });
  if (!row) return null;
  if (row.requestHash !== hashOf(request)) {
    return { refused: invalid('idempotencyKey', 'This key was already used for a different request.') };
  }
  return { stored: row.result as unknown as StoredOutcome };
}

/** Stores the outcome in the same transaction as the change it describes. */
export async function storeOutcome(
  tx: Prisma.TransactionClient,
  request: IdempotentRequest,
  outcome: StoredOutcome,
): Promise<void> {
  await tx.mutationResult.create({
    data: {
      idempotencyKey: request.key,
      operation: request.operation,
      actorSubject: request.actorSubject,
      requestHash: hashOf(request),
      result: outcome as unknown as Prisma.InputJsonValue,
    },
  });
}
