import fc from 'fast-check';
import { sortedJson, variablesJson } from './variables-json';

/** The plainest sorted JSON, unbounded: the oracle. */
const reference = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(reference).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`)
          .join(',')}}`
      : (JSON.stringify(value) ?? 'null');

describe('variables as a key', () => {
  it('is JSON with sorted keys, and is refused exactly when that text is over 2,048 characters', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const json = reference(value);
        expect(sortedJson(value)).toBe(json);
        expect(variablesJson(value)).toBe(json.length <= 2_048 ? json : null);
      }),
    );
  });

  it('counts nested text once: 2,048 characters pass however deep, 2,049 do not', () => {
    // [{"id":"…"}] is 11 characters around the id.
    expect(variablesJson([{ id: 'a'.repeat(2_037) }])).toHaveLength(2_048);
    expect(variablesJson([{ id: 'a'.repeat(2_038) }])).toBeNull();
  });

  it('is refused for a number JSON cannot write and for nesting past 16 levels', () => {
    expect(variablesJson({ n: Number.POSITIVE_INFINITY })).toBeNull();
    let deep: unknown = 1;
    for (let i = 0; i < 16; i++) deep = [deep];
    expect(variablesJson(deep)).toBe(`${'['.repeat(16)}1${']'.repeat(16)}`);
    expect(variablesJson([deep])).toBeNull();
  });
});
