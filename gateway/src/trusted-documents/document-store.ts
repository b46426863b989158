import type { DocumentStore } from '@apollo/server';
import { parse, printSchema, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { sha256 } from './manifest';

/**
 * What Apollo runs in place of a refused request: a constant that is valid against every schema, kept
 * parsed here so that not even it is parsed per request. The refusal itself is thrown once the
 * operation is resolved (use-trusted-documents.ts), before anything runs.
 */
export const REFUSED_SOURCE = 'query TrustedDocumentRefused { __typename }';
const REFUSED_HASH = sha256(REFUSED_SOURCE);
const REFUSED_DOCUMENT = parse(REFUSED_SOURCE, { noLocation: true });

/**
 * Apollo Server's key prefix for a store it is given: the SHA-256 of the printed API schema, so a
 * document validated against one schema is never taken as valid against the next
 * (ApolloServer.generateSchemaDerivedData). The unit tests fail if this ever stops matching: a
 * registered document would then be parsed again.
 */
export const schemaKeyPrefix = (schema: GraphQLSchema): string => `${sha256(printSchema(schema))}:`;

/** Schemas whose trusted documents are kept: the current one, and the last for requests still on it. */
const SCHEMAS_KEPT = 2;

/**
 * Apollo Server's document store (parsed, validated documents by `prefix + queryHash`, which Apollo
 * looks up before it parses), holding the trusted documents ahead of time for each schema the gateway
 * loads: a registered document is never parsed nor validated per request. Everything else is cached as
 * Apollo's default store does (an LRU of 30 MiB of documents).
 */
export class TrustedDocumentStore implements DocumentStore {
  private readonly trusted = new Map<string, ReadonlyMap<string, DocumentNode>>();
  private readonly others = new LRUCache<string, DocumentNode>({
    maxSize: 30 * 1024 * 1024,
    sizeCalculation: (document) => Buffer.byteLength(JSON.stringify(document), 'utf8') || 1,
  });

  /** The trusted documents, parsed and validated against this schema (by the SHA-256 of their text). */
  preload(schema: GraphQLSchema, documents: ReadonlyMap<string, DocumentNode>): void {
    this.trusted.set(schemaKeyPrefix(schema), documents);
    while (this.trusted.size > SCHEMAS_KEPT) this.trusted.delete(this.trusted.keys().next().value as string);
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    // Apollo's key is its schema prefix then the 64 hex digits of the text's SHA-256.
    const hash = key.slice(-64);
    if (hash === REFUSED_HASH) return REFUSED_DOCUMENT;
    return this.trusted.get(key.slice(0, -64))?.get(hash) ?? this.others.get(key);
  }

  async set(key: string, value: DocumentNode): Promise<void> {
    this.others.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.others.delete(key);
  }
}
