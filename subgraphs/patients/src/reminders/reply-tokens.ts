import { createHash } from 'node:crypto';
import type { BlindIndex } from '../vault/blind-index';

/**
 * The single-use token of an emailed reminder. It is an HMAC of the notification id under the vault's
 * blind-index key: opaque (no id or personal information can be read from it), unguessable without the
 * key, and derivable again by the dispatcher when it composes the email, so the token itself is stored
 * nowhere; the database keeps only its SHA-256 (reminder_reply.token_hash).
 */
export interface ReplyTokens {
  tokenFor(notificationId: string): string;
  hash(token: string): Buffer;
}

/** 32 bytes in base64url without padding. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function replyTokens(blindIndex: BlindIndex): ReplyTokens {
  return {
    tokenFor: (notificationId) =>
      blindIndex.derive('reminder-reply', 'reminder', notificationId).toString('base64url'),
    hash: tokenHash,
  };
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
