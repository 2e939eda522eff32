import { defineWebhookModule } from '../modules.ts';
import { type CorosWebhookSettings, createCorosWebhook } from './webhook.ts';

export const corosWebhookModule = defineWebhookModule<CorosWebhookSettings>({
  id: 'coros',
  readConfig: (r) => ({
    clientId: r.required('COROS_CLIENT_ID', 'the client id COROS sends in the client header'),
    secrets: r.secretList('COROS_WEBHOOK_SECRET', 'the client secret COROS sends in the secret header'),
    pathSecrets: r.pathSecretList('COROS_PATH_SECRET', 'the secret last segment of the webhook URL, /coros/<secret>; COROS signs nothing'),
  }),
  create: createCorosWebhook,
});
