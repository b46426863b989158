/**
 * The one manifest of event streams: names, partitions and retention. The Kafka bus creates topics from
 * it, deployment (MSK) reads it, and the in-process bus uses the keys only.
 */
export const TOPICS = {
  /** appointment.*, slot.* and waitlist.* events, keyed by appointment, slot or offer id. */
  appointments: { name: 'clinic.appointments.v1', partitions: 6, retentionHours: 24 * 7 },
  /** doctor.* events, keyed by doctor id. */
  doctors: { name: 'clinic.doctors.v1', partitions: 3, retentionHours: 24 * 7 },
  /** patient.* events, keyed by clientId. */
  patients: { name: 'clinic.patients.v1', partitions: 3, retentionHours: 24 * 7 },
  /** audit.recorded events (PII reads, failed logins and tokens, admin actions), keyed by subject id. */
  audit: { name: 'clinic.audit.v1', partitions: 3, retentionHours: 24 * 7 },
} as const;

export type TopicKey = keyof typeof TOPICS;

/** Where a message goes when it fails validation or its handler keeps failing. Kept 30 days for replay. */
export const DEAD_LETTER_TOPIC = {
  name: 'clinic.dead-letters.v1',
  partitions: 3,
  retentionHours: 24 * 30,
} as const;

export function topicManifest(): { name: string; partitions: number; retentionHours: number }[] {
  return [...Object.values(TOPICS), DEAD_LETTER_TOPIC];
}
