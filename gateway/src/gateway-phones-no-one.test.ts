import http from 'node:http';
import https from 'node:https';
import { createLogger } from '@clinic/platform';
import { startGateway } from './gateway';

const destinations: string[] = [];
const record =
  (scheme: string, original: typeof http.request) =>
  (...args: Parameters<typeof http.request>): http.ClientRequest => {
    const [target] = args;
    destinations.push(
      typeof target === 'string' || target instanceof URL
        ? String(target)
        : `${scheme}://${target.hostname ?? target.host ?? ''}${target.path ?? ''}`,
    );
    return original(...args);
  };

beforeAll(() => {
  jest.spyOn(http, 'request').mockImplementation(record('http', http.request.bind(http)));
  jest.spyOn(https, 'request').mockImplementation(record('https', https.request.bind(https)));
});
afterAll(() => jest.restoreAllMocks());

it('a gateway started and stopped sends nothing to Apollo (its usage reporting is switched off)', async () => {
  const nowhere = 'http://127.0.0.1:1/graphql';
  const gateway = await startGateway({
    port: 0,
    subgraphs: { doctors: nowhere, appointments: nowhere, patients: nowhere, audit: nowhere },
    verifyToken: async () => null,
    internalIdentitySecret: 'a-secret-of-at-least-thirty-two-characters',
    logger: createLogger('gateway', 'silent'),
  });
  await gateway.stop();
  expect(destinations.filter((url) => /apollographql/.test(url))).toEqual([]);
});
