import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listMigrations } from '../database/migrate';
import {
  checkMechanismTables,
  MECHANISM_TABLE_NAMES,
  MECHANISM_TABLES,
  mechanismTablesMigration,
  missingChanges,
  type MechanismTable,
} from './mechanism-tables';

/**
 * Gives a database under prisma/ some of the mechanism's tables: writes a new migration creating them and
 * adds their models to its schema.prisma, both from mechanism-tables.ts. With `--changes`, writes the
 * changes made to the tables it has since (a new migration) and their new models. Then `npm run generate`.
 *
 *   npx tsx libs/platform/src/events/mechanism-tables-cli.ts <database> <outbox|inbox|idempotency_record>...
 *   npx tsx libs/platform/src/events/mechanism-tables-cli.ts <database> --changes
 */
const root = path.resolve(__dirname, '../../../..');
const [database, ...tables] = process.argv.slice(2);
const known = (table: string): table is MechanismTable => (MECHANISM_TABLE_NAMES as string[]).includes(table);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const changes = tables.length === 1 && tables[0] === '--changes';
if (!database || tables.length === 0 || (!changes && !tables.every(known))) {
  fail(
    `usage: mechanism-tables-cli.ts <database> <${MECHANISM_TABLE_NAMES.join('|')}>...\n` +
      '       mechanism-tables-cli.ts <database> --changes',
  );
}
const databaseDir = path.join(root, 'prisma', database);
const schemaFile = path.join(databaseDir, 'schema.prisma');
if (!existsSync(path.join(databaseDir, 'migrations')) || !existsSync(schemaFile)) {
  fail(`no prisma/${database}/migrations and schema.prisma`);
}
const schema = readFileSync(schemaFile, 'utf8');
const modelled = (table: MechanismTable) => schema.includes(`@@map("${table}")`);
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
let name: string;
if (changes) {
  const present = MECHANISM_TABLE_NAMES.filter(modelled);
  const sql = missingChanges(listMigrations(path.join(databaseDir, 'migrations')), present);
  if (!sql) fail(`prisma/${database} has every change already`);
  const changed = present.filter((table) => MECHANISM_TABLES[table].changes.length > 0);
  const missing = changed
    .flatMap((table) => MECHANISM_TABLES[table].changes)
    .filter((change) => sql.includes(change.sql));
  name = `${stamp}_${missing.map((change) => change.name).join('_')}`;
  mkdirSync(path.join(databaseDir, 'migrations', name));
  writeFileSync(path.join(databaseDir, 'migrations', name, 'migration.sql'), sql);
  // Each model is replaced whole by its definition (a model ends at the first line that is only "}").
  let updated = schema;
  for (const table of changed) {
    updated = updated.replace(
      new RegExp(`^model \\w+ \\{[^}]*@@map\\("${table}"\\)\\n\\}\\n`, 'm'),
      MECHANISM_TABLES[table].model,
    );
  }
  writeFileSync(schemaFile, updated);
} else {
  const has = (tables as MechanismTable[]).filter(modelled);
  if (has.length > 0) fail(`prisma/${database} has ${has.join(', ')} already`);
  name = `${stamp}_${tables.join('_')}`;
  mkdirSync(path.join(databaseDir, 'migrations', name));
  writeFileSync(
    path.join(databaseDir, 'migrations', name, 'migration.sql'),
    mechanismTablesMigration(tables as MechanismTable[]),
  );
  writeFileSync(
    schemaFile,
    `${schema.trimEnd()}\n${(tables as MechanismTable[]).map((table) => `\n${MECHANISM_TABLES[table].model}`).join('')}`,
  );
}
const problems = checkMechanismTables(
  listMigrations(path.join(databaseDir, 'migrations')),
  readFileSync(schemaFile, 'utf8'),
);
if (problems.length > 0) fail(problems.join('\n'));
console.log(`wrote prisma/${database}/migrations/${name}/migration.sql and the models; now npm run generate`);
