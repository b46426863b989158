import type { Resolvers } from '../generated/graphql';

export const directoryResolvers: Resolvers = {
  Query: {
    clinics: (_root, _args, { db }) => db.clinic.findMany({ orderBy: { name: 'asc' } }),
    clinic: (_root, { id }, { loaders }) => loaders.clinic.load(id),
    doctor: (_root, { id }, { loaders }) => loaders.doctor.load(id),
  },
  Clinic: {
    __resolveReference: (reference, { loaders }) => loaders.clinic.load(reference.id),
    doctors: (clinic, _args, { loaders }) => loaders.doctorsByClinic.load(clinic.id),
  },
  Doctor: {
    __resolveReference: (reference, { loaders }) => loaders.doctor.load(reference.id),
    name: (doctor) => `Dr ${doctor.givenName} ${doctor.familyName}`,
    clinic: async (doctor, _args, { loaders }) => {
      const clinic = await loaders.clinic.load(doctor.clinicId);
      if (!clinic) throw new Error(`doctor ${doctor.id} names missing clinic ${doctor.clinicId}`);
      return clinic;
    },
  },
};
