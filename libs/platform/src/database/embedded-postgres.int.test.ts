import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/**
 * A long-running `npm start` serves the same reads all day from the embedded databases. What it keeps
 * per query must not add up: counted as the rows PGlite has parsed into objects and still holds
 * (structural, not bytes or time), after enough queries that a leak of even one row each would show.
 */
const QUERIES = 1_000;
const ROWS = 50;

let embedded: EmbeddedPostgres;
const clients: Client[] = [];

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null, basePort: 0, databases: ['doctors'] });
}, 600_000);
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  await embedded?.stop();
});

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: embedded.urls.doctors });
  await client.connect();
  clients.push(client);
  return client;
}

describe('embedded PostgreSQL under a steady read load', () => {
  it(`holds no parsed rows once ${QUERIES} queries of ${ROWS} rows have been answered`, async () => {
    // In a process of its own: see held-rows-probe.ts.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'held-rows-probe.ts'), String(QUERIES), String(ROWS)],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const { answered, held } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      answered: number;
      held: number;
    };
    expect(answered).toBe(QUERIES * ROWS);
    // Before the fix every row ever served stayed: QUERIES x ROWS = 50,000. One query's worth at most now.
    expect(held).toBeLessThanOrEqual(ROWS);
  });

  it('still answers correctly around the release: errors, and transactions of two connections', async () => {
    const [first, second] = [await connect(), await connect()];
    await first.query('CREATE TABLE IF NOT EXISTS soak_probe (id int PRIMARY KEY, label text NOT NULL)');
    // An error answers the caller and leaves the connection usable.
    await first.query("INSERT INTO soak_probe VALUES (1, 'one')");
    await expect(first.query("INSERT INTO soak_probe VALUES (1, 'again')")).rejects.toThrow(/duplicate key/);
    expect((await first.query('SELECT label FROM soak_probe WHERE id = $1', [1])).rows).toEqual([
      { label: 'one' },
    ]);
    // A transaction on one connection is neither seen nor broken by the other's reads meanwhile.
    await first.query('BEGIN');
    await first.query("INSERT INTO soak_probe VALUES (2, 'two')");
    const otherRead = second.query('SELECT count(*)::int AS count FROM soak_probe');
    await first.query('COMMIT');
    expect((await otherRead).rows).toEqual([{ count: 2 }]);
    // A rolled back transaction leaves nothing behind.
    await second.query('BEGIN');
    await second.query("INSERT INTO soak_probe VALUES (3, 'three')");
    await second.query('ROLLBACK');
    expect((await first.query('SELECT id FROM soak_probe ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
