import { http } from '@google-cloud/functions-framework';
import { parseWebhookConfig } from '../shared/config.ts';
import { webhookModules } from '../shared/providers/webhook-registry.ts';
import { createWebhookHandler } from '../shared/webhook/handle-webhook.ts';
import { createWebhookDeps } from './compose-webhook.ts';
import { reportStartupFailure } from './startup.ts';
import { toHttpFunction } from './webhook-http.ts';

// Entry point of the `webhook` bundle. Configuration is read and validated at cold start, so a bad deployment
// fails loudly with every problem listed instead of answering trackers with errors.
try {
  http('webhook', toHttpFunction(createWebhookHandler(createWebhookDeps(parseWebhookConfig(process.env, webhookModules)))));
} catch (err) {
  reportStartupFailure('webhook', err);
}
