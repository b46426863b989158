import { randomUUID } from 'node:crypto';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { createTestDatabases, type TestDatabases } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { connectAuditDatabase, type AuditDatabase } from '../../subgraphs/audit/src/database';

/** Retries of replayDeadLetter through the gateway on real PostgreSQL: one replay per intended action. */
let databases: TestDatabases;
let system: TestSystem;
let db: AuditDatabase;

beforeAll(async () => {
  databases = await createTestDatabases();
  const env = Object.fromEntries(
    DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
  );
  system = await startTestSystem({ appointments: 0, patients: 5 }, env);
  db = connectAuditDatabase(databases.urls.audit);
}, 600_000);
afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
  await databases?.drop();
});

const REPLAY = `mutation($id: ID!, $key: String!) { replayDeadLetter(id: $id, idempotencyKey: $key) {
  __typename ... on DeadLetterReplayed { deadLetter { id replayCount lastReplayedAt } }
  ... on InvalidInput { field message } } }`;

type Outcome = Record<string, unknown> & { __typename?: string };

async function replay(token: string, id: string, key: string): Promise<Outcome> {
  const { body } = await system.graphql(REPLAY, { token, variables: { id, key } });
  expect(body.errors).toBeUndefined();
  return body.data?.['replayDeadLetter'] as Outcome;
}

/** A dead letter of a harmless event (a link that never existed ends), as a consumer would leave it. */
async function deadLetter(): Promise<string> {
  const id = randomUUID();
  const event = createEvent({
    type: 'patient.clinic-unlinked',
    aggregateId: randomUUID(),
    actor: { role: 'System', subject: 'retries-test' },
    payload: { clientId: randomUUID(), clinicId: randomUUID() },
  });
  await db.deadLetter.create({
    data: {
      id,
      topic: 'patients',
      consumerGroup: 'retries-test',
      reason: 'handler failed',
      failedAt: new Date(),
      headers: {},
      message: JSON.stringify(event),
    },
  });
  return id;
}

const key = () => `k-${randomUUID()}`;
const sysadmin = () => system.token({ role: 'SystemAdministrator', subject: `ops-${randomUUID()}` });
const replayCount = async (id: string) =>
  (await db.deadLetter.findUniqueOrThrow({ where: { id } })).replayCount;

describe('replayDeadLetter', () => {
  it('replays once for three identical requests sent at once, and answers them alike', async () => {
    const token = await sysadmin();
    const id = await deadLetter();
    const replayKey = key();
    const answers = await Promise.all([1, 2, 3].map(() => replay(token, id, replayKey)));
    expect(answers.map((answer) => answer.__typename)).toEqual(Array(3).fill('DeadLetterReplayed'));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await replayCount(id)).toBe(1);
  });

  it('refuses the same key for another dead letter, naming the key, and replays nothing', async () => {
    const token = await sysadmin();
    const [first, second] = [await deadLetter(), await deadLetter()];
    const reused = key();
    expect((await replay(token, first, reused)).__typename).toBe('DeadLetterReplayed');
    expect(await replay(token, second, reused)).toMatchObject({
      __typename: 'InvalidInput',
      field: 'idempotencyKey',
    });
    expect(await replayCount(second)).toBe(0);
  });

  it("treats another caller's key as unused", async () => {
    const id = await deadLetter();
    const shared = key();
    expect((await replay(await sysadmin(), id, shared)).__typename).toBe('DeadLetterReplayed');
    const theirs = await replay(await sysadmin(), id, shared);
    expect(theirs).toMatchObject({ __typename: 'DeadLetterReplayed', deadLetter: { id, replayCount: 2 } });
  });

  it('answers an identical retry with the first replay after the letter was replayed again', async () => {
    const token = await sysadmin();
    const id = await deadLetter();
    const replayKey = key();
    const first = await replay(token, id, replayKey);
    expect(first).toMatchObject({ deadLetter: { id, replayCount: 1 } });
    expect((await replay(token, id, key())).__typename).toBe('DeadLetterReplayed');
    expect(await replay(token, id, replayKey)).toEqual(first);
    expect(await replayCount(id)).toBe(2);
  });

  it('answers an unknown dead letter with InvalidInput on id', async () => {
    expect(await replay(await sysadmin(), randomUUID(), key())).toMatchObject({
      __typename: 'InvalidInput',
      field: 'id',
    });
  });
});
