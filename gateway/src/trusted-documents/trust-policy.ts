import { appError, type Identity } from '@clinic/contracts';
import { metrics, type Logger, type TrustedDocumentOutcome } from '@clinic/platform';
import type { GraphQLError } from 'graphql';
import { sha256, type TrustedManifest } from './manifest';
import type { TrustedDocumentsOptions } from './options';

export type Transport = 'http' | 'sse';

/** Each unregistered document is logged at most this often: a client sending one in a loop floods nothing. */
const LOG_EVERY_MS = 60_000;
const LOGGED_HASHES_KEPT = 1000;

/** Fixed messages: nothing the caller sent is repeated, not even its documentId. */
export const unknownDocumentMessage = 'No trusted document has this documentId.';
export const refusal = (): GraphQLError =>
  appError(
    'PERSISTED_DOCUMENT_REQUIRED',
    'This API runs only its registered documents for this caller: send a documentId.',
    { http: { status: 400 } },
  );

/**
 * Who may run what: a registered document always; unregistered text in log mode, or in enforce mode
 * for the open roles only. Counts every decision (graphql_trusted_documents_total) and logs each
 * unregistered document by the SHA-256 of its text, which the gateway computes: never the text, and
 * never an id, operation name or variable the caller sent.
 */
export class TrustPolicy {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly manifest: TrustedManifest,
    private readonly options: Pick<TrustedDocumentsOptions, 'mode' | 'openRoles'>,
    private readonly logger: Logger,
  ) {}

  /**
   * Whether this text may run for this caller. `text` undefined: an APQ hash the manifest does not
   * hold, whose text (registered by some other caller) the gateway would look up.
   */
  admits(text: string | undefined, identity: Identity | null, transport: Transport): boolean {
    const hash = text === undefined ? undefined : sha256(text);
    const admitted = this.opens(hash, identity);
    this.record(hash, identity, transport, admitted);
    return admitted;
  }

  /** Whether the text with this SHA-256 (hex; undefined: an unknown APQ hash) may run: decides, counts nothing. */
  opens(hash: string | undefined, identity: Identity | null): boolean {
    if (hash !== undefined && this.manifest.has(hash)) return true;
    return this.options.mode !== 'enforce' || (!!identity && this.options.openRoles.includes(identity.role));
  }

  /** Counts (and for unregistered text, logs) a decision `opens` made, as `admits` does. */
  record(hash: string | undefined, identity: Identity | null, transport: Transport, admitted: boolean): void {
    if (hash !== undefined && this.manifest.has(hash)) return this.count(transport, 'trusted');
    const outcome = admitted ? 'untrusted_allowed' : 'untrusted_refused';
    this.count(transport, outcome);
    this.log(hash, identity, transport, outcome);
  }

  /** A documentId the manifest does not hold (or that is no documentId): refused in every mode. */
  unknownId(transport: Transport): void {
    this.count(transport, 'unknown_id');
  }

  private count(transport: Transport, outcome: TrustedDocumentOutcome): void {
    metrics.trustedDocuments.inc({ service: 'gateway', transport, outcome });
  }

  private log(
    hash: string | undefined,
    identity: Identity | null,
    transport: Transport,
    outcome: TrustedDocumentOutcome,
  ): void {
    const key = hash ?? 'apq';
    const now = Date.now();
    if (now - (this.lastLogged.get(key) ?? -Infinity) < LOG_EVERY_MS) return;
    if (this.lastLogged.size >= LOGGED_HASHES_KEPT) this.lastLogged.clear();
    this.lastLogged.set(key, now);
    this.logger.info(
      { documentHash: hash ?? null, transport, outcome, role: identity?.role ?? 'anonymous' },
      'untrusted document',
    );
  }
}
