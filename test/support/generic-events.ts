// Generic-endpoint events made the way the webhook makes them, for tests that hand events to the worker directly:
// each body is signed now (Standard Webhooks, a fresh message id) with the test's secret and turned into its event by
// the real adapter, so the event carries what a delivered one would.
import { randomBytes } from 'node:crypto';
import { createGenericWebhook } from '../../shared/providers/generic/webhook.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { inboundRequest } from './inbound-request.ts';
import { signStandardWebhook } from './standard-webhooks-sign.ts';

/** Turns a body the generic endpoint accepts into its event, signed with `secret`. */
export function genericEventMaker(secret: string): (body: string) => TrackerEvent {
  const webhook = createGenericWebhook({ secrets: [secret], signatureToleranceSec: 300 });
  return (body) => {
    const headers = signStandardWebhook({
      id: `msg_${randomBytes(6).toString('hex')}`,
      timestampSec: Math.floor(Date.now() / 1000),
      body,
      secret,
    });
    return webhook.toEvents(inboundRequest(body, { headers }), new Date().toISOString())[0]!;
  };
}
