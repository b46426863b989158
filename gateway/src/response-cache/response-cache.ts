import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { metrics } from '@clinic/platform';
import type { SlotDependency, Subject } from './dependencies';
import { eventEffect, touches, type EventEffect } from './event-effects';

export interface ResponseCacheOptions {
  /** Answers held at most (default 10,000). */
  maxEntries?: number;
  /** Serialised bytes held at most (default 64 MiB). */
  maxBytes?: number;
  /** How long an answer is served at most (default 30 s): slots that start drop out of searches unannounced. */
  ttlMs?: number;
  /** Refreshes of dropped answers run at once at most (default 2; 0: none). */
  refreshConcurrency?: number;
  now?: () => number;
}

/** Runs the operation of a dropped answer again, as its first caller did, so that the answer is stored anew. */
export interface Refresh {
  run(): Promise<unknown>;
  /** What it holds (the operation's text and variables), counted with its entry. */
  bytes: number;
}

/** A cached answer: its data exactly as the first caller got it, and a validator for HTTP caches. */
export interface CachedAnswer {
  /** Read from `body` on each use: only the bytes are held, as its objects would cost several times more. */
  readonly data: Record<string, unknown>;
  etag: string;
  /** The JSON body Apollo Server sends for it (`{"data":…}` and a newline), serialised once when stored. */
  body: Buffer;
}

/** A request already answered from an entry, recalled by its fingerprint (fast-hits.ts). */
export interface RememberedRequest {
  /** The entry's key, which Apollo's pipeline worked out from the coerced variables. */
  key: string;
  /** graphql_operations_total's `operation` label for it (operationLabel). */
  operation: string;
}

/** One execution others may wait for instead of running the same operation again. */
export interface Flight {
  /** The invalidation sequence when the execution began: changes after it make its answer unstorable. */
  readonly since: number;
  readonly dependencies: readonly SlotDependency[];
  /**
   * Stores the answer (unless a change since made it stale) and hands it to whoever waited; null: there is
   * none to share. `refresh` runs it again once an event drops it, if it was asked for recently. Returns
   * what was stored.
   */
  settle(data: Record<string, unknown> | null, refresh?: Refresh): CachedAnswer | null;
}

interface Entry extends CachedAnswer {
  key: string;
  bytes: number;
  expiresAt: number;
  dependencies: readonly SlotDependency[];
  /** When a caller last got it (0: never since stored). */
  lastHit: number;
  refresh: Refresh | undefined;
}

interface Waiting {
  dependencies: readonly SlotDependency[];
  answer: Promise<CachedAnswer | null>;
}

/** Invalidations remembered for executions still running; one older than this many cannot store. */
const REMEMBERED_CHANGES = 512;
const GATEWAY = { service: 'gateway' } as const;
/** Bytes counted for an entry's bookkeeping, and for each of its dependencies. */
const ENTRY_OVERHEAD = 64;
/** Stores between sweeps of expired answers. */
const SWEEP_EVERY = 256;
/** Answers of one subject (a doctor, a clinic, anyone) an event scans one by one; beyond this it drops them all. */
const SCAN_AT_MOST = 1_000;
/** A dropped answer is refreshed only if a caller got it this recently: popular ones, not a crawl's. */
const REFRESH_IF_HIT_WITHIN_MS = 2_000;
/** Refreshes waiting for their turn at most; more are not started (the next reader runs the operation). */
const REFRESH_QUEUE = 64;
/**
 * How long an entity answer is kept at most. It lists no slots, so it does not age as a search does; only
 * an event changes it, and that drops it. The minute bounds what a change nobody announced could cost.
 */
const ENTITY_TTL_MS = 60_000;

/** Bytes counted for an entity answer: its UTF-8 text, its key and the bookkeeping. */
const entityBytes = (key: string, json: string) => Buffer.byteLength(json) + key.length + ENTRY_OVERHEAD;

/**
 * The gateway's cache of public answers (docs/response-cache.md). Answers are dropped as the events of
 * changes are consumed (`apply`), before live subscribers hear of them, so an answer from before a
 * change is never served once its event is in. An execution that began before a change it depends on
 * is not stored, and a caller arriving after the change does not wait for it. Until the event stream is
 * continuous (`setContinuity`), nothing is served or stored.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly bySubject = new Map<Subject, Set<Entry>>();
  private readonly flights = new Map<string, Waiting>();
  private readonly requests = new Map<string, RememberedRequest>();
  private readonly refreshQueue = new Map<string, Refresh>();
  /** Entity answers of a subgraph whose data only drop-everything events change (entity-cache.ts). */
  private readonly entityAnswers = new Map<string, { json: string; expiresAt: number }>();
  private entityBytes = 0;
  private refreshing = 0;
  private readonly refreshConcurrency: number;
  private readonly changes: { sequence: number; effect: Exclude<EventEffect, null> }[] = [];
  /** Hits answered before Apollo's pipeline (fast-hits.ts), for tests and benches to tell the paths apart. */
  fastHits = 0;
  private sequence = 0;
  private stores = 0;
  private bytes = 0;
  private continuous = false;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ResponseCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.refreshConcurrency = options.refreshConcurrency ?? 2;
    this.now = options.now ?? Date.now;
  }

  /** Whether answers may be served and stored: the stream of changes reaches this gateway without a gap. */
  get trusted(): boolean {
    return this.continuous;
  }

  get size(): { entries: number; bytes: number; entities: number; entityBytes: number } {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      entities: this.entityAnswers.size,
      entityBytes: this.entityBytes,
    };
  }

  lookup(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(entry, 'expired');
      return undefined;
    }
    // Least recently used goes first: a hit moves to the back.
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.lastHit = this.now();
    return entry;
  }

  /** The answer under `key` if it is there, without counting as a caller's hit (for a refresh). */
  peek(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }

  /**
   * Remembers that the request with this fingerprint was answered, through every check of Apollo's
   * pipeline, from the entry under `key`. Bounded like the entries (least recently remembered out first);
   * forgotten at every reset, since a new schema may coerce the same request to another key.
   */
  rememberRequest(fingerprint: string, request: RememberedRequest): void {
    this.requests.delete(fingerprint);
    this.requests.set(fingerprint, request);
    if (this.requests.size > this.maxEntries) {
      const oldest = this.requests.keys().next().value;
      if (oldest !== undefined) this.requests.delete(oldest);
    }
  }

  /** What `rememberRequest` was told for this fingerprint; the entry itself is still `lookup`'s to find. */
  recallRequest(fingerprint: string): RememberedRequest | undefined {
    return this.requests.get(fingerprint);
  }

  /** The answer of the same operation already running, if any is still fit to share. */
  inFlight(key: string): Promise<CachedAnswer | null> | undefined {
    return this.flights.get(key)?.answer;
  }

  /**
   * Where a change stands now: an entity answer read from a subgraph after this may be stored with
   * `storeEntity(…, since)`, unless a change that drops everything comes in between.
   */
  get changeSequence(): number {
    return this.sequence;
  }

  /** A stored entity answer, as a copy of its own (the gateway merges into what it receives). */
  lookupEntity(key: string): unknown {
    const entry = this.entityAnswers.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now() || !this.continuous) {
      this.forgetEntity(key);
      this.report();
      return undefined;
    }
    // Least recently used goes first: a hit moves to the back.
    this.entityAnswers.delete(key);
    this.entityAnswers.set(key, entry);
    return JSON.parse(entry.json) as unknown;
  }

  /**
   * Stores an entity answer read since `since`, unless the stream is not continuous or a change that drops
   * everything came in between (only such changes touch entities: entity-cache.ts says which are cached).
   */
  storeEntity(key: string, value: unknown, since: number): void {
    if (!this.continuous || this.changedSince(since, [])) return;
    const json = JSON.stringify(value);
    const bytes = entityBytes(key, json);
    if (bytes > this.maxBytes / 1024) return;
    this.forgetEntity(key);
    this.entityAnswers.set(key, { json, expiresAt: this.now() + ENTITY_TTL_MS });
    this.entityBytes += bytes;
    // Entities share the cache's bounds: at most as many as answers, at most a quarter of its bytes, and
    // with the answers within all of them.
    while (
      this.entityAnswers.size > this.maxEntries ||
      this.entityBytes > this.maxBytes / 4 ||
      this.bytes + this.entityBytes > this.maxBytes
    ) {
      const oldest = this.entityAnswers.keys().next().value;
      if (oldest === undefined) break;
      this.forgetEntity(oldest);
    }
    this.report();
  }

  private forgetEntity(key: string): void {
    const entry = this.entityAnswers.get(key);
    if (!entry) return;
    this.entityAnswers.delete(key);
    this.entityBytes -= entityBytes(key, entry.json);
  }

  /** Starts an execution others may wait for; `settle` it exactly once. */
  begin(key: string, dependencies: readonly SlotDependency[]): Flight {
    const since = this.sequence;
    let hand: (answer: CachedAnswer | null) => void = () => undefined;
    const waiting: Waiting = { dependencies, answer: new Promise((resolve) => (hand = resolve)) };
    this.flights.set(key, waiting);
    return {
      since,
      dependencies,
      settle: (data, refresh) => {
        if (this.flights.get(key) === waiting) this.flights.delete(key);
        const stored = data ? this.store(key, data, dependencies, since, refresh) : null;
        // Whoever waited shares the answer in hand rather than each reading it back from the bytes.
        hand(stored && data ? { data, etag: stored.etag, body: stored.body } : null);
        return stored;
      },
    };
  }

  /** Drops whatever the event makes stale; call as soon as the event is consumed. */
  apply(event: EventEnvelope): void {
    const effect = eventEffect(event);
    if (!effect) return;
    this.sequence++;
    this.changes.push({ sequence: this.sequence, effect });
    if (this.changes.length > REMEMBERED_CHANGES) this.changes.shift();
    // Callers from now on must not wait for an execution that may have read the old state.
    for (const [key, waiting] of this.flights)
      if (touches(effect, waiting.dependencies)) this.flights.delete(key);
    if (effect === 'all') {
      this.refreshLater(this.entries.values());
      return this.drop('invalidated');
    }
    const stale = new Set<Entry>();
    // Many answers about one doctor, clinic or anyone (a crawl of distinct searches): drop them all rather
    // than scan each for every event; each entry is removed once, so the work stays proportional to what
    // was stored.
    for (const { subjects } of effect)
      for (const subject of [...subjects, '*' as const]) {
        const entries = this.bySubject.get(subject);
        if (!entries) continue;
        const all = entries.size > SCAN_AT_MOST;
        for (const entry of entries)
          if (!stale.has(entry) && (all || touches(effect, entry.dependencies))) stale.add(entry);
      }
    for (const entry of stale) this.remove(entry, 'invalidated');
    this.refreshLater(stale);
  }

  /**
   * Refreshes (refresh-ahead) the dropped answers a caller got recently, so the next reader finds the new
   * answer instead of running the operation: after this event is applied (a refresh reads the state after
   * the change; a later change fences it like any execution), a few at a time, and only answers hit since
   * they were stored, so an answer nobody reads is refreshed at most once.
   */
  private refreshLater(dropped: Iterable<Entry>): void {
    if (this.refreshConcurrency === 0) return;
    const now = this.now();
    for (const entry of dropped) {
      if (this.refreshQueue.size >= REFRESH_QUEUE) break;
      if (entry.refresh && entry.lastHit > 0 && now - entry.lastHit <= REFRESH_IF_HIT_WITHIN_MS)
        this.refreshQueue.set(entry.key, entry.refresh);
    }
    if (this.refreshQueue.size > 0) setImmediate(() => this.pumpRefreshes());
  }

  private pumpRefreshes(): void {
    while (this.refreshing < this.refreshConcurrency && this.refreshQueue.size > 0) {
      const [key, refresh] = this.refreshQueue.entries().next().value as [string, Refresh];
      this.refreshQueue.delete(key);
      this.refreshing++;
      void refresh
        .run()
        .catch(() => undefined)
        .finally(() => {
          this.refreshing--;
          this.pumpRefreshes();
        });
    }
  }

  /** The stream of changes stopped (false) or resumed (true): answers cannot be trusted across a gap. */
  setContinuity(continuous: boolean): void {
    if (!continuous) this.reset();
    this.continuous = continuous;
  }

  /**
   * How many resets there have been: the fast path puts it in every fingerprint, so a request that began
   * before a reset and remembers itself after it does so under a fingerprint nobody asks for again.
   */
  get generation(): number {
    return this.resets;
  }

  private resets = 0;

  /** Forgets every answer, and what is running now will not store what it read (a gap, a new schema). */
  reset(): void {
    this.resets++;
    this.sequence++;
    this.changes.push({ sequence: this.sequence, effect: 'all' });
    if (this.changes.length > REMEMBERED_CHANGES) this.changes.shift();
    this.flights.clear();
    this.requests.clear();
    this.refreshQueue.clear();
    this.drop('dropped');
  }

  /** Empties the cache (a schema update, a gap in the stream, a doctor.* change). */
  drop(reason: 'invalidated' | 'dropped'): void {
    if (this.entries.size > 0) metrics.responseCacheEvictions.inc({ ...GATEWAY, reason }, this.entries.size);
    this.entries.clear();
    this.entityAnswers.clear();
    this.entityBytes = 0;
    this.bySubject.clear();
    this.bytes = 0;
    this.report();
  }

  private store(
    key: string,
    data: Record<string, unknown>,
    dependencies: readonly SlotDependency[],
    since: number,
    refresh: Refresh | undefined,
  ): CachedAnswer | null {
    if (!this.continuous || this.changedSince(since, dependencies)) return null;
    const json = JSON.stringify(data);
    // As Apollo Server serialises `{ data }` (prettyJSONStringify): a hit answered before its pipeline
    // sends the same bytes without serialising the answer again.
    const body = Buffer.from(`{"data":${json}}\n`);
    // The key, the dependencies and what a refresh would run are held too.
    const bytes =
      body.length + key.length + ENTRY_OVERHEAD * (1 + dependencies.length) + (refresh?.bytes ?? 0);
    if (bytes > this.maxBytes / 16) return null;
    const previous = this.entries.get(key);
    if (previous) this.remove(previous, 'invalidated');
    const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
    const expiresAt = this.now() + this.ttlMs;
    const entry: Entry = {
      key,
      get data() {
        return (JSON.parse(body.toString('utf8')) as { data: Record<string, unknown> }).data;
      },
      etag,
      body,
      bytes,
      expiresAt,
      dependencies,
      lastHit: 0,
      refresh,
    };
    if (++this.stores % SWEEP_EVERY === 0) this.sweep();
    this.entries.set(key, entry);
    this.bytes += bytes;
    for (const subject of new Set(dependencies.map((dependency) => dependency.subject))) {
      let entries = this.bySubject.get(subject);
      if (!entries) this.bySubject.set(subject, (entries = new Set()));
      entries.add(entry);
    }
    while (this.entries.size > this.maxEntries || this.bytes + this.entityBytes > this.maxBytes) {
      const oldest = this.entries.values().next().value;
      if (!oldest) break;
      this.remove(oldest, 'capacity');
    }
    this.report();
    return entry;
  }

  /** Removes expired answers no one asked for again (a lookup removes the ones asked for). */
  private sweep(): void {
    const now = this.now();
    for (const entry of [...this.entries.values()]) if (entry.expiresAt <= now) this.remove(entry, 'expired');
  }

  /** Whether a change since `since` touches these dependencies, or too many changes passed to tell. */
  private changedSince(since: number, dependencies: readonly SlotDependency[]): boolean {
    if (since === this.sequence) return false;
    const first = this.changes[0];
    if (!first || first.sequence > since + 1) return true;
    return this.changes.some(({ sequence, effect }) => sequence > since && touches(effect, dependencies));
  }

  private remove(entry: Entry, reason: 'invalidated' | 'expired' | 'capacity'): void {
    if (this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    this.bytes -= entry.bytes;
    for (const { subject } of entry.dependencies) {
      const entries = this.bySubject.get(subject);
      entries?.delete(entry);
      if (entries?.size === 0) this.bySubject.delete(subject);
    }
    metrics.responseCacheEvictions.inc({ ...GATEWAY, reason });
    this.report();
  }

  private report(): void {
    metrics.responseCacheEntries.set(GATEWAY, this.entries.size + this.entityAnswers.size);
    metrics.responseCacheBytes.set(GATEWAY, this.bytes + this.entityBytes);
  }
}
