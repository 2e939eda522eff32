import { defineWebhookModule } from '../modules.ts';
import { createGenericWebhook, type GenericWebhookSettings } from './webhook.ts';

export const genericWebhookModule = defineWebhookModule<GenericWebhookSettings>({
  id: 'generic',
  readConfig(r) {
    const secrets = r.secretList('GENERIC_WEBHOOK_SECRET', 'a whsec_<base64> secret shared with the senders', {
      pattern: /^whsec_[A-Za-z0-9+/]+=*$/,
      describe: 'whsec_<base64>',
    });
    return { secrets, signatureToleranceSec: r.int('GENERIC_SIGNATURE_TOLERANCE_SECONDS', 300, 1, 3600) };
  },
  create: createGenericWebhook,
});
