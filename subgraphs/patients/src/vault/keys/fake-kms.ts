import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A KMS stand-in for tests, behind aws-sdk-client-mock: it really encrypts (AES-256-GCM under a key per
 * ARN, never exported) and, like KMS, binds the encryption context to the ciphertext and refuses a
 * Decrypt whose context or named key differs. Only the calls the vault makes are implemented.
 */
export function fakeKms(keyArns: readonly string[]) {
  const keys = new Map(keyArns.map((arn) => [arn, randomBytes(32)]));
  const calls: { command: string; keyId: string | undefined; context: Record<string, string> | undefined }[] =
    [];
  // KMS canonicalises the context: the same pairs in any order are the same context.
  const aad = (context: Record<string, string> = {}) =>
    Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));
  const keyOf = (arn: string | undefined) => {
    const key = arn === undefined ? undefined : keys.get(arn);
    if (!key) throw new NotFoundException({ message: `Key '${arn}' does not exist`, $metadata: {} });
    return key;
  };
  const encrypt = (arn: string, plaintext: Uint8Array, context: Record<string, string> | undefined) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keyOf(arn), nonce);
    cipher.setAAD(aad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const arnBytes = Buffer.from(arn);
    // Like a real blob, it names its key, so Decrypt needs no KeyId.
    const blob = Buffer.concat([Buffer.from([arnBytes.length]), arnBytes, nonce, body, cipher.getAuthTag()]);
    return new Uint8Array(blob);
  };
  const kms = mockClient(KMSClient);
  kms.on(GenerateDataKeyCommand).callsFake((input: GenerateDataKeyCommand['input']) => {
    calls.push({ command: 'GenerateDataKey', keyId: input.KeyId, context: input.EncryptionContext });
    if (input.KeySpec !== 'AES_256') throw new Error('the fake supports AES_256 only');
    const plaintext = randomBytes(32);
    return {
      KeyId: input.KeyId,
      Plaintext: new Uint8Array(plaintext),
      CiphertextBlob: encrypt(input.KeyId ?? '', plaintext, input.EncryptionContext),
    };
  });
  kms.on(EncryptCommand).callsFake((input: EncryptCommand['input']) => {
    calls.push({ command: 'Encrypt', keyId: input.KeyId, context: input.EncryptionContext });
    return {
      KeyId: input.KeyId,
      CiphertextBlob: encrypt(
        input.KeyId ?? '',
        input.Plaintext ?? new Uint8Array(),
        input.EncryptionContext,
      ),
    };
  });
  kms.on(DecryptCommand).callsFake((input: DecryptCommand['input']) => {
    calls.push({ command: 'Decrypt', keyId: input.KeyId, context: input.EncryptionContext });
    const blob = Buffer.from(input.CiphertextBlob ?? new Uint8Array());
    const invalid = () =>
      new InvalidCiphertextException({ message: 'InvalidCiphertextException', $metadata: {} });
    const arnLength = blob[0] ?? 0;
    const arn = blob.subarray(1, 1 + arnLength).toString();
    if (input.KeyId !== undefined && input.KeyId !== arn) {
      throw new Error('IncorrectKeyException: the ciphertext was not encrypted under the named key');
    }
    const rest = blob.subarray(1 + arnLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyOf(arn), rest.subarray(0, 12));
      decipher.setAAD(aad(input.EncryptionContext));
      decipher.setAuthTag(rest.subarray(rest.length - 16));
      const plaintext = Buffer.concat([
        decipher.update(rest.subarray(12, rest.length - 16)),
        decipher.final(),
      ]);
      return { KeyId: arn, Plaintext: new Uint8Array(plaintext) };
    } catch {
      throw invalid();
    }
  });
  return { client: new KMSClient({ region: 'ap-southeast-2' }), mock: kms, calls };
}
