/** The four subgraphs, in the order the gateway composes them. */
export const SUBGRAPH_NAMES = ['doctors', 'appointments', 'patients', 'audit'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Every database, one per service plus the PII vault that only `patients` reaches. */
export const DATABASE_NAMES = ['doctors', 'appointments', 'patients', 'pii_vault', 'audit'] as const;
export type DatabaseName = (typeof DATABASE_NAMES)[number];

export const DEFAULT_GATEWAY_PORT = 4000;
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  doctors: 4001,
  appointments: 4002,
  patients: 4003,
  audit: 4004,
};

export function subgraphUrl(
  name: SubgraphName,
  port = DEFAULT_SUBGRAPH_PORTS[name],
  host = '127.0.0.1',
): string {
  return `http://${host}:${port}/graphql`;
}

/** `DATABASE_URL_PII_VAULT` and friends: set one to use a real PostgreSQL server for that database. */
export function databaseUrlVariable(name: DatabaseName): string {
  return `DATABASE_URL_${name.toUpperCase()}`;
}
