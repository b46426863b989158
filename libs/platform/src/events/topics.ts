/**
 * The one manifest of event streams. Deployment (MSK topics) and the Kafka bus both read it; the
 * in-process bus uses the names only.
 */
export const TOPICS = {
  appointments: { name: 'clinic.appointments.v1', partitions: 6, retentionHours: 24 * 7 },
} as const;

export type TopicKey = keyof typeof TOPICS;
