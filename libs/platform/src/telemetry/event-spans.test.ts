import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { currentTraceparent, inBatchConsumerSpan, injectTraceContext, inProducerSpan } from './event-spans';
import { recordSpans } from './span-recorder';

/** A relay's publish of a row stored with `stored`; answers the traceparent its messages carry. */
const publishOnce = (stored: string | null = null) =>
  inProducerSpan('clinic.appointments.v1', stored, 1, async () => currentTraceparent() as string);

/** Two publishes of rows one request wrote: the traceparents their messages carry, of one trace. */
const twoPublishesOfOneRequest = () =>
  trace.getTracer('test').startActiveSpan('request', async (span) => {
    const stored = currentTraceparent();
    const both = [await publishOnce(stored), await publishOnce(stored)];
    span.end();
    return both;
  });

describe('injectTraceContext', () => {
  it("writes the active span's traceparent, and nothing when tracing is off", async () => {
    const written = () => {
      const headers: Record<string, string> = {};
      injectTraceContext((name, value) => (headers[name] = value));
      return headers;
    };
    expect(written()).toEqual({});
    const recorder = recordSpans();
    try {
      trace.getTracer('test').startActiveSpan('fetch', (span) => {
        const { traceId, spanId } = span.spanContext();
        expect(written()).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
        span.end();
      });
    } finally {
      await recorder.stop();
    }
  });
});

describe('trace context through events', () => {
  it('is nothing at all when tracing is off: no traceparent to store or send', async () => {
    expect(currentTraceparent()).toBeNull();
    await expect(publishOnce()).resolves.toBeNull();
  });

  it('continues a stored traceparent in the publish span, a PRODUCER child of the request that wrote it', async () => {
    const recorder = recordSpans();
    try {
      const stored = await trace.getTracer('test').startActiveSpan('request', async (span) => {
        span.end();
        return currentTraceparent();
      });
      const sent = await inProducerSpan('clinic.appointments.v1', stored, 2, async () =>
        currentTraceparent(),
      );
      const [request, publish] = recorder.spans();
      expect(publish).toMatchObject({ name: 'publish clinic.appointments.v1', kind: SpanKind.PRODUCER });
      expect(publish?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
      expect(sent).toBe(`00-${publish?.spanContext().traceId}-${publish?.spanContext().spanId}-01`);
    } finally {
      await recorder.stop();
    }
  });

  it('makes a batch from two traces a new trace linked to both publishes, never a child of either', async () => {
    const recorder = recordSpans();
    try {
      const [a, b] = [await publishOnce(), await publishOnce()];
      await inBatchConsumerSpan('clinic.appointments.v1', 'audit', [a, b, a], async () => undefined);
      const batch = recorder.spans().at(-1);
      expect(batch?.parentSpanContext).toBeUndefined();
      expect(batch?.links.map((link) => link.context.spanId).sort()).toEqual(
        [a, b].map((traceparent) => traceparent.split('-')[2]).sort(),
      );
      expect(batch?.attributes['messaging.batch.message_count']).toBe(3);
    } finally {
      await recorder.stop();
    }
  });

  it('gives each trace of a mixed batch a span of its own, a child of its first publish, linked to the batch', async () => {
    // A background consumer's batch gathers many requests' events: each request's trace must still show
    // that its events were handled, and when, as the question on call is "what happened to this booking?".
    const recorder = recordSpans();
    try {
      const [a1, a2] = await twoPublishesOfOneRequest();
      const b = await publishOnce();
      // An unsampled request's message: its trace records nothing, so it gets no span.
      const unsampled = `00-${'1'.repeat(32)}-${'2'.repeat(16)}-00`;
      const before = recorder.spans().length;
      await expect(
        inBatchConsumerSpan('clinic.appointments.v1', 'audit', [a1, b, unsampled, a2, a1], async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('the transaction failed');
        }),
      ).rejects.toThrow('the transaction failed');
      const made = recorder.spans().slice(before);
      const batch = made.find((span) => span.parentSpanContext === undefined);
      const spanId = (traceparent: string | undefined) => traceparent?.split('-')[2];
      const traceId = (traceparent: string | undefined) => traceparent?.split('-')[1];
      const own = made.filter((span) => span !== batch);
      expect(
        own.map((span) => ({
          name: span.name,
          kind: span.kind,
          traceId: span.spanContext().traceId,
          parent: span.parentSpanContext?.spanId,
          links: span.links.map((link) => link.context.spanId),
          count: span.attributes['messaging.batch.message_count'],
          status: span.status.code,
        })),
      ).toEqual(
        expect.arrayContaining(
          [
            { traceparent: a1, count: 3 },
            { traceparent: b, count: 1 },
          ].map(({ traceparent, count }) => ({
            name: 'process clinic.appointments.v1',
            kind: SpanKind.CONSUMER,
            traceId: traceId(traceparent),
            parent: spanId(traceparent),
            links: [batch?.spanContext().spanId],
            count,
            status: SpanStatusCode.ERROR,
          })),
        ),
      );
      expect(own).toHaveLength(2);
      expect(batch?.status.code).toBe(SpanStatusCode.ERROR);
      // Each lasts as long as the batch's work (which took at least 20 ms).
      for (const span of own)
        expect(span.duration[0] * 1e3 + span.duration[1] / 1e6).toBeGreaterThanOrEqual(19);
      // A batch that succeeds marks none of them failed.
      const next = recorder.spans().length;
      await inBatchConsumerSpan('clinic.appointments.v1', 'audit', [a1, b], async () => undefined);
      expect(
        recorder
          .spans()
          .slice(next)
          .map((span) => span.status.code),
      ).toEqual([SpanStatusCode.UNSET, SpanStatusCode.UNSET, SpanStatusCode.UNSET]);
    } finally {
      await recorder.stop();
    }
  });

  it("never lets unsampled messages take a sampled trace's place among the 128 spans a batch gives", async () => {
    const recorder = recordSpans();
    try {
      const sampled = await publishOnce();
      const unsampled = Array.from(
        { length: 128 },
        (_, index) => `00-${(index + 1).toString(16).padStart(32, '0')}-${'2'.repeat(16)}-00`,
      );
      const before = recorder.spans().length;
      await inBatchConsumerSpan(
        'clinic.appointments.v1',
        'audit',
        [...unsampled, sampled],
        async () => undefined,
      );
      const own = recorder
        .spans()
        .slice(before)
        .filter((span) => span.parentSpanContext !== undefined);
      expect(own.map((span) => span.parentSpanContext?.spanId)).toEqual([sampled.split('-')[2]]);
    } finally {
      await recorder.stop();
    }
  });

  it('makes a batch of one trace a child of its first publish, linked to the others of that trace', async () => {
    const recorder = recordSpans();
    try {
      const [a, b] = await twoPublishesOfOneRequest();
      await inBatchConsumerSpan('clinic.appointments.v1', 'audit', [a, a, b], async () => undefined);
      const batch = recorder.spans().at(-1);
      expect(batch?.parentSpanContext?.spanId).toBe(a?.split('-')[2]);
      expect(batch?.links.map((link) => link.context.spanId)).toEqual([b?.split('-')[2]]);
    } finally {
      await recorder.stop();
    }
  });
});
