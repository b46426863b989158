import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

/** How to reach the Kafka cluster: the parts of kafkajs' KafkaConfig that depend on where it runs. */
export interface KafkaConnection {
  brokers: string[];
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
  /** Replication factor for topics the bus creates itself (1 on a single test broker, 3 on MSK). */
  replicationFactor: number;
}
