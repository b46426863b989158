import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { recordSpans } from '../telemetry/span-recorder';
import { createLogger } from './logger';
import { correlationIdFrom, withCorrelation } from './request-context';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with the service and, inside a request, its correlation id', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('appointments', 'info', stream);
    logger.info('outside');
    await withCorrelation('corr-42', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.child({ step: 2 }).warn('inside, after an await');
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'appointments', msg: 'outside' }),
      expect.objectContaining({ level: 'warn', service: 'appointments', correlationId: 'corr-42', step: 2 }),
    ]);
    expect(lines[0]).not.toHaveProperty('correlationId');
  });
});

describe('createLogger inside a trace', () => {
  it('adds trace_id and span_id of the active span beside the correlation id, and nothing outside one', async () => {
    const recorder = recordSpans();
    try {
      const { lines, stream } = capture();
      const logger = createLogger('audit', 'info', stream);
      logger.info('before any span');
      const ids = await trace.getTracer('test').startActiveSpan('process audit', async (span) =>
        withCorrelation('corr-7', async () => {
          await new Promise((resolve) => setImmediate(resolve));
          logger.info('inside the span');
          span.end();
          return span.spanContext();
        }),
      );
      expect(lines[1]).toMatchObject({ correlationId: 'corr-7', trace_id: ids.traceId, span_id: ids.spanId });
      expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(lines[0]).not.toHaveProperty('trace_id');
      expect(lines[0]).not.toHaveProperty('span_id');
    } finally {
      await recorder.stop();
    }
  });

  it('adds nothing when tracing is off', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('audit', 'info', stream);
    await trace.getTracer('test').startActiveSpan('no provider', async (span) => {
      logger.info('inside a span nobody records');
      span.end();
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
  });
});

describe('correlationIdFrom', () => {
  it('keeps a sane caller id and replaces anything else', () => {
    expect(correlationIdFrom('abc-123:x')).toBe('abc-123:x');
    expect(correlationIdFrom(['first-id', 'second'])).toBe('first-id');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), '<script>']) {
      expect(correlationIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
