/**
 * The outcomes every mutation's result union shares (`NotAllowed` and `InvalidInput` are @shareable in
 * the subgraph schemas), and the one format of idempotency keys the mutations accept.
 */
export type NotAllowed = { __typename: 'NotAllowed'; message: string };
export type InvalidInput = { __typename: 'InvalidInput'; field: string; message: string };

export const invalid = (field: string, message: string): InvalidInput => ({
  __typename: 'InvalidInput',
  field,
  message,
});

export const notAllowed = (message: string): NotAllowed => ({ __typename: 'NotAllowed', message });

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,100}$/;

export function checkIdempotencyKey(key: string): InvalidInput | null {
  return IDEMPOTENCY_KEY.test(key)
    ? null
    : invalid('idempotencyKey', 'Use 8 to 100 letters, digits or . _ : - characters.');
}
