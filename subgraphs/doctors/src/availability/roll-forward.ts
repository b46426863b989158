import type { Logger } from '@clinic/platform';
import type { DoctorsDatabase } from '../database';
import { horizonEnd, publishAvailability, SYSTEM_ACTOR } from './publish-availability';

/**
 * Extends every active doctor's published availability to today's horizon: one new day per doctor per
 * day (a doctor never published gets the whole horizon from now). Each doctor is one transaction, claimed
 * with a compare-and-set on `availability_published_until`, so instances running it at once never publish
 * the same window twice. Returns how many doctors it published.
 */
export async function rollAvailabilityForward(
  db: DoctorsDatabase,
  options: { horizonDays: number; now?: Date; onlyDoctorIds?: readonly string[] },
): Promise<number> {
  const now = options.now ?? new Date();
  const end = horizonEnd(now, options.horizonDays);
  const due = await db.doctor.findMany({
    where: {
      status: 'active',
      OR: [{ availabilityPublishedUntil: null }, { availabilityPublishedUntil: { lt: end } }],
      ...(options.onlyDoctorIds ? { id: { in: [...options.onlyDoctorIds] } } : {}),
    },
    select: { id: true, availabilityPublishedUntil: true },
    orderBy: { id: 'asc' },
  });
  let published = 0;
  for (const doctor of due) {
    const previous = doctor.availabilityPublishedUntil;
    const start = previous && previous > now ? previous : now;
    const claimed = await db.$transaction(async (tx) => {
      const won = await tx.doctor.updateMany({
        where: { id: doctor.id, status: 'active', availabilityPublishedUntil: previous },
        data: { availabilityPublishedUntil: end },
      });
      if (won.count === 0) return false;
      await publishAvailability(tx, doctor.id, { start, end }, SYSTEM_ACTOR);
      return true;
    });
    if (claimed) published++;
  }
  return published;
}

/** Republishes every doctor's whole horizon from now (empty for doctors who are not active). */
export async function republishAllAvailability(
  db: DoctorsDatabase,
  options: { horizonDays: number; now?: Date },
): Promise<number> {
  const now = options.now ?? new Date();
  const end = horizonEnd(now, options.horizonDays);
  const doctors = await db.doctor.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  for (const doctor of doctors) {
    await db.$transaction((tx) => publishAvailability(tx, doctor.id, { start: now, end }, SYSTEM_ACTOR));
  }
  return doctors.length;
}

export interface AvailabilityRoller {
  /** Runs one roll-forward now (also what the timer does). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Runs the roll-forward at start and then every `intervalMs` (default one hour: the horizon moves at
 * midnight UTC, so a new day goes out within the hour after it). Runs never overlap.
 */
export function startAvailabilityRoller(options: {
  db: DoctorsDatabase;
  horizonDays: number;
  logger: Logger;
  intervalMs?: number;
  onPublished?: () => void;
}): AvailabilityRoller {
  let current: Promise<number> | null = null;
  const runOnce = (): Promise<number> => {
    current ??= rollAvailabilityForward(options.db, { horizonDays: options.horizonDays })
      .then((count) => {
        if (count > 0) {
          options.logger.info({ doctors: count }, 'availability rolled forward');
          options.onPublished?.();
        }
        return count;
      })
      .catch((error: unknown) => {
        options.logger.warn({ err: error }, 'availability roll-forward failed; will retry');
        return 0;
      })
      .finally(() => {
        current = null;
      });
    return current;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 3_600_000);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
}
