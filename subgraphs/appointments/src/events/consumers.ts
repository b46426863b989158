import type { EventEnvelope } from '@clinic/contracts';
import type { EventBus, Logger, OutboxRelay } from '@clinic/platform';
import { applyClinicLinks, CLINIC_LINKS_CONSUMER } from '../clinic-links/clinic-links';
import type { AppointmentsDatabase } from '../database';
import { applyAvailability } from '../reassignment/apply-availability';
import { FREED_TIMES_CONSUMER, retryFlaggedOnFreedSlot } from '../reassignment/freed-times-consumer';
import type { PracticeGroups } from '../reassignment/practice-groups';
import { endErasedEntries, WAITLIST_ERASURES_CONSUMER } from '../waitlist/end-erased-entries';
import { offerFreedSlots, WAITLIST_CONSUMER } from '../waitlist/offer-freed-slots';
import { applyReminderAnswer, REMINDER_ANSWERS_CONSUMER } from '../reminders/apply-reminder-answers';

export interface AppointmentsConsumersOptions {
  db: AppointmentsDatabase;
  bus: EventBus;
  logger: Logger;
  groups: PracticeGroups;
  /** This service's outbox relay, poked when a handler wrote events outside its own transaction. */
  relay: Pick<OutboxRelay, 'poke'>;
  /** HOLDS_PER_PATIENT: a sequential waitlist offer is a hold and counts toward it (default 2). */
  holdsPerPatient?: number;
  /** Consumer group for doctors' availability events (tests use their own). */
  availabilityGroup?: string;
}

/**
 * Every event this service consumes, subscribed here and nowhere else; the handlers stay with their
 * domain. The bus has no unsubscribe: the subscriptions end when its owner closes it, so `stop` has
 * nothing of its own to end here.
 */
export async function startAppointmentsConsumers(
  options: AppointmentsConsumersOptions,
): Promise<{ stop(): Promise<void> }> {
  const { db, bus, logger, groups, relay } = options;
  // Keeps this service's slots in step with the doctors service: each doctor's availability events
  // arrive in order (keyed by doctor id) and are applied exactly once.
  await bus.subscribe({
    topic: 'doctors',
    group: options.availabilityGroup ?? 'appointments-availability',
    handle: async (event: EventEnvelope) => {
      if (event.type !== 'doctor.availability-changed') return;
      await applyAvailability(db, event as EventEnvelope<'doctor.availability-changed'>, logger, groups, () =>
        relay.poke(),
      );
    },
  });
  // Flagged appointments move into a time as soon as it is free, however it became free.
  await bus.subscribe({
    topic: 'appointments',
    group: FREED_TIMES_CONSUMER,
    handle: async (event) => {
      if (event.type !== 'slot.changed') return;
      const moved = await retryFlaggedOnFreedSlot(db, event as EventEnvelope<'slot.changed'>, groups);
      if (moved) {
        logger.info({ eventId: event.id, moved }, 'flagged appointment moved into a freed time');
        relay.poke();
      }
    },
  });
  // Waitlist (issue 19): every freed time is offered to the matching entries of its clinic's waitlist.
  const offer = async (events: readonly EventEnvelope[]) => {
    const made = await offerFreedSlots(db, events, groups, undefined, options.holdsPerPatient);
    if (made > 0) relay.poke();
  };
  await bus.subscribe({
    topic: 'appointments',
    group: WAITLIST_CONSUMER,
    handle: (event) => offer([event]),
    handleBatch: offer,
  });
  // An erased patient's entries end, and any time held for them passes on.
  const endErased = async (events: readonly EventEnvelope[]) => {
    if ((await endErasedEntries(db, events)) > 0) relay.poke();
  };
  await bus.subscribe({
    topic: 'patients',
    group: WAITLIST_ERASURES_CONSUMER,
    handle: (event) => endErased([event]),
    handleBatch: endErased,
  });
  // Which patients each clinic's staff may book for, as the patients service publishes its links.
  const applyLinks = async (events: readonly EventEnvelope[]) => void (await applyClinicLinks(db, events));
  await bus.subscribe({
    topic: 'patients',
    group: CLINIC_LINKS_CONSUMER,
    handle: (event) => applyLinks([event]),
    handleBatch: applyLinks,
  });
  // A patient's answer to a reminder: confirm, or cancel through the one cancel path (docs/reminders.md).
  await bus.subscribe({
    topic: 'patients',
    group: REMINDER_ANSWERS_CONSUMER,
    handle: async (event) => {
      if ((await applyReminderAnswer(db, event)) === 'cancelled') relay.poke();
    },
  });
  return { stop: async () => undefined };
}
