/**
 * kafkajs 2.2.4 (its last release) re-arms a 1 ms timer for ever once a connection has answered a
 * request, pending requests or not (tulios/kafkajs#1556, #1704; the fixes, #1667 and #1703, were never
 * merged): every process with a Kafka client (producer, consumer or admin) woke about 1,650 times a
 * second with nothing to do, 40-76 ms of CPU a second while idle, and more of a shared core under load.
 * A check is needed only while requests wait (over the in-flight limit, or throttled by the broker):
 * then it is scheduled as before. The prototype is mended when this module loads, so every queue has it.
 */

/** The parts of kafkajs's RequestQueue (src/network/requestQueue) this relies on. */
export interface KafkaRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval for waiting requests that are not throttled (CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_MS = 10;

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module kafkajs does not export; its prototype is what gets mended */
export const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: KafkaRequestQueue;
};

RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(
  this: KafkaRequestQueue,
) {
  // Nothing waits: the next push, response or timeout checks again. One check already armed is enough.
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const throttledFor = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledFor > 0 ? throttledFor : CHECK_PENDING_MS,
  );
};
