import pino from 'pino';
import { describeEventBusContract } from './event-bus.contract';
import { InProcessEventBus } from './in-process-bus';

describeEventBusContract(
  'InProcessEventBus',
  async () => new InProcessEventBus({ logger: pino({ level: 'silent' }), maxAttempts: 3, retryDelayMs: 1 }),
);
