import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import type { SubgraphName } from '@clinic/contracts';

/** The repository's schema/ folder; a bundled image passes its own (the launcher's SCHEMA_DIR). */
export const REPOSITORY_SCHEMA_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'schema');

/** schema/<name>.graphql, the source of truth for a subgraph's SDL. */
export function loadSubgraphSchema(name: SubgraphName, dir: string = REPOSITORY_SCHEMA_DIR): DocumentNode {
  return parse(readFileSync(path.join(dir, `${name}.graphql`), 'utf8'));
}

/** A readiness probe for one database: "ok", or why it is not. */
export async function probeDatabase(db: {
  $queryRaw: (query: TemplateStringsArray) => Promise<unknown>;
}): Promise<string> {
  try {
    await db.$queryRaw`SELECT 1`;
    return 'ok';
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? 'unreachable') : 'unreachable';
  }
}
