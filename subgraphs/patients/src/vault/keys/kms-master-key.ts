import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { metrics } from '@clinic/platform';
import { UnknownMasterKeyError, type MasterKey, type WrappedKey } from './master-key';

const KMS_PREFIX = 'kms:';

/**
 * A master key in AWS KMS: it never leaves KMS. Data keys come from GenerateDataKey, are wrapped with
 * Encrypt (re-wrap) and unwrapped with Decrypt, always under the encryption context { clientId }, which
 * KMS binds to the ciphertext and records in CloudTrail: a wrapped key moved to another patient fails.
 */
export class KmsMasterKey implements MasterKey {
  readonly keyId: string;

  /** `keyArn` should be the key's full ARN: it is what KMS reports and what rows record. */
  constructor(
    private readonly kms: KMSClient,
    private readonly keyArn: string,
  ) {
    this.keyId = `${KMS_PREFIX}${keyArn}`;
  }

  async generateDataKey(clientId: string): Promise<{ plaintext: Buffer; wrapped: WrappedKey }> {
    const result = await this.call('GenerateDataKey', () =>
      this.kms.send(
        new GenerateDataKeyCommand({
          KeyId: this.keyArn,
          KeySpec: 'AES_256',
          EncryptionContext: { clientId },
        }),
      ),
    );
    if (!result.Plaintext || !result.CiphertextBlob) throw new Error('KMS returned no data key');
    return {
      plaintext: Buffer.from(result.Plaintext),
      wrapped: { keyId: this.keyId, wrapped: Buffer.from(result.CiphertextBlob) },
    };
  }

  async wrap(dataKey: Buffer, clientId: string): Promise<WrappedKey> {
    const result = await this.call('Encrypt', () =>
      this.kms.send(
        new EncryptCommand({ KeyId: this.keyArn, Plaintext: dataKey, EncryptionContext: { clientId } }),
      ),
    );
    if (!result.CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return { keyId: this.keyId, wrapped: Buffer.from(result.CiphertextBlob) };
  }

  async unwrap(wrapped: WrappedKey, clientId: string): Promise<Buffer> {
    if (wrapped.keyId !== this.keyId) throw new UnknownMasterKeyError(wrapped.keyId);
    const result = await this.call('Decrypt', () =>
      this.kms.send(
        new DecryptCommand({
          // Naming the key makes KMS refuse a blob wrapped by any other key.
          KeyId: this.keyArn,
          CiphertextBlob: wrapped.wrapped,
          EncryptionContext: { clientId },
        }),
      ),
    );
    if (!result.Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(result.Plaintext);
  }

  /** One KMS call, counted by operation and outcome (clinic_vault_kms_requests_total). */
  private async call<Output>(
    operation: 'GenerateDataKey' | 'Encrypt' | 'Decrypt',
    send: () => Promise<Output>,
  ): Promise<Output> {
    try {
      const output = await send();
      metrics.vaultKms.inc({ service: 'patients', operation, outcome: 'ok' });
      return output;
    } catch (error) {
      metrics.vaultKms.inc({ service: 'patients', operation, outcome: 'failed' });
      throw error;
    }
  }
}
