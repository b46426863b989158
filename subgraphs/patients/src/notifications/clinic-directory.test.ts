import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { gatewayClinicDirectory } from './clinic-directory';

const logger = pino({ level: 'silent' });
const clinicId = '019ab1c2-0000-7000-8000-00000000c001';
const doctorId = '019ab1c2-0000-7000-8000-00000000d001';

/** A loopback port nobody listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The directory against the real gateway is exercised end to end in doctor-leave.int.test.ts.
describe('gatewayClinicDirectory without a gateway', () => {
  it('answers null, so messages go out without names, when the gateway does not answer', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const directory = gatewayClinicDirectory(() => url, logger);
    await expect(directory.clinic(clinicId)).resolves.toBeNull();
    await expect(directory.doctorName(doctorId)).resolves.toBeNull();
  });

  it('answers null before the gateway is up (no URL yet)', async () => {
    const directory = gatewayClinicDirectory(() => null, logger);
    await expect(directory.clinic(clinicId)).resolves.toBeNull();
  });
});
