export { startPatientsService, type PatientsServiceOptions } from './service';
export {
  connectPatientsDatabase,
  connectVaultDatabase,
  type PatientsDatabase,
  type VaultDatabase,
} from './database';
export { loadVaultKeys, type VaultKeys } from './vault/keys/vault-keys';
export { readContactDetails, type ContactDetails } from './vault/contact-details';
export { storePatientDetails } from './vault/register-patient';
export { readPatients } from './vault/patient-record';
export type { PatientDetails } from './vault/validation';
