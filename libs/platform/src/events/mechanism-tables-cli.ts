import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listMigrations } from '../database/migrate';
import {
  checkMechanismTables,
  MECHANISM_TABLE_NAMES,
  MECHANISM_TABLES,
  mechanismTablesMigration,
  type MechanismTable,
} from './mechanism-tables';

/**
 * Gives a database under prisma/ some of the mechanism's tables: writes a new migration creating them and
 * adds their models to its schema.prisma, both from mechanism-tables.ts. Then `npm run generate`.
 *
 *   npx tsx libs/platform/src/events/mechanism-tables-cli.ts <database> <outbox|inbox|idempotency_record>...
 */
const root = path.resolve(__dirname, '../../../..');
const [database, ...tables] = process.argv.slice(2);
const known = (table: string): table is MechanismTable => (MECHANISM_TABLE_NAMES as string[]).includes(table);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (!database || tables.length === 0 || !tables.every(known)) {
  fail(`usage: mechanism-tables-cli.ts <database> <${MECHANISM_TABLE_NAMES.join('|')}>...`);
}
const databaseDir = path.join(root, 'prisma', database);
const schemaFile = path.join(databaseDir, 'schema.prisma');
if (!existsSync(path.join(databaseDir, 'migrations')) || !existsSync(schemaFile)) {
  fail(`no prisma/${database}/migrations and schema.prisma`);
}
const schema = readFileSync(schemaFile, 'utf8');
const has = tables.filter((table) => schema.includes(`@@map("${table}")`));
if (has.length > 0) fail(`prisma/${database} has ${has.join(', ')} already`);

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const name = `${stamp}_${tables.join('_')}`;
mkdirSync(path.join(databaseDir, 'migrations', name));
writeFileSync(path.join(databaseDir, 'migrations', name, 'migration.sql'), mechanismTablesMigration(tables));
writeFileSync(
  schemaFile,
  `${schema.trimEnd()}\n${tables.map((table) => `\n${MECHANISM_TABLES[table].model}`).join('')}`,
);
const problems = checkMechanismTables(
  listMigrations(path.join(databaseDir, 'migrations')),
  readFileSync(schemaFile, 'utf8'),
);
if (problems.length > 0) fail(problems.join('\n'));
console.log(`wrote prisma/${database}/migrations/${name}/migration.sql and the models; now npm run generate`);
