import { DateTimeResolver } from 'graphql-scalars';
import {
  createLogger,
  PollingLoop,
  probeDatabase,
  startSubgraphServer,
  type RunningServer,
  type ServiceOptions,
} from '@clinic/platform';
import { startHoldSweeper } from './booking/expire-holds';
import { bookingResolvers } from './booking/resolvers';
import { startAppointmentsConsumers } from './events/consumers';
import { createAppointmentsRelay } from './events/relay';
import { settleDisplacedChunk } from './reassignment/settle-displaced';
import { SOLO_PRACTICES, type PracticeGroups } from './reassignment/practice-groups';
import type { AppointmentsContext } from './context';
import { connectAppointmentsDatabase } from './database';
import { createScheduleLoaders } from './schedule/loaders';
import { scheduleResolvers } from './schedule/resolvers';
import { slotResolvers } from './slots/free-slots';
import { waitlistResolvers } from './waitlist/resolvers';

export interface AppointmentsServiceOptions extends ServiceOptions {
  /** Run the outbox relay in this process (default true); tests run it separately to kill it. */
  relay?: boolean;
  /** How long a hold keeps its slot (default 10). */
  holdMinutes?: number;
  /** How many slots one patient may hold at once (default 2). */
  holdsPerPatient?: number;
  /** Which clinics an appointment may be re-assigned between (default each clinic alone). */
  practiceGroups?: PracticeGroups;
  /** Consumer group for doctors' availability events (tests use their own). */
  availabilityGroup?: string;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export async function startAppointmentsService(options: AppointmentsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('appointments');
  const db = connectAppointmentsDatabase(options.databaseUrl, options.onQuery);
  const relay = createAppointmentsRelay(db, options.bus, logger);
  if (options.relay !== false) relay.start();
  const holdMinutes = options.holdMinutes ?? 10;
  const holdsPerPatient = options.holdsPerPatient ?? 2;
  if (!Number.isInteger(holdsPerPatient) || holdsPerPatient < 1) {
    throw new Error('HOLDS_PER_PATIENT must be a whole number of at least 1.');
  }
  const sweeper = startHoldSweeper(db, relay, logger);
  const groups = options.practiceGroups ?? SOLO_PRACTICES;
  const consumers = await startAppointmentsConsumers({
    db,
    bus: options.bus,
    logger,
    groups,
    relay,
    holdsPerPatient,
    ...(options.availabilityGroup ? { availabilityGroup: options.availabilityGroup } : {}),
  });
  // Bookings a crash left marked as displaced (applying a leave settles its own at once).
  const displacedSweep = new PollingLoop({
    work: async () => {
      const { picked } = await settleDisplacedChunk(db, groups);
      if (picked > 0) relay.poke();
      return picked;
    },
    logger,
    failureMessage: 'settling displaced appointments failed; retrying',
    idleMs: 30_000,
  });
  displacedSweep.start();
  const server = await startSubgraphServer<AppointmentsContext>({
    name: 'appointments',
    service: options,
    resolvers: [
      { DateTime: DateTimeResolver },
      slotResolvers,
      scheduleResolvers,
      bookingResolvers,
      waitlistResolvers,
    ],
    createContext: (request) => ({
      ...request,
      db,
      outbox: relay,
      holdMinutes,
      holdsPerPatient,
      loaders: createScheduleLoaders(db),
    }),
    readiness: async () => ({
      'database:appointments': await probeDatabase(db),
    }),
    logger,
    stopAfter: [
      () => sweeper.stop(),
      () => displacedSweep.stop(),
      () => consumers.stop(),
      () => relay.stop(),
      () => db.$disconnect(),
    ],
  });
  return server;
}
