import { systemClock, type Clock } from '../shared/clock.ts';
import type { WebhookConfig } from '../shared/config.ts';
import { createPubSubPublisher } from '../shared/gcp/pubsub-publisher.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import type { WebhookModule } from '../shared/providers/modules.ts';
import { webhookModules } from '../shared/providers/webhook-registry.ts';
import type { EventPublisher } from '../shared/webhook/event-publisher.ts';
import type { WebhookAdapter } from '../shared/webhook/inbound-request.ts';
import type { WebhookDeps } from '../shared/webhook/handle-webhook.ts';
import { createPubSub } from './pubsub-client.ts';

/** Enabled trackers' webhook adapters by path segment. */
export function webhookAdapters(config: WebhookConfig, modules: readonly WebhookModule[] = webhookModules): Map<string, WebhookAdapter> {
  const adapters = new Map<string, WebhookAdapter>();
  for (const m of modules) if (config.trackers.includes(m.id)) adapters.set(m.id, m.create(config.trackerSettings[m.id]));
  return adapters;
}

/** Composition root of the `webhook` function: the only place its SDK clients are built. */
export function createWebhookDeps(
  config: WebhookConfig,
  overrides: { clock?: Clock; log?: Logger; publisher?: EventPublisher } = {},
): WebhookDeps {
  return {
    adapters: webhookAdapters(config),
    publisher: overrides.publisher ?? createPubSubPublisher(createPubSub(config), config.eventsTopic),
    clock: overrides.clock ?? systemClock,
    log: overrides.log ?? createLogger({ level: config.logLevel, base: { fn: 'webhook' } }),
    maxBodyBytes: config.maxBodyBytes,
  };
}
