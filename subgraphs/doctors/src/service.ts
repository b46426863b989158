import { DateTimeResolver } from 'graphql-scalars';
import {
  createLogger,
  probeDatabase,
  startSubgraphServer,
  type RunningServer,
  type ServiceOptions,
} from '@clinic/platform';
import { availabilityResolvers } from './availability/resolvers';
import { DEFAULT_HORIZON_DAYS } from './availability/publish-availability';
import { createDoctorsRelay } from './events/relay';
import { startAvailabilityRoller } from './availability/roll-forward';
import { connectDoctorsDatabase } from './database';
import { createDirectoryLoaders } from './directory/loaders';
import { directoryResolvers } from './directory/resolvers';
import type { DoctorsContext } from './context';

export interface DoctorsServiceOptions extends ServiceOptions {
  /** Where the outbox relay publishes doctor.* events. */
  /** Run the outbox relay and the daily availability roll-forward here (default true). */
  relay?: boolean;
  /** Days of slots published ahead; default 60. */
  horizonDays?: number;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export async function startDoctorsService(options: DoctorsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('doctors');
  const db = connectDoctorsDatabase(options.databaseUrl, options.onQuery);
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const relay = createDoctorsRelay(db, options.bus, logger);
  if (options.relay !== false) relay.start();
  const roller =
    options.relay === false
      ? null
      : startAvailabilityRoller({ db, horizonDays, logger, onPublished: () => relay.poke() });
  const server = await startSubgraphServer<DoctorsContext>({
    name: 'doctors',
    service: options,
    resolvers: [{ DateTime: DateTimeResolver }, directoryResolvers, availabilityResolvers],
    createContext: (request) => ({
      ...request,
      db,
      loaders: createDirectoryLoaders(db),
      outbox: relay,
      horizonDays,
    }),
    readiness: async () => ({
      'database:doctors': await probeDatabase(db),
    }),
    logger,
    stopAfter: [() => roller?.stop(), () => relay.stop(), () => db.$disconnect()],
  });
  return server;
}
