import { queryObjects } from 'node:v8';
import { messages } from '@electric-sql/pglite';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

/**
 * Run by embedded-postgres.int.test.ts in a process of its own (`node --import tsx held-rows-probe.ts
 * <queries> <rows>`): v8.queryObjects counts only objects of the main context, never those made inside
 * jest's sandbox. Sends `queries` reads of `rows` rows each through an embedded database and prints, as
 * JSON, how many of PGlite's parsed data rows are still alive afterwards, and how many rows came back.
 */
async function main(): Promise<void> {
  const queries = Number(process.argv[2] ?? 1000);
  const rows = Number(process.argv[3] ?? 50);
  const embedded = await startEmbeddedPostgres({ dataDir: null, basePort: 0, databases: ['doctors'] });
  const client = new Client({ connectionString: embedded.urls.doctors });
  await client.connect();
  const read = () =>
    client.query("SELECT n, repeat('x', 40) || n AS name FROM generate_series(1, $1::int) AS n", [rows]);
  try {
    // Warm-up first: whatever a first query sets up once is not what grows.
    await read();
    const heldBefore = queryObjects(messages.DataRowMessage, { format: 'count' });
    let answered = 0;
    for (let i = 0; i < queries; i++) answered += (await read()).rowCount ?? 0;
    const held = queryObjects(messages.DataRowMessage, { format: 'count' }) - heldBefore;
    console.log(JSON.stringify({ answered, held }));
  } finally {
    await client.end();
    await embedded.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
