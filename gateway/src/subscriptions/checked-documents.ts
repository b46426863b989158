import {
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { OPERATION_LIMITS, parseOperation } from '../hardening/use-armor';

/** A document as parsed, with what validation found in it against one schema. */
export interface CheckedDocument {
  document: DocumentNode;
  errors: readonly GraphQLError[];
}

/**
 * Parses and validates a document's text against a schema, once per text and schema.
 *
 * Clients reconnecting together (a deploy, a balancer failover) send a few distinct documents many
 * times over: each is parsed and validated once per schema, and its subscribers share the result.
 * Parsing and validating per stream took ~0.45 ms of the event loop each, so 10,000 streams
 * reconnecting held it for 4-5 s. Bounded by count and by text size (the parsed form is larger still,
 * a few MB at most), so odd documents cannot grow it.
 */
export function documentChecker(
  validationRules: readonly ValidationRule[],
): (schema: GraphQLSchema, query: string) => CheckedDocument {
  const checkedDocuments = new WeakMap<GraphQLSchema, LRUCache<string, CheckedDocument>>();
  return (schema, query) => {
    let cache = checkedDocuments.get(schema);
    if (!cache) {
      cache = new LRUCache({ max: 200, maxSize: 256 * 1024, sizeCalculation: (_, text) => text.length || 1 });
      checkedDocuments.set(schema, cache);
    }
    let checked = cache.get(query);
    if (!checked) {
      // A document that does not parse throws here and is not kept: there is nothing to share.
      const document = parseOperation(query);
      const errors = validate(schema, document, validationRules, { maxErrors: OPERATION_LIMITS.errors });
      checked = { document, errors };
      cache.set(query, checked);
    }
    return checked;
  };
}
