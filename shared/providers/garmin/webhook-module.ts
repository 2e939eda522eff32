import { defineWebhookModule } from '../modules.ts';
import { createGarminWebhook, type GarminWebhookSettings } from './webhook.ts';

export const garminWebhookModule = defineWebhookModule<GarminWebhookSettings>({
  id: 'garmin',
  readConfig: (r) => ({
    clientId: r.required('GARMIN_CLIENT_ID', 'the consumer key Garmin sends in the garmin-client-id header'),
    pathSecrets: r.pathSecretList('GARMIN_PATH_SECRET', 'the secret last segment of the push URL, /garmin/<secret>; Garmin signs nothing'),
  }),
  create: createGarminWebhook,
});
