import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_GATEWAY_PORT } from '@clinic/contracts';
import { issueDevToken, startTracing } from '@clinic/platform';
import { ConfigError, loadConfig, type Config } from './config/config';

const usage = `Usage: npm start -- [options]

Runs the gateway and the four subgraphs on this machine, on embedded PostgreSQL (PGlite) unless
DATABASE_URL_<NAME> variables name real servers. Migrates, seeds an empty database, prints the URLs.

  --port <n>        gateway port (default ${DEFAULT_GATEWAY_PORT}; subgraphs use 4001-4004, see SUBGRAPH_PORT_BASE)
  --db-port <n>     first of five embedded database ports (default 55432)
  --data-dir <dir>  where embedded databases and the dev signing key live (default .data)
  --fresh           delete the data folder first and start over
  --help            this text`;

async function main() {
  const started = performance.now();
  let config: Config;
  try {
    // Quieter than a server by default: the console shows the summary below, not every request.
    config = loadConfig({ LOG_LEVEL: 'warn', ...process.env }, 'all-in-one');
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(2);
  }
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(config.gateway.port) },
      'db-port': { type: 'string', default: String(config.embeddedDatabasePort) },
      'data-dir': { type: 'string', default: config.dataDir },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(usage);
  const port = portNumber('port', values.port);
  const databasePort = portNumber('db-port', values['db-port']);
  const dataDir = path.resolve(values['data-dir']);
  // Before the system's modules load (the instrumentations hook `require`); nothing without an endpoint.
  const tracing = config.tracing && startTracing(config.tracing);
  const { startSystem } = await import('./system');
  const { sampleIdentities } = await import('./sample-identities');
  const { DEFAULT_SEED, isSeeded, seed } = await import('./seed/seed');
  if (values.fresh && existsSync(dataDir)) {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`removed ${dataDir}`);
  }

  const system = await startSystem({
    config: {
      ...config,
      dataDir,
      embeddedDatabasePort: databasePort,
      gateway: { ...config.gateway, port },
    },
    // Seeded before the services start, so their first availability run already sees the doctors.
    prepare: async (urls, vaultKeys) => {
      if (await isSeeded(urls)) return;
      console.log('empty database: seeding mock data…');
      const summary = await seed(urls, DEFAULT_SEED, (line) => console.log(`  seeded ${line}`), vaultKeys);
      console.log(`  done: ${JSON.stringify(summary)}`);
    },
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await system.stop();
    await tracing?.shutdown();
    console.log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const { signingKey } = system;
  const tokens = signingKey
    ? await Promise.all(
        (await sampleIdentities(system.databaseUrls)).map(async (identity) => ({
          identity,
          token: await issueDevToken(signingKey, identity),
        })),
      )
    : [];
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Clinic scheduling is ready in ${seconds}s.

  GraphQL gateway   ${system.gatewayUrl}
  health            ${new URL('/healthz', system.gatewayUrl)}   ready: ${new URL('/readyz', system.gatewayUrl)}
  metrics           http://${config.metrics.host}:${system.metricsPort}/metrics   (Prometheus; every service, by its service label)
  subgraphs         ${Object.entries(system.subgraphUrls)
    .map(([name, url]) => `${name} ${url}`)
    .join('\n                    ')}
  data folder       ${dataDir}${config.tracing ? `\n  traces            ${config.tracing.endpoint}   (OTLP/HTTP, service ${config.tracing.serviceName}, sampler ${config.tracing.sampler}${config.tracing.sampler.endsWith('traceidratio') ? ` ${config.tracing.samplerRatio}` : ''})` : ''}${system.notificationsPage ? `\n  notifications     ${system.notificationsPage}   (development sink: what would have been sent; with the SystemAdministrator token below)` : ''}

Development tokens (8 hours; make more with npm run token -- --role <Role>):
${tokens.map(({ identity, token }) => `  ${identity.role}${identity.role === 'Patient' ? ` (clientId ${identity.subject})` : ''}\n    ${token}`).join('\n')}

Try it:
  curl -s ${system.gatewayUrl} -H 'content-type: application/json' \\
    -d '{"query":"{ clinics { name timeZone doctors { name } } }"}'

Ctrl-C stops everything.`);
}

function portNumber(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number (0-65535), not "${value}"`);
    process.exit(2);
  }
  return port;
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
