import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
// Bundled with the gateway (esbuild inlines JSON): an image always carries the manifest it was built with.
import repositoryManifest from '../../../clients/generated/persisted-documents.json';

/** The one documentId form accepted: the algorithm, then the document text's SHA-256 in lower-case hex. */
const DOCUMENT_ID = /^sha256:[0-9a-f]{64}$/;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The trusted documents, by documentId and by the SHA-256 of their text (Apollo's `queryHash`). */
export class TrustedManifest {
  private readonly byHash: ReadonlyMap<string, string>;

  constructor(entries: Readonly<Record<string, string>>) {
    const byHash = new Map<string, string>();
    for (const [documentId, text] of Object.entries(entries)) {
      // A manifest is ours, so naming its keys is safe; a mismatch means it was edited by hand or is
      // not the client preset's (whose hash is of the exact text).
      if (!DOCUMENT_ID.test(documentId) || typeof text !== 'string')
        throw new Error(`trusted documents: ${documentId} is not a sha256:<hex> key with document text`);
      if (documentId !== `sha256:${sha256(text)}`)
        throw new Error(`trusted documents: ${documentId} is not the SHA-256 of its text`);
      byHash.set(documentId.slice('sha256:'.length), text);
    }
    this.byHash = byHash;
  }

  /** The text of a registered documentId; undefined for anything else, whatever the caller sent. */
  textOf(documentId: unknown): string | undefined {
    if (typeof documentId !== 'string' || !DOCUMENT_ID.test(documentId)) return undefined;
    return this.byHash.get(documentId.slice('sha256:'.length));
  }

  /** The text registered under a SHA-256 (hex), as APQ clients and Apollo's queryHash name it. */
  textOfHash(hash: unknown): string | undefined {
    return typeof hash === 'string' ? this.byHash.get(hash) : undefined;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  /** Every registered document, by the SHA-256 of its text. */
  entries(): IterableIterator<[string, string]> {
    return this.byHash.entries();
  }

  get size(): number {
    return this.byHash.size;
  }
}

/**
 * Reads the manifest at start (default the repository's, from `npm run codegen`): a missing or malformed
 * one stops the gateway, naming only the file.
 */
export function loadManifest(
  source: string | Readonly<Record<string, string>> = repositoryManifest,
): TrustedManifest {
  if (typeof source !== 'string') return new TrustedManifest(source);
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(source, 'utf8'));
  } catch (error) {
    throw new Error(`trusted documents: cannot read the manifest ${source}: ${(error as Error).message}`);
  }
  if (!entries || typeof entries !== 'object' || Array.isArray(entries))
    throw new Error(`trusted documents: the manifest ${source} is not an object of documents`);
  return new TrustedManifest(entries as Record<string, string>);
}
