import { createHash } from 'node:crypto';
import { canonicalEntry, chainHash, GENESIS_HASH, type ChainedFields } from './canonical-entry';

const entry: ChainedFields = {
  id: '0193A5E0-0000-7000-8000-000000000001',
  sequence: 42n,
  eventId: '0193a5e0-0000-7000-8000-0000000000e1',
  occurredAt: new Date('2026-12-01T09:00:00.123+10:00'),
  recordedAt: new Date('2026-12-01T00:00:01.5Z'),
  action: 'appointment.booked',
  actorRole: 'Patient',
  actorSubject: 'c0ffee00-0000-4000-8000-000000000001',
  subjectType: 'Appointment',
  subjectId: 'a "quoted" \\ line\nbreak ünïcode',
  clientId: null,
  clinicId: 'C11A1C00-0000-4000-8000-000000000001',
  correlationId: 'corr-1',
};

describe('canonicalEntry', () => {
  it('writes sorted keys, no whitespace, strings or null, uuids lowercased, instants in UTC to the ms', () => {
    expect(canonicalEntry(entry)).toBe(
      '{"action":"appointment.booked","actorRole":"Patient",' +
        '"actorSubject":"c0ffee00-0000-4000-8000-000000000001","clientId":null,' +
        '"clinicId":"c11a1c00-0000-4000-8000-000000000001","correlationId":"corr-1",' +
        '"eventId":"0193a5e0-0000-7000-8000-0000000000e1","id":"0193a5e0-0000-7000-8000-000000000001",' +
        '"occurredAt":"2026-11-30T23:00:00.123Z","recordedAt":"2026-12-01T00:00:01.500Z","sequence":"42",' +
        '"subjectId":"a \\"quoted\\" \\\\ line\\nbreak ünïcode","subjectType":"Appointment"}',
    );
  });

  it('does not depend on the order fields were given in', () => {
    const reversed = Object.fromEntries(Object.entries(entry).reverse()) as unknown as ChainedFields;
    expect(canonicalEntry(reversed)).toBe(canonicalEntry(entry));
  });

  it('changes with any field', () => {
    const base = canonicalEntry(entry);
    expect(canonicalEntry({ ...entry, sequence: 43n })).not.toBe(base);
    expect(canonicalEntry({ ...entry, actorRole: 'Doctor' })).not.toBe(base);
    expect(canonicalEntry({ ...entry, clientId: entry.clinicId })).not.toBe(base);
    expect(canonicalEntry({ ...entry, recordedAt: new Date(entry.recordedAt.getTime() + 1) })).not.toBe(base);
  });
});

describe('chainHash', () => {
  it('is sha256 of the previous hash followed by the canonical entry, in hex', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalEntry(entry))
      .digest('hex');
    expect(chainHash(GENESIS_HASH, entry)).toBe(expected);
    expect(chainHash(expected, entry)).not.toBe(expected);
  });
});
