import { Firestore } from '@google-cloud/firestore';
import type { Clock } from '../shared/clock.ts';
import type { PubSubRestConfig } from '../shared/config.ts';
import type { AccessTokens } from '../shared/gcp/metadata-access-token.ts';
import { createPubSubRestPublisher, type PublishPolicy, type PubSubPublisher } from '../shared/gcp/pubsub-rest-publisher.ts';
import { createRestSecretSource, type SecretSource } from '../shared/gcp/secret-source.ts';
import { sharedKeepAliveClient } from '../shared/http/keep-alive-client.ts';

// How the worker (and the operator command, which composes the same dependencies) reaches Google Cloud: Firestore
// through its client library, the only one it loads; Secret Manager and Pub/Sub over their REST APIs on keep-alive
// connections, with Application Default Credentials. Each honours a configured emulator (plaintext, no credentials).

/** Firestore, honouring a configured emulator (plaintext, the emulator's owner credentials). */
export function createFirestore(config: { projectId: string; firestoreEmulatorHost?: string }): Firestore {
  const emulator = config.firestoreEmulatorHost;
  if (!emulator) return new Firestore({ projectId: config.projectId });
  const [host, port] = splitHostPort(emulator);
  return new Firestore({ projectId: config.projectId, host, port, ssl: false, customHeaders: { Authorization: 'Bearer owner' } });
}

/** Secret Manager over REST: `https://secretmanager.googleapis.com`, a configured endpoint, or the emulator. */
export function createSecrets(
  config: { projectId: string; secretManagerEmulatorHost?: string; secretManagerEndpoint?: string },
  o: { clock: Clock; timeoutMs: number; tokens: AccessTokens },
): SecretSource {
  const common = { projectId: config.projectId, client: sharedKeepAliveClient(), clock: o.clock, timeoutMs: o.timeoutMs };
  if (config.secretManagerEmulatorHost)
    return createRestSecretSource({ ...common, endpoint: `http://${config.secretManagerEmulatorHost}` });
  return createRestSecretSource({
    ...common,
    endpoint: httpsEndpoint(config.secretManagerEndpoint ?? 'secretmanager.googleapis.com'),
    tokens: o.tokens,
  });
}

/**
 * Pub/Sub's REST publisher (connections of its own, which its close() may end): the configured endpoint (default
 * https://pubsub.googleapis.com) with `tokens`, or the emulator over plain HTTP.
 */
export function createPubSub(
  config: Partial<Pick<PubSubRestConfig, 'pubsubEndpoint' | 'pubsubEmulatorHost'>> & { projectId: string },
  o: { clock: Clock; tokens: AccessTokens; policy: Partial<PublishPolicy> },
): PubSubPublisher {
  const common = { projectId: config.projectId, clock: o.clock, policy: o.policy };
  if (config.pubsubEmulatorHost) return createPubSubRestPublisher({ ...common, endpoint: `http://${config.pubsubEmulatorHost}` });
  return createPubSubRestPublisher({ ...common, endpoint: config.pubsubEndpoint ?? 'https://pubsub.googleapis.com', tokens: o.tokens });
}

/** A host name (a regional endpoint, as the gRPC client takes it) or a URL, as an https URL. */
const httpsEndpoint = (endpoint: string) => (/^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`);

export function splitHostPort(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i).replace(/^\[|\]$/g, ''), Number(hostPort.slice(i + 1))];
}
