import { AsyncResource } from 'node:async_hooks';
import type { RequestHandler, Response } from 'express';
import { countRateLimited, reject } from './reject';

const MESSAGE = 'Too many requests at once. Try again after the time given in Retry-After.';
const PAUSE_MS = 1000;

export interface PacingLimits {
  /** Requests from one address worked on at once. */
  concurrent: number;
  /** Steady rate at which one address's requests start, per second. */
  perSecond: number;
  /** Requests one address may start at once after a quiet spell (a page loading its queries). */
  burst: number;
  /** Requests from one address that may wait for their turn; beyond that, 429. */
  queued: number;
}

interface Lane {
  active: number;
  /** When the next request may start if no burst were allowed (GCRA's theoretical arrival time), ms. */
  due: number;
  waiting: (() => void)[];
  timer: NodeJS.Timeout | null;
}

// Monotonic: a wall clock stepped back would stall every busy address for the size of the step.
const now = () => performance.now();

/**
 * Each address's requests are started at a steady pace: at most `concurrent` at once, `perSecond` on
 * average with a `burst` after a quiet spell (the generic cell rate algorithm); the next `queued` wait
 * their turn in order, and any beyond those get 429 after a pause, like the rate limits. Why: the
 * gateway's work on a request (parse, validate, plan) is synchronous, so requests from one sender that
 * are let in together hold the event loop back to back and everyone else waits behind all of them.
 * A fixed window lets a whole second's budget in at the window's start (measured: a normal query's p99
 * went from 25 to over 100 ms once a second); pacing spreads the same budget evenly.
 *
 * A stream (a live subscription) holds its connection for hours: its turn ends when its answer starts.
 * Written here because rate-limiter-flexible limits counts in windows, not concurrency or pace (its
 * queue keeps an object per key for ever); a lane here is dropped once its address is idle and owes
 * nothing.
 */
export function useAddressPacing(limits: PacingLimits): RequestHandler {
  const interval = 1000 / limits.perSecond;
  const tolerance = interval * (limits.burst - 1);
  const lanes = new Map<string, Lane>();

  // An idle address is forgotten once it owes nothing (its pace has caught up with the clock), so the
  // map holds only busy addresses and a sender cannot win a fresh burst by pausing between batches.
  const drop = (address: string, lane: Lane) => {
    if (lane.active > 0 || lane.waiting.length > 0 || lane.timer !== null) return;
    const owed = lane.due - now();
    if (owed <= 0) {
      lanes.delete(address);
      return;
    }
    lane.timer = setTimeout(() => {
      lane.timer = null;
      pump(address, lane);
    }, owed);
    lane.timer.unref();
  };

  const pump = (address: string, lane: Lane) => {
    while (lane.waiting.length > 0 && lane.active < limits.concurrent) {
      const at = now();
      const earliest = lane.due - tolerance;
      if (at < earliest) {
        if (lane.timer === null) {
          lane.timer = setTimeout(() => {
            lane.timer = null;
            pump(address, lane);
          }, earliest - at);
          lane.timer.unref();
        }
        return;
      }
      lane.due = Math.max(at, lane.due) + interval;
      lane.active++;
      const start = lane.waiting.shift();
      // On a later turn of the event loop, so other callers' I/O runs between one address's requests.
      if (start) setImmediate(start);
    }
    drop(address, lane);
  };

  return (request, response, next) => {
    const address = request.ip ?? 'unknown';
    let lane = lanes.get(address);
    if (!lane) {
      lane = { active: 0, due: 0, waiting: [], timer: null };
      lanes.set(address, lane);
    }
    if (lane.waiting.length >= limits.queued) {
      countRateLimited('address_pacing');
      setTimeout(() => {
        response.setHeader('retry-after', String(PAUSE_MS / 1000));
        reject(response, 429, 'RATE_LIMITED', MESSAGE);
      }, PAUSE_MS).unref();
      return;
    }
    const ownLane = lane;
    // Run in this request's async context: it starts from another request's callback or a timer, and
    // its logs and errors must carry its own correlation id. (AsyncResource.bind would do the same but
    // also defines a deprecated property on every bound function: 2.5% of a cached hit's CPU.)
    let context: AsyncResource | null = new AsyncResource('address-pacing');
    lane.waiting.push(() => {
      const own = context;
      // Let go of the resource once started: the turn's closures live as long as the response (hours
      // for a live stream), and the resource's destroy hook should not wait for them.
      context = null;
      own?.runInAsyncScope(() => {
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          ownLane.active--;
          pump(address, ownLane);
        };
        // The caller gave up while waiting: pass the turn on without doing the work.
        if (response.destroyed || request.socket.destroyed) return finish();
        endTurnWhenAnswerStarts(response, finish);
        next();
      });
    });
    // A timer set for later (a paced start, or forgetting an idle lane) is worked out again from now.
    if (lane.timer !== null) {
      clearTimeout(lane.timer);
      lane.timer = null;
    }
    pump(address, lane);
  };
}

function endTurnWhenAnswerStarts(response: Response, finish: () => void): void {
  const writeHead = response.writeHead;
  // Node calls writeHead itself before the first byte of any answer (json, end, a stream's first write).
  response.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    finish();
    return writeHead.apply(this, args);
  } as Response['writeHead'];
  response.once('close', finish);
}
