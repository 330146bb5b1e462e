import { Inject, Injectable } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { FieldCipher, parseKeyRing } from '@jrp/crypto';

/** What a subscription's sealed secrets are bound to: a secret copied to another row does not open there. */
export const webhookSecretContext = (subscriptionId: string): string =>
  `webhook_subscriptions.secret:${subscriptionId}`;

/**
 * Signing secrets at rest: encrypted with the data keys (JRP_DATA_KEYS, JRP_DATA_CIPHER), each
 * ciphertext bound to its subscription, so a secret copied to another row does not decrypt there.
 */
@Injectable()
export class WebhookSecrets {
  private readonly cipher: FieldCipher;

  constructor(@Inject(JrpConfig) config: JrpConfig) {
    this.cipher = new FieldCipher(parseKeyRing(config.dataKeys), config.dataCipher);
  }

  seal(subscriptionId: string, secret: string): string {
    return this.cipher.encrypt(secret, webhookSecretContext(subscriptionId));
  }

  open(subscriptionId: string, sealed: string): string {
    return this.cipher.decrypt(sealed, webhookSecretContext(subscriptionId));
  }
}
