import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DATABASE_NAMES } from '@clinic/contracts';
import { applyMigrations, createLogger, startTracing, type Logger, type Tracing } from '@clinic/platform';
import { ConfigError, loadConfig, type Config } from './config/config';

/**
 * The production entrypoint: one container, one service, chosen by SERVICE and configured by the
 * environment alone (see docs/deployment.md). `migrate` applies every database's migrations and exits;
 * the others serve until SIGTERM, then drain (see `drainAndStop`) so a rolling update drops no request
 * and leaves no event half-handled.
 */
export async function serve(
  config: Config,
  logger: Logger,
): Promise<{ beginDrain(): void; stop(): Promise<void> } | null> {
  if (config.service === 'migrate') {
    for (const name of DATABASE_NAMES) {
      const { applied } = await applyMigrations(
        config.databaseUrls[name] as string,
        path.join(config.migrationsRoot, name, 'migrations'),
      );
      logger.info({ database: name, applied }, applied.length ? 'migrations applied' : 'up to date');
    }
    return null;
  }
  // Loaded only now, after tracing started (main below): the instrumentations hook `require`.
  const { startSystem } = await import('./system');
  return startSystem({ config });
}

/**
 * SIGTERM: /readyz answers 503 at once while everything is still served, for `delayMs`, so the load
 * balancer (and kube-proxy) stop sending here first. Then each server stops accepting, ends its live
 * streams with a clean close (graphql-sse clients reconnect to another gateway), and lets requests in
 * flight finish within the drain timeout; then consumers commit and leave their groups, the outbox relay
 * finishes its batch, the producer and the databases close.
 */
export async function drainAndStop(
  running: { beginDrain(): void; stop(): Promise<void> },
  delayMs: number,
): Promise<void> {
  running.beginDrain();
  await sleep(delayMs);
  await running.stop();
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, 'service');
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(2);
  }
  const logger = createLogger(config.service ?? 'clinic', config.logLevel);
  // First, before the system's modules load: off (nothing registered) without an OTLP endpoint.
  const tracing: Tracing | null =
    config.tracing && config.service !== 'migrate' ? startTracing(config.tracing) : null;
  if (config.tracing && tracing)
    logger.info({ endpoint: config.tracing.endpoint, sampler: config.tracing.sampler }, 'tracing');
  const running = await serve(config, logger);
  if (!running) return;
  logger.info({ service: config.service }, 'serving');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, ...config.shutdown }, 'draining');
    // Whatever is still stopping by the deadline, the process leaves before Kubernetes kills it.
    setTimeout(() => {
      logger.error({ deadlineMs: config.shutdown.deadlineMs }, 'stop took too long; exiting');
      process.exit(1);
    }, config.shutdown.deadlineMs).unref();
    drainAndStop(running, config.shutdown.delayMs)
      .then(async () => {
        // The last spans are sent (bounded by the export timeout); what never left is counted.
        await tracing?.shutdown();
        if (tracing) logger.info({ droppedSpans: tracing.droppedSpans() }, 'tracing stopped');
        logger.info('stopped');
        process.exit(0);
      })
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
