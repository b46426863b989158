import { until } from '@clinic/testing';
import { endpoint, subscribe } from './testing/sse-endpoint-harness';

describe('a distinct-connection subscription', () => {
  it('is not attached when its client leaves while the token is being checked', async () => {
    const { hub, port, release, checking, stop } = await endpoint();
    try {
      const { socket } = subscribe(port);
      // The request is in and waiting for the token check; the client goes away.
      await checking;
      // A reset, so the server's socket closes at once (a FIN would leave it half open until it answers).
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await until(() => hub.stats.subscribers === 0, 30_000);
      expect(hub.stats.groups).toBe(0);
    } finally {
      await stop();
    }
  });

  it('is attached, and leaves when its client goes', async () => {
    const { hub, port, release, stop } = await endpoint();
    release();
    try {
      const { socket, firstBytes } = subscribe(port);
      expect(await firstBytes).toMatch(/^HTTP\/1\.1 200[\s\S]*text\/event-stream/);
      expect(hub.stats.subscribers).toBe(1);
      socket.destroy();
      await until(() => hub.stats.subscribers === 0, 30_000);
    } finally {
      await stop();
    }
  });
});
