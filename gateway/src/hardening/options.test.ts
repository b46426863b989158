import { DEFAULT_HARDENING, hardeningFromEnv } from './options';

describe('hardeningFromEnv', () => {
  it('defaults to development mode and the production-ready limits', () => {
    expect(hardeningFromEnv({})).toEqual({ ...DEFAULT_HARDENING, mode: 'development' });
  });

  it('reads production mode, every limit and the proxy setting', () => {
    expect(
      hardeningFromEnv({
        NODE_ENV: 'production',
        GATEWAY_BODY_LIMIT_BYTES: '2048',
        GATEWAY_MAX_BATCH: '3',
        RATE_LIMIT_SUBJECT_PER_MINUTE: '60',
        RATE_LIMIT_IP_PER_MINUTE: '120',
        RATE_LIMIT_IP_PER_SECOND: '5',
        RATE_LIMIT_IP_BURST: '3',
        RATE_LIMIT_IP_CONCURRENT: '2',
        RATE_LIMIT_IP_QUEUED: '8',
        SUBGRAPH_TIMEOUT_MS: '2500',
        GATEWAY_TRUST_PROXY: '1',
      }),
    ).toEqual({
      mode: 'production',
      bodyLimitBytes: 2048,
      maxBatchSize: 3,
      subjectRequestsPerMinute: 60,
      ipRequestsPerMinute: 120,
      ipRequestsPerSecond: 5,
      ipBurst: 3,
      ipConcurrentRequests: 2,
      ipQueuedRequests: 8,
      subgraphTimeoutMs: 2500,
      trustProxy: 1,
    });
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => hardeningFromEnv({ GATEWAY_MAX_BATCH: '0' })).toThrow(/GATEWAY_MAX_BATCH/);
    expect(() => hardeningFromEnv({ RATE_LIMIT_IP_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_IP_PER_MINUTE/);
    expect(() => hardeningFromEnv({ RATE_LIMIT_IP_PER_SECOND: '1.5' })).toThrow(/RATE_LIMIT_IP_PER_SECOND/);
  });
});
