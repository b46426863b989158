import { madeSince } from './jest-global-teardown';

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
});
