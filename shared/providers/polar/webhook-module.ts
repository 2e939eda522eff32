import { defineWebhookModule } from '../modules.ts';
import { createPolarWebhook, type PolarWebhookSettings } from './webhook.ts';

export const polarWebhookModule = defineWebhookModule<PolarWebhookSettings>({
  id: 'polar',
  // Optional on purpose: Polar issues the key only after its PING has been answered, so the first deployment
  // runs without it (PING only) and the second carries it (docs/trackers/polar.md).
  readConfig: (r) => ({ secrets: r.secretList('POLAR_WEBHOOK_SECRET') }),
  create: createPolarWebhook,
});
