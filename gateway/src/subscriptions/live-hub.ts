import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { appError, type EventEnvelope, type Identity, type TopicKey } from '@clinic/contracts';
import type { EventBus, Logger } from '@clinic/platform';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  print,
  visit,
  type ASTNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
} from 'graphql';
import { LIVE_FIELDS, permissionKey, type LiveField } from './live-fields';
import { resolveEvent } from './resolve-event';
import { LiveSink } from './live-sink';

/** Runs a query through the gateway (query planner, subgraphs) as the given caller. */
export type GatewayQuery = (
  query: string,
  variables: Record<string, unknown>,
  identity: Identity | null,
  /** The event's correlation id, so a live update's subgraph calls log under the request that caused it. */
  correlationId?: string,
) => Promise<ExecutionResult>;

export interface LiveHubOptions {
  bus: EventBus;
  logger: Logger;
  runQuery: GatewayQuery;
  /** The API schema, once the gateway has loaded it. */
  schema: () => GraphQLSchema;
  /** Subscribers asking the same thing with the same permissions share one resolution per event. */
  shareResolutions?: boolean;
  /** Results a subscriber may have waiting before it is cut off as too slow. */
  maxQueuedPerSubscriber?: number;
  /** Resolutions in flight at once for one event. */
  resolutionConcurrency?: number;
  /**
   * Bytes one event's result may take, serialised, for one subscriber (default 256 KiB). A larger result
   * is not sent: its subscribers get a coded error and their streams end.
   */
  maxEventBytes?: number;
  /**
   * Distinct groups (one resolution each per event) one signed-in subject, and one address, may hold at
   * once (default 20 each): varying what a selection asks for would otherwise multiply the resolutions.
   */
  maxGroupsPerSubject?: number;
  maxGroupsPerAddress?: number;
}

export interface LiveSubscribeRequest {
  document: DocumentNode;
  operationName?: string | undefined;
  variables: Record<string, unknown>;
  identity: Identity | null;
  /** The client's address, when the transport knows it: its groups are bounded as a subject's are. */
  address?: string | undefined;
}

/**
 * A distinct-connection stream the hub writes to itself: each event is serialised once per group and the
 * same bytes go to every member, instead of once per subscriber through an iterator.
 */
export interface LiveWriter {
  /** Sends one SSE frame; the writer cuts its own client off when it falls too far behind. */
  write(frame: LiveFrame): void;
  /** The hub is stopping: end the stream so the client reconnects elsewhere. */
  close(): void;
}

/**
 * Subscribers asking the same thing with the same permissions: one document, the same values for the
 * variables its selection uses, one permission key. One resolution per event serves them all. The field's
 * own arguments (a doctor, a date range) only filter events, so subscribers differing only there share a
 * group, split into audiences.
 */
interface Group {
  key: string;
  field: LiveField;
  request: LiveSubscribeRequest;
  /** By the field arguments, as JSON. */
  audiences: Map<string, Audience>;
}

/** The members of a group with the same field arguments: an event goes to all of them or to none. */
interface Audience {
  /** The arguments as JSON: the audience's key in its group. */
  key: string;
  args: Record<string, unknown>;
  sinks: Set<LiveSink>;
  writers: Set<LiveWriter>;
}

/** Writes per slice of a fan-out: the sockets of one slice flush before the next is written. */
const FAN_OUT_SLICE = 500;

/** An SSE `next` event carrying one result, as graphql-sse frames it. */
export const nextFrame = (result: ExecutionResult): string =>
  `event: next\ndata: ${JSON.stringify(result)}\n\n`;

/**
 * One event's bytes, made once for every writer of a group: the SSE frame, and the same frame as an
 * HTTP/1.1 chunk (made on first use) for writers that put it on the socket themselves.
 */
export class LiveFrame {
  private chunk: Buffer | null = null;
  readonly bytes: Buffer;
  /** When the frame was made (ms since the epoch): when its writers last wrote, near enough. */
  readonly createdAt = Date.now();

  constructor(text: string) {
    this.bytes = Buffer.from(text);
  }

  get httpChunk(): Buffer {
    this.chunk ??= Buffer.concat([
      Buffer.from(`${this.bytes.length.toString(16)}\r\n`),
      this.bytes,
      Buffer.from('\r\n'),
    ]);
    return this.chunk;
  }
}

export interface LiveHubStats {
  subscribers: number;
  groups: number;
  events: number;
  resolutions: number;
  slowConsumersCut: number;
  /** Results over maxEventBytes, each replaced by an error that ended its subscribers' streams. */
  eventsTooLarge: number;
  /** Subscriptions refused because their subject or address held too many groups. */
  tooManyGroups: number;
}

/** What the hub holds, for tests to see that a subscriber who leaves takes everything of theirs along. */
export interface LiveHubHoldings {
  groups: number;
  audiences: number;
  subscribers: number;
  /** Subjects and addresses with a group. */
  owners: number;
}

/** The result a subscriber gets instead of an event too large to send. */
const TOO_LARGE = () => ({
  data: null,
  errors: [
    appError(
      'GRAPHQL_VALIDATION_FAILED',
      'This subscription asks for more than one update may carry, so it was closed. Ask for less, then resubscribe.',
    ),
  ],
});

/** A complete frame after the error, so graphql-sse clients end the operation instead of waiting. */
const COMPLETE_FRAME = 'event: complete\ndata:\n\n';

/** Hubs running in this process, for the bench to read their counters. */
export const liveHubs = new Set<LiveHub>();

/**
 * One per gateway process: one live consumer per topic (its own consumer group, so every instance sees
 * every partition), fanning each event out in memory to the subscribers whose arguments and permissions
 * it matches, resolved through the federated query planner.
 */
export class LiveHub {
  private readonly groups = new Map<string, Group>();
  private readonly byTopic = new Map<TopicKey, Set<Group>>();
  /** Whether new subscribers join a shared group; existing groups keep their mode. */
  shareResolutions: boolean;
  private readonly maxQueued: number;
  private readonly concurrency: number;
  private readonly maxEventBytes: number;
  private readonly maxGroups: { subject: number; address: number };
  /** For each subject and address (`subject:…`, `address:…`): its members in each group it is in. */
  private readonly owners = new Map<string, Map<string, number>>();
  private started: Promise<void> | null = null;
  private stopped = false;
  readonly stats: LiveHubStats = {
    subscribers: 0,
    groups: 0,
    events: 0,
    resolutions: 0,
    slowConsumersCut: 0,
    eventsTooLarge: 0,
    tooManyGroups: 0,
  };

  constructor(private readonly options: LiveHubOptions) {
    this.shareResolutions = options.shareResolutions ?? true;
    this.maxQueued = options.maxQueuedPerSubscriber ?? 100;
    this.concurrency = options.resolutionConcurrency ?? 16;
    this.maxEventBytes = options.maxEventBytes ?? 256 * 1024;
    this.maxGroups = {
      subject: options.maxGroupsPerSubject ?? 20,
      address: options.maxGroupsPerAddress ?? 20,
    };
  }

  /** Starts consuming every live topic from its current end. */
  start(): Promise<void> {
    this.started ??= (async () => {
      liveHubs.add(this);
      const group = `gateway-live-${os.hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
      const topics = new Set(Object.values(LIVE_FIELDS).map((field) => field.topic));
      for (const topic of topics) {
        // One group per topic: kafkajs expects every member of a group to subscribe to the same topics.
        await this.options.bus.subscribe({
          topic,
          group: `${group}-${topic}`,
          live: true,
          handle: (event) => this.publish(event),
        });
      }
    })();
    return this.started;
  }

  /** A stream of results for one subscription operation, or a result with the errors that refused it. */
  subscribe(request: LiveSubscribeRequest): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    const joined = this.join(request);
    if (!('group' in joined)) return joined;
    const { group, audience, owners } = joined;
    const sink = new LiveSink(
      this.maxQueued,
      () => this.leave(group, audience, owners, () => audience.sinks.delete(sink)),
      () => this.stats.slowConsumersCut++,
    );
    audience.sinks.add(sink);
    this.own(owners, group.key);
    this.stats.subscribers++;
    return sink;
  }

  /**
   * Adds a stream the hub writes serialised frames to; returns how to take it out again, or a result
   * with the errors that refused the subscription.
   */
  attach(request: LiveSubscribeRequest, writer: LiveWriter): (() => void) | ExecutionResult {
    const joined = this.join(request);
    if (!('group' in joined)) return joined;
    const { group, audience, owners } = joined;
    audience.writers.add(writer);
    this.own(owners, group.key);
    this.stats.subscribers++;
    return () => this.leave(group, audience, owners, () => audience.writers.delete(writer));
  }

  /** Counts of what the hub holds right now. */
  holdings(): LiveHubHoldings {
    let audiences = 0;
    let subscribers = 0;
    for (const group of this.groups.values()) {
      audiences += group.audiences.size;
      for (const audience of group.audiences.values())
        subscribers += audience.sinks.size + audience.writers.size;
    }
    return { groups: this.groups.size, audiences, subscribers, owners: this.owners.size };
  }

  private join(
    request: LiveSubscribeRequest,
  ): { group: Group; audience: Audience; owners: string[] } | ExecutionResult {
    const operation = getOperationAST(request.document, request.operationName);
    const fieldNode = operation?.selectionSet.selections[0];
    if (this.stopped)
      return { data: null, errors: [appError('INTERNAL_SERVER_ERROR', 'The gateway is stopping.')] };
    // One node, not just one response name: graphql-js lets the same alias repeat, and a second node's
    // variables would escape the group key.
    if (
      operation?.operation !== 'subscription' ||
      operation.selectionSet.selections.length !== 1 ||
      fieldNode?.kind !== 'Field'
    ) {
      return { data: null, errors: [appError('BAD_REQUEST', 'Expected one subscription field.')] };
    }
    const field = LIVE_FIELDS[fieldNode.name.value];
    const definition = this.options.schema().getSubscriptionType()?.getFields()[fieldNode.name.value];
    if (!field || !definition) {
      return {
        data: null,
        errors: [appError('GRAPHQL_VALIDATION_FAILED', `No live field ${fieldNode.name.value}.`)],
      };
    }
    const refused = field.authorize(request.identity);
    if (refused) return { data: null, errors: [refused] };
    // Checked here, not at the first event: a group resolves with one member's variables, so one
    // member's bad value would otherwise fail (and be shown to) every member.
    const coerced = getVariableValues(
      this.options.schema(),
      operation.variableDefinitions ?? [],
      request.variables,
    );
    if (coerced.errors) {
      return { data: null, errors: coerced.errors.map((error) => appError('BAD_USER_INPUT', error.message)) };
    }
    const variables = coerced.coerced;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, fieldNode as FieldNode, variables);
    } catch (error) {
      return { data: null, errors: [appError('BAD_USER_INPUT', (error as Error).message)] };
    }
    const key = this.shareResolutions
      ? JSON.stringify([
          printed(request.document),
          request.operationName ?? null,
          // Defaults are applied; an absent variable without one still keys apart from an explicit null.
          selectionVariables(request.document, operation, fieldNode).map((name) =>
            Object.hasOwn(variables, name) ? [name, variables[name]] : [name],
          ),
          permissionKey(request.identity),
        ])
      : randomBytes(12).toString('hex');
    // Joining a group it is already in costs a subject nothing; a new one counts against its bound.
    const owners = ownersOf(request);
    for (const owner of owners) {
      const held = this.owners.get(owner);
      const max = owner.startsWith('subject:') ? this.maxGroups.subject : this.maxGroups.address;
      if (held && !held.has(key) && held.size >= max) {
        this.stats.tooManyGroups++;
        return {
          data: null,
          errors: [
            appError(
              'RATE_LIMITED',
              'Too many different live subscriptions from this caller or address. Close some, or ask the same thing.',
            ),
          ],
        };
      }
    }
    let group = this.groups.get(key);
    if (!group) {
      group = { key, field, request: { ...request, variables }, audiences: new Map() };
      this.groups.set(key, group);
      const topicGroups = this.byTopic.get(field.topic) ?? new Set();
      topicGroups.add(group);
      this.byTopic.set(field.topic, topicGroups);
      this.stats.groups++;
    }
    const argsKey = JSON.stringify(args);
    let audience = group.audiences.get(argsKey);
    if (!audience) {
      audience = { key: argsKey, args, sinks: new Set(), writers: new Set() };
      group.audiences.set(argsKey, audience);
    }
    return { group, audience, owners };
  }

  private own(owners: readonly string[], groupKey: string): void {
    for (const owner of owners) {
      const held = this.owners.get(owner) ?? new Map<string, number>();
      held.set(groupKey, (held.get(groupKey) ?? 0) + 1);
      this.owners.set(owner, held);
    }
  }

  /** Delivers one event to every matching group: one resolution per group, the same result to each member. */
  async publish(event: EventEnvelope): Promise<void> {
    this.stats.events++;
    const matching: { group: Group; audiences: Audience[] }[] = [];
    for (const group of this.byTopic.get(topicOf(event)) ?? []) {
      if (!group.field.eventTypes.includes(event.type)) continue;
      const audiences = [...group.audiences.values()].filter((audience) =>
        group.field.matches(event, audience.args, group.request.identity),
      );
      if (audiences.length > 0) matching.push({ group, audiences });
    }
    let next = 0;
    const worker = async () => {
      while (next < matching.length) {
        const entry = matching[next++];
        if (!entry || entry.audiences.every(({ sinks, writers }) => sinks.size + writers.size === 0))
          continue;
        const { group, audiences } = entry;
        this.stats.resolutions++;
        const result = await this.resolve(group, event).catch((error: unknown) => {
          this.options.logger.error({ err: error, eventId: event.id }, 'live event resolution failed');
          return {
            data: null,
            errors: [appError('INTERNAL_SERVER_ERROR', 'This update could not be resolved.')],
          };
        });
        // Serialised once, as the writers get it; the byte budget is checked on that.
        let frame = nextFrame(result);
        const tooLarge = Buffer.byteLength(frame) > this.maxEventBytes;
        const delivered = tooLarge ? TOO_LARGE() : result;
        if (tooLarge) {
          this.stats.eventsTooLarge++;
          this.options.logger.warn(
            { eventId: event.id, bytes: Buffer.byteLength(frame) },
            'live event result too large: its subscribers were closed',
          );
          frame = nextFrame(delivered) + COMPLETE_FRAME;
        }
        const sinks: LiveSink[] = [];
        const writers: LiveWriter[] = [];
        for (const audience of audiences) {
          for (const sink of audience.sinks) sinks.push(sink);
          for (const writer of audience.writers) writers.push(writer);
        }
        for (const sink of sinks) sink.push(delivered);
        if (writers.length > 0) await fanOut(writers, new LiveFrame(frame));
        if (tooLarge) {
          // Every later event would be as large: the subscription ends here, and takes its group along.
          for (const sink of sinks) sink.end();
          for (const writer of writers) writer.close();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, matching.length) }, worker));
  }

  /** Ends every stream, so clients reconnect (to another instance) and resubscribe. */
  stop(): void {
    this.stopped = true;
    liveHubs.delete(this);
    for (const group of this.groups.values()) {
      for (const audience of group.audiences.values()) {
        for (const sink of audience.sinks) sink.end();
        for (const writer of [...audience.writers]) writer.close();
      }
    }
  }

  private resolve(group: Group, event: EventEnvelope): Promise<ExecutionResult> {
    const { request, field } = group;
    return resolveEvent({
      schema: this.options.schema(),
      document: request.document,
      operationName: request.operationName,
      variables: request.variables,
      field,
      payload: field.payload(event),
      entityId: field.entity.id(event),
      runQuery: (query, variables) =>
        this.options.runQuery(query, variables, request.identity, event.correlationId),
    });
  }

  private leave(group: Group, audience: Audience, owners: readonly string[], remove: () => boolean): void {
    if (!remove()) return;
    this.stats.subscribers--;
    for (const owner of owners) {
      const held = this.owners.get(owner);
      const left = (held?.get(group.key) ?? 0) - 1;
      if (!held) continue;
      if (left > 0) held.set(group.key, left);
      else held.delete(group.key);
      if (held.size === 0) this.owners.delete(owner);
    }
    if (audience.sinks.size + audience.writers.size > 0) return;
    group.audiences.delete(audience.key);
    if (group.audiences.size === 0) {
      this.groups.delete(group.key);
      this.byTopic.get(group.field.topic)?.delete(group);
      this.stats.groups--;
    }
  }
}

/**
 * The same bytes to every writer, in slices: Node sends a response's writes on the next tick, so without
 * a break the first subscriber's event would leave only once the last one's had been written.
 */
async function fanOut(writers: readonly LiveWriter[], frame: LiveFrame): Promise<void> {
  let written = 0;
  for (const writer of writers) {
    writer.write(frame);
    if (++written % FAN_OUT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

const selectionVariableNames = new WeakMap<FieldNode, string[]>();

/**
 * The variables a subscription's result can depend on: all but those used only in the field's own
 * arguments, which filter events and are not part of the selection. Fragments count whether or not this
 * field spreads them (a variable too many only means less sharing).
 */
function selectionVariables(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
): string[] {
  let names = selectionVariableNames.get(field);
  if (!names) {
    const found = new Set<string>();
    const collect = (node: ASTNode) =>
      visit(node, { Variable: (variable) => void found.add(variable.name.value) });
    collect({ ...field, arguments: [] });
    for (const directive of operation.directives ?? []) collect(directive);
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
    names = [...found].sort();
    selectionVariableNames.set(field, names);
  }
  return names;
}

const printedDocuments = new WeakMap<DocumentNode, string>();

/** A document's canonical text, printed once: subscribers sending the same text share one document. */
function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

/** Whose groups a subscription counts against: its signed-in subject, and its address when known. */
function ownersOf(request: LiveSubscribeRequest): string[] {
  const owners: string[] = [];
  if (request.identity) owners.push(`subject:${request.identity.role}:${request.identity.subject}`);
  if (request.address) owners.push(`address:${addressBlock(request.address)}`);
  return owners;
}

/**
 * The block one client controls: an IPv4 address itself, an IPv6 address's /64 (a client is usually
 * handed a whole /64, so counting single IPv6 addresses would let it hold groups without bound).
 */
export function addressBlock(address: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1] ?? address;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group || '0', 16).toString(16))
    .join(':')}::/64`;
}

function topicOf(event: EventEnvelope): TopicKey {
  return event.type.startsWith('doctor.')
    ? 'doctors'
    : event.type.startsWith('patient.')
      ? 'patients'
      : 'appointments';
}
