import { defineWebhookModule } from '../modules.ts';
import { createWithingsWebhook, type WithingsWebhookSettings } from './webhook.ts';

/** A path segment that needs no escaping and cannot be guessed. */
const PATH_SECRET = /^[A-Za-z0-9._~-]{16,}$/;

export const withingsWebhookModule = defineWebhookModule<WithingsWebhookSettings>({
  id: 'withings',
  readConfig(r) {
    const pathSecrets = r.secretList('WITHINGS_PATH_SECRET', 'the secret last segment of the callback URL given to Withings');
    if (pathSecrets.some((s) => !PATH_SECRET.test(s))) {
      r.problems.push('WITHINGS_PATH_SECRET and WITHINGS_PATH_SECRET_PREVIOUS must each be at least 16 of A-Z a-z 0-9 . _ ~ -');
    }
    return { pathSecrets };
  },
  create: createWithingsWebhook,
});
