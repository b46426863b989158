import path from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_NAMES } from '@clinic/contracts';
import { loadConfig, migrateAll, openDatabases } from '@clinic/launcher';

const usage = `Usage: npm run migrate -- [--data-dir .data] [--db-port 55432]

Applies prisma/<database>/migrations to every database, recording them in _prisma_migrations as
\`prisma migrate deploy\` does. A database named by DATABASE_URL_<NAME> (${DATABASE_NAMES.map((name) => name.toUpperCase()).join(', ')})
is migrated on that server; the others in the embedded data folder.`;

async function main() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: process.env['DATA_DIR'] ?? '.data' },
      'db-port': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(usage);
  const databases = await openDatabases({
    dataDir: path.resolve(values['data-dir']),
    basePort: Number(values['db-port']),
    configured: loadConfig(process.env, 'all-in-one').databaseUrls,
  });
  try {
    const applied = await migrateAll(databases.urls);
    for (const name of DATABASE_NAMES) {
      const where = databases.embedded.includes(name) ? 'embedded' : 'server';
      console.log(
        `${name} (${where}): ${applied[name].length ? `applied ${applied[name].join(', ')}` : 'up to date'}`,
      );
    }
  } finally {
    await databases.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
