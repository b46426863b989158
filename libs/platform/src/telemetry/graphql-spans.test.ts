import { trace } from '@opentelemetry/api';
import { parse } from 'graphql';
import { describeOperation, GraphqlSpanNames, withGraphqlOperation } from './graphql-spans';
import { recordSpans } from './span-recorder';

describe('describeOperation', () => {
  it("names an operation by its root fields, through fragments, never by the caller's chosen name", () => {
    const document = parse(`
      query SecretCallerName { me { clientId } ...Rest ... on Query { clinics { name } } }
      fragment Rest on Query { appointments(first: 1) { id } me { clientId } }
      mutation Other { cancelAppointment(input: {}) { __typename } }`);
    expect(describeOperation(document, 'SecretCallerName', 'h1')).toEqual({
      type: 'query',
      rootFields: 'appointments,clinics,me',
      documentHash: 'h1',
    });
    expect(describeOperation(document, 'Other', 'h1')).toMatchObject({
      type: 'mutation',
      rootFields: 'cancelAppointment',
    });
    // Two operations and no name, or a name that is not there: nothing to describe.
    expect(describeOperation(document, undefined, 'h1')).toBeNull();
    expect(describeOperation(document, 'Missing', 'h1')).toBeNull();
  });
});

describe('GraphqlSpanNames', () => {
  it("renames @apollo/gateway's spans and writes the described operation over the caller's name", async () => {
    const recorder = recordSpans([new GraphqlSpanNames()]);
    try {
      const tracer = trace.getTracer('test');
      const request = {
        document: parse('mutation CallerText { bookAppointment(input: {}) { __typename } }'),
        operationName: 'CallerText',
        queryHash: 'abc123',
      };
      await tracer.startActiveSpan('POST', async (server) => {
        await withGraphqlOperation(request, async () => {
          for (const name of ['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.validate'])
            tracer
              .startSpan(name, {
                attributes: { 'graphql.operation.name': 'CallerText', operationName: 'CallerText' },
              })
              .end();
          tracer.startSpan('gateway.fetch', { attributes: { service: 'appointments' } }).end();
        });
        server.end();
      });
      const spans = recorder.spans().filter((span) => span.name !== 'POST');
      expect(spans.map((span) => span.name)).toEqual([
        'gateway.request',
        'graphql.plan',
        'graphql.execute',
        'graphql.validate',
        'graphql.subgraph.operation',
      ]);
      for (const span of spans) {
        expect(span.attributes).toMatchObject({
          'graphql.operation.name': 'bookAppointment',
          'graphql.operation.type': 'mutation',
          'graphql.document.hash': 'abc123',
        });
        expect(JSON.stringify(span.attributes)).not.toContain('CallerText');
      }
      expect(spans.at(-1)?.attributes['graphql.subgraph.name']).toBe('appointments');
    } finally {
      await recorder.stop();
    }
  });
});
