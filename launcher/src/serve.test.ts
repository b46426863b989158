import { drainAndStop } from './serve';

describe('drainAndStop (SIGTERM)', () => {
  it('goes unready at once, keeps serving for the delay, and only then stops', async () => {
    const steps: string[] = [];
    let stopped = false;
    const running = {
      beginDrain: () => void steps.push('unready'),
      stop: async () => {
        steps.push('stop');
        stopped = true;
      },
    };
    const draining = drainAndStop(running, 200);
    // Unready before anything else happens; the server is not stopped during the delay.
    expect(steps).toEqual(['unready']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    await draining;
    expect(steps).toEqual(['unready', 'stop']);
  });
});
