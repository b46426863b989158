import type { Role } from '@clinic/contracts';

/**
 * off: documentIds are not understood, any text runs. log: documentIds run; text that is not a
 * registered document still runs, and is counted and logged by its hash. enforce: only registered
 * documents run, except for the open roles (the admin console's callers).
 */
export type TrustedDocumentsMode = 'off' | 'log' | 'enforce';

export interface TrustedDocumentsOptions {
  mode: TrustedDocumentsMode;
  /** Staff roles that may still send operation text in enforce mode (the admin console). */
  openRoles: readonly Role[];
  /**
   * The manifest (`{ "sha256:<hex>": "<document text>" }`, as codegen's client preset writes it), or the
   * path of its file; default the repository's clients/generated/persisted-documents.json, bundled.
   */
  manifest?: string | Readonly<Record<string, string>>;
}

/**
 * log by default: it refuses nothing a client sends today and says which unregistered documents still
 * arrive, which is what a deployment needs to know before it can switch to enforce
 * (docs/trusted-documents.md). The system administrator keeps the admin console in enforce mode.
 */
export const DEFAULT_TRUSTED_DOCUMENTS: TrustedDocumentsOptions = {
  mode: 'log',
  openRoles: ['SystemAdministrator'],
};
