import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadVaultKeys } from '@clinic/patients-subgraph';
import {
  DEFAULT_SEED,
  isSeeded,
  loadConfig,
  migrateAll,
  openDatabases,
  seed,
  type SeedOptions,
} from '@clinic/launcher';

const numeric = ['clinics', 'doctors', 'patients', 'appointments', 'days', 'slot-minutes', 'seed'] as const;

const usage = `Usage: npm run seed -- [--doctors 1000] [--patients 5000] [options]

Fills empty databases with deterministic Australian mock data (no real person's data). Migrates first.
  --clinics <n>        default ${DEFAULT_SEED.clinics}
  --doctors <n>        default ${DEFAULT_SEED.doctors}
  --patients <n>       default ${DEFAULT_SEED.patients}
  --appointments <n>   default ${DEFAULT_SEED.appointments}
  --days <n>           days of slots, default ${DEFAULT_SEED.days}
  --slot-minutes <n>   default ${DEFAULT_SEED.slotMinutes}
  --from <YYYY-MM-DD>  first day of slots, default tomorrow
  --seed <n>           random seed, default ${DEFAULT_SEED.seed}
  --data-dir <dir>     embedded databases (default .data); DATABASE_URL_<NAME> selects servers`;

async function main() {
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(numeric.map((name) => [name, { type: 'string' as const }])),
      from: { type: 'string', default: DEFAULT_SEED.from },
      'data-dir': { type: 'string', default: process.env['DATA_DIR'] ?? '.data' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(usage);
  const options: SeedOptions = { ...DEFAULT_SEED, from: String(values.from) };
  for (const name of numeric) {
    const raw = (values as Record<string, unknown>)[name];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (name === 'clinics' || name === 'slot-minutes' ? 1 : 0)) {
      console.error(
        `--${name} must be a whole number${name === 'clinics' ? ' of at least 1' : ''}, not "${String(raw)}"`,
      );
      process.exit(2);
    }
    options[name === 'slot-minutes' ? 'slotMinutes' : name] = value;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.from)) {
    console.error(`--from must be a date like 2026-12-01, not "${options.from}"`);
    process.exit(2);
  }
  const config = loadConfig(process.env, 'all-in-one');
  const databases = await openDatabases({
    dataDir: path.resolve(String(values['data-dir'])),
    basePort: 0,
    configured: config.databaseUrls,
  });
  try {
    await migrateAll(databases.urls);
    if (await isSeeded(databases.urls)) {
      console.error(
        'The databases already hold data; seeding is for empty ones. Use npm start -- --fresh to start over.',
      );
      process.exitCode = 1;
      return;
    }
    const dataDir = path.resolve(String(values['data-dir']));
    const vaultKeys = await loadVaultKeys({
      keys: config.patients.vaultKeys,
      production: config.production,
      devDir: dataDir,
    });
    const summary = await seed(databases.urls, options, (line) => console.log(`seeded ${line}`), vaultKeys);
    console.log(`done: ${JSON.stringify(summary)}`);
  } finally {
    await databases.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
