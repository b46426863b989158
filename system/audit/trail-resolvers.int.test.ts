import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EventEnvelope } from '@clinic/contracts';
import { auditRecord, createEvent } from '@clinic/platform';
import { mockBookedEvent, eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { connectAuditDatabase, type AuditDatabase } from '../../subgraphs/audit/src/database';
import { recordEvents } from '../../subgraphs/audit/src/trail/record-event';

let system: TestSystem;
let db: AuditDatabase;
const clinicA = randomUUID();
const clinicB = randomUUID();
const actor = randomUUID();
let tokens: Record<'admin' | 'managerA' | 'doctor', string>;

type Entry = {
  sequence: string;
  action: string;
  subjectId: string;
  actorSubject: string;
  occurredAt: string;
};

function booked(clinicId: string, minute: number, subject = randomUUID()): EventEnvelope {
  const event = mockBookedEvent({
    appointmentId: randomUUID(),
    actor: { role: 'ClinicAdmin', subject },
  });
  return {
    ...event,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString(),
    payload: { ...event.payload, clinicId },
  } as EventEnvelope;
}

async function trail(token: string, args: Record<string, unknown>) {
  const { body } = await system.graphql(
    `query($c: ID, $ar: String, $as: ID, $st: String, $si: ID, $f: DateTime, $t: DateTime, $b: String, $n: Int) {
      auditTrail(correlationId: $c, actorRole: $ar, actorSubject: $as, subjectType: $st, subjectId: $si,
                 occurredFrom: $f, occurredTo: $t, before: $b, first: $n) {
        sequence action subjectId actorSubject occurredAt
      }
    }`,
    { token, variables: args },
  );
  return body;
}

async function verify(token: string, from?: string) {
  const { body } = await system.graphql(
    `query($from: String) { verifyAuditChain(from: $from) {
      ok checkedRows checkpointsChecked head { sequence hash } firstBadRow { sequence id problem detail }
    } }`,
    { token, variables: { from } },
  );
  return body;
}

beforeAll(async () => {
  system = await startTestSystem();
  db = connectAuditDatabase(system.databaseUrls.audit);
  tokens = {
    admin: await system.token({ role: 'SystemAdministrator', subject: randomUUID() }),
    managerA: await system.token({ role: 'PracticeManager', subject: randomUUID(), clinicId: clinicA }),
    doctor: await system.token({ role: 'Doctor', subject: randomUUID(), clinicId: clinicA }),
  };
  // Clinic A: minutes 0..9, every third by one actor; clinic B: minutes 0..4.
  await recordEvents(db, [
    ...Array.from({ length: 10 }, (_, i) => booked(clinicA, i, i % 3 === 0 ? actor : undefined)),
    ...Array.from({ length: 5 }, (_, i) => booked(clinicB, i)),
  ]);
}, 600_000);
afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
});

describe('auditTrail filters and visibility', () => {
  it('filters by actor, subject and time for system administrators', async () => {
    const byActor = (await trail(tokens.admin, { as: actor })).data?.['auditTrail'] as Entry[];
    expect(byActor.map((entry) => entry.actorSubject)).toEqual([actor, actor, actor, actor]);

    const [one] = byActor;
    const bySubject = await trail(tokens.admin, { st: 'Appointment', si: one!.subjectId });
    expect((bySubject.data?.['auditTrail'] as Entry[]).map((entry) => entry.sequence)).toEqual([
      one!.sequence,
    ]);

    const window = await trail(tokens.admin, {
      f: '2026-12-01T09:02:00.000Z',
      t: '2026-12-01T09:04:00.000Z',
    });
    const times = (window.data?.['auditTrail'] as Entry[]).map((entry) => entry.occurredAt);
    expect(times).toHaveLength(4);
    for (const time of times) expect(time >= '2026-12-01T09:02' && time < '2026-12-01T09:04').toBe(true);
  });

  it('pages newest first with before', async () => {
    const first = (await trail(tokens.admin, { n: 4, ar: 'ClinicAdmin' })).data?.['auditTrail'] as Entry[];
    const next = (await trail(tokens.admin, { n: 4, ar: 'ClinicAdmin', b: first.at(-1)!.sequence })).data?.[
      'auditTrail'
    ] as Entry[];
    const sequences = [...first, ...next].map((entry) => Number(entry.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    expect(new Set(sequences).size).toBe(8);
  });

  it('shows practice managers their own clinic only, and nobody else', async () => {
    const mine = (await trail(tokens.managerA, { n: 500 })).data?.['auditTrail'] as Entry[];
    expect(mine).toHaveLength(10);
    const all = (await trail(tokens.admin, { n: 500 })).data?.['auditTrail'] as Entry[];
    const other = all.find((entry) => !mine.some((own) => own.sequence === entry.sequence));
    expect((await trail(tokens.managerA, { si: other!.subjectId })).data?.['auditTrail']).toEqual([]);
    const refused = await trail(tokens.doctor, {});
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const bad = await trail(tokens.admin, { b: 'x' });
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('records reported actions and doctor events published on their topics', async () => {
    const clientId = randomUUID();
    const doctorId = randomUUID();
    await system.bus.publish('audit', [
      auditRecord({
        action: 'patient.pii-read',
        actor: { role: 'ClinicAdmin', subject: actor },
        subjectType: 'Patient',
        subjectId: clientId,
        clientId,
        clinicId: clinicA,
      }),
    ]);
    await system.bus.publish('doctors', [
      createEvent({
        type: 'doctor.status-changed',
        aggregateId: doctorId,
        actor: { role: 'PracticeManager', subject: actor },
        payload: { doctorId, clinicId: clinicA, status: 'unavailable' },
      }),
    ]);
    const actions = await eventually(async () => {
      const entries = (await trail(tokens.managerA, { as: actor, n: 500 })).data?.['auditTrail'] as Entry[];
      const found = entries.map((entry) => entry.action);
      return found.includes('patient.pii-read') && found.includes('doctor.status-changed')
        ? found
        : undefined;
    });
    expect(actions.slice(0, 2).sort()).toEqual(['doctor.status-changed', 'patient.pii-read']);
  });
});

describe('verifyAuditChain', () => {
  it('is for system administrators only', async () => {
    expect((await verify(tokens.managerA)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await verify(tokens.admin, '0')).errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('reports an intact chain, then the first altered row', async () => {
    const intact = (await verify(tokens.admin)).data?.['verifyAuditChain'] as Record<string, unknown>;
    expect(intact).toMatchObject({ ok: true, firstBadRow: null });
    const checked = intact['checkedRows'] as number;
    expect(checked).toBeGreaterThanOrEqual(15);

    const target = await db.auditEntry.findFirstOrThrow({ where: { sequence: 7n } });
    const sql = new Client({ connectionString: system.databaseUrls.audit });
    await sql.connect();
    try {
      await sql.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
      await sql.query(`UPDATE audit_entry SET action = 'appointment.cancelled' WHERE sequence = 7`);
      await sql.query('ALTER TABLE audit_entry ENABLE ALWAYS TRIGGER audit_entry_append_only');
    } finally {
      await sql.end();
    }
    const broken = (await verify(tokens.admin)).data?.['verifyAuditChain'];
    expect(broken).toMatchObject({
      ok: false,
      checkedRows: 6,
      firstBadRow: { sequence: '7', id: target.id, problem: 'ALTERED' },
    });
    expect((await verify(tokens.admin, '8')).data?.['verifyAuditChain']).toMatchObject({ ok: true });
  });
});
