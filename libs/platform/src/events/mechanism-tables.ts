/**
 * The tables the mechanism writes in a service's own database, defined once, here: `outbox`
 * (enqueueEvents, OutboxRelay), `inbox` (handleOnce, handleOnceBatch) and `idempotency_record`
 * (runIdempotent). A database gets one by a migration of its own, as every table does (the runner and
 * `prisma migrate deploy` read each migration.sql as it is, and checksum it), and a Prisma model in its
 * schema. Neither is written by hand: `mechanism-tables-cli.ts` writes the migration and adds the models
 * from the definitions below, and `mechanism-tables.test.ts` checks every database under prisma/ against
 * them, the migrations written before this file included (docs/event-delivery.md, "Reference: the
 * outbox, inbox and idempotency tables").
 *
 * A table changes by appending to its `changes`, never by editing `sql`: each change is a migration of
 * its own in every database that has the table (the CLI's `--changes` writes them), and a database that
 * gets the table later gets its `sql` and every change in one migration.
 */
export const MECHANISM_TABLES: Record<
  'outbox' | 'inbox' | 'idempotency_record',
  { sql: string; changes: readonly { name: string; sql: string }[]; model: string }
> = {
  outbox: {
    sql: `-- The transactional outbox (libs/platform/src/events/outbox.ts): events committed with the change they
-- describe; the relay publishes them in \`seq\` order and marks them published.
CREATE TABLE "outbox" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("seq")
);

CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- The relay reads only unpublished rows, in order; a partial index keeps that cheap as the table grows.
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("seq") WHERE "published_at" IS NULL;
`,
    changes: [
      {
        name: 'outbox_traceparent',
        sql: `-- The W3C traceparent of the request that wrote the row (null outside a trace), so the relay's publish
-- continues its trace (libs/platform/src/telemetry/event-spans.ts, docs/tracing.md).
ALTER TABLE "outbox" ADD COLUMN "traceparent" TEXT;
`,
      },
    ],
    model: `model OutboxEvent {
  seq         BigInt    @id @default(autoincrement())
  id          String    @unique @db.Uuid
  topic       String
  aggregateId String    @map("aggregate_id")
  envelope    Json
  createdAt   DateTime  @default(now()) @map("created_at") @db.Timestamptz(3)
  publishedAt DateTime? @map("published_at") @db.Timestamptz(3)
  traceparent String?

  @@map("outbox")
}
`,
  },
  inbox: {
    sql: `-- The inbox (libs/platform/src/events/inbox.ts): the events each consumer has handled, recorded in the
-- transaction that handled them, so a redelivery changes nothing twice.
CREATE TABLE "inbox" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "handled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("event_id", "consumer")
);
`,
    changes: [],
    model: `model InboxEntry {
  eventId   String   @map("event_id") @db.Uuid
  consumer  String
  handledAt DateTime @default(now()) @map("handled_at") @db.Timestamptz(3)

  @@id([eventId, consumer])
  @@map("inbox")
}
`,
  },
  idempotency_record: {
    sql: `-- Idempotency keys (libs/platform/src/idempotency/idempotent-mutation.ts): a keyed mutation records its
-- outcome in the transaction that does the work. A key belongs to its caller (role, clinic and subject).
CREATE TABLE "idempotency_record" (
    "caller" TEXT NOT NULL,
    "key" VARCHAR(100) NOT NULL,
    "request_hash" TEXT NOT NULL,
    "outcome" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("caller", "key")
);
`,
    changes: [],
    model: `model IdempotencyRecord {
  caller      String
  key         String   @db.VarChar(100)
  requestHash String   @map("request_hash")
  outcome     Json?
  createdAt   DateTime @default(now()) @map("created_at") @db.Timestamptz(3)

  @@id([caller, key])
  @@map("idempotency_record")
}
`,
  },
};

export type MechanismTable = keyof typeof MECHANISM_TABLES;

export const MECHANISM_TABLE_NAMES = Object.keys(MECHANISM_TABLES) as MechanismTable[];

/** A table's whole definition: its creation, then each change in order. */
function definitionOf(table: MechanismTable): string {
  return [MECHANISM_TABLES[table].sql, ...MECHANISM_TABLES[table].changes.map((change) => change.sql)].join(
    '\n',
  );
}

/** The migration.sql that gives a database these tables, changes included (what mechanism-tables-cli.ts writes). */
export function mechanismTablesMigration(tables: readonly MechanismTable[]): string {
  return tables.map(definitionOf).join('\n');
}

/**
 * The changes a database that has some of these tables still lacks, in order, as one migration.sql
 * (empty when none): what `mechanism-tables-cli.ts <database> --changes` writes.
 */
export function missingChanges(
  migrations: readonly { name: string; sql: string }[],
  tables: readonly MechanismTable[],
): string {
  const present = new Set(migrations.flatMap((migration) => statements(migration.sql).map(normalizeSql)));
  return tables
    .flatMap((table) => MECHANISM_TABLES[table].changes)
    .filter((change) => statements(change.sql).some((statement) => !present.has(normalizeSql(statement))))
    .map((change) => change.sql)
    .join('\n');
}

/**
 * Checks one database's migrations (in order) and Prisma schema against the definitions above. A table is
 * either absent, from both, or created by exactly its statements and then changed by exactly its
 * `changes`, in order (layout and comments aside), never otherwise altered or dropped, and modelled
 * exactly as above. Returns what differs; empty when none.
 */
export function checkMechanismTables(
  migrations: readonly { name: string; sql: string }[],
  schema: string,
): string[] {
  const problems: string[] = [];
  const models = prismaModels(schema);
  for (const table of MECHANISM_TABLE_NAMES) {
    const expected = statements(definitionOf(table)).map(normalizeSql);
    const found = migrations.flatMap((migration) =>
      statements(migration.sql)
        // What the tables are, not what rows they hold: a migration may rewrite records (UPDATE, INSERT,
        // DELETE) without touching their definition.
        .filter((statement) => mentionsTable(statement, table) && !isDataChange(statement))
        .map((statement) => ({ migration: migration.name, text: normalizeSql(statement) })),
    );
    const model = models.find((candidate) => candidate.includes(`@@map("${table}")`));
    if (found.length === 0) {
      if (model) problems.push(`"${table}" is modelled in schema.prisma but no migration creates it`);
      continue;
    }
    const texts = found.map((statement) => statement.text);
    if (texts.length !== expected.length || texts.some((text, i) => text !== expected[i])) {
      const wrong = found.find((statement, i) => statement.text !== expected[i]) ?? found.at(-1);
      problems.push(
        `"${table}" is not created exactly as libs/platform/src/events/mechanism-tables.ts defines it ` +
          `(first difference in ${wrong?.migration}: ${wrong?.text ?? '(a statement is missing)'})`,
      );
    }
    if (!model) problems.push(`"${table}" is created by the migrations but has no model in schema.prisma`);
    else if (normalizeModel(model) !== normalizeModel(MECHANISM_TABLES[table].model))
      problems.push(`the model of "${table}" in schema.prisma differs from mechanism-tables.ts`);
  }
  return problems;
}

function isDataChange(statement: string): boolean {
  return /^\s*(UPDATE|INSERT|DELETE)\b/i.test(statement);
}

/** Splits SQL into statements, without comments; `;` inside quotes or dollar quotes does not split. */
function statements(sql: string): string[] {
  const token =
    /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|(\$[A-Za-z_]*\$)[\s\S]*?\1|[^-/'"$;]+|[\s\S]/g;
  const result: string[] = [];
  let current = '';
  for (const [text] of sql.matchAll(token)) {
    if (text.startsWith('--') || text.startsWith('/*')) current += ' ';
    else if (text !== ';') current += text;
    else {
      result.push(current);
      current = '';
    }
  }
  result.push(current);
  return result.map((statement) => statement.trim()).filter((statement) => statement.length > 0);
}

function normalizeSql(statement: string): string {
  return statement
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
    .trim();
}

/** Whether a statement names the table (as an identifier: strings and function bodies do not count). */
function mentionsTable(statement: string, table: string): boolean {
  const code = statement.replace(/'(?:[^']|'')*'/g, "''").replace(/(\$[A-Za-z_]*\$)[\s\S]*?\1/g, '$$$$');
  return new RegExp(`(^|[^\\w"$.])("${table}"|${table})($|[^\\w"$])`, 'i').test(code);
}

function prismaModels(schema: string): string[] {
  return schema.match(/^model\s+\w+\s*\{[\s\S]*?^\}/gm) ?? [];
}

function normalizeModel(model: string): string {
  return model
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
