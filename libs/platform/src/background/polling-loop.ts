import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

export interface PollingLoopOptions {
  /** One round of work; returns how many items it handled (0: nothing to do, so rest). */
  work: () => Promise<number>;
  logger: Logger;
  /** Logged (with the error) when a round throws; the loop waits a second and goes on. */
  failureMessage: string;
  /** How long an idle loop rests before looking again, unless poked. */
  idleMs: number;
}

/**
 * A background worker that runs rounds of work back to back while there is work, rests `idleMs` when a
 * round finds none, and wakes at once when poked. A poke that arrives during a round is not lost: the
 * next round starts without resting. The outbox relay and the notification dispatcher both run on it.
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pokedWhileBusy = false;

  constructor(private readonly options: PollingLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let handled = 0;
        this.pokedWhileBusy = false;
        try {
          handled = await this.options.work();
        } catch (error) {
          this.options.logger.warn({ err: error }, this.options.failureMessage);
          await sleep(1_000);
        }
        if (handled === 0 && !this.pokedWhileBusy && this.running) await this.idle();
      }
    })();
  }

  poke(): void {
    this.pokedWhileBusy = true;
    this.wake?.();
  }

  /** Lets the current round finish, then ends the loop. */
  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.idleMs);
      this.wake = done;
    });
  }
}
