import { createHash } from 'node:crypto';
import { loadManifest, TrustedManifest } from './manifest';

const TEXT = 'query Clinics { clinics { id } }';
const HASH = createHash('sha256').update(TEXT).digest('hex');

describe('the trusted documents manifest', () => {
  it('is the repository’s, bundled, by default: every id the SHA-256 of its text', () => {
    expect(loadManifest().size).toBeGreaterThan(0);
  });

  it('stops the start when an id is not the SHA-256 of its text, or not a sha256:<hex> id', () => {
    expect(() => new TrustedManifest({ [`sha256:${'0'.repeat(64)}`]: TEXT })).toThrow(/not the SHA-256/);
    expect(() => new TrustedManifest({ [HASH]: TEXT })).toThrow(/not a sha256:<hex> key/);
    expect(() => loadManifest('/nonexistent/persisted-documents.json')).toThrow(/cannot read the manifest/);
  });

  it('finds a document only by its exact id, whatever else a caller sends', () => {
    const manifest = new TrustedManifest({ [`sha256:${HASH}`]: TEXT });
    expect(manifest.textOf(`sha256:${HASH}`)).toBe(TEXT);
    for (const id of [
      HASH,
      `sha256:${HASH.toUpperCase()}`,
      `sha1:${HASH}`,
      ` sha256:${HASH}`,
      { id: HASH },
      7,
    ])
      expect(manifest.textOf(id)).toBeUndefined();
    expect(manifest.textOfHash(HASH)).toBe(TEXT);
    expect(manifest.has(HASH)).toBe(true);
  });
});
