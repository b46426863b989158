import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { stopJaeger } from './jaeger';
import { HOST, resolveConfig, type InfraConfig } from './state';

/** A port nothing listens on now (the OS's choice), whose predecessor is free too (Jaeger's query gRPC port). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, HOST, () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
    const below = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port - 1, HOST, () => server.close(() => resolve(true)));
    });
    if (below) return port;
  }
}

/**
 * The config of a Jaeger of a test's own, for startJaeger: a new data folder named `<prefix>…` and free
 * ports, so starting and stopping it touches neither the shared Jaeger nor its state file. Quiet.
 */
export async function ownJaegerConfig(prefix: string): Promise<InfraConfig> {
  return resolveConfig({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), prefix)),
    jaegerOtlpHttpPort: await freePort(),
    jaegerOtlpGrpcPort: await freePort(),
    jaegerQueryPort: await freePort(),
    log: () => undefined,
  });
}

/** Stops that Jaeger, if it runs, and removes its data folder. */
export async function removeOwnJaeger(config: InfraConfig): Promise<void> {
  await stopJaeger(config, { quiet: true });
  fs.rmSync(config.dataDir, { recursive: true, force: true });
}
