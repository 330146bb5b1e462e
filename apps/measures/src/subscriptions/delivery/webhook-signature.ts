import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks' secret prefix; the rest is the base64 of the key. */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks allows 24 to 64). */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` header of Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
 * under each secret, space-separated (during a rotation the receiver may hold either secret).
 */
export function signWebhook(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  const content = `${id}.${timestampSeconds}.${body}`;
  return secrets
    .map((secret) =>
      Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64'),
    )
    .map((key) => `v1,${createHmac('sha256', key).update(content, 'utf8').digest('base64')}`)
    .join(' ');
}
