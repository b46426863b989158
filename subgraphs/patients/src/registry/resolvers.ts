import { appError } from '@clinic/platform';
import type { Resolvers } from '../generated/graphql';
import type { PatientsContext } from '../context';

async function patientOrFail(clientId: string, { loaders }: PatientsContext) {
  const patient = await loaders.patient.load(clientId);
  if (!patient) throw new Error(`no patient registered for client ${clientId}`);
  return patient;
}

export const registryResolvers: Resolvers = {
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
    patient: (appointment, _args, context) => patientOrFail(appointment.clientId, context),
  },
};
