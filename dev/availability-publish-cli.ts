import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectDoctorsDatabase, republishAllAvailability } from '@clinic/doctors-subgraph';
import { loadConfig } from '@clinic/launcher';
import { migrateAll, openDatabases } from '@clinic/launcher';

const usage = `Usage: npm run availability:publish -- [--days 60] [--data-dir .data]

Republishes every doctor's availability (the slots their weekly rules and exceptions yield from now over
the horizon; none for doctors who are unavailable or removed) as doctor.availability-changed events. The
events go into the doctors outbox in one transaction per doctor; the doctors service's relay sends them
to the event bus as soon as it runs. DATABASE_URL_DOCTORS selects a server, else the embedded data folder
(stop npm start first: the embedded database has one owner). --days defaults to AVAILABILITY_HORIZON_DAYS or 60.`;

async function main() {
  const { values } = parseArgs({
    options: {
      days: { type: 'string' },
      'data-dir': { type: 'string', default: process.env['DATA_DIR'] ?? '.data' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(usage);
  const { horizonDays } = loadConfig(
    values.days === undefined ? process.env : { AVAILABILITY_HORIZON_DAYS: values.days },
    'all-in-one',
  ).doctors;
  const databases = await openDatabases({
    dataDir: path.resolve(values['data-dir']),
    basePort: 0,
    configured: loadConfig(process.env, 'all-in-one').databaseUrls,
  });
  const db = connectDoctorsDatabase(databases.urls.doctors);
  try {
    await migrateAll(databases.urls);
    const doctors = await republishAllAvailability(db, { horizonDays });
    console.log(`queued availability for ${doctors} doctors over ${horizonDays} days`);
  } finally {
    await db.$disconnect();
    await databases.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`availability:publish failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
