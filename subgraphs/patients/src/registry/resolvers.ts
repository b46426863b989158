import { appError } from '@clinic/contracts';
import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql';
import type { PatientsContext } from '../context';

/**
 * An appointment's patient. An appointment may name a clientId that is no registered patient (written
 * before bookings checked it): that one field is null with an error on its path, never a failed page.
 */
async function patientOrNull(clientId: string, { loaders }: PatientsContext) {
  const patient = await loaders.patient.load(clientId);
  if (!patient) throw appError('NOT_FOUND', 'No registered patient has this clientId.');
  return patient;
}

export const registryResolvers: Resolvers = {
  // The schema's instants (notifications, codes, erasures): resolvers return Dates, sent as ISO 8601.
  DateTime: DateTimeResolver,
  Query: {
    me: (_root, _args, context) => {
      const { identity } = context;
      if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see your details.');
      if (identity.role !== 'Patient') throw appError('FORBIDDEN', 'Only patients have a patient record.');
      return context.loaders.patient.load(identity.subject);
    },
  },
  Patient: {
    __resolveReference: (reference, { loaders }) => loaders.patient.load(reference.clientId),
  },
  Appointment: {
    __resolveReference: (reference) => reference,
    patient: (appointment, _args, context) => patientOrNull(appointment.clientId, context),
  },
};
