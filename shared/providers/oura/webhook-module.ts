import { defineWebhookModule } from '../modules.ts';
import { createOuraWebhook, type OuraWebhookSettings } from './webhook.ts';

export const ouraWebhookModule = defineWebhookModule<OuraWebhookSettings>({
  id: 'oura',
  readConfig: (r) => ({
    verificationToken: r.required('OURA_VERIFICATION_TOKEN', 'the verification_token given when creating the Oura subscriptions'),
    secrets: r.secretList('OURA_WEBHOOK_SECRET', "the Oura app's client secret, which signs the notifications"),
    signatureToleranceSec: r.int('OURA_SIGNATURE_TOLERANCE_SECONDS', 300, 1, 3600),
  }),
  create: createOuraWebhook,
});
