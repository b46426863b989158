import {
  notAllowed,
  type EventActor,
  type Identity,
  type InvalidInput,
  type NotAllowed,
} from '@clinic/contracts';
import { isUuid, mutation, type RawSql } from '@clinic/platform';
import type { PatientsContext } from '../context';
import type { Patient } from '../generated/prisma-patients/client';
import { callerOf, patientsMutation, type PatientsTransaction } from '../idempotency';
import { linkClinics, unlinkClinics } from './clinic-links';

/** No look-alikes (0/O, 1/I/L): read out at a front desk and typed in by reception. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 31^8 ≈ 8.5e11 codes; with one live code per patient and the attempt limit below, guessing is hopeless. */
export const CODE_LENGTH = 8;
/** Long enough to walk from the phone to the desk, short enough that a code seen over a shoulder dies. */
export const CODE_MINUTES = 10;
/** Wrong codes a clinic may enter per window; after that every code is refused until the window passes. */
export const MAX_WRONG_CODES = 10;
export const WRONG_CODE_WINDOW_MINUTES = 60;

export type CreateCodeOutcome =
  { __typename: 'ClinicAccessCode'; code: string; expiresAt: Date } | InvalidInput | NotAllowed;

export type RedeemOutcome =
  | { __typename: 'ClinicAccessGranted'; patient: Patient }
  | { __typename: 'ClinicAccessCodeRefused'; reason: 'INVALID_CODE' | 'TOO_MANY_ATTEMPTS'; message: string }
  | InvalidInput
  | NotAllowed;

export type RevokeOutcome =
  { __typename: 'ClinicAccessRevoked'; clinicId: string } | InvalidInput | NotAllowed;

// Wrong, expired and used codes get one answer, so a guesser learns nothing about which it was.
const INVALID: RedeemOutcome = {
  __typename: 'ClinicAccessCodeRefused',
  reason: 'INVALID_CODE',
  message: 'This code is not valid. Ask the patient to make a new one in their app.',
};
const TOO_MANY: RedeemOutcome = {
  __typename: 'ClinicAccessCodeRefused',
  reason: 'TOO_MANY_ATTEMPTS',
  message: 'Too many wrong codes were entered at this clinic recently. Try again later.',
};

/**
 * The code of a patient's request: drawn from HMAC bytes under the vault's index key over (caller,
 * idempotency key, draw), so a retry under the same key computes the same code again. That is how a replay
 * answers the first code without the code being stored anywhere (sealed or not): the record keeps only the
 * draw number and the expiry, and the codes table only the code's HMAC. Deriving a code needs
 * the index key, with which the stored HMACs of the few possible codes could be searched anyway.
 */
function derivedCode(context: PatientsContext, identity: Identity, key: string, draw: number): string {
  const bytes = context.vaultKeys.blindIndex.derive('access-code', callerOf(identity), key, draw);
  // 4 of the HMAC's 32 bytes per character: the modulo's bias over 31 letters is about 2^-27.
  return Array.from(
    { length: CODE_LENGTH },
    (_, index) => ALPHABET[bytes.readUInt32BE(index * 4) % ALPHABET.length],
  ).join('');
}

/** Upper case without spaces or dashes; null when it cannot be a code (a wrong code all the same). */
function normaliseCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  return code.length === CODE_LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : null;
}

const actorOf = (identity: Identity): EventActor => ({ role: identity.role, subject: identity.subject });

/**
 * What a code's outcome records: never the code itself, only which draw made it. (Records made before
 * the schema's DateTime hold the expiry as its ISO string.)
 */
type RecordedCode = { __typename: 'ClinicAccessCode'; draw: number; expiresAt: Date | string };

/**
 * The third way a clinic reaches a patient (docs/policy.md): the patient makes a short single-use code in
 * their app and reads it out at the clinic's reception. Only an HMAC of it is stored; making a new code
 * ends the patient's previous one, so each patient has at most one live code. Once per idempotency key: a
 * retry answers the same code and expiry (derivedCode), even after the code was used or expired.
 */
export async function createClinicAccessCode(
  idempotencyKey: string,
  context: PatientsContext,
): Promise<CreateCodeOutcome> {
  const { vaultKeys, loaders } = context;
  const unregistered = notAllowed('Only a registered patient makes a clinic access code.');
  const outcome = await mutation<PatientsTransaction, RecordedCode | CreateCodeOutcome>(
    {
      ...patientsMutation(context, 'Sign in to make a clinic access code.'),
      // `own`: a code for the signed-in patient themself, whose clientId is their token's subject.
      permission: (identity) =>
        identity.role !== 'Patient'
          ? notAllowed('Only a patient makes a code for themself.')
          : isUuid(identity.subject)
            ? identity
            : unregistered,
      key: idempotencyKey,
      operation: 'createClinicAccessCode',
      input: () => ({}),
    },
    async (tx, { identity }) => {
      const clientId = identity.subject;
      // A registered patient whose details still exist: an erased patient has nothing to grant.
      if (!(await tx.patient.findUnique({ where: { clientId } })) || !(await loaders.pii.load(clientId)))
        return unregistered;
      await tx.$executeRawUnsafe(
        'DELETE FROM "clinic_access_code" WHERE "client_id" = $1::uuid OR "expires_at" < now()',
        clientId,
      );
      const expiresAt = new Date(Date.now() + CODE_MINUTES * 60_000);
      for (let draw = 0; draw < 4; draw++) {
        const code = derivedCode(context, identity, idempotencyKey, draw);
        // Another patient's live code with the same text: draw again.
        const made = await tx.$executeRawUnsafe(
          `INSERT INTO "clinic_access_code" ("code_hash", "client_id", "expires_at")
           VALUES ($1, $2::uuid, $3) ON CONFLICT DO NOTHING`,
          new Uint8Array(vaultKeys.blindIndex.accessCode(code)),
          clientId,
          expiresAt,
        );
        if (made === 1) return { __typename: 'ClinicAccessCode', draw, expiresAt };
      }
      throw new Error('four drawn access codes were all live codes of other patients');
    },
  );
  if (outcome.__typename !== 'ClinicAccessCode' || !('draw' in outcome)) return outcome;
  // Signed in: the prelude answered nothing else.
  const identity = context.identity as Identity;
  return {
    __typename: 'ClinicAccessCode',
    code: derivedCode(context, identity, idempotencyKey, outcome.draw),
    expiresAt: new Date(outcome.expiresAt),
  };
}

/**
 * Reception enters the patient's code: the patient is linked to the caller's clinic and the code is spent.
 * Wrong codes are counted per clinic; past MAX_WRONG_CODES in the window every code is refused, the
 * right one included, so a clinic cannot guess its way to patients. Clinic admins and practice managers.
 * Once per idempotency key: pressing enter twice grants twice alike (and counts a wrong code once); the
 * request's fingerprint is an HMAC, as the code is a secret.
 */
export async function redeemClinicAccessCode(
  typed: string,
  idempotencyKey: string,
  context: PatientsContext,
): Promise<RedeemOutcome> {
  const { vaultKeys } = context;
  const code = normaliseCode(typed);
  let linked = false;
  const outcome = await mutation<PatientsTransaction, RedeemOutcome, string>(
    {
      ...patientsMutation(context, 'Sign in to enter a clinic access code.'),
      // `clinic`: links the code's patient to the caller's clinic, so the caller names one.
      permission: (identity) =>
        (identity.role === 'ClinicAdmin' || identity.role === 'PracticeManager') && identity.clinicId
          ? identity.clinicId
          : notAllowed("Only a clinic's reception enters a patient's code."),
      key: idempotencyKey,
      operation: 'redeemClinicAccessCode',
      // The code as reception meant it: "abcd 2345" and "ABCD2345" are the same request.
      input: () => ({ code: code ?? typed }),
    },
    async (tx, { identity, subject: clinicId }) => {
      linked = false;
      const actor = actorOf(identity);
      if (await clinicGuessesSpent(tx, clinicId, 'code')) return TOO_MANY;
      const spent = code
        ? await tx.$queryRawUnsafe<{ client_id: string }[]>(
            `DELETE FROM "clinic_access_code" WHERE "code_hash" = $1 AND "expires_at" > now()
           RETURNING "client_id"::text AS "client_id"`,
            new Uint8Array(vaultKeys.blindIndex.accessCode(code)),
          )
        : [];
      const clientId = spent[0]?.client_id;
      if (!clientId) {
        await countClinicGuess(tx, clinicId, 'code');
        return INVALID;
      }
      // The code was made by a registered patient, and erasure ends their codes with their links.
      const patient = await tx.patient.findUnique({ where: { clientId } });
      if (!patient) return INVALID;
      linked =
        (await linkClinics(tx, [{ clientId: patient.clientId, clinicId }], 'access_code', actor)).length > 0;
      return { __typename: 'ClinicAccessGranted', patient };
    },
  );
  if (linked) context.linksOutbox?.poke();
  return outcome;
}

/**
 * A clinic's wrong guesses at who is a patient, each kind with its own budget: wrong access codes, and
 * registrations of an email or phone already registered (which tell staff the person is somebody's
 * patient).
 */
export type GuessKind = 'code' | 'registration';

/**
 * Whether a clinic has used up its wrong guesses of this kind in the window. Takes the clinic's lock for
 * that kind for the rest of the transaction, so parallel guesses cannot slip past the count.
 */
export async function clinicGuessesSpent(tx: RawSql, clinicId: string, kind: GuessKind): Promise<boolean> {
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `${kind}-guesses:${clinicId}`);
  const [recent] = await tx.$queryRawUnsafe<{ wrong: number }[]>(
    `SELECT count(*)::int AS "wrong" FROM "access_code_failure"
      WHERE "clinic_id" = $1::uuid AND "kind" = $2 AND "failed_at" > now() - make_interval(mins => $3)`,
    clinicId,
    kind,
    WRONG_CODE_WINDOW_MINUTES,
  );
  return (recent?.wrong ?? 0) >= MAX_WRONG_CODES;
}

/** Counts one wrong guess of this kind against the clinic (see clinicGuessesSpent). */
export async function countClinicGuess(tx: RawSql, clinicId: string, kind: GuessKind): Promise<void> {
  await tx.$executeRawUnsafe(
    'INSERT INTO "access_code_failure" ("clinic_id", "kind") VALUES ($1::uuid, $2)',
    clinicId,
    kind,
  );
}

/**
 * The patient ends a clinic's reach; repeating it, or naming a clinic never linked, changes nothing. Once
 * per idempotency key: a retry answers the first outcome and ends nothing more, so it cannot end a link
 * the patient granted again since.
 */
export async function revokeClinicAccess(
  clinicId: string,
  idempotencyKey: string,
  context: PatientsContext,
): Promise<RevokeOutcome> {
  let ended = 0;
  const outcome = await mutation<PatientsTransaction, RevokeOutcome>(
    {
      ...patientsMutation(context, 'Sign in to change which clinics reach you.'),
      ids: [['clinicId', clinicId, 'This is not a clinic id.']],
      // `own`: the signed-in patient's own links.
      permission: (identity) =>
        identity.role === 'Patient'
          ? identity
          : notAllowed("Only the patient ends a clinic's access to them."),
      key: idempotencyKey,
      operation: 'revokeClinicAccess',
      input: () => ({ clinicId }),
    },
    async (tx, { identity }) => {
      ended = await unlinkClinics(tx, identity.subject, clinicId, actorOf(identity));
      return { __typename: 'ClinicAccessRevoked', clinicId };
    },
  );
  if (ended > 0) context.linksOutbox?.poke();
  return outcome;
}

/**
 * Erasure ends every link and every live code of the patient, in the caller's transaction (the erasure's,
 * once the vault is erased). Returns how many links ended.
 */
export async function endAllAccessIn(tx: RawSql, clientId: string, actor: EventActor): Promise<number> {
  await tx.$executeRawUnsafe('DELETE FROM "clinic_access_code" WHERE "client_id" = $1::uuid', clientId);
  return unlinkClinics(tx, clientId, null, actor);
}
