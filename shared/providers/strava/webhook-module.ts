import { defineWebhookModule } from '../modules.ts';
import { createStravaWebhook, type StravaWebhookSettings } from './webhook.ts';

export const stravaWebhookModule = defineWebhookModule<StravaWebhookSettings>({
  id: 'strava',
  readConfig(r) {
    const signingSecret = r.optional('STRAVA_SIGNING_SECRET');
    return {
      verifyToken: r.required('STRAVA_VERIFY_TOKEN', 'the token given when creating the Strava push subscription'),
      subscriptionId: r.required('STRAVA_SUBSCRIPTION_ID', 'the id Strava returned for the push subscription'),
      signatureToleranceSec: r.int('STRAVA_SIGNATURE_TOLERANCE_SECONDS', 300, 1, 3600),
      ...(signingSecret ? { signingSecret } : {}),
    };
  },
  create: createStravaWebhook,
});
