import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { DestinationStream } from '@clinic/platform';

/** A seeded or registered patient's details, in clear: what must appear nowhere outside the vault. */
export interface Person {
  givenName: string;
  familyName: string;
  email: string;
  /** E.164, e.g. +61255500001. */
  phone: string;
}

export type NeedleKind = 'name' | 'email' | 'phone';

export interface Needle {
  kind: NeedleKind;
  /** Lower case: every search is case-insensitive. */
  value: string;
  /** As written, for the hex search in the vault (hex is not case-insensitive the same way). */
  original?: string;
}

/** One piece of text to search, named by where it came from. */
export interface Haystack {
  source: 'table' | 'kafka' | 'log' | 'vault' | 'response';
  where: string;
  text: string;
}

export interface Finding {
  source: Haystack['source'];
  where: string;
  kind: NeedleKind;
  value: string;
}

/**
 * Every form a person's details could take in a row, message or log line: the full name either way
 * round, the email, and the phone as E.164, without the plus, in the national 0x form and spaced. Names
 * on their own are left out: doctors' faker names share given and family names with patients.
 */
export function needlesOf(person: Person): Needle[] {
  const name = (value: string): Needle => ({ kind: 'name', value: value.toLowerCase(), original: value });
  const phone = (value: string): Needle => ({ kind: 'phone', value });
  const national = `0${person.phone.replace(/^\+61/, '')}`;
  return [
    name(`${person.givenName} ${person.familyName}`),
    name(`${person.familyName}, ${person.givenName}`),
    { kind: 'email', value: person.email.toLowerCase() },
    phone(person.phone),
    phone(person.phone.replace(/^\+/, '')),
    phone(national),
    // (0x) xxxx xxxx, as people write landlines.
    phone(`${national.slice(0, 2)} ${national.slice(2, 6)} ${national.slice(6)}`),
  ];
}

/** Which needles occur in which haystacks. */
export function findLeaks(haystacks: Haystack[], needles: Needle[]): Finding[] {
  const findings: Finding[] = [];
  for (const haystack of haystacks) {
    const text = haystack.text.toLowerCase();
    for (const needle of needles) {
      if (text.includes(needle.value)) findings.push({ ...haystack, ...needle });
    }
  }
  return findings;
}

/** The vault's ciphertext: a needle must not be there as UTF-8 text, nor as the hex of its UTF-8 bytes. */
export function findInVault(haystacks: Haystack[], needles: Needle[]): Finding[] {
  const asHex = needles.flatMap((needle) =>
    [needle.value, needle.original ?? needle.value].map((value) => ({
      ...needle,
      value: Buffer.from(value).toString('hex'),
    })),
  );
  return [...findLeaks(haystacks, needles), ...findLeaks(haystacks, asHex)];
}

/**
 * Every row of every table in the database's public schema, one haystack per table. Binary columns are
 * written twice: decoded as UTF-8 and as hex, so text hidden in bytes is found either way.
 */
export async function dumpDatabase(url: string, database: string): Promise<Haystack[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const haystacks: Haystack[] = [];
    for (const { table_name: table } of tables.rows) {
      const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM "${table}"`);
      const text = rows
        .map((row) =>
          Object.values(row)
            .map((value) =>
              Buffer.isBuffer(value)
                ? `${value.toString('utf8')} ${value.toString('hex')}`
                : typeof value === 'string'
                  ? value
                  : JSON.stringify(value),
            )
            .join('\t'),
        )
        .join('\n');
      haystacks.push({ source: 'table', where: `${database}.${table} (${rows.length} rows)`, text });
    }
    return haystacks;
  } finally {
    await client.end();
  }
}

/**
 * Every message (key, value and headers) on every topic whose name starts with `prefix`, read from the
 * beginning up to the end offsets the broker reports when called, one haystack per topic.
 */
export async function readTopics(brokers: string[], prefix: string, group: string): Promise<Haystack[]> {
  const kafka = new Kafka({ brokers, clientId: 'privacy-scan', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
  // What has to be read: each partition up to its high watermark at this moment.
  const remaining = new Map<string, bigint>();
  for (const topic of topics) {
    for (const partition of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(partition.high) > BigInt(partition.low)) {
        remaining.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
    }
  }
  await admin.disconnect();
  const texts = new Map<string, string[]>(topics.map((topic) => [topic, []]));
  if (remaining.size === 0) return topics.map((topic) => ({ source: 'kafka', where: topic, text: '' }));

  const consumer = kafka.consumer({ groupId: group });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const headers = Object.entries(message.headers ?? {}).map(
              ([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : String(value ?? '')}`,
            );
            texts
              .get(topic)
              ?.push(
                [message.key?.toString('utf8') ?? '', message.value?.toString('utf8') ?? '', ...headers].join(
                  '\t',
                ),
              );
            const key = `${topic}/${partition}`;
            const end = remaining.get(key);
            if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(key);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return topics.map((topic) => ({
    source: 'kafka',
    where: `${topic} (${texts.get(topic)?.length ?? 0} messages)`,
    text: (texts.get(topic) ?? []).join('\n'),
  }));
}

/** A pino destination that keeps every line written to it. */
export function logCapture(): { destination: DestinationStream; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    destination: {
      write: (chunk: string) => {
        for (const line of chunk.split('\n')) if (line) lines.push(line);
      },
    },
  };
}
