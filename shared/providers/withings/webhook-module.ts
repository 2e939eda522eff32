import { defineWebhookModule } from '../modules.ts';
import { createWithingsWebhook, type WithingsWebhookSettings } from './webhook.ts';

export const withingsWebhookModule = defineWebhookModule<WithingsWebhookSettings>({
  id: 'withings',
  readConfig: (r) => ({
    pathSecrets: r.pathSecretList('WITHINGS_PATH_SECRET', 'the secret last segment of the callback URL given to Withings'),
  }),
  create: createWithingsWebhook,
});
