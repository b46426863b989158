import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
} from 'graphql';
import { costModelFromSupergraph } from '../../gateway/src/hardening/cost';
import { OPERATION_LIMITS, useArmor } from '../../gateway/src/hardening/use-armor';
import { composeSupergraph } from './compose';
import type { SubgraphName } from '@clinic/contracts';

const repository = path.join(__dirname, '..', '..');
export const clientsDir = path.join(repository, 'clients');
export const manifestPath = path.join(clientsDir, 'generated', 'persisted-documents.json');

/** A front-end's operations: one .graphql file under clients/, named by its path from the repository. */
export interface ClientDocument {
  file: string;
  text: string;
}

/** Every .graphql file under clients/ (the generated folder holds none). */
export function readClientDocuments(dir: string = clientsDir): ClientDocument[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => ({
      file: path.relative(repository, path.join(dir, name)),
      text: readFileSync(path.join(dir, name), 'utf8'),
    }));
}

/**
 * What would break if these subgraph SDLs were deployed: composes them, then checks every client
 * document against the resulting API schema with the production gateway's own rules (graphql's, the
 * depth, alias, directive and cost limits, no introspection), as the gateway checks a trusted document
 * when it loads it. Each problem names the document's file; none means every registered document still
 * runs.
 */
export function checkRegisteredDocuments(
  documents: ClientDocument[] = readClientDocuments(),
  sdls?: Record<SubgraphName, string>,
): string[] {
  const composition = composeSupergraph(sdls);
  if (!composition.ok) return composition.errors.map((error) => `composition: ${error}`);
  const schema = buildSchema(composition.apiSdl);
  const costModel = costModelFromSupergraph(composition.supergraphSdl);
  const rules = [
    ...specifiedRules,
    ...useArmor('production', () => costModel).validationRules,
    NoSchemaIntrospectionCustomRule,
  ];
  const problems: string[] = [];
  for (const { file, text } of documents) {
    let document: DocumentNode;
    try {
      document = parse(text, { maxTokens: OPERATION_LIMITS.tokens });
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    for (const error of validate(schema, document, rules)) problems.push(`${file}: ${error.message}`);
  }
  return problems;
}

/** The names of the operations in these documents, sorted. */
export function operationNames(texts: Iterable<string>): string[] {
  const names: string[] = [];
  for (const text of texts)
    for (const definition of parse(text).definitions)
      if (definition.kind === Kind.OPERATION_DEFINITION) names.push(definition.name?.value ?? '(anonymous)');
  return names.sort();
}
