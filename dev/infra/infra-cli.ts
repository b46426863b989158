/**
 * `npx tsx dev/infra/infra-cli.ts up|down|status [--pg-port N] [--kafka-port N] [--data-dir DIR]`
 *
 * Progress goes to stderr and only the `NAME=value` lines to stdout, so
 * `export $(npx tsx dev/infra/infra-cli.ts status)` works.
 */
import { parseArgs } from 'node:util';

import {
  envLines,
  infraDown,
  infraStatus,
  infraUp,
  InfraError,
  parsePort,
  type InfraOptions,
} from '@clinic/testing/infra';

export { infraDown, infraStatus, infraUp, restartKafka, type InfraEndpoints } from '@clinic/testing/infra';

const USAGE =
  'usage: infra-cli.ts up|down|status [--pg-port N] [--kafka-port N] [--kafka-controller-port N] ' +
  '[--jaeger-otlp-port N] [--jaeger-otlp-grpc-port N] [--jaeger-query-port N] [--data-dir DIR] [--timeout SECONDS]\n' +
  '  env: INFRA_PG_PORT, INFRA_KAFKA_PORT, INFRA_KAFKA_CONTROLLER_PORT, INFRA_JAEGER_OTLP_HTTP_PORT, ' +
  'INFRA_JAEGER_OTLP_GRPC_PORT, INFRA_JAEGER_QUERY_PORT, INFRA_DATA_DIR, INFRA_KAFKA_TIMEOUT_S, DEPLOY_TOOLS_DIR';

function parse(argv: string[]): { command: string; options: InfraOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'pg-port': { type: 'string' },
      'kafka-port': { type: 'string' },
      'kafka-controller-port': { type: 'string' },
      'jaeger-otlp-port': { type: 'string' },
      'jaeger-otlp-grpc-port': { type: 'string' },
      'jaeger-query-port': { type: 'string' },
      'data-dir': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? '';
  if (values.help || positionals.length !== 1 || !['up', 'down', 'status'].includes(command)) {
    throw new InfraError(USAGE);
  }
  const options: InfraOptions = {};
  if (values['pg-port']) options.pgPort = parsePort(values['pg-port'], '--pg-port');
  if (values['kafka-port']) options.kafkaPort = parsePort(values['kafka-port'], '--kafka-port');
  if (values['kafka-controller-port']) {
    options.kafkaControllerPort = parsePort(values['kafka-controller-port'], '--kafka-controller-port');
  }
  if (values['jaeger-otlp-port'])
    options.jaegerOtlpHttpPort = parsePort(values['jaeger-otlp-port'], '--jaeger-otlp-port');
  if (values['jaeger-otlp-grpc-port'])
    options.jaegerOtlpGrpcPort = parsePort(values['jaeger-otlp-grpc-port'], '--jaeger-otlp-grpc-port');
  if (values['jaeger-query-port'])
    options.jaegerQueryPort = parsePort(values['jaeger-query-port'], '--jaeger-query-port');
  if (values['data-dir']) options.dataDir = values['data-dir'];
  if (values.timeout) {
    const timeout = Number(values.timeout);
    if (!(timeout > 0))
      throw new InfraError(`--timeout must be a number of seconds, got '${values.timeout}'`);
    options.kafkaReadyTimeoutMs = timeout * 1000;
  }
  return { command, options };
}

async function main(argv: string[]): Promise<number> {
  const { command, options } = parse(argv);
  if (command === 'up') {
    const endpoints = await infraUp(options);
    for (const line of envLines(endpoints)) console.log(line);
    console.error(`jaeger: traces at ${endpoints.jaegerQueryUrl}`);
    return 0;
  }
  if (command === 'down') {
    await infraDown(options);
    return 0;
  }
  const status = await infraStatus(options);
  for (const [name, service] of [
    ['postgres', status.postgres],
    ['kafka', status.kafka],
    ['jaeger', status.jaeger],
  ] as const) {
    const recorded = service.recorded;
    const port = recorded && ('port' in recorded ? recorded.port : recorded.queryPort);
    const where = recorded ? ` on 127.0.0.1:${port}, pid ${recorded.pid}` : '';
    const what = service.running
      ? `running${where}`
      : recorded
        ? `not running (recorded${where})`
        : 'not started';
    console.error(`${name}: ${what}`);
  }
  for (const line of status.env) console.log(line);
  return status.postgres.running && status.kafka.running && status.jaeger.running ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Known failures are one line; anything else is a bug here and keeps its stack.
      console.error(error instanceof InfraError ? `infra: ${error.message}` : error);
      process.exit(1);
    },
  );
}
