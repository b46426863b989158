import { appError } from '@clinic/contracts';
import { createLogger, withCorrelation } from '@clinic/platform';
import { GraphQLError } from 'graphql';
import { errorPipeline } from './error-pipeline';

const logger = createLogger('test', 'silent');

describe('the error pipeline', () => {
  const typo = new GraphQLError('Cannot query field "doctorI" on type "Doctor". Did you mean "doctorId"?');

  it('gives an error raised outside Apollo its code and the request’s correlation id', () => {
    const formatted = withCorrelation('req-7', () =>
      errorPipeline('development', logger).formatRaw(typo, 'GRAPHQL_VALIDATION_FAILED'),
    );
    expect(formatted.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', correlationId: 'req-7' });
    expect(formatted.message).toMatch(/Did you mean "doctorId"\?$/);
  });

  it('hides suggestions in production', () => {
    const formatted = errorPipeline('production', logger).formatRaw(typo, 'GRAPHQL_VALIDATION_FAILED');
    expect(formatted.message).toBe('Cannot query field "doctorI" on type "Doctor". [Suggestion hidden]');
  });

  it('keeps a code an error already has, and masks what has none worth keeping', () => {
    const pipeline = errorPipeline('production', logger);
    expect(
      pipeline.formatRaw(appError('RATE_LIMITED', 'Slow down.'), 'BAD_REQUEST').extensions?.['code'],
    ).toBe('RATE_LIMITED');
    expect(pipeline.formatRaw(new Error('db down'), 'BAD_REQUEST')).toEqual({
      message: 'Internal server error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
