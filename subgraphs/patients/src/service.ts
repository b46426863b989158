import {
  createLogger,
  loadSubgraphSchema,
  probeDatabase,
  startSubgraphServer,
  type EventBus,
  type Logger,
  type RunningServer,
} from '@clinic/platform';
import type { PatientsContext } from './context';
import { connectPatientsDatabase, connectVaultDatabase } from './database';
import type { NotificationSettings } from './notifications/notification-settings';
import type { ClinicDirectory } from './notifications/clinic-directory';
import { notificationResolvers } from './notifications/resolvers';
import { vaultContactLookup } from './notifications/vault-contacts';
import {
  DEV_NOTIFICATIONS_PATH,
  devSinkPage,
  type NotificationsOptions,
} from './notifications/start-notifications';
import { createPatientLoaders } from './registry/loaders';
import { registryResolvers } from './registry/resolvers';
import { accessResolvers } from './access/resolvers';
import { startPatientsConsumers } from './events/consumers';
import { createLinksRelay, createVaultRelay } from './events/relay';
import type { VaultKeys } from './vault/keys/vault-keys';
import { profileResolvers } from './vault/profile';
import { vaultResolvers } from './vault/resolvers';

export interface PatientsServiceOptions {
  databaseUrl: string;
  vaultDatabaseUrl: string;
  port: number;
  /** Interface to listen on (default loopback) and where schema/*.graphql is (default the repository's). */
  host?: string;
  schemaDir?: string;
  /** Shared with the gateway, which signs each request's identity; without it every request is refused. */
  internalIdentitySecret?: string;
  /** Master key (ring) and blind-index key of the vault (see vault/keys/vault-keys.ts). */
  vaultKeys: VaultKeys;
  /**
   * Where the vault's outbox relay publishes patient.erased, and where notifications of re-assigned
   * appointments come from; without one the events wait in the outbox and nobody is notified.
   */
  bus?: EventBus;
  /** How notifications are sent (see notifications/notification-settings.ts); needed with a bus. */
  notifications?: NotificationSettings & {
    directory?: ClinicDirectory;
    dispatcher?: NotificationsOptions['dispatcher'];
  };
  logger?: Logger;
  /** Called with every SQL statement on each database; tests count queries with them. */
  onQuery?: (sql: string) => void;
  onVaultQuery?: (sql: string) => void;
}

export async function startPatientsService(options: PatientsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('patients');
  const db = connectPatientsDatabase(options.databaseUrl, options.onQuery);
  const vault = connectVaultDatabase(options.vaultDatabaseUrl, options.onVaultQuery);
  const vaultKeys = options.vaultKeys;
  const relay = options.bus && createVaultRelay(vault, options.bus, logger);
  relay?.start();
  // Which clinics reach which patients: made by the patient's own bookings (appointment events), their
  // registration and their codes; each change is published from this database's outbox.
  const linksRelay = options.bus && createLinksRelay(db, options.bus, logger);
  linksRelay?.start();
  // Without a bus no event arrives, so nothing is sent and no sender needs configuring.
  const notifying = options.bus ? options.notifications : null;
  const consumers =
    options.bus &&
    linksRelay &&
    (await startPatientsConsumers({
      db,
      bus: options.bus,
      logger,
      linksRelay,
      notifications: notifying
        ? { ...notifying, contacts: vaultContactLookup(vault, vaultKeys.masterKey) }
        : null,
    }));
  const devSink = notifying?.devSink;
  const server = await startSubgraphServer<PatientsContext>({
    name: 'patients',
    typeDefs: loadSubgraphSchema('patients', options.schemaDir),
    ...(options.host ? { host: options.host } : {}),
    resolvers: [registryResolvers, profileResolvers, vaultResolvers, notificationResolvers, accessResolvers],
    createContext: (request) => ({
      ...request,
      db,
      vault,
      vaultKeys,
      vaultOutbox: relay ?? null,
      linksOutbox: linksRelay ?? null,
      loaders: createPatientLoaders(db, vault, vaultKeys.masterKey),
    }),
    readiness: async () => ({
      'database:patients': await probeDatabase(db),
      'database:pii_vault': await probeDatabase(vault),
      ...(options.bus ? { 'event-bus:patients': await options.bus.health() } : {}),
    }),
    logger,
    port: options.port,
    internalIdentitySecret: options.internalIdentitySecret,
    // What the development sink would have sent, for a person to read; never served with real senders.
    ...(devSink ? { routes: (app) => app.get(DEV_NOTIFICATIONS_PATH, devSinkPage(devSink)) } : {}),
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await consumers?.stop();
      await relay?.stop();
      await linksRelay?.stop();
      await Promise.all([db.$disconnect(), vault.$disconnect()]);
    },
  };
}
