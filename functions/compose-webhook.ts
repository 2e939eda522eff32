import { type Clock, systemClock } from '../shared/clock.ts';
import type { PubSubRestConfig, WebhookConfig } from '../shared/config.ts';
import { createMetadataAccessTokens } from '../shared/gcp/metadata-access-token.ts';
import { createPubSubRestPublisher, type PublishPolicy, type PubSubPublisher } from '../shared/gcp/pubsub-rest-publisher.ts';
import { createKeepAliveClient } from '../shared/http/keep-alive-client.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import type { WebhookModule } from '../shared/providers/modules.ts';
import { webhookModules } from '../shared/providers/webhook-registry.ts';
import { createBodyBudget } from '../shared/webhook/body-budget.ts';
import type { EventPublisher } from '../shared/webhook/event-publisher.ts';
import type { WebhookAdapter } from '../shared/webhook/inbound-request.ts';
import { createPubSubEventPublisher } from '../shared/webhook/pubsub-event-publisher.ts';
import type { WebhookFunctionDeps } from './webhook-http.ts';

/** Enabled trackers' webhook adapters by path segment. */
export function webhookAdapters(config: WebhookConfig, modules: readonly WebhookModule[] = webhookModules): Map<string, WebhookAdapter> {
  const adapters = new Map<string, WebhookAdapter>();
  for (const m of modules) if (config.trackers.includes(m.id)) adapters.set(m.id, m.create(config.trackerSettings[m.id]));
  return adapters;
}

/**
 * Pub/Sub's REST publisher for a function's configuration: the emulator over plain HTTP without credentials when
 * PUBSUB_EMULATOR_HOST is set (the emulator serves REST on its one port), else the endpoint with the service
 * account's tokens from the metadata server.
 */
export function createRestPubSub(
  config: PubSubRestConfig & { projectId: string },
  clock: Clock,
  policy: Partial<PublishPolicy>,
): PubSubPublisher {
  if (config.pubsubEmulatorHost)
    return createPubSubRestPublisher({ projectId: config.projectId, endpoint: `http://${config.pubsubEmulatorHost}`, clock, policy });
  const tokens = createMetadataAccessTokens({
    host: config.metadataHost,
    client: createKeepAliveClient({ maxSockets: 2, maxResponseBytes: 64 * 1024 }),
    clock,
  });
  return createPubSubRestPublisher({ projectId: config.projectId, endpoint: config.pubsubEndpoint, tokens, clock, policy });
}

/** Composition root of the `webhook` function: the only place its clients are built. */
export function createWebhookDeps(
  config: WebhookConfig,
  overrides: { clock?: Clock; log?: Logger; publisher?: EventPublisher } = {},
): WebhookFunctionDeps {
  const clock = overrides.clock ?? systemClock;
  let publisher = overrides.publisher;
  if (!publisher) {
    const pubsub = createRestPubSub(config, clock, { deadlineMs: config.publishDeadlineMs });
    pubsub.warmUp();
    publisher = createPubSubEventPublisher(pubsub, config.eventsTopic);
  }
  return {
    adapters: webhookAdapters(config),
    publisher,
    projectId: config.projectId,
    clock,
    log: overrides.log ?? createLogger({ level: config.logLevel, base: { fn: 'webhook' } }),
    maxBodyBytes: config.maxBodyBytes,
    bodyReading: { budget: createBodyBudget(config.bodyMemoryBytes), timeoutMs: config.bodyTimeoutMs },
  };
}
