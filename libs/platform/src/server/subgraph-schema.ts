import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import type { SubgraphName } from '@clinic/contracts';

/** schema/<name>.graphql, the source of truth for a subgraph's SDL. */
export function loadSubgraphSchema(name: SubgraphName): DocumentNode {
  const dir = process.env['SCHEMA_DIR'] ?? path.resolve(__dirname, '..', '..', '..', '..', 'schema');
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
