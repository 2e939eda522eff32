import { defineWebhookModule } from '../modules.ts';
import { createSuuntoWebhook, type SuuntoWebhookSettings } from './webhook.ts';

export const suuntoWebhookModule = defineWebhookModule<SuuntoWebhookSettings>({
  id: 'suunto',
  readConfig: (r) => ({
    secrets: r.secretList('SUUNTO_WEBHOOK_SECRET', 'the notification secret set in the Suunto API-zone profile'),
  }),
  create: createSuuntoWebhook,
});
