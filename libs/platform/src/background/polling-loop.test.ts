import pino from 'pino';
import { PollingLoop } from './polling-loop';

const logger = pino({ level: 'silent' });

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
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rounds).toBe(4); // three with work, one that found none and rests
    queue = 1;
    loop.poke();
    await new Promise((resolve) => setTimeout(resolve, 50));
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
    await new Promise((resolve) => setTimeout(resolve, 10));
    loop.poke(); // arrives while the first round is still running
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
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
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(rounds).toBeGreaterThanOrEqual(2);
    await loop.stop();
  });
});
