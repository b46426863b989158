export { startPatientsService, type PatientsServiceOptions } from './service';
export {
  notificationSettings,
  type NotificationConfig,
  type NotificationSettings,
} from './notifications/notification-settings';
export { gatewayClinicDirectory, type ClinicDirectory } from './notifications/clinic-directory';
export { DevSinkSender, type SinkEntry } from './notifications/dev-sink';
export { DEV_NOTIFICATIONS_PATH } from './notifications/start-notifications';
export { startNotifications } from './events/consumers';
export { vaultContactLookup } from './notifications/vault-contacts';
export { mockReassigned, mockNeedsAttention } from './notifications/mock-notification-events';
export {
  connectPatientsDatabase,
  connectVaultDatabase,
  type PatientsDatabase,
  type VaultDatabase,
} from './database';
export { loadVaultKeys, parseMasterKey, type VaultKeyConfig, type VaultKeys } from './vault/keys/vault-keys';
export { LocalMasterKey, MasterKeyRing, type MasterKey } from './vault/keys/master-key';
export { rewrapDataKeys } from './vault/keys/rewrap';
export { readContactDetails, type ContactDetails } from './vault/contact-details';
export { storePatientDetails } from './vault/register-patient';
export { readPatients } from './vault/patient-record';
export type { PatientDetails } from './vault/validation';
