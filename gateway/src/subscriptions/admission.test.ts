import { createLogger } from '@clinic/platform';
import { specifiedRules } from 'graphql';
import type { TokenVerifier } from '../auth/verify-token';
import { errorPipeline } from '../hardening/error-pipeline';
import { StreamAdmission, type Admission } from './admission';
import { endpoint, schema } from './testing/sse-endpoint-harness';

describe('a subscription document', () => {
  it('over the query path token limit is refused with 400, the limit not named', async () => {
    const { port, release, stop } = await endpoint();
    release();
    try {
      const query = `subscription { slotAvailabilityChanged(from: "a", to: "b") { ${'slotId '.repeat(2_000)} } }`;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string }[] };
      expect(body.errors[0]?.message).toBe('The operation has too many tokens.');
    } finally {
      await stop();
    }
  });
});

describe('admission', () => {
  const logger = createLogger('gateway', 'silent');
  const admission = (verifyToken: TokenVerifier = async () => null) =>
    new StreamAdmission({
      schema: () => schema,
      verifyToken,
      runQuery: async () => ({ data: { clinics: [] } }),
      errors: errorPipeline('production', logger),
      validationRules: specifiedRules,
    });
  const status = (admitted: Admission) => (admitted.kind === 'refused' ? admitted.response[1].status : 0);

  it('refuses a caller whose token does not verify, with 401', async () => {
    const admitted = await admission(() => Promise.reject(new Error('bad token'))).admit(
      'Bearer x',
      { query: '{ clinics { id } }' },
      undefined,
    );
    expect(status(admitted)).toBe(401);
  });

  it('refuses a mutation over an event stream, with 400', async () => {
    const admitted = await admission().admit(
      undefined,
      {
        query:
          'mutation { cancelAppointment(input: { appointmentId: "a", idempotencyKey: "key-0001" }) { __typename } }',
      },
      undefined,
    );
    expect(status(admitted)).toBe(400);
    if (admitted.kind !== 'refused') throw new Error(admitted.kind);
    expect(admitted.response[0]).toContain('BAD_REQUEST');
  });

  it('answers a query at once and passes a subscription on, with the caller and address', async () => {
    const answered = await admission().admit(undefined, { query: '{ clinics { id } }' }, undefined);
    expect(answered).toEqual({ kind: 'answered', result: { data: { clinics: [] } } });
    const subscription = await admission(async () => ({ role: 'Patient', subject: 'p-1' })).admit(
      undefined,
      {
        query:
          'subscription($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) { slotId } }',
        variables: { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' },
      },
      '10.0.0.9',
    );
    if (subscription.kind !== 'subscription') throw new Error(subscription.kind);
    expect(subscription.request).toMatchObject({ identity: { subject: 'p-1' }, address: '10.0.0.9' });
  });
});
