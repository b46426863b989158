import http from 'node:http';
import https from 'node:https';
import { startGatewayAlone } from './testing/gateway-alone';

const destinations: string[] = [];
const record =
  (scheme: string, original: typeof http.request) =>
  (...args: Parameters<typeof http.request>): http.ClientRequest => {
    // Parameters<> keeps only the last overload; the first argument may also be request options.
    const target = args[0] as string | URL | http.RequestOptions;
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
  const gateway = await startGatewayAlone();
  await gateway.stop();
  expect(destinations.filter((url) => /apollographql/.test(url))).toEqual([]);
});
