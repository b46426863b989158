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
import type { AppointmentsContext } from './context';
import { connectAppointmentsDatabase } from './database';
import { createScheduleLoaders } from './schedule/loaders';
import { scheduleResolvers } from './schedule/resolvers';
import { slotResolvers } from './slots/free-slots';

export interface AppointmentsServiceOptions {
  databaseUrl: string;
  port: number;
  bus: EventBus;
  logger?: Logger;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export async function startAppointmentsService(options: AppointmentsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('appointments');
  const db = connectAppointmentsDatabase(options.databaseUrl, options.onQuery);
  const server = await startSubgraphServer<AppointmentsContext>({
    name: 'appointments',
    typeDefs: loadSubgraphSchema('appointments'),
    resolvers: [{ DateTime: DateTimeResolver }, slotResolvers, scheduleResolvers, bookingResolvers],
    createContext: (request) => ({ ...request, db, bus: options.bus, loaders: createScheduleLoaders(db) }),
    readiness: async () => ({ 'database:appointments': await probeDatabase(db) }),
    logger,
    port: options.port,
  });
  return { ...server, stop: async () => (await server.stop(), await db.$disconnect()) };
}
