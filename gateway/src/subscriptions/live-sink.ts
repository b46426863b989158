import { appError } from '@clinic/contracts';
import type { ExecutionResult } from 'graphql';

/**
 * One subscriber's stream: a bounded queue of results. When the subscriber falls `max` results behind,
 * the queue is replaced by one SLOW_CONSUMER error and the stream ends, instead of memory growing.
 * Hand-written because the iterator protocol is all it needs; no library adds a bound and a reason.
 */
export class LiveSink implements AsyncIterableIterator<ExecutionResult> {
  private queue: ExecutionResult[] = [];
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  private ending = false;
  private done = false;

  constructor(
    private readonly max: number,
    private readonly onClose: () => void,
    private readonly onCut: () => void,
  ) {}

  push(result: ExecutionResult): void {
    if (this.done || this.ending) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: result, done: false });
      return;
    }
    if (this.queue.length < this.max) {
      this.queue.push(result);
      return;
    }
    this.onCut();
    this.queue = [
      {
        data: null,
        errors: [
          appError(
            'SLOW_CONSUMER',
            'This stream fell too far behind and was closed. Refetch, then resubscribe.',
          ),
        ],
      },
    ];
    this.ending = true;
    this.onClose();
  }

  /** Ends the stream once what is queued has been read. */
  end(): void {
    this.ending = true;
    this.onClose();
    if (this.waiting && this.queue.length === 0) this.finish();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.ending || this.done) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue = [];
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<ExecutionResult>> {
    return this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.({ value: undefined, done: true });
  }
}
