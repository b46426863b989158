import { appError, invalid, type Identity, type InvalidInput, type NotAllowed } from '@clinic/contracts';
import { isUuid } from '../entities/batching';
import type { RawSql, TransactionalSql } from '../events/outbox';
import { runIdempotent, type IdempotentOptions, type Outcome } from './idempotent-mutation';

/** What a mutation answers before it runs: the caller may not, or the request names or asks the wrong thing. */
export type Refusal = NotAllowed | InvalidInput;

/**
 * An id the request names: its field, its value (null or undefined when the request leaves it out, which
 * is not checked) and what a malformed one is told (default "This is not a valid <field>.").
 */
export type IdField = readonly [field: string, value: string | null | undefined, message?: string];

/** The caller, signed in, and what `permission` admitted (the caller themself when there is no such step). */
export interface Admitted<S> {
  identity: Identity;
  subject: S;
}

export interface MutationSpec<Tx extends RawSql, O extends Outcome, S> {
  db: TransactionalSql<Tx>;
  identity: Identity | null | undefined;
  /** What a caller without a token is told (UNAUTHENTICATED). */
  signIn: string;
  /** Checked in order before anything is read: a malformed id is InvalidInput on its field. */
  ids?: readonly IdField[];
  /**
   * Whether this caller may make this request, and on what: a refusal (NotAllowed, or InvalidInput for
   * what it names that is not there or not acceptable), or what the request acts on (the loaded doctor,
   * the normalised input), which `input` and the work receive. It may also throw (FORBIDDEN).
   */
  permission?: (identity: Identity) => S | Extract<O, Refusal> | Promise<S | Extract<O, Refusal>>;
  /** The idempotency key the caller sent. */
  key: string;
  /** The mutation's name; the same key for another mutation is a different request. */
  operation: string;
  /** The request's meaningful input, normalised: what its key's fingerprint covers. */
  input: (admitted: Admitted<S>) => unknown;
  options?: IdempotentOptions<Tx, O>;
}

/**
 * The prelude of every mutation, in one order: signed in (else UNAUTHENTICATED) → the ids it names are
 * ids (else InvalidInput) → the caller may (`permission`) → the work, run once per (caller, key) by
 * runIdempotent, which answers a repeat with the recorded outcome. Refusals before the work are answered
 * as they are and not recorded, as they depend on nothing the work changes.
 */
export async function mutation<Tx extends RawSql, O extends Outcome, S = Identity>(
  spec: MutationSpec<Tx, O, S>,
  work: (tx: Tx, admitted: Admitted<S>) => Promise<O>,
): Promise<O | InvalidInput> {
  const { identity } = spec;
  if (!identity) throw appError('UNAUTHENTICATED', spec.signIn);
  for (const [field, value, message] of spec.ids ?? []) {
    if (value != null && !isUuid(value)) return invalid(field, message ?? `This is not a valid ${field}.`);
  }
  const permitted = spec.permission ? await spec.permission(identity) : (identity as S);
  if (isRefusal(permitted)) return permitted as Extract<O, Refusal>;
  const admitted: Admitted<S> = { identity, subject: permitted as S };
  return runIdempotent<Tx, O>(
    spec.db,
    { caller: identity, key: spec.key, operation: spec.operation, input: spec.input(admitted) },
    (tx) => work(tx, admitted),
    spec.options,
  );
}

function isRefusal(value: unknown): value is Refusal {
  const typename = (value as { __typename?: unknown } | null)?.__typename;
  return typename === 'NotAllowed' || typename === 'InvalidInput';
}
