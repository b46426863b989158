import {
  AUDIT_TOPIC,
  auditRecord,
  createLogger,
  enqueueEvents,
  probeDatabase,
  startSubgraphServer,
  type RunningServer,
  type ServiceOptions,
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
import { reminderResolvers } from './reminders/resolvers';
import type { RemindersOptions } from './reminders/start-reminders';
import { replyTokens } from './reminders/reply-tokens';
import { profileResolvers } from './vault/profile';
import { vaultResolvers } from './vault/resolvers';
import { smsAnswers } from './reminders/sns/answer-by-sms';
import { SMS_REPLIES_PATH, smsRepliesRoute } from './reminders/sns/sms-replies-route';
import { snsVerifier } from './reminders/sns/verify-sns-message';

export interface PatientsServiceOptions extends ServiceOptions {
  vaultDatabaseUrl: string;
  /** Master key (ring) and blind-index key of the vault (see vault/keys/vault-keys.ts). */
  vaultKeys: VaultKeys;
  /** How notifications are sent (see notifications/notification-settings.ts); none are sent without. */
  notifications?: NotificationSettings & {
    directory?: ClinicDirectory;
    dispatcher?: NotificationsOptions['dispatcher'];
  };
  /** Tuning and a fake clock for the reminder worker (tests and benchmarks). */
  reminders?: RemindersOptions['worker'];
  /** Called with every SQL statement on the vault; tests count queries with it. */
  onVaultQuery?: (sql: string) => void;
  /**
   * Two-way SMS: patients' replies to reminders, posted by Amazon SNS from this topic (docs/reminders.md).
   * Without it the endpoint is not served. `fetchCertificate` replaces the https fetch of SNS's signing
   * certificate (tests).
   */
  smsReplies?: { topicArn: string; fetchCertificate?: (url: string) => Promise<string> };
}

export async function startPatientsService(options: PatientsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('patients');
  const db = connectPatientsDatabase(options.databaseUrl, options.onQuery);
  const vault = connectVaultDatabase(options.vaultDatabaseUrl, options.onVaultQuery);
  const vaultKeys = options.vaultKeys;
  const relay = createVaultRelay(vault, options.bus, logger);
  relay.start();
  // Which clinics reach which patients: made by the patient's own bookings (appointment events), their
  // registration and their codes; each change is published from this database's outbox.
  const linksRelay = createLinksRelay(db, options.bus, logger);
  linksRelay.start();
  const notifying = options.notifications ?? null;
  const tokens = replyTokens(vaultKeys.blindIndex);
  const consumers = await startPatientsConsumers({
    db,
    bus: options.bus,
    logger,
    linksRelay,
    notifications: notifying
      ? {
          ...notifying,
          contacts: vaultContactLookup(vault, vaultKeys.masterKey),
          replyTokens: tokens,
          ...(options.smsReplies ? { smsReplies: true } : {}),
        }
      : null,
    ...(options.reminders ? { reminders: options.reminders } : {}),
    replyTokens: tokens,
  });
  const devSink = notifying?.devSink;
  const smsReplies = (settings: NonNullable<PatientsServiceOptions['smsReplies']>) =>
    smsRepliesRoute({
      verify: snsVerifier({
        topicArn: settings.topicArn,
        ...(settings.fetchCertificate ? { fetchCertificate: settings.fetchCertificate } : {}),
      }),
      onReply: smsAnswers({
        db,
        vault,
        blindIndex: vaultKeys.blindIndex,
        logger,
        onCommitted: () => {
          linksRelay.poke();
          consumers.pokeDispatcher();
        },
      }),
      audit: async (reason, fingerprint) => {
        await enqueueEvents(db, AUDIT_TOPIC, [
          auditRecord({
            action: `sms-reply.refused-${reason}`,
            actor: { role: 'System', subject: 'sns' },
            subjectType: 'SnsMessage',
            subjectId: fingerprint,
          }),
        ]);
        linksRelay.poke();
      },
      logger,
    });
  const server = await startSubgraphServer<PatientsContext>({
    name: 'patients',
    service: options,
    resolvers: [
      registryResolvers,
      profileResolvers,
      vaultResolvers,
      notificationResolvers,
      accessResolvers,
      reminderResolvers,
    ],
    createContext: (request) => ({
      ...request,
      db,
      vault,
      vaultKeys,
      vaultOutbox: relay,
      linksOutbox: linksRelay,
      loaders: createPatientLoaders(db, vault, vaultKeys.masterKey),
    }),
    readiness: async () => ({
      'database:patients': await probeDatabase(db),
      'database:pii_vault': await probeDatabase(vault),
    }),
    logger,
    stopAfter: [
      () => consumers.stop(),
      () => relay.stop(),
      () => linksRelay.stop(),
      () => Promise.all([db.$disconnect(), vault.$disconnect()]),
    ],
    routes: (app) => {
      // What the development sink would have sent, for a person to read; never served with real senders.
      if (devSink) app.get(DEV_NOTIFICATIONS_PATH, devSinkPage(devSink, tokens));
      if (options.smsReplies) app.post(SMS_REPLIES_PATH, ...smsReplies(options.smsReplies));
    },
  });
  return server;
}
