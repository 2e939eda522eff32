import { defineWebhookModule } from '../modules.ts';
import { createWahooWebhook, type WahooWebhookSettings } from './webhook.ts';

export const wahooWebhookModule = defineWebhookModule<WahooWebhookSettings>({
  id: 'wahoo',
  readConfig: (r) => ({
    tokens: r.secretList('WAHOO_WEBHOOK_SECRET', 'the webhook token set on the Wahoo app; Wahoo sends it as webhook_token in the body'),
    pathSecrets: r.pathSecretList('WAHOO_PATH_SECRET', 'the secret last segment of the webhook URL, /wahoo/<secret>; Wahoo signs nothing'),
  }),
  create: createWahooWebhook,
});
