import type { ApolloServerPlugin, DocumentStore } from '@apollo/server';
import type { Identity } from '@clinic/contracts';
import type { Logger } from '@clinic/platform';
import type { RequestHandler } from 'express';
import {
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { TrustedDocumentStore } from './document-store';
import { loadManifest } from './manifest';
import { DEFAULT_TRUSTED_DOCUMENTS, type TrustedDocumentsOptions } from './options';
import { refusal, TrustPolicy } from './trust-policy';
import { useDocumentIds } from './use-document-ids';
import { useTrustedDocuments } from './use-trusted-documents';

/** What the gateway wires in: an Apollo option, a plugin, /graphql middleware and the SSE check. */
export interface TrustedDocuments {
  apollo: { documentStore?: DocumentStore };
  plugins: ApolloServerPlugin<{ identity: Identity | null }>[];
  /** Before the SSE endpoint and Apollo on /graphql. */
  middleware: RequestHandler[];
  /** For SSE admission: why this text may not run for this caller, or null. */
  checkText?: (query: string, identity: Identity | null) => GraphQLError | null;
  /**
   * For an HTTP request answered before Apollo's pipeline (the response cache's fast hits): `opens` decides
   * whether the text with this SHA-256 (hex) may run for this caller without counting; `record` counts an
   * admitted request exactly as useTrustedDocuments would have.
   */
  http?: {
    opens: (hash: string, identity: Identity | null) => boolean;
    record: (hash: string, identity: Identity | null) => void;
  };
}

/** How Apollo parses and validates (the gateway's settings), so a preloaded document is one it would accept. */
export interface ApolloChecks {
  introspection?: boolean;
  parseOptions?: ParseOptions;
  validationRules?: readonly ValidationRule[];
  validationOptions?: { maxErrors?: number };
}

/**
 * Trusted documents (docs/trusted-documents.md): the manifest read at start, documents served by id
 * without being parsed or validated per request, and unregistered text counted, logged by hash, or (in
 * enforce mode) refused before it is parsed, over HTTP and SSE alike.
 */
export function trustedDocuments(
  options: TrustedDocumentsOptions = DEFAULT_TRUSTED_DOCUMENTS,
  context: ApolloChecks & { logger: Logger },
): TrustedDocuments {
  if (options.mode === 'off') return { apollo: {}, plugins: [], middleware: [] };
  const { logger } = context;
  const manifest = loadManifest(options.manifest);
  const policy = new TrustPolicy(manifest, options, logger);
  const store = new TrustedDocumentStore();
  const rules = [
    ...specifiedRules,
    ...(context.validationRules ?? []),
    // Apollo's own rule when introspection is off, which it checks after the others.
    ...(context.introspection === false ? [NoSchemaIntrospectionCustomRule] : []),
  ];
  const prepare = (schema: GraphQLSchema): ReadonlyMap<string, DocumentNode> => {
    const prepared = new Map<string, DocumentNode>();
    for (const [hash, text] of manifest.entries()) {
      try {
        const document = parse(text, context.parseOptions);
        const errors = validate(schema, document, rules, context.validationOptions);
        if (errors.length === 0) prepared.set(hash, document);
        // Left to Apollo, which answers it with the errors a client would get for its text.
        else logger.warn({ documentHash: hash }, 'a trusted document does not validate against the schema');
      } catch {
        logger.warn({ documentHash: hash }, 'a trusted document does not parse');
      }
    }
    logger.info(
      { documents: prepared.size, registered: manifest.size, mode: options.mode },
      'trusted documents',
    );
    return prepared;
  };
  return {
    apollo: { documentStore: store },
    plugins: [useTrustedDocuments({ manifest, policy, store, prepare })],
    middleware: [useDocumentIds(manifest, policy)],
    checkText: (query, identity) => (policy.admits(query, identity, 'sse') ? null : refusal()),
    http: {
      opens: (hash, identity) => policy.opens(hash, identity),
      record: (hash, identity) => policy.record(hash, identity, 'http', true),
    },
  };
}
