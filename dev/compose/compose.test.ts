import { readFileSync } from 'node:fs';
import { apiSchemaPath, composeSupergraph, supergraphPath } from './compose';

describe('composition', () => {
  it('matches the committed supergraph and API schema (run `npm run compose` if this fails)', () => {
    const composition = composeSupergraph();
    if (!composition.ok) throw new Error(composition.errors.join('\n'));
    expect(readFileSync(supergraphPath, 'utf8')).toBe(composition.supergraphSdl);
    expect(readFileSync(apiSchemaPath, 'utf8')).toBe(composition.apiSdl);
  });

  it('keeps federation plumbing out of the public API schema', () => {
    const api = readFileSync(apiSchemaPath, 'utf8');
    expect(api).toContain('type Appointment');
    expect(api).not.toMatch(/_entities|_service|join__|@link/);
  });
});

describe('composition errors', () => {
  it('names the subgraph and the problem when two subgraphs disagree', async () => {
    const { readSubgraphSdls } = await import('./compose');
    const sdls = readSubgraphSdls();
    sdls.audit = sdls.audit
      .replace('sequence: String!', 'sequence: String!\n  start: Int!')
      .replace(
        'type Appointment @key(fields: "id") {\n  id: ID!',
        'type Appointment @key(fields: "id") {\n  id: ID!\n  start: Int!',
      );
    const composition = composeSupergraph(sdls);
    expect(composition.ok).toBe(false);
    if (composition.ok) return;
    expect(composition.errors.join('\n')).toMatch(/\[[A-Z_]+\] .*Appointment\.start.*/);
  });

  it('points at the file with a syntax error', () => {
    const { readSubgraphSdls } = jest.requireActual<typeof import('./compose')>('./compose');
    const sdls = { ...readSubgraphSdls(), doctors: 'type Clinic {' };
    const composition = composeSupergraph(sdls);
    expect(composition).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^schema\/doctors\.graphql: Syntax Error/)],
    });
  });
});
