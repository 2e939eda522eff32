import { corosWebhookModule } from './coros/webhook-module.ts';
import { garminWebhookModule } from './garmin/webhook-module.ts';
import { genericWebhookModule } from './generic/webhook-module.ts';
import type { WebhookModule } from './modules.ts';
import { ouraWebhookModule } from './oura/webhook-module.ts';
import { polarWebhookModule } from './polar/webhook-module.ts';
import { stravaWebhookModule } from './strava/webhook-module.ts';
import { suuntoWebhookModule } from './suunto/webhook-module.ts';
import { wahooWebhookModule } from './wahoo/webhook-module.ts';
import { whoopWebhookModule } from './whoop/webhook-module.ts';
import { withingsWebhookModule } from './withings/webhook-module.ts';

/** Every tracker the `webhook` function can serve, at `/<id>`. One line per tracker. */
export const webhookModules: readonly WebhookModule[] = [
  stravaWebhookModule,
  polarWebhookModule,
  ouraWebhookModule,
  whoopWebhookModule,
  garminWebhookModule,
  corosWebhookModule,
  wahooWebhookModule,
  suuntoWebhookModule,
  withingsWebhookModule,
  genericWebhookModule,
];
