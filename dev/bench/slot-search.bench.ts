import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases } from '@clinic/testing';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { infraUp } from '@clinic/testing/infra';
import { startTestSystem } from '../../system/test-system';

/**
 * Slot search through the gateway over 1,000 doctors x 30 days on the real PostgreSQL server. Each kind
 * of search is timed request by request; the baseline, run side by side on the same gateway, is the
 * cheapest possible operation (`{ __typename }`), so the ratio shows what the search itself costs.
 */
const DOCTORS = Number(process.env['BENCH_DOCTORS'] ?? 1000);
const DAYS = Number(process.env['BENCH_DAYS'] ?? 30);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 400);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  const infra = await infraUp({ log: () => undefined });
  const databases = await createTestDatabases(DATABASE_NAMES, infra.databaseUrls.appointments);
  const env = {
    ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
    // What a search costs when it runs: the response cache has its own bench (response-cache.bench.ts).
    GATEWAY_RESPONSE_CACHE: 'off',
  };
  const seeding = performance.now();
  console.log(`seeding ${DOCTORS} doctors x ${DAYS} days on PostgreSQL…`);
  const system = await startTestSystem(
    { clinics: 50, doctors: DOCTORS, patients: 50, appointments: 2000, days: DAYS },
    env,
  );
  const db = connectAppointmentsDatabase(databases.urls.appointments);
  try {
    const slots = await db.slot.count();
    console.log(`${slots} slots seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const sample = await db.slot.findMany({
      distinct: ['doctorId'],
      take: 200,
      select: { doctorId: true, clinicId: true, start: true },
    });
    const pick = <T>(items: T[], i: number) => items[i % items.length] as T;
    const day = (date: Date, plus = 0) =>
      new Date(date.getTime() + plus * 86_400_000).toISOString().slice(0, 10);
    const search = `query($filter: AvailableSlotsFilter!) { availableSlots(filter: $filter, first: 20) {
      edges { node { id start doctor { name clinic { name } } } } pageInfo { hasNextPage endCursor } } }`;
    const cases: Record<string, (i: number) => { query: string; variables?: Record<string, unknown> }> = {
      'baseline { __typename }': () => ({ query: '{ __typename }' }),
      'clinic, one day': (i) => {
        const s = pick(sample, i);
        return {
          query: search,
          variables: {
            filter: {
              clinicId: s.clinicId,
              fromDate: day(s.start),
              toDate: day(s.start),
              timeZone: 'Australia/Sydney',
            },
          },
        };
      },
      'doctor, 7 days': (i) => {
        const s = pick(sample, i);
        return {
          query: search,
          variables: { filter: { doctorId: s.doctorId, fromDate: day(s.start), toDate: day(s.start, 6) } },
        };
      },
      'all clinics, 30 days': (i) => {
        const s = pick(sample, i);
        return {
          query: search,
          variables: {
            filter: { fromDate: day(s.start), toDate: day(s.start, 29), timeZone: 'Australia/Perth' },
          },
        };
      },
      'next available (clinic)': (i) => ({
        query: 'query($c: ID) { nextAvailableSlot(clinicId: $c) { id start } }',
        variables: { c: pick(sample, i).clinicId },
      }),
    };
    const results: Record<string, { p50: number; p99: number }> = {};
    for (const [name, make] of Object.entries(cases)) {
      for (let i = 0; i < 20; i++)
        await system.graphql(make(i).query, { variables: make(i).variables ?? {} }); // warm-up
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const { query, variables } = make(i);
        const started = performance.now();
        const { body } = await system.graphql(query, { variables: variables ?? {} });
        times.push(performance.now() - started);
        if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
      }
      times.sort((a, b) => a - b);
      results[name] = { p50: percentile(times, 50), p99: percentile(times, 99) };
    }
    const baseline = results['baseline { __typename }'] ?? { p50: NaN, p99: NaN };
    console.log(
      `\nslot search through the gateway, ${slots} slots, ${REQUESTS} sequential requests per case`,
    );
    console.log('case                        p50 ms   p99 ms   p99 / baseline p99');
    for (const [name, { p50, p99 }] of Object.entries(results)) {
      console.log(
        `${name.padEnd(26)} ${p50.toFixed(1).padStart(7)} ${p99.toFixed(1).padStart(8)} ${(p99 / baseline.p99).toFixed(2).padStart(10)}x`,
      );
    }
    console.log('aim: p99 under 50 ms for the searches');
  } finally {
    await db.$disconnect();
    await system.stop();
    await databases.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
