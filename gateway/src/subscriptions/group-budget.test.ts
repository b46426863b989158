import { until } from '@clinic/testing';
import { addressBlock, GroupBudget } from './group-budget';
import { endpoint } from './testing/sse-endpoint-harness';

describe('addressBlock', () => {
  it('counts an IPv6 client by its /64 and an IPv4 client by its address', () => {
    expect(addressBlock('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressBlock('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(addressBlock('127.0.0.1')).toBe('127.0.0.1');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
  });
});

describe('subscriptions from one address', () => {
  it('may hold only so many distinct groups, signed in or not: varying the selection cannot multiply resolutions', async () => {
    const { hub, port, release, stop } = await endpoint();
    release();
    const controller = new AbortController();
    // Each alias makes another selection, and so another group the hub resolves every event for.
    const open = (index: number) =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        signal: controller.signal,
        headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `subscription($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) { a${index}: slotId } }`,
          variables: { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' },
        }),
      });
    // Held to the end: undici cancels the body of a Response collected unread, which would close its
    // stream and free its group.
    const streams: Response[] = [];
    try {
      for (let index = 0; index < 20; index++) {
        const stream = await open(index);
        expect(stream.status).toBe(200);
        streams.push(stream);
      }
      await until(() => hub.stats.subscribers === 20, 30_000);
      const refused = await open(20);
      const text = await Promise.race([
        refused.text(),
        new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 30_000)),
      ]);
      expect(text).toContain('RATE_LIMITED');
      expect(text).toContain('event: complete');
      expect(hub.stats.subscribers).toBe(20);
    } finally {
      await Promise.allSettled(streams.map((stream) => stream.body?.cancel()));
      controller.abort();
      await stop();
    }
  });
});

describe('GroupBudget', () => {
  it('lets an owner into groups it holds and new ones up to its bound, and forgets it once it holds none', () => {
    const budget = new GroupBudget({ subject: 2, address: 1 });
    const subject = ['subject:Patient:p-1'];
    budget.own(subject, 'a');
    budget.own(subject, 'b');
    expect(budget.allows(subject, 'c')).toBe(false);
    expect(budget.allows(subject, 'a')).toBe(true);
    const both = [...subject, 'address:10.0.0.1'];
    budget.own(both, 'a');
    // The address holds one group: another is beyond its bound even where the subject's is not.
    budget.release(subject, 'b');
    expect(budget.allows(both, 'b')).toBe(false);
    expect(budget.size).toBe(2);
    budget.release(both, 'a');
    budget.release(subject, 'a');
    expect(budget.size).toBe(0);
  });
});
