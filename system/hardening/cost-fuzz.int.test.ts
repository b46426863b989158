import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEvent } from '@clinic/platform';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  getOperationAST,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { startTestSystem, type TestSystem } from '../test-system';
import {
  actualCost,
  COST_FACTOR,
  COST_REFUSAL,
  costModelFromSupergraph,
  estimateCost,
} from '../../gateway/src/hardening/cost';
import { OPERATION_LIMITS } from '../../gateway/src/hardening/use-armor';

/**
 * The cost fuzzer: operations generated from the public schema (every query and subscription field,
 * nested up to the depth limit, aliases up to the alias limit, slicing arguments at their largest),
 * sent to the seeded system. Each is either refused by its estimate (before anything runs) or
 * completes, and what it completed with never costs more than its estimate × COST_FACTOR.
 * Mutations are left out: they change the data the other runs measure.
 */

const schemaDir = path.resolve(__dirname, '..', '..', 'schema');
const schema = buildSchema(readFileSync(path.join(schemaDir, 'api.graphql'), 'utf8'));
const model = costModelFromSupergraph(readFileSync(path.join(schemaDir, 'supergraph.graphql'), 'utf8'));

/** A fixed seed: a failure names its run, and the same run fails again. */
const SEED = 20261204;
/** Nesting below the root field: the depth limit (12) less the root and a margin for armor's counting. */
const MAX_NESTING = 9;
/** Fields per operation: keeps the text under the token limit. */
const MAX_FIELDS = 90;
/** Generous, so a slow machine does not fail the test; not a performance assertion. */
const REQUEST_TIMEOUT_MS = 60_000;

let system: TestSystem;
let ids: { clinicId: string; doctorId: string; slotId: string; appointmentId: string; clientId: string };
let slot: { id: string; start: string; end: string; doctor: { id: string; clinic: { id: string } } };
let adminToken: string;

const day = (offset: number) => new Date(Date.now() + offset * 864e5).toISOString().slice(0, 10);
const from = () => new Date().toISOString();
const to = () => new Date(Date.now() + 30 * 864e5).toISOString();

beforeAll(async () => {
  system = await startTestSystem();
  adminToken = await system.token({ role: 'SystemAdministrator', subject: 'staff-cost-fuzz' });
  const seeded = await system.graphql(
    `query($from: DateTime!, $to: DateTime!) {
      appointments(first: 1) { id clientId }
      freeSlots(from: $from, to: $to, first: 1) { id start end doctor { id clinic { id } } }
    }`,
    { token: adminToken, variables: { from: from(), to: to() } },
  );
  const data = seeded.body.data as {
    appointments: { id: string; clientId: string }[];
    freeSlots: (typeof slot)[];
  };
  const [appointment] = data.appointments;
  const [free] = data.freeSlots;
  if (!appointment || !free) throw new Error(`no seed data: ${JSON.stringify(seeded.body)}`);
  slot = free;
  ids = {
    clinicId: free.doctor.clinic.id,
    doctorId: free.doctor.id,
    slotId: free.id,
    appointmentId: appointment.id,
    clientId: appointment.clientId,
  };
}, 600_000);
afterAll(async () => {
  await system?.stop();
});

/** One argument's value in GraphQL syntax, or null when the generator has none to give. */
function argumentValue(parent: string, field: string, name: string, typeName: string): string | null {
  if (name === 'first') {
    // The largest a slicing argument accepts: what @listSize assumes for it.
    const size = model.fields.get(`${parent}.${field}`)?.listSize?.assumedSize;
    return size === undefined ? null : String(size);
  }
  if (name === 'days') return '31';
  if (typeName === 'DateTime' && name === 'from') return JSON.stringify(from());
  if (typeName === 'DateTime' && name === 'to') return JSON.stringify(to());
  if (typeName === 'LocalDate') return JSON.stringify(day(1));
  if (typeName === 'AvailableSlotsFilter') return `{ fromDate: "${day(0)}", toDate: "${day(30)}" }`;
  if (typeName !== 'ID') return null;
  const byField: Record<string, string> = {
    'Query.clinic': ids.clinicId,
    'Query.doctor': ids.doctorId,
    'Query.slot': ids.slotId,
    'Query.appointment': ids.appointmentId,
  };
  const value =
    name === 'id'
      ? byField[`${parent}.${field}`]
      : (
          { clinicId: ids.clinicId, doctorId: ids.doctorId, clientId: ids.clientId } as Record<string, string>
        )[name];
  return value === undefined ? null : JSON.stringify(value);
}

/** The field's arguments: every required one and every slicing one; null when a required one has no value. */
function argumentsOf(parent: string, field: GraphQLField<unknown, unknown>): string | null {
  const given: string[] = [];
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    const slicing = arg.name === 'first' || arg.name === 'days';
    if (!required && !slicing) continue;
    const value = argumentValue(parent, field.name, arg.name, getNamedType(arg.type).name);
    if (value === null) {
      if (required) return null;
      continue;
    }
    given.push(`${arg.name}: ${value}`);
  }
  return given.length > 0 ? `(${given.join(', ')})` : '';
}

type Draw = fc.GeneratorValue;

/** A random selection of `type`: a few of its fields, some aliased, composite ones nested further. */
function selection(
  g: Draw,
  type: GraphQLObjectType,
  nesting: number,
  budget: { fields: number; aliases: number },
): string {
  const usable = Object.values(type.getFields()).filter((field) => {
    const named = getNamedType(field.type);
    if (isInputObjectType(named)) return false;
    return isLeafType(named) || isEnumType(named) || (isCompositeType(named) && nesting < MAX_NESTING);
  });
  const parts: string[] = [];
  const count = g(fc.integer, { min: 1, max: 3 });
  for (let i = 0; i < count && budget.fields > 0 && usable.length > 0; i++) {
    // By index: fast-check compares drawn values, and a field definition links to the whole schema.
    const field = usable[g(fc.integer, { min: 0, max: usable.length - 1 })];
    if (!field) continue;
    const args = argumentsOf(type.name, field);
    if (args === null) continue;
    const named = getNamedType(field.type);
    const copies =
      budget.aliases > 0 && g(fc.boolean) ? g(fc.integer, { min: 1, max: Math.min(4, budget.aliases) }) : 0;
    budget.aliases -= copies;
    for (let copy = 0; copy <= copies && budget.fields > 0; copy++) {
      budget.fields--;
      let inner = '';
      if (isCompositeType(named)) {
        inner = isObjectType(named) ? ` { ${selection(g, named, nesting + 1, budget)} }` : ' { __typename }';
      }
      parts.push(`${copy > 0 ? `a${budget.aliases}_${copy}: ` : ''}${field.name}${args}${inner}`);
    }
  }
  return parts.length > 0 ? parts.join(' ') : '__typename';
}

/** A query or subscription operation from the public schema. */
const operation = (root: 'query' | 'subscription') =>
  fc.gen().map((g) => {
    const type = root === 'query' ? schema.getQueryType() : schema.getSubscriptionType();
    if (!type) throw new Error(`no ${root} type`);
    const budget = { fields: MAX_FIELDS, aliases: OPERATION_LIMITS.aliases };
    if (root === 'query') return `{ ${selection(g, type, 0, budget)} }`;
    // A subscription has one root field; its selection is what each event resolves.
    const field = g(fc.constantFrom, 'slotAvailabilityChanged', 'doctorStatusChanged');
    const definition = type.getFields()[field];
    if (!definition) throw new Error(`no ${field}`);
    const payload = getNamedType(definition.type) as GraphQLObjectType;
    return `subscription { ${field}${argumentsOf('Subscription', definition) ?? ''} { ${selection(g, payload, 1, budget)} } }`;
  });

const estimateOf = (query: string) => {
  const document = parse(query);
  const op = getOperationAST(document);
  if (!op) throw new Error('no operation');
  return { document, op, estimate: estimateCost(schema, model, document, op) };
};

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describe('the cost fuzzer', () => {
  it('either refuses a generated query by its estimate or completes it within estimate × factor', async () => {
    const seen = { refused: 0, completed: 0 };
    await fc.assert(
      fc.asyncProperty(operation('query'), fc.boolean(), async (query, signedIn) => {
        const { document, op, estimate } = estimateOf(query);
        const response = await fetch(system.gatewayUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(signedIn ? { authorization: `Bearer ${adminToken}` } : {}),
          },
          body: JSON.stringify({ query }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await response.json()) as GraphQLBody;
        const codes = (body.errors ?? []).map((error) => error.extensions?.code);
        if (body.errors?.some((error) => error.message === COST_REFUSAL)) {
          seen.refused++;
          expect({ status: response.status, codes }).toEqual({
            status: 400,
            codes: codes.map(() => 'GRAPHQL_VALIDATION_FAILED'),
          });
          expect(estimate).toBeGreaterThan(OPERATION_LIMITS.cost);
          return;
        }
        seen.completed++;
        // Refusals for who the caller is (anonymous) or a value a subgraph will not take are answers too;
        // an internal error, a 413 behind it, or any other refusal is not.
        expect({
          status: response.status,
          codes: codes.filter((code) => code === 'INTERNAL_SERVER_ERROR'),
        }).toEqual({
          status: 200,
          codes: [],
        });
        expect(estimate).toBeLessThanOrEqual(OPERATION_LIMITS.cost);
        expect(actualCost(schema, model, document, op, body.data)).toBeLessThanOrEqual(
          estimate * COST_FACTOR,
        );
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
    // Both outcomes were reached, or the property tested only half of what it claims.
    expect(seen.refused).toBeGreaterThan(5);
    expect(seen.completed).toBeGreaterThan(5);
  }, 600_000);

  it('either refuses a generated subscription at subscribe time or delivers each event within estimate × factor', async () => {
    const seen = { refused: 0, delivered: 0 };
    await fc.assert(
      fc.asyncProperty(operation('subscription'), async (query) => {
        const { document, op, estimate } = estimateOf(query);
        const stream = await openStream(query);
        try {
          if (query.includes('slotAvailabilityChanged')) {
            await system.bus.publish('appointments', [
              createEvent({
                type: 'slot.changed',
                aggregateId: slot.id,
                actor: { role: 'System', subject: 'cost-fuzz' },
                payload: {
                  slotId: slot.id,
                  doctorId: slot.doctor.id,
                  clinicId: slot.doctor.clinic.id,
                  start: slot.start,
                  end: slot.end,
                  status: 'free',
                },
              }),
            ]);
          }
          // A refusal comes at once; an accepted doctorStatusChanged waits for events that never come here.
          const first = await stream.next(
            query.includes('slotAvailabilityChanged') ? REQUEST_TIMEOUT_MS : 2_000,
          );
          if (first?.errors?.some((error) => error.message === COST_REFUSAL)) {
            seen.refused++;
            expect(first.errors.map((error) => error.extensions?.code)).toEqual(
              first.errors.map(() => 'GRAPHQL_VALIDATION_FAILED'),
            );
            expect(estimate).toBeGreaterThan(OPERATION_LIMITS.cost);
            return;
          }
          expect(estimate).toBeLessThanOrEqual(OPERATION_LIMITS.cost);
          if (!first) return;
          seen.delivered++;
          expect(
            first.errors?.filter((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR') ?? [],
          ).toEqual([]);
          expect(actualCost(schema, model, document, op, first.data)).toBeLessThanOrEqual(
            estimate * COST_FACTOR,
          );
        } finally {
          stream.close();
        }
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
    // Both outcomes were tried: the run says something about each.
    expect(seen.refused).toBeGreaterThan(2);
    expect(seen.delivered).toBeGreaterThan(2);
  }, 600_000);
});

/** A distinct-connection graphql-sse stream, read frame by frame. */
async function openStream(query: string) {
  const abort = new AbortController();
  const response = await fetch(system.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  const reader = response.body?.getReader();
  if (!reader) throw new Error(`no stream: ${response.status}`);
  const decoder = new TextDecoder();
  let text = '';
  // The opening comment is written once the subscription is attached: events published after it reach it.
  while (!text.includes(':\n\n')) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  return {
    /** The next `next` event's result, or undefined when none comes within `ms`. */
    next: async (ms: number): Promise<GraphQLBody | undefined> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const match = /event: next\ndata: (.*)\n\n/.exec(text);
        if (match?.[1]) {
          text = text.slice(match.index + match[0].length);
          return JSON.parse(match[1]) as GraphQLBody;
        }
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left))),
        ]);
        clearTimeout(timer);
        if (chunk === null || chunk.done) {
          if (chunk?.done) return undefined;
          continue;
        }
        text += decoder.decode(chunk.value, { stream: true });
      }
    },
    close: () => abort.abort(),
  };
}
