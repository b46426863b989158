const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id in this product is a UUID; anything else cannot name a row and must not reach a uuid column. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * Puts batch-loaded rows back in the order DataLoader asked for them, null where none was found. The keys
 * are ids, matched in any case as PostgreSQL matches a uuid: a caller may write one in capitals.
 */
export function inKeyOrder<T>(
  keys: readonly string[],
  rows: readonly T[],
  keyOf: (row: T) => string,
): (T | null)[] {
  const found = new Map(rows.map((row) => [keyOf(row).toLowerCase(), row]));
  return keys.map((key) => found.get(key.toLowerCase()) ?? null);
}

/** Groups batch-loaded rows under each key DataLoader asked for, preserving row order. */
export function groupedByKey<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
