import { EncryptedColumn } from '@jrp/database';
import { webhookSecretContext } from '../subscriptions/webhook-secrets';

/**
 * Every column of measures' schema that holds ciphertexts of the data keys: the webhook subscriptions'
 * signing secrets (the current one and the one still signing during a rotation). measures stores no ID
 * number. `npm run rotate-data-keys` re-encrypts them.
 */
export const MEASURES_ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'webhook_subscriptions', key: 'id', keyType: 'uuid', column: 'secret', context: webhookSecretContext },
  {
    table: 'webhook_subscriptions',
    key: 'id',
    keyType: 'uuid',
    column: 'previous_secret',
    context: webhookSecretContext,
  },
];
