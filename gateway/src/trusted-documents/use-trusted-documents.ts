import type { ApolloServerPlugin } from '@apollo/server';
import type { Identity } from '@clinic/contracts';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { REFUSED_SOURCE, type TrustedDocumentStore } from './document-store';
import type { TrustedManifest } from './manifest';
import { refusal, type TrustPolicy } from './trust-policy';

/**
 * The trusted documents in Apollo Server's pipeline. Each schema the gateway loads, every registered
 * document is parsed and validated once and put in the document store. Each HTTP operation is judged in
 * `requestDidStart`, which Apollo awaits before it reads the operation's text: one that may not run has
 * its text, name and variables replaced by a constant already in the store, so nothing the caller sent
 * is parsed, and is refused once the operation resolves (Apollo answers an error thrown there cleanly,
 * where an error thrown in `requestDidStart` or `didResolveSource` would be a 500).
 */
export function useTrustedDocuments(options: {
  manifest: TrustedManifest;
  policy: TrustPolicy;
  store: TrustedDocumentStore;
  /** Every registered document parsed and validated as Apollo would, against this schema. */
  prepare: (schema: GraphQLSchema) => ReadonlyMap<string, DocumentNode>;
}): ApolloServerPlugin<{ identity: Identity | null }> {
  const { manifest, policy, store, prepare } = options;
  return {
    async serverWillStart() {
      return {
        // Called with the schema loaded at start, and again on each update.
        schemaDidLoadOrUpdate: ({ apiSchema }) => store.preload(apiSchema, prepare(apiSchema)),
      };
    },
    async requestDidStart({ request, contextValue }) {
      // Operations the gateway runs itself (live updates, queries the SSE endpoint admitted, the
      // console's sample) have no HTTP request: their text is ours, or was judged at SSE admission.
      if (!request.http) return;
      let text = request.query;
      // An APQ hash alone: only a registered document's is looked up here, never the APQ cache's text.
      if (text === undefined) {
        text = manifest.textOfHash(request.extensions?.['persistedQuery']?.sha256Hash);
        if (text !== undefined) request.query = text;
      }
      if (policy.admits(text, contextValue.identity, 'http')) return;
      request.query = REFUSED_SOURCE;
      request.operationName = undefined;
      request.variables = {};
      request.extensions = {};
      return {
        async didResolveOperation() {
          throw refusal();
        },
      };
    },
  };
}
