import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listMigrations } from '../database/migrate';
import {
  checkMechanismTables,
  MECHANISM_TABLE_NAMES,
  MECHANISM_TABLES,
  mechanismTablesMigration,
  missingChanges,
} from './mechanism-tables';

const prismaDir = path.resolve(__dirname, '../../../../prisma');
const databases = readdirSync(prismaDir).filter((name) =>
  existsSync(path.join(prismaDir, name, 'migrations')),
);

const migrationsOf = (database: string) => listMigrations(path.join(prismaDir, database, 'migrations'));
const schemaOf = (database: string) => readFileSync(path.join(prismaDir, database, 'schema.prisma'), 'utf8');
const allModels = MECHANISM_TABLE_NAMES.map((table) => MECHANISM_TABLES[table].model).join('\n');

describe('the outbox, inbox and idempotency tables of every database', () => {
  it('finds every database under prisma/', () => {
    expect(databases.sort()).toEqual(['appointments', 'audit', 'doctors', 'patients', 'pii_vault']);
  });

  it.each(databases)('%s: migrations and schema.prisma match mechanism-tables.ts exactly', (database) => {
    expect(checkMechanismTables(migrationsOf(database), schemaOf(database))).toEqual([]);
  });

  it('says which database carries which of them', () => {
    const tablesOf = (database: string) =>
      MECHANISM_TABLE_NAMES.filter((table) => schemaOf(database).includes(`@@map("${table}")`));
    expect(Object.fromEntries(databases.map((database) => [database, tablesOf(database)]))).toEqual({
      appointments: ['outbox', 'inbox', 'idempotency_record'],
      audit: ['inbox', 'idempotency_record'],
      doctors: ['outbox', 'idempotency_record'],
      patients: ['outbox', 'inbox', 'idempotency_record'],
      pii_vault: ['outbox'],
    });
  });
});

describe('checkMechanismTables', () => {
  const generated = [{ name: '1_tables', sql: mechanismTablesMigration(MECHANISM_TABLE_NAMES) }];

  it('accepts what the generator writes, with the models it prints', () => {
    expect(checkMechanismTables(generated, allModels)).toEqual([]);
    expect(checkMechanismTables([{ name: '1_other', sql: 'CREATE TABLE "x" ("id" INT);' }], '')).toEqual([]);
  });

  it('refuses a copy that differs, a later change, and a missing or different model', () => {
    const copy = mechanismTablesMigration(['inbox']).replace('"consumer" TEXT', '"consumer" VARCHAR(50)');
    expect(checkMechanismTables([{ name: '1_inbox', sql: copy }], MECHANISM_TABLES.inbox.model)).toEqual([
      expect.stringContaining('"inbox" is not created exactly'),
    ]);
    const altered = [...generated, { name: '2_alter', sql: 'ALTER TABLE "outbox" ADD COLUMN "x" INT;' }];
    expect(checkMechanismTables(altered, allModels)).toEqual([
      expect.stringContaining('"outbox" is not created exactly'),
    ]);
    const dropped = [...generated, { name: '2_drop', sql: 'DROP TABLE inbox;' }];
    expect(checkMechanismTables(dropped, allModels)).toEqual([
      expect.stringContaining('"inbox" is not created exactly'),
    ]);
    const withoutIndex = mechanismTablesMigration(['outbox']).replace(/CREATE INDEX[^;]*;/, '');
    expect(
      checkMechanismTables([{ name: '1_outbox', sql: withoutIndex }], MECHANISM_TABLES.outbox.model),
    ).toEqual([expect.stringContaining('"outbox" is not created exactly')]);
    expect(
      checkMechanismTables(generated, allModels.replace('@db.VarChar(100)', '@db.VarChar(200)')),
    ).toEqual(['the model of "idempotency_record" in schema.prisma differs from mechanism-tables.ts']);
    expect(checkMechanismTables(generated, MECHANISM_TABLES.inbox.model)).toEqual([
      '"outbox" is created by the migrations but has no model in schema.prisma',
      '"idempotency_record" is created by the migrations but has no model in schema.prisma',
    ]);
    expect(checkMechanismTables([], MECHANISM_TABLES.outbox.model)).toEqual([
      '"outbox" is modelled in schema.prisma but no migration creates it',
    ]);
  });

  it("expects a table's changes after its creation, each once, in order, and writes the missing ones", () => {
    const created = [{ name: '1_outbox', sql: MECHANISM_TABLES.outbox.sql }];
    const change = MECHANISM_TABLES.outbox.changes[0];
    if (!change) throw new Error('the outbox has a change (its traceparent)');
    expect(checkMechanismTables(created, MECHANISM_TABLES.outbox.model)).toEqual([
      expect.stringContaining('"outbox" is not created exactly'),
    ]);
    expect(missingChanges(created, ['outbox'])).toBe(change.sql);
    const changed = [...created, { name: '2_change', sql: missingChanges(created, ['outbox']) }];
    expect(checkMechanismTables(changed, MECHANISM_TABLES.outbox.model)).toEqual([]);
    expect(missingChanges(changed, ['outbox'])).toBe('');
    const twice = [...changed, { name: '3_again', sql: change.sql }];
    expect(checkMechanismTables(twice, MECHANISM_TABLES.outbox.model)).toEqual([
      expect.stringContaining('"outbox" is not created exactly'),
    ]);
    const oldModel = MECHANISM_TABLES.outbox.model.replace(/^\s*traceparent.*\n/m, '');
    expect(checkMechanismTables(changed, oldModel)).toEqual([
      'the model of "outbox" in schema.prisma differs from mechanism-tables.ts',
    ]);
  });

  it('lets a later migration rewrite rows, never the definition', () => {
    const rewritten = [
      ...generated,
      { name: '2_rows', sql: `UPDATE "idempotency_record" SET "outcome" = NULL WHERE "key" = 'k';` },
      { name: '3_rows', sql: 'DELETE FROM inbox WHERE false; INSERT INTO "outbox" DEFAULT VALUES;' },
    ];
    expect(checkMechanismTables(rewritten, allModels)).toEqual([]);
  });

  it('ignores layout, comments, and semicolons inside quotes', () => {
    const spaced = mechanismTablesMigration(['inbox'])
      .replace('("event_id", "consumer")', '( "event_id","consumer" )')
      .replace(/\n {4}/g, '\n\t');
    const other = `CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RAISE 'inbox; outbox'; END $$ LANGUAGE plpgsql;`;
    const migrations = [
      { name: '1_inbox', sql: `-- inbox; see "outbox"\n${spaced}` },
      { name: '2_other', sql: other },
    ];
    expect(checkMechanismTables(migrations, MECHANISM_TABLES.inbox.model)).toEqual([]);
  });
});
