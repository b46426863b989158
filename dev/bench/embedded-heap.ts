import v8 from 'node:v8';
import vm from 'node:vm';
import { messages } from '@electric-sql/pglite';
import { startTestSystem } from '../../system/test-system';

/**
 * The reproduction of issue 18 section 5, quick (a minute or two): the whole system in this process on
 * embedded databases in memory, and REQUESTS reads through the gateway that touch the doctors subgraph
 * alone (`{ clinics { name doctors { name } } }`), one at a time. Every STEP requests: the JS heap after
 * two forced collections, and how many of PGlite's parsed data rows are still alive (v8.queryObjects).
 * Before the fix in libs/platform/src/database/embedded-postgres.ts the heap grew by kilobytes a request
 * and the rows held grew with every row served; now both stay flat.
 *
 *   npx tsx dev/bench/embedded-heap.ts        (REQUESTS=6000 STEP=1000 by default)
 */
const REQUESTS = Number(process.env['REQUESTS'] ?? 6000);
const STEP = Number(process.env['STEP'] ?? 1000);
const QUERY = '{ clinics { name doctors { name } } }';

async function main(): Promise<void> {
  const system = await startTestSystem({ clinics: 6, doctors: 30, patients: 20, appointments: 20, days: 7 });
  v8.setFlagsFromString('--expose_gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  try {
    for (let i = 0; i < 200; i++) await system.graphql(QUERY); // warm-up: JIT, pools, plans
    system.resetQueries();
    const first = heap();
    let last = first;
    let resent = 0;
    console.log('requests   heap MB   KB/request since last   PGlite rows held');
    for (let done = 0; done < REQUESTS;) {
      for (let i = 0; i < STEP; i++, done++) {
        // A keep-alive connection the server closed as it was reused: sent again once, and counted.
        const { body } = await system.graphql(QUERY).catch(() => {
          resent++;
          return system.graphql(QUERY);
        });
        if (body.errors) throw new Error(JSON.stringify(body.errors));
      }
      // The test system logs every SQL statement for tests to count; not what is measured here.
      system.resetQueries();
      const now = heap();
      console.log(
        `${String(done).padStart(8)} ${(now / 2 ** 20).toFixed(1).padStart(9)} ${((now - last) / STEP / 1024)
          .toFixed(2)
          .padStart(23)} ${String(queryObjects()).padStart(18)}`,
      );
      last = now;
    }
    console.log(`overall: ${((last - first) / REQUESTS / 1024).toFixed(2)} KB of heap per request`);
    console.log(`${resent} requests sent again after a reset connection`);
  } finally {
    await system.stop();
  }
}

function queryObjects(): number {
  return v8.queryObjects(messages.DataRowMessage, { format: 'count' });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
