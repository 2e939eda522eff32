import { STRAVA_SUBSCRIPTION_ID } from '../../test/support/stack.ts';
import { type StravaWebhookEvent, stravaWebhookEvent } from '../../test/support/strava-fixtures.ts';

/** POSTs a Strava webhook event for fitsync's subscription to the local webhook, as Strava does; the answer's status. */
export async function sendStravaEvent(webhookUrl: string, event: Partial<StravaWebhookEvent>): Promise<number> {
  const res = await fetch(`${webhookUrl}/strava`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stravaWebhookEvent({ ...event, subscription_id: STRAVA_SUBSCRIPTION_ID })),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Now in Strava's `event_time` unit (unix seconds). */
export const stravaNow = () => Math.floor(Date.now() / 1000);
