import { logCapture } from '@clinic/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Identity } from '@clinic/contracts';
import {
  createLogger,
  INTERNAL_IDENTITY_HEADER,
  signInternalIdentity,
  type RunningServer,
} from '@clinic/platform';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { startTestSystem, type TestSystem } from '../test-system';
import { createTokenVerifier } from '../../gateway/src/auth/verify-token';
import { startGateway } from '../../gateway/src/gateway';

/**
 * What a caller types may be personal data (an email typed into the wrong field), and every mistake is
 * the caller's, not ours. A unique canary typed into every argument of every root field, and as every
 * variable, over every transport and in both modes, must come back in no answer and no log line, and
 * never as a 5xx or INTERNAL_SERVER_ERROR.
 */

let system: TestSystem;
let production: RunningServer;
const logLines: string[] = [];
const capture = logCapture(logLines);

const tokens: Record<string, string | undefined> = {};
const ROLE_NAMES = [
  'anonymous',
  'Patient',
  'Doctor',
  'ClinicAdmin',
  'PracticeManager',
  'SystemAdministrator',
];
let clinicId = '';

beforeAll(async () => {
  system = await startTestSystem({}, {}, { logLevel: 'debug', logDestination: capture() });
  production = await startGateway({
    port: 0,
    subgraphs: system.subgraphUrls,
    verifyToken: createTokenVerifier({ publicKey: system.signingKey.publicKey }),
    internalIdentitySecret: system.internalIdentitySecret,
    hardening: { mode: 'production' },
    logger: createLogger('gateway', 'debug', capture()),
    live: { bus: system.bus },
  });
  const clinics = await system.graphql('{ clinics { id } }');
  clinicId = (clinics.body.data?.['clinics'] as { id: string }[])[0]?.id ?? '';
  const identities: Record<string, Identity> = {
    Patient: { role: 'Patient', subject: randomUUID() },
    Doctor: { role: 'Doctor', subject: randomUUID(), clinicId },
    ClinicAdmin: { role: 'ClinicAdmin', subject: 'staff-canary-admin', clinicId },
    PracticeManager: { role: 'PracticeManager', subject: 'staff-canary-manager', clinicId },
    SystemAdministrator: { role: 'SystemAdministrator', subject: 'staff-canary-sysadmin' },
  };
  for (const [name, identity] of Object.entries(identities)) tokens[name] = await system.token(identity);
}, 600_000);

afterAll(async () => {
  await production?.stop();
  await system?.stop();
});

interface Answer {
  status: number;
  text: string;
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

function errorsIn(text: string): Answer['errors'] {
  const payloads = text.trimStart().startsWith('{')
    ? [text]
    : [...text.matchAll(/^data: (.+)$/gm)].map((match) => match[1] ?? '');
  return payloads.flatMap((payload) => {
    try {
      return (JSON.parse(payload) as { errors?: Answer['errors'] }).errors ?? [];
    } catch {
      return [];
    }
  });
}

const authorization = (role: string): Record<string, string> =>
  tokens[role] ? { authorization: `Bearer ${tokens[role]}` } : {};

async function post(url: string, body: unknown, role = 'anonymous'): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization(role) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, errors: errorsIn(text) };
}

async function get(url: string, params: Record<string, unknown>, role = 'anonymous'): Promise<Answer> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  const response = await fetch(`${url}?${search.toString()}`, {
    headers: { 'apollo-require-preflight': 'true', ...authorization(role) },
  });
  const text = await response.text();
  return { status: response.status, text, errors: errorsIn(text) };
}

/**
 * An event stream: read until it completes or ends. An admitted subscription stays open and quiet (no
 * event is published here), so it is read for a moment after its opening comment, then left.
 */
async function sse(
  url: string,
  request: { method: 'POST' | 'GET'; body: Record<string, unknown> },
  role = 'anonymous',
): Promise<Answer> {
  const controller = new AbortController();
  const search = new URLSearchParams();
  if (request.method === 'GET')
    for (const [name, value] of Object.entries(request.body))
      if (value !== undefined) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  const response = await fetch(request.method === 'GET' ? `${url}?${search.toString()}` : url, {
    method: request.method,
    headers: {
      accept: 'text/event-stream',
      ...(request.method === 'POST' ? { 'content-type': 'application/json' } : {}),
      ...authorization(role),
    },
    ...(request.method === 'POST' ? { body: JSON.stringify(request.body) } : {}),
    signal: controller.signal,
  });
  let text = '';
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let leave: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      if (text.includes('event: complete')) break;
      leave ??= setTimeout(() => controller.abort(), 250);
    }
  } catch {
    // Aborted: the subscription was admitted and is waiting for events.
  } finally {
    clearTimeout(leave);
    controller.abort();
  }
  return { status: response.status, text, errors: errorsIn(text) };
}

const codesOf = (answer: Answer) => answer.errors.map((error) => error.extensions?.['code']);

describe('attacks', () => {
  it('7: a mutation over an event stream is refused with a code, and nothing runs', async () => {
    const admin = 'ClinicAdmin';
    const email = `sse-mutation-${randomBytes(4).toString('hex')}@example.com`;
    const mutation = `mutation { registerPatient(input: { givenName: "A", familyName: "B", dateOfBirth: "1980-01-01",
      email: "${email}", phone: "0412345678", address: "1 Main St", idempotencyKey: "sse-mutation-key" })
      { __typename } }`;
    for (const method of ['GET', 'POST'] as const) {
      const answer = await sse(system.gatewayUrl, { method, body: { query: mutation } }, admin);
      expect([400, 405]).toContain(answer.status);
      expect(codesOf(answer)).toEqual(['BAD_REQUEST']);
    }
    const found = await post(
      system.gatewayUrl,
      { query: 'query($e: String) { findPatient(email: $e) { clientId } }', variables: { e: email } },
      admin,
    );
    expect(found.text).toContain('"findPatient":null');
  });

  it('8: errors over an event stream are masked like those of a POST', async () => {
    const answer = await sse(production.url, {
      method: 'POST',
      body: { query: 'subscription { doctorStatusChanged(clinicId: "x") { doctorI } }' },
    });
    expect(answer.errors).not.toHaveLength(0);
    for (const error of answer.errors) {
      expect(error.extensions).toMatchObject({
        code: 'GRAPHQL_VALIDATION_FAILED',
        correlationId: expect.any(String),
      });
      expect(error.message).not.toMatch(/Did you mean|doctorId/);
    }
    const parse = await sse(production.url, { method: 'POST', body: { query: 'subscription { x(' } });
    expect(parse.status).toBe(400);
    expect(parse.errors[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_PARSE_FAILED',
      correlationId: expect.any(String),
    });
  });

  it('9: messages name where the input was wrong, never what was typed', async () => {
    const secret = 'jane@example.com';
    const cases: [string, Record<string, unknown> | undefined][] = [
      [`{ clinic(id: ${secret}) { id } }`, undefined],
      [`{ clinic(id: "x" "${secret}") { id } }`, undefined],
      [
        `{ availableSlots(filter: { fromDate: "2026-01-01", toDate: "2026-01-02", timeZone: "${secret}" }) { edges { cursor } } }`,
        undefined,
      ],
      [
        `{ availableSlots(filter: { fromDate: "2026-01-01", toDate: "2026-01-02", timeZone: "../../etc/passwd" }) { edges { cursor } } }`,
        undefined,
      ],
      [
        `mutation { setDoctorStatus(input: { doctorId: "x", status: ${secret.replace(/\W/g, '')}, idempotencyKey: "k" }) { __typename } }`,
        undefined,
      ],
      [
        'query($f: AvailableSlotsFilter!) { availableSlots(filter: $f) { edges { cursor } } }',
        { f: { fromDate: secret, toDate: '2026-01-02' } },
      ],
      ['query($n: Int) { deadLetters(first: $n) { id } }', { n: secret }],
    ];
    for (const [query, variables] of cases) {
      const answer = await post(system.gatewayUrl, { query, variables }, 'SystemAdministrator');
      expect(answer.errors).not.toHaveLength(0);
      expect(answer.text).not.toMatch(/jane|example\.com|passwd|janeexamplecom/);
      expect(answer.status).toBeLessThan(500);
      expect(codesOf(answer)).not.toContain('INTERNAL_SERVER_ERROR');
    }
    const parse = await post(system.gatewayUrl, { query: `{ clinic(id: "${secret}" }` });
    expect(parse.errors[0]?.message).toMatch(/^Syntax error at line 1, column \d+\.$/);
  });

  it('9: an unknown operation name or persisted query is a coded client error, not echoed or logged', async () => {
    const typed = canary();
    const before = logLines.length;
    const answers = [
      await post(system.gatewayUrl, { query: '{ clinics { id } }', operationName: `${typed}@example.com` }),
      await post(system.gatewayUrl, {
        query: '{ clinics { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: typed } },
      }),
      await post(system.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: typed } } }),
      await post(system.gatewayUrl, {
        query: '{ clinics { id } }',
        extensions: { persistedQuery: { version: typed, sha256Hash: typed } },
      }),
    ];
    // The other transport, which hands the name on to Apollo: a document of several operations too.
    const overSse = await Promise.all(
      (['POST', 'GET'] as const).flatMap((method) =>
        ['{ clinics { id } }', 'query A { clinics { id } } query B { clinics { name } }'].map((query) =>
          sse(system.gatewayUrl, { method, body: { query, operationName: `${typed}@example.com` } }),
        ),
      ),
    );
    for (const answer of [...answers, ...overSse]) {
      expect(answer.status).toBeLessThan(500);
      expect(codesOf(answer)).not.toContain('INTERNAL_SERVER_ERROR');
      expect(answer.text).not.toContain(typed);
    }
    expect(codesOf(answers[0]!)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    for (const answer of overSse) expect(codesOf(answer)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(logLines.slice(before).filter((line) => line.includes(typed))).toEqual([]);
  });

  it('10: an impossible instant or date, or a NUL, is the caller’s mistake', async () => {
    const admin = 'SystemAdministrator';
    const instants = ['2026-02-30T00:00:00Z', '+275760-09-13T00:00:00Z', 'yesterday', '0000-01-01T00:00:00Z'];
    for (const instant of instants) {
      for (const body of [
        { query: `{ freeSlots(from: "${instant}", to: "2026-03-01T00:00:00Z") { id } }` },
        {
          query: 'query($f: DateTime!) { freeSlots(from: $f, to: "2026-03-01T00:00:00Z") { id } }',
          variables: { f: instant },
        },
        { query: 'query($f: DateTime) { auditTrail(occurredFrom: $f) { id } }', variables: { f: instant } },
      ]) {
        const answer = await post(system.gatewayUrl, body, admin);
        expect({ status: answer.status, codes: codesOf(answer) }).toEqual({
          status: 400,
          codes: ['BAD_USER_INPUT'],
        });
      }
    }
    for (const date of ['0000-01-01', '2026-02-30', 'tomorrow']) {
      const answer = await post(
        system.gatewayUrl,
        { query: `{ doctorDay(doctorId: "${randomUUID()}", date: "${date}") { doctorId } }` },
        admin,
      );
      expect({ status: answer.status, codes: codesOf(answer) }).toEqual({
        status: 400,
        codes: ['BAD_USER_INPUT'],
      });
    }
    for (const body of [
      { query: 'query($s: ID) { auditTrail(subjectId: $s) { id } }', variables: { s: 'a\u0000b' } },
      { query: '{ auditTrail(subjectId: "a\\u0000b") { id } }' },
      {
        query: 'mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { __typename } }',
        variables: { i: { slotId: randomUUID(), reasonForVisit: 'cough\u0000', idempotencyKey: 'k-nul' } },
      },
    ]) {
      const answer = await post(system.gatewayUrl, body, admin);
      expect({ status: answer.status, codes: codesOf(answer) }).toEqual({
        status: 400,
        codes: ['BAD_USER_INPUT'],
      });
    }
  });

  it('10: each subgraph refuses the same values itself, as the caller’s mistake', async () => {
    const direct = async (
      subgraph: 'doctors' | 'audit',
      query: string,
      variables: Record<string, unknown>,
    ) => {
      const correlationId = `canary-direct-${randomUUID()}`;
      const response = await fetch(system.subgraphUrls[subgraph], {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-correlation-id': correlationId,
          [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(
            system.internalIdentitySecret,
            { role: 'SystemAdministrator', subject: 'staff-direct' },
            correlationId,
          ),
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, text, errors: errorsIn(text) };
    };
    const answers = [
      await direct('audit', 'query($f: DateTime) { auditTrail(occurredFrom: $f) { id } }', {
        f: '2026-02-30T00:00:00Z',
      }),
      await direct('audit', 'query($s: ID) { auditTrail(subjectId: $s) { id } }', { s: 'a\u0000b' }),
      await direct(
        'doctors',
        'query($d: ID!, $f: DateTime!) { availabilityExceptions(doctorId: $d, from: $f, to: $f) { id } }',
        { d: randomUUID(), f: '+275760-09-13T00:00:00Z' },
      ),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(500);
      expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

// ---- the canary scan ----

const api = buildSchema(readFileSync(path.resolve(__dirname, '..', '..', 'schema', 'api.graphql'), 'utf8'));

/** One place a value can be typed: an argument, or a field inside an input object argument. */
interface Leaf {
  field: GraphQLField<unknown, unknown>;
  operation: 'query' | 'mutation' | 'subscription';
  argument: GraphQLArgument;
  /** Input object fields from the argument down to the leaf. */
  path: string[];
  type: GraphQLInputType;
}

function leavesOf(type: GraphQLInputType, seen: string[] = []): { path: string[]; type: GraphQLInputType }[] {
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return [{ path: [], type }];
  if (seen.includes(named.name)) return [];
  return Object.values(named.getFields()).flatMap((field) =>
    leavesOf(field.type, [...seen, named.name]).map((leaf) => ({
      ...leaf,
      path: [field.name, ...leaf.path],
    })),
  );
}

const LEAVES: Leaf[] = (
  [
    ['query', api.getQueryType()],
    ['mutation', api.getMutationType()],
    ['subscription', api.getSubscriptionType()],
  ] as const
).flatMap(([operation, root]) =>
  Object.values(root?.getFields() ?? {}).flatMap((field) =>
    field.args.flatMap((argument) =>
      leavesOf(argument.type).map((leaf) => ({ field, operation, argument, ...leaf })),
    ),
  ),
);

/** A value of the right type that passes format checks (other arguments need one to reach the leaf). */
function validValue(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [validValue(nullable.ofType)];
  if (isEnumType(nullable)) return { enum: nullable.getValues()[0]?.name };
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(
      Object.values(nullable.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, validValue(field.type)]),
    );
  }
  switch (isScalarType(nullable) ? nullable.name : '') {
    case 'Int':
      return 5;
    case 'Boolean':
      return true;
    case 'DateTime':
      return '2026-12-10T00:00:00.000Z';
    case 'LocalDate':
      return '2026-12-10';
    case 'ID':
      return randomUUID();
    default:
      return 'x';
  }
}

/** The argument's value with `replacement` at the leaf's path. */
function withLeaf(type: GraphQLInputType, leafPath: string[], replacement: unknown): unknown {
  const nullable = getNullableType(type);
  if (leafPath.length === 0) return isListType(nullable) ? [replacement] : replacement;
  if (isListType(nullable)) return [withLeaf(nullable.ofType, leafPath, replacement)];
  const base = (validValue(type) ?? {}) as Record<string, unknown>;
  const [name, ...rest] = leafPath;
  const inner = isInputObjectType(nullable) && name ? nullable.getFields()[name] : undefined;
  if (!inner || !name) return base;
  return { ...base, [name]: withLeaf(inner.type, rest, replacement) };
}

/** GraphQL literal text of a value built above (enums are marked, everything else is JSON-like). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('enum' in record && Object.keys(record).length === 1) return String(record['enum']);
    return `{ ${Object.entries(record)
      .map(([name, inner]) => `${name}: ${literal(inner)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** The same value as a variable carries it (enums as their names). */
function variableValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(variableValue);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('enum' in record && Object.keys(record).length === 1) return record['enum'];
    return Object.fromEntries(Object.entries(record).map(([name, inner]) => [name, variableValue(inner)]));
  }
  return value;
}

function selectionOf(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  const messages = (object: GraphQLObjectType) =>
    ['field', 'message'].filter((name) => object.getFields()[name]).join(' ');
  if (isUnionType(named)) {
    const members = named
      .getTypes()
      .filter((member) => messages(member))
      .map((member) => `... on ${member.name} { ${messages(member)} }`);
    return `{ __typename ${members.join(' ')} }`;
  }
  if (isObjectType(named)) return `{ __typename ${messages(named)} }`;
  return '';
}

const canary = () => `canary-${randomBytes(6).toString('hex')}`;

/** The values a caller might type into a leaf, each with a canary of its own. */
function hostileValues(type: GraphQLInputType): { value: string; canary: string }[] {
  const named = getNamedType(type);
  const email = canary();
  const values = [{ value: `${email}@example.com`, canary: email }];
  const nul = canary();
  values.push({ value: `${nul}\u0000@example.com`, canary: nul });
  if (isScalarType(named) && named.name === 'DateTime') {
    // An impossible instant shaped like a real one, its fraction unique.
    const digits = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
    values.push({ value: `2026-02-30T13:57:41.${digits}Z`, canary: digits });
  }
  return values;
}

interface Probe {
  leaf: Leaf;
  value: string;
  canary: string;
  form: 'variable' | 'literal';
}

const PROBES: Probe[] = LEAVES.flatMap((leaf) =>
  hostileValues(leaf.type).flatMap(({ value, canary }) =>
    (['variable', 'literal'] as const).map((form) => ({ leaf, value, canary, form })),
  ),
);

function operationOf(probe: Probe): { query: string; variables?: Record<string, unknown> } {
  const { leaf } = probe;
  const args = leaf.field.args
    .filter((argument) => argument === leaf.argument || isNonNullType(argument.type))
    .map((argument) => {
      if (argument !== leaf.argument) return `${argument.name}: ${literal(validValue(argument.type))}`;
      return probe.form === 'variable'
        ? `${argument.name}: $v`
        : `${argument.name}: ${literal(withLeaf(argument.type, leaf.path, probe.value))}`;
    });
  const call = `${leaf.field.name}${args.length ? `(${args.join(', ')})` : ''} ${selectionOf(leaf.field.type)}`;
  if (probe.form === 'literal') return { query: `${leaf.operation} { ${call} }` };
  return {
    query: `${leaf.operation}($v: ${leaf.argument.type.toString()}) { ${call} }`,
    variables: { v: variableValue(withLeaf(leaf.argument.type, leaf.path, probe.value)) },
  };
}

describe('the canary scan', () => {
  it('finds no typed value in any answer or log line, and no server error', async () => {
    const findings: string[] = [];
    const canaries: string[] = [];
    let requests = 0;
    const judge = (what: string, probe: Probe, answer: Answer) => {
      requests++;
      canaries.push(probe.canary);
      const where = `${what} ${probe.leaf.field.name}(${[probe.leaf.argument.name, ...probe.leaf.path].join('.')}) ${probe.form} ${JSON.stringify(probe.value)}`;
      if (answer.status >= 500) findings.push(`${where}: HTTP ${answer.status}`);
      if (codesOf(answer).includes('INTERNAL_SERVER_ERROR')) findings.push(`${where}: INTERNAL_SERVER_ERROR`);
      if (answer.text.includes(probe.canary))
        findings.push(`${where}: echoed in ${answer.text.slice(0, 300)}`);
    };
    const modes = [
      ['development', system.gatewayUrl],
      ['production', production.url],
    ] as const;
    for (const [mode, url] of modes) {
      for (const [index, probe] of PROBES.entries()) {
        const role = ROLE_NAMES[index % ROLE_NAMES.length] ?? 'anonymous';
        const body = operationOf(probe);
        const label = `${mode} ${role}`;
        if (probe.leaf.operation === 'subscription') {
          judge(`${label} SSE POST`, probe, await sse(url, { method: 'POST', body }, role));
          judge(`${label} SSE GET`, probe, await sse(url, { method: 'GET', body }, role));
          continue;
        }
        judge(`${label} POST`, probe, await post(url, body, role));
        if (probe.leaf.operation === 'query' && probe.form === 'variable')
          judge(`${label} GET`, probe, await get(url, body, role));
        // Queries and mutations attempted over an event stream, once per leaf.
        if (
          probe.form === 'literal' &&
          probe.value.endsWith('@example.com') &&
          !probe.value.includes('\u0000')
        )
          judge(`${label} SSE POST`, probe, await sse(url, { method: 'POST', body }, role));
      }
    }
    const logged = logLines.filter((line) => canaries.some((value) => line.includes(value)));
    expect(requests).toBeGreaterThan(300);
    // The logs were captured at debug (each operation through Apollo logs a line), so their silence means something.
    expect(logLines.length).toBeGreaterThan(requests / 2);
    expect({ findings, logged: logged.map((line) => line.slice(0, 400)) }).toEqual({
      findings: [],
      logged: [],
    });
  });
});
