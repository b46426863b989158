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
