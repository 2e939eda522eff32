import { defineWebhookModule } from '../modules.ts';
import { createWhoopWebhook, type WhoopWebhookSettings } from './webhook.ts';

export const whoopWebhookModule = defineWebhookModule<WhoopWebhookSettings>({
  id: 'whoop',
  readConfig: (r) => ({
    secrets: r.secretList('WHOOP_WEBHOOK_SECRET', "the WHOOP app's client secret, which signs the webhooks"),
    signatureToleranceSec: r.int('WHOOP_SIGNATURE_TOLERANCE_SECONDS', 300, 1, 3600),
  }),
  create: createWhoopWebhook,
});
