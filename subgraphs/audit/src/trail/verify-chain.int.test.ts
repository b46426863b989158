import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EventEnvelope } from '@clinic/contracts';
import { applyMigrations, auditRecord, createLogger, metrics } from '@clinic/platform';
import { mockBookedEvent, createTestDatabases, eventually, type TestDatabases } from '@clinic/testing';
import { connectAuditDatabase, type AuditDatabase } from '../database';
import { startChainWatch } from './chain-watch';
import { exportCheckpoint, FileCheckpointSink } from './checkpoints';
import { recordEvent, recordEvents } from './record-event';
import { verifyChain } from './verify-chain';

const migrations = path.join(__dirname, '../../../../prisma/audit/migrations');
let databases: TestDatabases;
let db: AuditDatabase;
let sql: Client;
let tmp: string;

const booked = (): EventEnvelope =>
  mockBookedEvent({ appointmentId: randomUUID(), actor: { role: 'Patient', subject: randomUUID() } });

/** What an attacker with the owner's or a superuser's rights does: switch the trigger off, then write. */
async function asAttacker(statement: string, ...params: unknown[]): Promise<void> {
  await sql.query('BEGIN');
  try {
    await sql.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
    await sql.query(statement, params);
    await sql.query('ALTER TABLE audit_entry ENABLE ALWAYS TRIGGER audit_entry_append_only');
    await sql.query('COMMIT');
  } catch (error) {
    await sql.query('ROLLBACK');
    throw error;
  }
}

/** Runs an attack, lets `check` look, then restores the table exactly as it was. */
async function whileTampered(attack: () => Promise<void>, check: () => Promise<void>): Promise<void> {
  await sql.query('DROP TABLE IF EXISTS pristine');
  await sql.query('CREATE TEMP TABLE pristine AS SELECT * FROM audit_entry');
  try {
    await attack();
    await check();
  } finally {
    await asAttacker('DELETE FROM audit_entry');
    await asAttacker('INSERT INTO audit_entry SELECT * FROM pristine');
  }
}

async function rowAt(sequence: number): Promise<{ id: string; hash: string; prev_hash: string }> {
  const { rows } = await sql.query('SELECT id, hash, prev_hash FROM audit_entry WHERE sequence = $1', [
    sequence,
  ]);
  return rows[0];
}

beforeAll(async () => {
  databases = await createTestDatabases(['audit']);
  await applyMigrations(databases.urls.audit, migrations);
  db = connectAuditDatabase(databases.urls.audit);
  sql = new Client({ connectionString: databases.urls.audit });
  await sql.connect();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'audit-chain-'));
  // 40 entries: one at a time, then in batches, as the consumers write them.
  for (let i = 0; i < 10; i++) await recordEvent(db, booked());
  for (let i = 0; i < 3; i++) await recordEvents(db, Array.from({ length: 10 }, booked));
}, 600_000);
afterAll(async () => {
  await sql?.end();
  await db?.$disconnect();
  await databases?.drop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the audit hash chain on PostgreSQL', () => {
  it('verifies an intact chain, in pages and from a sequence', async () => {
    const progress: bigint[] = [];
    const result = await verifyChain(db, { pageSize: 7, onProgress: (_rows, last) => progress.push(last) });
    expect(result).toMatchObject({ ok: true, checkedRows: 40, firstBadRow: null });
    expect(result.head?.sequence).toBe(40n);
    expect(progress).toEqual([7n, 14n, 21n, 28n, 35n, 40n]);
    expect(await verifyChain(db, { from: 31n })).toMatchObject({ ok: true, checkedRows: 10 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through an ordinary connection', async () => {
    for (const statement of [
      `UPDATE audit_entry SET actor_subject = 'someone-else' WHERE sequence = 3`,
      'DELETE FROM audit_entry WHERE sequence = 3',
      'TRUNCATE audit_entry',
    ]) {
      await expect(sql.query(statement)).rejects.toThrow(/audit_entry is append-only/);
    }
    // ENABLE ALWAYS: replica mode, the usual way to skip triggers, does not skip this one.
    await sql.query('BEGIN');
    await sql.query('SET LOCAL session_replication_role = replica');
    await expect(sql.query('DELETE FROM audit_entry WHERE sequence = 3')).rejects.toThrow(/append-only/);
    await sql.query('ROLLBACK');
    expect(await db.auditEntry.count()).toBe(40);
  });

  it('names an altered row', async () => {
    const target = await rowAt(17);
    await whileTampered(
      () => asAttacker(`UPDATE audit_entry SET actor_subject = 'someone-else' WHERE sequence = 17`),
      async () => {
        const result = await verifyChain(db);
        expect(result.firstBadRow).toMatchObject({ sequence: 17n, id: target.id, problem: 'altered' });
        expect(result.checkedRows).toBe(16);
      },
    );
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it('names a deleted row', async () => {
    await whileTampered(
      () => asAttacker('DELETE FROM audit_entry WHERE sequence = 23'),
      async () => {
        const result = await verifyChain(db);
        expect(result.firstBadRow).toMatchObject({ sequence: 23n, id: null, problem: 'deleted' });
      },
    );
  });

  it('names an inserted row', async () => {
    const head = await rowAt(40);
    const forgedId = randomUUID();
    await whileTampered(
      () =>
        asAttacker(
          `INSERT INTO audit_entry (id, sequence, event_id, occurred_at, recorded_at, action, actor_role,
             actor_subject, subject_type, subject_id, correlation_id, prev_hash, hash)
           VALUES ($1, 45, $2, now(), now(), 'appointment.cancelled', 'Patient', 'forged', 'Appointment',
             'forged', 'forged', $3, repeat('f', 64))`,
          forgedId,
          randomUUID(),
          head.hash,
        ),
      async () => {
        const result = await verifyChain(db);
        expect(result.firstBadRow).toMatchObject({ sequence: 45n, id: forgedId, problem: 'inserted' });
        expect(result.checkedRows).toBe(40);
      },
    );
  });

  it('keeps one valid chain when two consumers append batches at the same time', async () => {
    const other = connectAuditDatabase(databases.urls.audit);
    try {
      const batches = (n: number) => Array.from({ length: n }, () => Array.from({ length: 20 }, booked));
      const [mine, theirs] = [batches(6), batches(6)];
      await Promise.all([
        (async () => {
          for (const batch of mine) await recordEvents(db, batch);
        })(),
        (async () => {
          for (const batch of theirs) await recordEvents(other, batch);
        })(),
        ...Array.from({ length: 5 }, () => recordEvent(other, booked())),
      ]);
    } finally {
      await other.$disconnect();
    }
    const result = await verifyChain(db);
    expect(result).toMatchObject({ ok: true, checkedRows: 40 + 240 + 5 });
    expect(result.head?.sequence).toBe(285n);
  });

  it('detects a cut tail against an exported checkpoint', async () => {
    const sink = new FileCheckpointSink(path.join(tmp, 'checkpoints.jsonl'));
    const checkpoint = await exportCheckpoint(db, sink);
    const head = Number(checkpoint!.sequence);
    await whileTampered(
      () => asAttacker('DELETE FROM audit_entry WHERE sequence > $1', head - 3),
      async () => {
        expect((await verifyChain(db)).ok).toBe(true);
        const result = await verifyChain(db, { checkpoints: await sink.readAll() });
        expect(result.firstBadRow).toMatchObject({ sequence: BigInt(head - 2), problem: 'deleted' });
      },
    );
    expect(await verifyChain(db, { checkpoints: await sink.readAll() })).toMatchObject({
      ok: true,
      checkpointsChecked: 1,
    });
  });

  it('records audit.recorded events under their own action and subject', async () => {
    const clientId = randomUUID();
    const event = auditRecord({
      action: 'patient.pii-read',
      actor: { role: 'ClinicAdmin', subject: randomUUID() },
      subjectType: 'Patient',
      subjectId: clientId,
      clientId,
    });
    await recordEvent(db, event);
    const entry = await db.auditEntry.findUnique({ where: { eventId: event.id } });
    expect(entry).toMatchObject({
      action: 'patient.pii-read',
      subjectType: 'Patient',
      subjectId: clientId,
      clientId,
      actorRole: 'ClinicAdmin',
    });
    expect((await verifyChain(db)).ok).toBe(true);
  });
});

describe('the hash-chain migration', () => {
  it('chains entries written before it in the same form the service hashes', async () => {
    const legacy = await createTestDatabases(['audit']);
    const before = mkdtempSync(path.join(tmp, 'migrations-'));
    try {
      for (const name of ['20261124120000_init', '20261124130000_inbox_dead_letters']) {
        cpSync(path.join(migrations, name), path.join(before, name), { recursive: true });
      }
      await applyMigrations(legacy.urls.audit, before);
      const client = new Client({ connectionString: legacy.urls.audit });
      await client.connect();
      try {
        // Gaps in the old BIGSERIAL, nulls, and text that needs escaping in JSON.
        for (const [sequence, subject, clinic] of [
          [3, 'plain', null],
          [4, 'quote " backslash \\ newline \n tab \t control \u0001 ünïcødé ✓', randomUUID()],
          [9, 'last', randomUUID().toUpperCase()],
        ] as const) {
          await client.query(
            `INSERT INTO audit_entry (id, sequence, event_id, occurred_at, recorded_at, action, actor_role,
               actor_subject, subject_type, subject_id, clinic_id, correlation_id)
             VALUES ($1, $2, $3, '2026-11-01T10:00:00.123+11:00', now(), 'appointment.booked', 'System',
               'legacy', 'Appointment', $4, $5, 'corr')`,
            [randomUUID(), sequence, randomUUID(), subject, clinic],
          );
        }
      } finally {
        await client.end();
      }
      await applyMigrations(legacy.urls.audit, migrations);
      const legacyDb = connectAuditDatabase(legacy.urls.audit);
      try {
        expect(await verifyChain(legacyDb)).toMatchObject({ ok: true, checkedRows: 3 });
        await recordEvents(legacyDb, [booked(), booked()]);
        expect(await verifyChain(legacyDb)).toMatchObject({ ok: true, checkedRows: 5 });
      } finally {
        await legacyDb.$disconnect();
      }
    } finally {
      await legacy.drop();
    }
  });
});

describe('the background chain watch', () => {
  const runs = async (outcome: 'ok' | 'broken') =>
    (await metrics.auditVerifications.get()).values.find((sample) => sample.labels.outcome === outcome)
      ?.value ?? NaN;

  it('counts every verification, and a rewritten row as broken without anyone asking', async () => {
    const logger = createLogger('audit', 'silent');
    const watch = startChainWatch(db, { intervalMs: 50, checkpoints: null, logger });
    try {
      // Both outcomes are series from the start: the first break is an increase.
      expect(await runs('broken')).toBe(0);
      await eventually(async () => ((await runs('ok')) >= 2 ? true : undefined));
      await whileTampered(
        () => asAttacker(`UPDATE audit_entry SET action = 'appointment.cancelled' WHERE sequence = 5`),
        async () => {
          await eventually(async () => ((await runs('broken')) >= 1 ? true : undefined));
        },
      );
    } finally {
      await watch.stop();
    }
  });
});
