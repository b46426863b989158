import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { startAppointmentsService } from '@clinic/appointments-subgraph';
import { startAuditService } from '@clinic/audit-subgraph';
import { startDoctorsService } from '@clinic/doctors-subgraph';
import {
  createTokenVerifier,
  liveOptionsFromEnv,
  startGateway,
  tokenVerifierOptionsFromEnv,
} from '@clinic/gateway';
import { startPatientsService } from '@clinic/patients-subgraph';
import { DATABASE_NAMES } from '@clinic/contracts';
import { applyMigrations, createLogger, KafkaEventBus, type Logger, type RunningServer } from '@clinic/platform';
import { serviceConfigFromEnv, type KafkaSettings, type ServiceConfig } from './service-config';

/**
 * The production entrypoint: one container, one service, chosen by SERVICE and configured by the
 * environment alone (see docs/deployment.md). `migrate` applies every database's migrations and exits;
 * the others serve until SIGTERM, then stop in order (HTTP first, then the bus, then databases) so a
 * rolling update drops no request and leaves no event half-handled.
 */
export async function serve(
  config: ServiceConfig,
  logger: Logger,
): Promise<{ stop(): Promise<void> } | null> {
  // listen() reads it; set before any server starts.
  process.env['LISTEN_HOST'] = config.host;
  switch (config.service) {
    case 'migrate': {
      for (const name of DATABASE_NAMES) {
        const { applied } = await applyMigrations(
          config.databaseUrls[name],
          path.join(config.migrationsRoot, name, 'migrations'),
        );
        logger.info({ database: name, applied }, applied.length ? 'migrations applied' : 'up to date');
      }
      return null;
    }
    case 'gateway': {
      const bus = config.kafka ? kafkaBus(config.kafka, logger) : null;
      const server = await startGateway({
        port: config.port,
        subgraphs: config.subgraphs,
        verifyToken: createTokenVerifier(
          config.jwtPublicKeyPem
            ? {
                // The clock skew and lifetime limits (AUTH_*_SECONDS) apply to a fixed key as well.
                ...tokenVerifierOptionsFromEnv(process.env, createPublicKey(config.jwtPublicKeyPem)),
                ...(config.jwtIssuer ? { issuer: config.jwtIssuer } : {}),
                ...(config.jwtAudience ? { audience: config.jwtAudience } : {}),
              }
            : // AUTH_JWKS_URL is set (checked by serviceConfigFromEnv), so the key argument is never used.
              tokenVerifierOptionsFromEnv(
                process.env,
                generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
              ),
        ),
        ...(bus ? { live: liveOptionsFromEnv(process.env, bus) } : {}),
        logger,
      });
      return bus ? withBus(server, bus) : server;
    }
    case 'doctors':
    case 'appointments':
    case 'patients':
    case 'audit': {
      const bus = kafkaBus(config.kafka, logger);
      // A variable, not a literal, so a service that takes no bus (yet) ignores it rather than failing to
      // compile; each one reads INTERNAL_IDENTITY_SECRET and its other settings from the environment itself.
      const common = { databaseUrl: config.databaseUrl, port: config.port, logger, bus };
      const server =
        config.service === 'patients'
          ? await startPatientsService({ ...common, vaultDatabaseUrl: config.vaultDatabaseUrl })
          : config.service === 'doctors'
            ? await startDoctorsService(common)
            : config.service === 'appointments'
              ? await startAppointmentsService(common)
              : await startAuditService(common);
      return withBus(server, bus);
    }
  }
}

function kafkaBus(settings: KafkaSettings, logger: Logger): KafkaEventBus {
  return new KafkaEventBus({
    ...settings.connection,
    clientId: settings.clientId,
    groupPrefix: settings.groupPrefix,
    topicPrefix: settings.topicPrefix,
    logger: logger.child({ component: 'event-bus' }),
  });
}

/** The bus closes after the server (no consumer mid-event) and before process exit. */
function withBus(server: RunningServer, bus: KafkaEventBus): { stop(): Promise<void> } {
  return {
    stop: async () => {
      await server.stop();
      await bus.close();
    },
  };
}

async function main(): Promise<void> {
  let config: ServiceConfig;
  try {
    config = serviceConfigFromEnv(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const logger = createLogger(config.service, config.logLevel);
  const running = await serve(config, logger);
  if (!running) return;
  logger.info({ service: config.service }, 'serving');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    running
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`serve failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
