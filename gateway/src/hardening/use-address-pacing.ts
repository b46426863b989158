import type { RequestHandler, Response } from 'express';
import { reject } from './reject';

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
 * queue keeps an object per key for ever); a lane here is dropped as soon as its address is idle.
 */
export function useAddressPacing(limits: PacingLimits): RequestHandler {
  const interval = 1000 / limits.perSecond;
  const tolerance = interval * (limits.burst - 1);
  const lanes = new Map<string, Lane>();

  // An idle address forgets its pace (at most a burst's worth of credit): the map holds only busy ones.
  const drop = (address: string, lane: Lane) => {
    if (lane.active === 0 && lane.waiting.length === 0 && lane.timer === null) lanes.delete(address);
  };

  const pump = (address: string, lane: Lane) => {
    while (lane.waiting.length > 0 && lane.active < limits.concurrent) {
      const now = Date.now();
      const earliest = lane.due - tolerance;
      if (now < earliest) {
        lane.timer ??= setTimeout(() => {
          lane.timer = null;
          pump(address, lane);
        }, earliest - now);
        return;
      }
      lane.due = Math.max(now, lane.due) + interval;
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
      setTimeout(() => {
        response.setHeader('retry-after', String(PAUSE_MS / 1000));
        reject(response, 429, 'RATE_LIMITED', MESSAGE);
      }, PAUSE_MS);
      return;
    }
    const ownLane = lane;
    lane.waiting.push(() => {
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
