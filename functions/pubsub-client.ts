import { PubSub } from '@google-cloud/pubsub';

/** The Pub/Sub client both functions publish with, honouring a configured emulator (plaintext, no credentials). */
export function createPubSub(config: { projectId: string; pubsubEmulatorHost?: string }): PubSub {
  return new PubSub({ projectId: config.projectId, ...(config.pubsubEmulatorHost ? { apiEndpoint: config.pubsubEmulatorHost, emulatorMode: true } : {}) });
}
