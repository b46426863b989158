import { startAuditService } from '@clinic/audit-subgraph';
import { createLogger, KafkaEventBus } from '@clinic/platform';

// The audit service alone, consuming from Kafka: the resilience test runs it as a process it can kill -9.
async function main() {
  const [databaseUrl, brokers] = process.argv.slice(2);
  if (!databaseUrl || !brokers)
    throw new Error('usage: audit-consumer-process <audit database url> <brokers>');
  const logger = createLogger('audit', process.env['LOG_LEVEL'] ?? 'warn');
  const bus = new KafkaEventBus({
    brokers: brokers.split(','),
    clientId: 'audit-consumer-process',
    groupPrefix: process.env['KAFKA_GROUP_PREFIX'] ?? '',
    logger,
  });
  await startAuditService({ databaseUrl, port: 0, bus, logger });
  console.log('audit consumer running');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
