import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { migratedTestDatabase } from '@clinic/testing';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '../database';
import { SOLO_PRACTICES } from './practice-groups';
import { settleDisplacedChunk } from './settle-displaced';

/**
 * Applying a leave marks the bookings on withdrawn times and settles them in short chunks after its own
 * transaction; a crash between the two leaves marks that the sweep settles, each exactly once.
 */
let database: Awaited<ReturnType<typeof migratedTestDatabase>>;
let db: AppointmentsDatabase;

beforeAll(async () => {
  database = await migratedTestDatabase('appointments');
  db = connectAppointmentsDatabase(database.url);
}, 600_000);
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const HOUR = 3_600_000;
const base = new Date(Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR);
const at = (hour: number) => ({
  start: new Date(base.getTime() + hour * HOUR),
  end: new Date(base.getTime() + hour * HOUR + 30 * 60_000),
});

/** What the leave's own transaction leaves when the process dies right after it commits. */
async function leftByACrash(hours: number[]) {
  const clinicId = randomUUID();
  const [leaving, colleague] = [randomUUID(), randomUUID()];
  const leaveEvent = randomUUID();
  const ids: string[] = [];
  for (const hour of hours) {
    const slot = await db.slot.create({
      data: { id: randomUUID(), doctorId: leaving, clinicId, ...at(hour), status: 'busy_unavailable' },
    });
    await db.slot.create({ data: { id: randomUUID(), doctorId: colleague, clinicId, ...at(hour) } });
    const appointment = await db.appointment.create({
      data: {
        id: randomUUID(),
        slotId: slot.id,
        doctorId: leaving,
        clinicId,
        clientId: randomUUID(),
        ...at(hour),
        status: 'booked',
        displacedSince: new Date(),
        displacedBy: leaveEvent,
      },
    });
    ids.push(appointment.id);
  }
  return { ids, colleague, leaveEvent };
}

const reassignedEvents = async (causationId: string) =>
  (await db.outboxEvent.findMany())
    .map((row) => row.envelope as unknown as EventEnvelope)
    .filter((event) => event.causationId === causationId && event.type === 'appointment.reassigned');

describe('displaced bookings settled in chunks', () => {
  it('settles what a crash left, a chunk at a time and each exactly once, however many sweeps run', async () => {
    const { ids, colleague, leaveEvent } = await leftByACrash([1, 2, 3, 4, 5]);
    const sweeps = await Promise.all([1, 2, 3].map(() => settleDisplacedChunk(db, SOLO_PRACTICES, 2)));
    let picked = sweeps.reduce((sum, sweep) => sum + sweep.picked, 0);
    while (picked < ids.length) {
      const more = await settleDisplacedChunk(db, SOLO_PRACTICES, 2);
      expect(more.picked).toBeGreaterThan(0);
      picked += more.picked;
    }
    expect(picked).toBe(ids.length);
    expect((await settleDisplacedChunk(db, SOLO_PRACTICES)).picked).toBe(0);
    const moved = await db.appointment.findMany({ where: { id: { in: ids } } });
    expect(moved.map((appointment) => appointment.doctorId)).toEqual(ids.map(() => colleague));
    expect(moved.every((appointment) => appointment.displacedSince === null)).toBe(true);
    expect(await reassignedEvents(leaveEvent)).toHaveLength(ids.length);
  });

  it('leaves alone a displaced booking its patient moved to an offered time before its chunk ran', async () => {
    const { ids, leaveEvent } = await leftByACrash([13]);
    const clinicId = (await db.appointment.findUniqueOrThrow({ where: { id: ids[0] } })).clinicId;
    const chosen = await db.slot.create({
      data: { id: randomUUID(), doctorId: randomUUID(), clinicId, ...at(15), status: 'busy' },
    });
    // A colleague free at that time too, whom a re-assignment would pick.
    await db.slot.create({ data: { id: randomUUID(), doctorId: randomUUID(), clinicId, ...at(15) } });
    // Where the patient's reschedule put it; the mark stays, as a crash between the two would leave it.
    await db.appointment.update({
      where: { id: ids[0] },
      data: { slotId: chosen.id, doctorId: chosen.doctorId, ...at(15) },
    });
    expect(await settleDisplacedChunk(db, SOLO_PRACTICES)).toMatchObject({ picked: 1, reassigned: 0 });
    expect(await db.appointment.findUniqueOrThrow({ where: { id: ids[0] } })).toMatchObject({
      slotId: chosen.id,
      displacedSince: null,
      needsAttentionSince: null,
    });
    expect(await reassignedEvents(leaveEvent)).toHaveLength(0);
  });

  it('leaves alone a displaced booking its patient cancelled before its chunk ran', async () => {
    const { ids, leaveEvent } = await leftByACrash([7]);
    await db.appointment.update({ where: { id: ids[0] }, data: { status: 'cancelled' } });
    expect(await settleDisplacedChunk(db, SOLO_PRACTICES)).toMatchObject({ picked: 1, reassigned: 0 });
    expect(await db.appointment.findUniqueOrThrow({ where: { id: ids[0] } })).toMatchObject({
      status: 'cancelled',
      displacedSince: null,
    });
    expect(await reassignedEvents(leaveEvent)).toHaveLength(0);
  });
});
