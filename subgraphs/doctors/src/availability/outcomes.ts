import { invalid, type InvalidInput } from '@clinic/platform';
import { Prisma } from '../generated/prisma/client';
import type { DoctorsContext } from '../context';
import type { DoctorsTransaction } from './publish-availability';

export {
  checkIdempotencyKey,
  invalid,
  notAllowed,
  type InvalidInput,
  type NotAllowed,
} from '@clinic/platform';

export interface OnceOptions<T> {
  idempotencyKey: string;
  /** The mutation's name; a key reused for another mutation or doctor is rejected. */
  operation: string;
  doctorId: string;
  /** What to keep of the first outcome: plain JSON. */
  toJson(outcome: T): Prisma.InputJsonValue;
  /** Rebuilds the first outcome from what was kept. */
  fromJson(json: Prisma.JsonValue, context: DoctorsContext): Promise<T> | T;
}

/**
 * Runs a change and its events in one transaction, recording its outcome under the idempotency key in the
 * same transaction: a repeat (even a concurrent one, which waits on the key's unique index) gets the first
 * outcome and changes nothing. Only successes are recorded; a rejected input changes nothing anyway.
 */
export async function once<T>(
  context: DoctorsContext,
  options: OnceOptions<T>,
  work: (tx: DoctorsTransaction) => Promise<T>,
): Promise<T | InvalidInput> {
  const previous = await replay(context, options);
  if (previous) return previous;
  try {
    const outcome = await context.db.$transaction(async (tx) => {
      const result = await work(tx);
      await tx.processedMutation.create({
        data: {
          idempotencyKey: options.idempotencyKey,
          operation: options.operation,
          doctorId: options.doctorId,
          result: options.toJson(result),
        },
      });
      return result;
    });
    context.outbox.poke();
    return outcome;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await replay(context, options);
      if (winner) return winner;
    }
    throw error;
  }
}

async function replay<T>(context: DoctorsContext, options: OnceOptions<T>): Promise<T | InvalidInput | null> {
  const row = await context.db.processedMutation.findUnique({
    where: { idempotencyKey: options.idempotencyKey },
  });
  if (!row) return null;
  if (row.operation !== options.operation || row.doctorId !== options.doctorId || row.result === null) {
    return invalid('idempotencyKey', 'This key was already used for a different change.');
  }
  return options.fromJson(row.result, context);
}
