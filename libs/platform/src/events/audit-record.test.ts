import { randomUUID } from 'node:crypto';
import { InvalidEventError, parseEnvelope } from '@clinic/contracts';
import { withCorrelation } from '../logging/request-context';
import { auditRecord } from './audit-record';

describe('auditRecord', () => {
  it('builds a valid audit.recorded event carrying ids only', () => {
    const clientId = randomUUID();
    const event = auditRecord({
      action: 'patient.pii-read',
      actor: { role: 'ClinicAdmin', subject: randomUUID() },
      subjectType: 'Patient',
      subjectId: clientId,
      clientId,
    });
    expect(event.type).toBe('audit.recorded');
    expect(event.aggregateId).toBe(clientId);
    expect(event.payload).toEqual({
      action: 'patient.pii-read',
      subjectType: 'Patient',
      subjectId: clientId,
      clientId,
    });
    expect(parseEnvelope(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('refuses free text where a dotted action name belongs', () => {
    expect(() =>
      auditRecord({
        action: 'Read the record of jane@example.com',
        actor: { role: 'System', subject: 'gateway' },
        subjectType: 'Token',
        subjectId: 'abc',
      }),
    ).toThrow(InvalidEventError);
  });
});

describe('auditRecord within a request', () => {
  it('carries the request correlation id', () => {
    const correlationId = `corr-${randomUUID()}`;
    const event = withCorrelation(correlationId, () =>
      auditRecord({
        action: 'auth.token-rejected',
        actor: { role: 'System', subject: 'gateway' },
        subjectType: 'Token',
        subjectId: 'kid-unknown',
      }),
    );
    expect(event.correlationId).toBe(correlationId);
  });
});
