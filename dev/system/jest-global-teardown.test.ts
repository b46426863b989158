import globalTeardown, { CLEANUP, madeSince } from './jest-global-teardown';

describe("the test run's topic cleanup", () => {
  const doomed = madeSince(new Set(['earlier-clinic.doctors.v1', 'clinic.audit.v1']));

  it('takes the prefixed streams made since the listing', () => {
    expect(doomed('run-1-clinic.appointments.v1')).toBe(true);
    expect(doomed('a.b.clinic.dead-letters.v1')).toBe(true);
  });

  it('leaves what was there before, unprefixed streams and topics that are not streams', () => {
    expect(doomed('earlier-clinic.doctors.v1')).toBe(false);
    expect(doomed('clinic.patients.v1')).toBe(false); // a service's own stream, prefix or none
    expect(doomed('run-1-clinic.appointments.v1-copy')).toBe(false);
    expect(doomed('__consumer_offsets')).toBe(false);
    expect(doomed('my-own-topic')).toBe(false);
  });

  it('deletes nothing while another run still uses the broker, and releases its own claim', async () => {
    const release = jest.fn();
    const globals = globalThis as Record<symbol, unknown>;
    const brokers = process.env['TEST_KAFKA_BROKERS'];
    // Unreachable: had it tried to delete, it would say why it could not.
    process.env['TEST_KAFKA_BROKERS'] = '127.0.0.1:1';
    globals[CLEANUP] = { before: new Set<string>(), use: { others: () => 1, release } };
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await globalTeardown();
      expect(log.mock.calls).toEqual([['test topics: left in place, 1 other run(s) still using the broker']]);
      expect(release).toHaveBeenCalledTimes(1);
    } finally {
      log.mockRestore();
      globals[CLEANUP] = undefined;
      if (brokers === undefined) delete process.env['TEST_KAFKA_BROKERS'];
      else process.env['TEST_KAFKA_BROKERS'] = brokers;
    }
  });
});
