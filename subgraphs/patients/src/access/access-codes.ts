import { randomInt } from 'node:crypto';
import { appError, isUuid, type EventActor } from '@clinic/platform';
import type { PatientsContext } from '../context';
import type { Patient } from '../generated/prisma-patients/client';
import { Prisma } from '../generated/prisma-patients/client';
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
  | { __typename: 'ClinicAccessCode'; code: string; expiresAt: string }
  | { __typename: 'PatientActionNotAllowed'; message: string };

export type RedeemOutcome =
  | { __typename: 'ClinicAccessGranted'; patient: Patient }
  | { __typename: 'ClinicAccessCodeRefused'; reason: 'INVALID_CODE' | 'TOO_MANY_ATTEMPTS'; message: string }
  | { __typename: 'PatientActionNotAllowed'; message: string };

export type RevokeOutcome =
  | { __typename: 'ClinicAccessRevoked'; clinicId: string }
  | { __typename: 'InvalidPatientInput'; field: string; message: string }
  | { __typename: 'PatientActionNotAllowed'; message: string };

const notAllowed = (message: string) => ({ __typename: 'PatientActionNotAllowed' as const, message });

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

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** Upper case without spaces or dashes; null when it cannot be a code (a wrong code all the same). */
function normaliseCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  return code.length === CODE_LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : null;
}

const actorOf = (context: PatientsContext): EventActor => {
  const { identity } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in first.');
  return { role: identity.role, subject: identity.subject };
};

/**
 * The third way a clinic reaches a patient (docs/policy.md): the patient makes a short single-use code in
 * their app and reads it out at the clinic's reception. Only an HMAC of it is stored; making a new code
 * ends the patient's previous one, so each patient has at most one live code.
 */
export async function createClinicAccessCode(context: PatientsContext): Promise<CreateCodeOutcome> {
  const { identity, db, vaultKeys, loaders } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to make a clinic access code.');
  if (identity.role !== 'Patient') return notAllowed('Only a patient makes a code for themself.');
  const clientId = identity.subject;
  // A registered patient whose details still exist: an erased patient has nothing to grant.
  if (!isUuid(clientId) || !(await loaders.patient.load(clientId)) || !(await loaders.pii.load(clientId)))
    return notAllowed('Only a registered patient makes a clinic access code.');
  for (let attempt = 0; ; attempt++) {
    const code = newCode();
    const expiresAt = new Date(Date.now() + CODE_MINUTES * 60_000);
    try {
      await db.$transaction([
        db.clinicAccessCode.deleteMany({
          where: { OR: [{ clientId }, { expiresAt: { lt: new Date() } }] },
        }),
        db.clinicAccessCode.create({
          data: { codeHash: new Uint8Array(vaultKeys.blindIndex.accessCode(code)), clientId, expiresAt },
        }),
      ]);
      return { __typename: 'ClinicAccessCode', code, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      // Another patient's live code with the same text: draw again.
      const collision = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
      if (!collision || attempt >= 3) throw error;
    }
  }
}

/**
 * Reception enters the patient's code: the patient is linked to the caller's clinic and the code is spent.
 * Wrong codes are counted per clinic; past MAX_WRONG_CODES in the window every code is refused, the
 * right one included, so a clinic cannot guess its way to patients. Clinic admins and practice managers.
 */
export async function redeemClinicAccessCode(
  typed: string,
  context: PatientsContext,
): Promise<RedeemOutcome> {
  const { identity, db, vaultKeys, loaders } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to enter a clinic access code.');
  const clinicId = identity.clinicId;
  if ((identity.role !== 'ClinicAdmin' && identity.role !== 'PracticeManager') || !clinicId)
    return notAllowed("Only a clinic's reception enters a patient's code.");
  const actor = actorOf(context);
  const outcome = await db.$transaction(
    async (tx): Promise<{ refused: RedeemOutcome } | { clientId: string }> => {
      // One redemption per clinic at a time, so parallel guesses cannot slip past the count.
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `access-code:${clinicId}`);
      const [recent] = await tx.$queryRawUnsafe<{ wrong: number }[]>(
        `SELECT count(*)::int AS "wrong" FROM "access_code_failure"
       WHERE "clinic_id" = $1::uuid AND "failed_at" > now() - make_interval(mins => $2)`,
        clinicId,
        WRONG_CODE_WINDOW_MINUTES,
      );
      if ((recent?.wrong ?? 0) >= MAX_WRONG_CODES) return { refused: TOO_MANY };
      const code = normaliseCode(typed);
      const spent = code
        ? await tx.$queryRawUnsafe<{ client_id: string }[]>(
            `DELETE FROM "clinic_access_code" WHERE "code_hash" = $1 AND "expires_at" > now()
           RETURNING "client_id"::text AS "client_id"`,
            new Uint8Array(vaultKeys.blindIndex.accessCode(code)),
          )
        : [];
      const clientId = spent[0]?.client_id;
      if (!clientId) {
        await tx.$executeRawUnsafe(
          'INSERT INTO "access_code_failure" ("clinic_id") VALUES ($1::uuid)',
          clinicId,
        );
        return { refused: INVALID };
      }
      await linkClinics(tx, [{ clientId, clinicId }], 'access_code', actor);
      return { clientId };
    },
  );
  if ('refused' in outcome) return outcome.refused;
  context.linksOutbox?.poke();
  const patient = await loaders.patient.load(outcome.clientId);
  // The code was made by a registered patient, and erasure ends their codes with their links.
  if (!patient) return INVALID;
  return { __typename: 'ClinicAccessGranted', patient };
}

/** The patient ends a clinic's reach; repeating it, or naming a clinic never linked, changes nothing. */
export async function revokeClinicAccess(clinicId: string, context: PatientsContext): Promise<RevokeOutcome> {
  const { identity, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to change which clinics reach you.');
  if (identity.role !== 'Patient') return notAllowed("Only the patient ends a clinic's access to them.");
  if (!isUuid(clinicId))
    return { __typename: 'InvalidPatientInput', field: 'clinicId', message: 'This is not a clinic id.' };
  const actor = actorOf(context);
  const ended = await db.$transaction((tx) => unlinkClinics(tx, identity.subject, clinicId, actor));
  if (ended > 0) context.linksOutbox?.poke();
  return { __typename: 'ClinicAccessRevoked', clinicId };
}

/** Erasure ends every link and every live code of the patient (called once the vault is erased). */
export async function endAllAccess(context: PatientsContext, clientId: string): Promise<void> {
  const actor = actorOf(context);
  const ended = await context.db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('DELETE FROM "clinic_access_code" WHERE "client_id" = $1::uuid', clientId);
    return unlinkClinics(tx, clientId, null, actor);
  });
  if (ended > 0) context.linksOutbox?.poke();
}
