import { http } from '@google-cloud/functions-framework';
import { parseWebhookConfig } from '../shared/config.ts';
import { webhookModules } from '../shared/providers/webhook-registry.ts';
import { createWebhookDeps } from './compose-webhook.ts';
import { detachRequests } from './detach-request.ts';
import { reportStartupFailure } from './startup.ts';
import { webhookHttpFunction } from './webhook-http.ts';

// Entry point of the `webhook` bundle. Configuration is read and validated at cold start, so a bad deployment
// fails loudly with every problem listed instead of answering trackers with errors.
try {
  const deps = createWebhookDeps(parseWebhookConfig(process.env, webhookModules));
  // Cloud Functions runs one function per instance: every request this process serves is the webhook's.
  detachRequests(() => true);
  http('webhook', webhookHttpFunction(deps));
} catch (err) {
  reportStartupFailure('webhook', err);
}
