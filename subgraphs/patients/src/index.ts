export { startPatientsService, type PatientsServiceOptions } from './service';
export {
  connectPatientsDatabase,
  connectVaultDatabase,
  type PatientsDatabase,
  type VaultDatabase,
} from './database';
