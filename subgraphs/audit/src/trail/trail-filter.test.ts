import { GraphQLError } from 'graphql';
import { auditTrailFilter } from './trail-filter';

describe('auditTrailFilter', () => {
  it('asks for nothing when no filter is given', () => {
    expect(auditTrailFilter({})).toEqual({});
  });

  it('combines every filter given', () => {
    const from = new Date('2026-12-01T00:00:00Z');
    const to = new Date('2026-12-02T00:00:00Z');
    expect(
      auditTrailFilter({
        correlationId: 'corr-1',
        actorRole: 'ClinicAdmin',
        actorSubject: 'actor-1',
        subjectType: 'Patient',
        subjectId: 'patient-1',
        occurredFrom: from,
        occurredTo: to,
        before: '120',
      }),
    ).toEqual({
      correlationId: 'corr-1',
      actorRole: 'ClinicAdmin',
      actorSubject: 'actor-1',
      subjectType: 'Patient',
      subjectId: 'patient-1',
      occurredAt: { gte: from, lt: to },
      sequence: { lt: 120n },
    });
    expect(auditTrailFilter({ occurredTo: to })).toEqual({ occurredAt: { lt: to } });
  });

  it('refuses a cursor that is not a sequence and an empty time range', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof GraphQLError ? error.extensions['code'] : error;
      }
      return 'no error';
    };
    expect(code(() => auditTrailFilter({ before: '12abc' }))).toBe('BAD_USER_INPUT');
    const at = new Date('2026-12-01T00:00:00Z');
    expect(code(() => auditTrailFilter({ occurredFrom: at, occurredTo: at }))).toBe('BAD_USER_INPUT');
  });
});
