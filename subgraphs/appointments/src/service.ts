import { DateTimeResolver } from 'graphql-scalars';
import {
  createLogger,
  loadSubgraphSchema,
  probeDatabase,
  startSubgraphServer,
  type EventBus,
  type Logger,
  type RunningServer,
} from '@clinic/platform';
import { bookingResolvers } from './booking/resolvers';
import { createAppointmentsRelay } from './outbox/relay';
import type { AppointmentsContext } from './context';
import { connectAppointmentsDatabase } from './database';
import { createScheduleLoaders } from './schedule/loaders';
import { scheduleResolvers } from './schedule/resolvers';
import { slotResolvers } from './slots/free-slots';

export interface AppointmentsServiceOptions {
  databaseUrl: string;
  port: number;
  bus: EventBus;
  /** Run the outbox relay in this process (default true); tests run it separately to kill it. */
  relay?: boolean;
  logger?: Logger;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export async function startAppointmentsService(options: AppointmentsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('appointments');
  const db = connectAppointmentsDatabase(options.databaseUrl, options.onQuery);
  const relay = createAppointmentsRelay(db, options.bus, logger);
  if (options.relay !== false) relay.start();
  const server = await startSubgraphServer<AppointmentsContext>({
    name: 'appointments',
    typeDefs: loadSubgraphSchema('appointments'),
    resolvers: [{ DateTime: DateTimeResolver }, slotResolvers, scheduleResolvers, bookingResolvers],
    createContext: (request) => ({ ...request, db, outbox: relay, loaders: createScheduleLoaders(db) }),
    readiness: async () => ({
      'database:appointments': await probeDatabase(db),
      'event-bus:appointments': await options.bus.health(),
    }),
    logger,
    port: options.port,
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await relay.stop();
      await db.$disconnect();
    },
  };
}
