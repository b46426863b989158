import { until } from '@clinic/testing';
import pino from 'pino';
import { PollingLoop } from './polling-loop';

const logger = pino({ level: 'silent' });

/** Room for a round the loop should not run to show up (a loop that does not rest runs at once). */
const extraRoundWouldShow = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('PollingLoop', () => {
  it('runs rounds back to back while there is work, then rests until poked', async () => {
    let queue = 3;
    let rounds = 0;
    const loop = new PollingLoop({
      work: async () => {
        rounds += 1;
        return queue > 0 ? ((queue -= 1), 1) : 0;
      },
      logger,
      failureMessage: 'failed',
      idleMs: 60_000,
    });
    loop.start();
    await until(() => rounds >= 4);
    await extraRoundWouldShow();
    expect(rounds).toBe(4); // three with work, one that found none and rests
    queue = 1;
    loop.poke();
    await until(() => rounds >= 6);
    await extraRoundWouldShow();
    expect(rounds).toBe(6);
    await loop.stop();
  });

  it('does not lose a poke that arrives during a round', async () => {
    let rounds = 0;
    let release: () => void = () => undefined;
    const loop = new PollingLoop({
      work: async () => {
        rounds += 1;
        if (rounds === 1) await new Promise<void>((resolve) => (release = resolve));
        return 0;
      },
      logger,
      failureMessage: 'failed',
      idleMs: 60_000,
    });
    loop.start();
    await until(() => rounds === 1);
    loop.poke(); // arrives while the first round is still running
    release();
    await until(() => rounds >= 2); // a lost poke would leave the loop resting for a minute
    await extraRoundWouldShow();
    expect(rounds).toBe(2);
    await loop.stop();
  });

  it('keeps going after a round throws', async () => {
    let rounds = 0;
    const loop = new PollingLoop({
      work: async () => {
        rounds += 1;
        if (rounds === 1) throw new Error('database away');
        return 0;
      },
      logger,
      failureMessage: 'failed',
      idleMs: 10,
    });
    loop.start();
    await until(() => rounds >= 2); // a second after the failure
    expect(rounds).toBeGreaterThanOrEqual(2);
    await loop.stop();
  });
});
