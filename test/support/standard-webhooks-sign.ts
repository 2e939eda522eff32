import { createHmac } from 'node:crypto';

/** Signs a body the way a Standard Webhooks sender does (stripe's test-header idea), for tests and demos. */
export function signStandardWebhook(o: {
  id: string;
  timestampSec: number;
  body: string | Buffer;
  secret: string;
}): Record<string, string> {
  const key = Buffer.from(o.secret.replace(/^whsec_/, ''), 'base64');
  const signed = Buffer.concat([Buffer.from(`${o.id}.${o.timestampSec}.`), Buffer.isBuffer(o.body) ? o.body : Buffer.from(o.body)]);
  const sig = createHmac('sha256', key).update(signed).digest('base64');
  return {
    'webhook-id': o.id,
    'webhook-timestamp': String(o.timestampSec),
    'webhook-signature': `v1,${sig}`,
    'content-type': 'application/json',
  };
}
