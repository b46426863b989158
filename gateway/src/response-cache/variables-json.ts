/**
 * Variables longer than this (as JSON) are worth neither a cache entry nor a fingerprint: such reads are
 * rarely repeated, and they would only let a caller fill the cache.
 */
const MAX_VARIABLES_JSON = 2048;
/** Deeper variables are never worth a key, and the walk below stays far from the stack's end. */
const MAX_VARIABLES_DEPTH = 16;

/**
 * Variables as JSON with object keys sorted, so the same values make the same key; null when they are
 * deeper or longer than a key is worth, or hold a number JSON cannot write (`1e999` parses as Infinity,
 * which would write as `null` and pass for a request that sent null). Fast hits give it the caller's raw
 * input, undeclared variables included, so nothing here may throw.
 */
export function variablesJson(value: unknown): string | null {
  return sortedJson(value, { depth: MAX_VARIABLES_DEPTH, length: MAX_VARIABLES_JSON });
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are one text; null past the bounds. */
export function sortedJson(value: unknown, bounds = { depth: Infinity, length: Infinity }): string | null {
  // Counted as written: each leaf, key and bracket once, so the bound is the text's own length.
  let length = 0;
  const add = (text: string): boolean => (length += text.length) <= bounds.length;
  const walk = (item: unknown, depth: number): string | null => {
    if (depth > bounds.depth) return null;
    const parts: string[] = [];
    if (Array.isArray(item)) {
      if (!add('[]') || !add(','.repeat(Math.max(0, item.length - 1)))) return null;
      for (const element of item) {
        const part = walk(element, depth + 1);
        if (part === null) return null;
        parts.push(part);
      }
      return `[${parts.join(',')}]`;
    }
    if (item !== null && typeof item === 'object') {
      const keys = Object.keys(item).sort();
      if (!add('{}') || !add(','.repeat(Math.max(0, keys.length - 1)))) return null;
      for (const key of keys) {
        const name = `${JSON.stringify(key)}:`;
        if (!add(name)) return null;
        const part = walk((item as Record<string, unknown>)[key], depth + 1);
        if (part === null) return null;
        parts.push(name + part);
      }
      return `{${parts.join(',')}}`;
    }
    if (typeof item === 'number' && !Number.isFinite(item)) return null;
    const text = JSON.stringify(item) ?? 'null';
    return add(text) ? text : null;
  };
  return walk(value, 0);
}
