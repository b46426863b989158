import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { appError, type EventEnvelope, type TopicKey } from '@clinic/contracts';
import { metrics, type EventBus, type Logger } from '@clinic/platform';
import { countRateLimited } from '../hardening/reject';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { GroupBudget, ownersOf } from './group-budget';
import { LIVE_FIELDS } from './live-fields';
import { groupKey, LiveGroups, type Audience, type Group } from './live-groups';
import { checkLiveRequest, type LiveSubscribeRequest } from './live-request';
import { LiveSink } from './live-sink';
import { resolveEvent } from './resolve-event';
import type { GatewayQuery } from './run-query';
import { COMPLETE, LiveFrame, nextFrame } from './sse-frames';

export type { LiveSubscribeRequest } from './live-request';

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
  /** Sees every event before it is fanned out, and whether the stream is continuous (the response cache). */
  observer?: StreamObserver;
}

/** Keeps state derived from the live streams: told of each event first, and of every gap in them. */
export interface StreamObserver {
  apply(event: EventEnvelope): void;
  setContinuity(continuous: boolean): void;
  /** Forgets everything: an event it could not be told of (one it cannot read) may have changed anything. */
  reset(): void;
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

/** A subscriber's place in the hub: its group, its audience there, and whose budget it counts against. */
interface Membership {
  group: Group;
  audience: Audience;
  owners: string[];
}

const GATEWAY = { service: 'gateway' } as const;

/** Writes per slice of a fan-out: the sockets of one slice flush before the next is written. */
const FAN_OUT_SLICE = 500;

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

const TOO_MANY_GROUPS = () => ({
  data: null,
  errors: [
    appError(
      'RATE_LIMITED',
      'Too many different live subscriptions from this caller or address. Close some, or ask the same thing.',
    ),
  ],
});

/**
 * One per gateway process: one live consumer per topic (its own consumer group, so every instance sees
 * every partition), fanning each event out in memory to the subscribers whose arguments and permissions
 * it matches, resolved through the federated query planner.
 */
export class LiveHub {
  private readonly groups = new LiveGroups();
  private readonly budget: GroupBudget;
  /** Whether new subscribers join a shared group; existing groups keep their mode. */
  shareResolutions: boolean;
  private readonly maxQueued: number;
  private readonly concurrency: number;
  private readonly maxEventBytes: number;
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
    this.budget = new GroupBudget({
      subject: options.maxGroupsPerSubject ?? 20,
      address: options.maxGroupsPerAddress ?? 20,
    });
  }

  /** Starts consuming every live topic from its current end. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const group = `gateway-live-${os.hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
      const topics = new Set(Object.values(LIVE_FIELDS).map((field) => field.topic));
      const { observer } = this.options;
      // The observer trusts the streams only while every one of them is continuous.
      const continuous = new Map([...topics].map((topic) => [topic, false]));
      for (const topic of topics) {
        // One group per topic: kafkajs expects every member of a group to subscribe to the same topics.
        await this.options.bus.subscribe({
          topic,
          group: `${group}-${topic}`,
          live: true,
          handle: (event) => {
            observer?.apply(event);
            return this.publish(event);
          },
          onUnreadable: () => observer?.reset(),
          onContinuity: (now) => {
            continuous.set(topic, now);
            observer?.setContinuity([...continuous.values()].every(Boolean));
          },
        });
      }
    })();
    return this.started;
  }

  /** A stream of results for one subscription operation, or a result with the errors that refused it. */
  subscribe(request: LiveSubscribeRequest): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    const joined = this.join(request);
    if (!('group' in joined)) return joined;
    const sink = new LiveSink(
      this.maxQueued,
      () => this.leave(joined, () => joined.audience.sinks.delete(sink)),
      () => this.cutSlowConsumer(),
    );
    joined.audience.sinks.add(sink);
    this.enter(joined);
    return sink;
  }

  /**
   * Adds a stream the hub writes serialised frames to; returns how to take it out again, or a result
   * with the errors that refused the subscription.
   */
  attach(request: LiveSubscribeRequest, writer: LiveWriter): (() => void) | ExecutionResult {
    const joined = this.join(request);
    if (!('group' in joined)) return joined;
    joined.audience.writers.add(writer);
    this.enter(joined);
    return () => this.leave(joined, () => joined.audience.writers.delete(writer));
  }

  /** Counts of what the hub holds right now. */
  holdings(): LiveHubHoldings {
    let audiences = 0;
    let subscribers = 0;
    for (const group of this.groups.all()) {
      audiences += group.audiences.size;
      for (const audience of group.audiences.values())
        subscribers += audience.sinks.size + audience.writers.size;
    }
    return { groups: this.groups.size, audiences, subscribers, owners: this.budget.size };
  }

  /** Delivers one event to every matching group: one resolution per group, the same result to each member. */
  async publish(event: EventEnvelope): Promise<void> {
    this.stats.events++;
    const matching = this.matching(event);
    let next = 0;
    const worker = async () => {
      while (next < matching.length) {
        const entry = matching[next++];
        if (!entry || entry.audiences.every(({ sinks, writers }) => sinks.size + writers.size === 0))
          continue;
        await this.deliver(entry.group, entry.audiences, event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, matching.length) }, worker));
  }

  /** Counts a stream cut off for falling too far behind (each kind of stream cuts its own). */
  cutSlowConsumer(): void {
    this.stats.slowConsumersCut++;
    metrics.liveSlowConsumersCut.inc(GATEWAY);
  }

  /** Ends every stream, so clients reconnect (to another instance) and resubscribe. */
  stop(): void {
    this.stopped = true;
    for (const group of this.groups.all()) {
      for (const audience of group.audiences.values()) {
        for (const sink of audience.sinks) sink.end();
        for (const writer of [...audience.writers]) writer.close();
      }
    }
  }

  /** The group and audience a subscription belongs in, or a result with the errors that refuse it. */
  private join(request: LiveSubscribeRequest): Membership | ExecutionResult {
    if (this.stopped)
      return { data: null, errors: [appError('INTERNAL_SERVER_ERROR', 'The gateway is stopping.')] };
    const live = checkLiveRequest(this.options.schema(), request);
    if (!('field' in live)) return live;
    const key = groupKey(request, live, this.shareResolutions);
    const owners = ownersOf(request);
    if (!this.budget.allows(owners, key)) {
      this.stats.tooManyGroups++;
      countRateLimited('live_groups');
      return TOO_MANY_GROUPS();
    }
    const { group, audience, newGroup } = this.groups.join(key, request, live);
    if (newGroup) this.stats.groups++;
    return { group, audience, owners };
  }

  /** Counts a member who has just been added to its audience. */
  private enter({ group, owners }: Membership): void {
    this.budget.own(owners, group.key);
    this.stats.subscribers++;
    metrics.liveSubscribers.inc(GATEWAY);
  }

  /** Takes a member out (once: `remove` says whether it was still there), and what only it held. */
  private leave({ group, audience, owners }: Membership, remove: () => boolean): void {
    if (!remove()) return;
    this.stats.subscribers--;
    metrics.liveSubscribers.dec(GATEWAY);
    this.budget.release(owners, group.key);
    if (this.groups.forgetIfEmpty(group, audience).groupForgotten) this.stats.groups--;
  }

  /** The groups watching this event, each with the audiences whose arguments it matches. */
  private matching(event: EventEnvelope): { group: Group; audiences: Audience[] }[] {
    const matching: { group: Group; audiences: Audience[] }[] = [];
    for (const group of this.groups.onTopic(topicOf(event))) {
      if (!group.field.eventTypes.includes(event.type)) continue;
      const audiences = [...group.audiences.values()].filter((audience) =>
        group.field.matches(event, audience.args, group.request.identity),
      );
      if (audiences.length > 0) matching.push({ group, audiences });
    }
    return matching;
  }

  /** Resolves the event once for the group and sends the result to every member of its audiences. */
  private async deliver(group: Group, audiences: readonly Audience[], event: EventEnvelope): Promise<void> {
    this.stats.resolutions++;
    const result = await this.resolve(group, event).catch((error: unknown) => {
      this.options.logger.error({ err: error, eventId: event.id }, 'live event resolution failed');
      return {
        data: null,
        errors: [appError('INTERNAL_SERVER_ERROR', 'This update could not be resolved.')],
      };
    });
    const { delivered, frame, tooLarge } = this.framed(result, event);
    const sinks: LiveSink[] = [];
    const writers: LiveWriter[] = [];
    for (const audience of audiences) {
      for (const sink of audience.sinks) sinks.push(sink);
      for (const writer of audience.writers) writers.push(writer);
    }
    for (const sink of sinks) sink.push(delivered);
    if (writers.length > 0) await fanOut(writers, new LiveFrame(frame));
    metrics.liveFannedOut.inc(GATEWAY, sinks.length + writers.length);
    metrics.liveFanoutLag.observe(GATEWAY, Math.max(0, Date.now() - Date.parse(event.occurredAt)) / 1000);
    if (tooLarge) {
      // Every later event would be as large: the subscription ends here, and takes its group along.
      for (const sink of sinks) sink.end();
      for (const writer of writers) writer.close();
    }
  }

  /** The result as members get it, and its frame: serialised once, the byte budget checked on that. */
  private framed(
    result: ExecutionResult,
    event: EventEnvelope,
  ): { delivered: ExecutionResult; frame: string; tooLarge: boolean } {
    const frame = nextFrame(result);
    if (Buffer.byteLength(frame) <= this.maxEventBytes) return { delivered: result, frame, tooLarge: false };
    this.stats.eventsTooLarge++;
    this.options.logger.warn(
      { eventId: event.id, bytes: Buffer.byteLength(frame) },
      'live event result too large: its subscribers were closed',
    );
    const delivered = TOO_LARGE();
    return { delivered, frame: nextFrame(delivered) + COMPLETE, tooLarge: true };
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
        this.options.runQuery({ query, variables }, request.identity, event.correlationId),
    });
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

function topicOf(event: EventEnvelope): TopicKey {
  return event.type.startsWith('doctor.')
    ? 'doctors'
    : event.type.startsWith('patient.')
      ? 'patients'
      : 'appointments';
}
