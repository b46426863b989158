import { createServer, type Server } from 'node:http';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { createTestDatabases } from '@clinic/testing';
import { infraUp } from '@clinic/testing/infra';
import { LIFTED_LIMITS, startTestSystem } from '../../system/test-system';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';

/**
 * What tracing costs the gateway: three gateway processes as deployed (SERVICE=gateway) in front of the
 * same subgraphs, tracing off, 100 % sampled and 10 % sampled, exporting OTLP/HTTP to a sink that answers
 * at once. The slot search is sent to the three in turn, request by request, so machine noise falls on
 * all of them alike; each gateway's CPU time per request and p99 are compared with tracing off.
 */
const DOCTORS = Number(process.env['BENCH_DOCTORS'] ?? 1000);
const DAYS = Number(process.env['BENCH_DAYS'] ?? 30);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 600);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** An OTLP/HTTP endpoint that takes every export and answers 200 at once; counts the bytes. */
async function otlpSink(): Promise<{ url: string; bytes: () => number; server: Server }> {
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, bytes: () => bytes, server };
}

async function main() {
  const serverUrl =
    process.env['TEST_POSTGRES_URL'] ?? (await infraUp({ log: () => undefined })).databaseUrls.appointments;
  const databases = await createTestDatabases(DATABASE_NAMES, serverUrl);
  const env = Object.fromEntries(
    DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
  );
  console.log(`seeding ${DOCTORS} doctors x ${DAYS} days on PostgreSQL…`);
  const system = await startTestSystem(
    { clinics: 50, doctors: DOCTORS, patients: 50, appointments: 2000, days: DAYS },
    env,
  );
  const sink = await otlpSink();
  const db = connectAppointmentsDatabase(databases.urls.appointments);
  const variants: Record<string, Record<string, string>> = {
    'tracing off': {},
    '100% sampled': { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
    '10% sampled': {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    },
  };
  // BENCH_CPU_PROF_DIR=<dir>: each gateway writes V8 CPU profiles (one per thread) to <dir>/<variant> when
  // it stops, to see where tracing's cost goes (the profiler's own cost then inflates every number).
  const profileDir = process.env['BENCH_CPU_PROF_DIR'];
  if (profileDir)
    for (const [name, extra] of Object.entries(variants))
      extra['BENCH_NODE_ARGS'] = `--cpu-prof --cpu-prof-dir=${profileDir}/${name.replace(/\W+/g, '-')}`;
  const gateways: Record<string, GatewayProcess> = {};
  try {
    for (const [name, extra] of Object.entries(variants)) {
      // Limits lifted: one address sends everything, and pacing it is not what is measured.
      gateways[name] = await startGatewayProcess(system, { ...LIFTED_LIMITS, ...extra });
    }
    const sample = await db.slot.findMany({
      distinct: ['doctorId'],
      take: 200,
      select: { clinicId: true, start: true },
    });
    const query = `query($filter: AvailableSlotsFilter!) { availableSlots(filter: $filter, first: 20) {
      edges { node { id start doctor { name clinic { name } } } } pageInfo { hasNextPage endCursor } } }`;
    const variables = (i: number) => {
      const s = sample[i % sample.length] as { clinicId: string; start: Date };
      const day = s.start.toISOString().slice(0, 10);
      return { filter: { clinicId: s.clinicId, fromDate: day, toDate: day, timeZone: 'Australia/Sydney' } };
    };
    const send = async (gateway: GatewayProcess, i: number) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: variables(i) }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    for (let i = 0; i < 30; i++) for (const gateway of Object.values(gateways)) await send(gateway, i); // warm-up
    const times: Record<string, number[]> = Object.fromEntries(
      Object.keys(gateways).map((name) => [name, []]),
    );
    const cpuBefore = Object.fromEntries(
      await Promise.all(Object.entries(gateways).map(async ([name, g]) => [name, await g.cpu()] as const)),
    );
    for (let i = 0; i < REQUESTS; i++) {
      for (const [name, gateway] of Object.entries(gateways)) {
        const started = performance.now();
        await send(gateway, i);
        times[name]?.push(performance.now() - started);
      }
    }
    const cpuAfter = Object.fromEntries(
      await Promise.all(Object.entries(gateways).map(async ([name, g]) => [name, await g.cpu()] as const)),
    );
    const results = Object.fromEntries(
      Object.keys(gateways).map((name) => {
        const sorted = [...(times[name] ?? [])].sort((a, b) => a - b);
        const cpuMs = ((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / 1000 / REQUESTS;
        return [name, { cpuMs, p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
      }),
    );
    const off = results['tracing off'] ?? { cpuMs: NaN, p50: NaN, p99: NaN };
    console.log(
      `\ntracing cost at the gateway: slot search (clinic, one day), ${REQUESTS} requests to each gateway in turn; OTLP sink took ${(sink.bytes() / 1024).toFixed(0)} KiB`,
    );
    console.log('gateway         CPU ms/req   p50 ms   p99 ms   CPU / off   p99 / off');
    for (const [name, { cpuMs, p50, p99 }] of Object.entries(results)) {
      console.log(
        `${name.padEnd(14)} ${cpuMs.toFixed(2).padStart(11)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)} ${(cpuMs / off.cpuMs).toFixed(2).padStart(10)}x ${(p99 / off.p99).toFixed(2).padStart(10)}x`,
      );
    }
    console.log('aim: 10% sampling adds at most 10% gateway CPU per request (CPU / off at most 1.10)');
  } finally {
    for (const gateway of Object.values(gateways)) await gateway.stop();
    sink.server.close();
    await db.$disconnect();
    await system.stop();
    await databases.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
