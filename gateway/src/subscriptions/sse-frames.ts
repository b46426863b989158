import { appError } from '@clinic/contracts';
import type { Response } from 'express';
import type { ExecutionResult } from 'graphql';

/** The head of an event stream graphql-sse would send. */
export const SSE_HEADERS = {
  connection: 'keep-alive',
  'cache-control': 'no-cache',
  'content-encoding': 'none',
  'content-type': 'text/event-stream; charset=utf-8',
};
/** A comment: the first byte some browsers wait for, and the keep-alive of a quiet stream. */
export const OPENING = ':\n\n';
/** Ends an operation, so graphql-sse clients stop waiting for it. */
export const COMPLETE = 'event: complete\ndata:\n\n';
/** The last words of a stream the gateway ends because it is stopping. */
export const STOPPING = ': the gateway is stopping; reconnect\n\n';

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

/** The last words of a stream cut off because its client fell too far behind. */
export function slowConsumerMessage(distinct: boolean): string {
  const error = appError(
    'SLOW_CONSUMER',
    'This stream fell too far behind and was closed. Refetch, then resubscribe.',
  );
  const payload = JSON.stringify({ data: null, errors: [error.toJSON()] });
  // In single-connection mode events carry operation ids this adapter does not track; a comment says why.
  return distinct
    ? `event: next\ndata: ${payload}\n\nevent: complete\ndata: \n\n`
    : `: closed: SLOW_CONSUMER: this stream fell too far behind\n\n`;
}

/** New streams while the gateway stops: 503, so the client retries (through the balancer, elsewhere). */
export function refuseWhileStopping(res: Response): void {
  res
    .status(503)
    .set('retry-after', '1')
    .json({ errors: [{ message: 'The gateway is stopping.' }] });
}
