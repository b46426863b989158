import { Writable } from 'node:stream';
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

describe('correlationIdFrom', () => {
  it('keeps a sane caller id and replaces anything else', () => {
    expect(correlationIdFrom('abc-123:x')).toBe('abc-123:x');
    expect(correlationIdFrom(['first-id', 'second'])).toBe('first-id');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), '<script>']) {
      expect(correlationIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
