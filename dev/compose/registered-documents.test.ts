import { readFileSync } from 'node:fs';
import { readSubgraphSdls } from './compose';
import {
  checkRegisteredDocuments,
  manifestPath,
  operationNames,
  readClientDocuments,
} from './registered-documents';

/**
 * The CI check for trusted documents (docs/trusted-documents.md): a subgraph change that would break an
 * operation a front-end has registered fails here, naming the document's file, before it is deployed.
 */
describe('registered documents', () => {
  it('every client document still validates against the API the subgraphs compose to, within the gateway’s limits', () => {
    const documents = readClientDocuments();
    expect(documents.length).toBeGreaterThan(0);
    expect(checkRegisteredDocuments(documents)).toEqual([]);
  });

  it('the manifest holds exactly the operations of clients/ (run `npm run codegen` if this fails)', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
    expect(operationNames(Object.values(manifest))).toEqual(
      operationNames(readClientDocuments().map((document) => document.text)),
    );
  });

  it('fails, naming each document that uses it, when a subgraph drops a field a client registered', () => {
    const sdls = readSubgraphSdls();
    const dropped = sdls.doctors.replace(/^\s*timeZone: String!\n/m, '\n');
    expect(dropped).not.toBe(sdls.doctors);
    const problems = checkRegisteredDocuments(readClientDocuments(), { ...sdls, doctors: dropped });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^clients\/web\/clinics\.graphql: Cannot query field "timeZone" on type "Clinic"/,
        ),
        expect.stringMatching(/^clients\/native\/upcoming-appointments\.graphql: .*"timeZone"/),
      ]),
    );
  });

  it('fails on a document that no longer fits the gateway’s limits, and on one that does not parse', () => {
    const problems = checkRegisteredDocuments([
      {
        file: 'clients/web/costly.graphql',
        text: 'query Costly { appointments(first: 200) { history { action } doctor { freeSlots(days: 31) { id } } } }',
      },
      { file: 'clients/web/broken.graphql', text: 'query Broken { clinics { ' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^clients\/web\/costly\.graphql: /),
      expect.stringMatching(/^clients\/web\/broken\.graphql: Syntax Error/),
    ]);
  });
});
