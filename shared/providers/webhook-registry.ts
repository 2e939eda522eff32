import type { WebhookModule } from './modules.ts';
import { genericWebhookModule } from './generic/webhook-module.ts';
import { stravaWebhookModule } from './strava/webhook-module.ts';

/** Every tracker the `webhook` function can serve, at `/<id>`. One line per tracker. */
export const webhookModules: readonly WebhookModule[] = [
  stravaWebhookModule,
  genericWebhookModule,
];
