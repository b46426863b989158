import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { applyMigrations, listMigrations } from './migrate';

const auditMigrations = path.resolve(__dirname, '../../../../prisma/audit/migrations');
let embedded: EmbeddedPostgres;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null, basePort: 0, databases: ['audit', 'doctors'] });
}, 600_000);
afterAll(() => embedded?.stop());

async function rows(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT * FROM _prisma_migrations ORDER BY started_at')).rows;
  } finally {
    await client.end();
  }
}

describe('applyMigrations', () => {
  it("applies each migration once and records it exactly as Prisma's migrate deploy does", async () => {
    const names = listMigrations(auditMigrations).map((migration) => migration.name);
    expect(names[0]).toBe('20261124120000_init');
    const first = await applyMigrations(embedded.urls.audit, auditMigrations);
    expect(first.applied).toEqual(names);
    const second = await applyMigrations(embedded.urls.audit, auditMigrations);
    expect(second).toEqual({ applied: [], alreadyApplied: names });

    const [row, ...rest] = await rows(embedded.urls.audit);
    expect(rest).toHaveLength(names.length - 1);
    const sql = readFileSync(path.join(auditMigrations, '20261124120000_init', 'migration.sql'));
    expect(row).toMatchObject({
      migration_name: '20261124120000_init',
      checksum: createHash('sha256').update(sql).digest('hex'),
      applied_steps_count: 1,
      logs: null,
      rolled_back_at: null,
    });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.finished_at).toBeInstanceOf(Date);
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    cpSync(auditMigrations, dir, { recursive: true });
    writeFileSync(path.join(dir, '20261124120000_init', 'migration.sql'), '-- edited\nSELECT 1;');
    await expect(applyMigrations(embedded.urls.audit, dir)).rejects.toThrow(
      /was edited after it was applied/,
    );
  });

  it('rolls a failing migration back whole and lets a fixed one apply', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    mkdirSync(path.join(dir, '20260101000000_broken'));
    writeFileSync(
      path.join(dir, '20260101000000_broken', 'migration.sql'),
      'CREATE TABLE "half" (id int);\nSELECT nonsense FROM nowhere;',
    );
    await expect(applyMigrations(embedded.urls.doctors, dir)).rejects.toThrow(/failed and was rolled back/);
    const client = new Client({ connectionString: embedded.urls.doctors });
    await client.connect();
    const tables = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half'");
    await client.end();
    expect(tables.rowCount).toBe(0);

    writeFileSync(path.join(dir, '20260101000000_broken', 'migration.sql'), 'CREATE TABLE "half" (id int);');
    expect((await applyMigrations(embedded.urls.doctors, dir)).applied).toEqual(['20260101000000_broken']);
    const recorded = await rows(embedded.urls.doctors);
    expect(recorded.map((row) => [row.finished_at !== null, row.rolled_back_at !== null])).toEqual([
      [false, true],
      [true, false],
    ]);
  });
});
