/** Every gateway limit in one place, with defaults a production deployment can live with. */
export interface HardeningOptions {
  /** production: no introspection, no "did you mean" suggestions. development: both on, for the console. */
  mode: 'production' | 'development';
  /** Largest JSON body accepted. */
  bodyLimitBytes: number;
  /** Most operations in one batched HTTP request. */
  maxBatchSize: number;
  /** Operations a signed-in subject may run per minute (a batch counts each of its operations). */
  subjectRequestsPerMinute: number;
  /** HTTP requests one IP address may send per minute, signed in or not. */
  ipRequestsPerMinute: number;
  /** Steady pace at which one IP address's requests are started, per second; faster ones wait. */
  ipRequestsPerSecond: number;
  /** Requests one IP address may start at once after a quiet spell. */
  ipBurst: number;
  /** Requests from one IP address worked on at once; more wait their turn. */
  ipConcurrentRequests: number;
  /** Requests from one IP address that may wait for a turn; beyond that, 429. */
  ipQueuedRequests: number;
  /** Deadline for each subgraph fetch. */
  subgraphTimeoutMs: number;
  /** Express's `trust proxy`: set it (e.g. 1) behind a load balancer so limits see the client's address. */
  trustProxy: boolean | number | string;
}

export const DEFAULT_HARDENING: HardeningOptions = {
  mode: 'production',
  bodyLimitBytes: 100 * 1024,
  maxBatchSize: 10,
  subjectRequestsPerMinute: 600,
  ipRequestsPerMinute: 1200,
  ipRequestsPerSecond: 40,
  ipBurst: 8,
  ipConcurrentRequests: 4,
  ipQueuedRequests: 32,
  subgraphTimeoutMs: 10_000,
  trustProxy: false,
};

const whole = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number.`);
  return value;
};

/**
 * NODE_ENV (production or not), GATEWAY_BODY_LIMIT_BYTES, GATEWAY_MAX_BATCH, RATE_LIMIT_SUBJECT_PER_MINUTE,
 * RATE_LIMIT_IP_PER_MINUTE, RATE_LIMIT_IP_PER_SECOND, RATE_LIMIT_IP_BURST, RATE_LIMIT_IP_CONCURRENT,
 * RATE_LIMIT_IP_QUEUED,
 * SUBGRAPH_TIMEOUT_MS, GATEWAY_TRUST_PROXY.
 */
export function hardeningFromEnv(env: NodeJS.ProcessEnv): HardeningOptions {
  const trustProxy = env['GATEWAY_TRUST_PROXY'];
  return {
    mode: env['NODE_ENV'] === 'production' ? 'production' : 'development',
    bodyLimitBytes: whole(env, 'GATEWAY_BODY_LIMIT_BYTES', DEFAULT_HARDENING.bodyLimitBytes),
    maxBatchSize: whole(env, 'GATEWAY_MAX_BATCH', DEFAULT_HARDENING.maxBatchSize),
    subjectRequestsPerMinute: whole(
      env,
      'RATE_LIMIT_SUBJECT_PER_MINUTE',
      DEFAULT_HARDENING.subjectRequestsPerMinute,
    ),
    ipRequestsPerMinute: whole(env, 'RATE_LIMIT_IP_PER_MINUTE', DEFAULT_HARDENING.ipRequestsPerMinute),
    ipRequestsPerSecond: whole(env, 'RATE_LIMIT_IP_PER_SECOND', DEFAULT_HARDENING.ipRequestsPerSecond),
    ipBurst: whole(env, 'RATE_LIMIT_IP_BURST', DEFAULT_HARDENING.ipBurst),
    ipConcurrentRequests: whole(env, 'RATE_LIMIT_IP_CONCURRENT', DEFAULT_HARDENING.ipConcurrentRequests),
    ipQueuedRequests: whole(env, 'RATE_LIMIT_IP_QUEUED', DEFAULT_HARDENING.ipQueuedRequests),
    subgraphTimeoutMs: whole(env, 'SUBGRAPH_TIMEOUT_MS', DEFAULT_HARDENING.subgraphTimeoutMs),
    trustProxy:
      trustProxy === undefined || trustProxy === ''
        ? false
        : /^\d+$/.test(trustProxy)
          ? Number(trustProxy)
          : trustProxy === 'true' || trustProxy,
  };
}
