import { randomBytes, randomUUID } from 'node:crypto';
import { createJobStore } from '../shared/backfill/job-store.ts';
import { linkBackfillWindow } from '../shared/backfill/link-window.ts';
import { createPubSubBackfillPublisher } from '../shared/backfill/pubsub-backfill-publisher.ts';
import { type Clock, randomIds, systemClock } from '../shared/clock.ts';
import type { ConnectConfig } from '../shared/connect/connect-config.ts';
import type { ConnectDeps } from '../shared/connect/connect-deps.ts';
import { createFlowStates } from '../shared/connect/flow-states.ts';
import { createGoogleOAuth } from '../shared/connect/google/google-oauth.ts';
import { createJwks } from '../shared/connect/google/jwks.ts';
import type { RandomBytes } from '../shared/connect/random.ts';
import { createSessionCodec } from '../shared/connect/session.ts';
import type { TrackerConnectModule, TrackerConnector } from '../shared/connect/tracker-connect.ts';
import { trackerConnectModules } from '../shared/connect/trackers/registry.ts';
import { createAdcAccessTokens } from '../shared/gcp/adc-access-token.ts';
import { oauthClientFrom } from '../shared/gcp/oauth-client-secret.ts';
import { createSecretManagerSource } from '../shared/gcp/secret-source.ts';
import { createFetchJson } from '../shared/http/fetch-json.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import { requestBackfill } from '../shared/ops/request-backfill.ts';
import type { ProviderId } from '../shared/provider-ids.ts';
import type { TrackerIo } from '../shared/providers/modules.ts';
import { canBackfill, type TrackerApi } from '../shared/providers/tracker-api.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { createLeaseManager } from '../shared/stores/lease.ts';
import { createLinksStore } from '../shared/stores/links-store.ts';
import { createPersonProfiles } from '../shared/stores/person-profile.ts';
import { createUsersStore } from '../shared/stores/users-store.ts';
import { createTokenCipher } from '../shared/tokens/token-cipher.ts';
import { createTrackerAccess } from '../shared/tokens/tracker-access.ts';
import { createFirestore, createPubSub } from './gcp-clients.ts';
import { createSecretManagerClient } from './secret-manager-client.ts';

/**
 * Composition root of the `connect` function: the only place its SDK clients are built. It reads and writes
 * through the worker's own stores and cipher, and queues backfills through the worker's job store and topic.
 */
export function createConnectDeps(
  config: ConnectConfig,
  overrides: { clock?: Clock; log?: Logger; random?: RandomBytes; modules?: readonly TrackerConnectModule[] } = {},
): ConnectDeps {
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger({ level: config.logLevel, base: { fn: 'connect' } });
  const random = overrides.random ?? randomBytes;
  const ids = randomIds(randomUUID);
  const db = createFirestore(config);
  const secrets = createSecretManagerSource({
    client: createSecretManagerClient(config),
    projectId: config.projectId,
    clock,
    timeoutMs: config.httpTimeoutMs,
  });
  const cipher = createTokenCipher(secrets, config.secretNames.tokenKey);
  const fetchJson = createFetchJson({ timeoutMs: config.httpTimeoutMs });
  const links = createLinksStore(db, clock);

  const connectors = new Map<ProviderId, TrackerConnector>();
  for (const t of config.trackers) {
    const m = (overrides.modules ?? trackerConnectModules).find((c) => c.id === t.id);
    if (m) connectors.set(t.id, m.create(t.settings, { fetchJson, clock }));
  }
  const clients = new Map<string, () => Promise<{ clientId: string; clientSecret: string }>>();
  const clientOf = (secretName: string) => {
    const known = clients.get(secretName);
    if (known) return known;
    const created = oauthClientFrom(secrets, secretName);
    clients.set(secretName, created);
    return created;
  };

  // The worker's tracker APIs: which trackers can backfill, and the refresh grant for a fresh token at disconnect.
  const io: TrackerIo = {
    fetchJson,
    clock,
    log,
    oauthClient: clientOf,
    secret: async (name) => (await secrets.get(name)).value.toString('utf8').trim(),
  };
  const apis: Partial<Record<ProviderId, TrackerApi>> = {};
  for (const m of workerModules) if (m.id in config.workerSettings) apis[m.id] = m.create(config.workerSettings[m.id], io);
  const trackerAccess = createTrackerAccess({ links, leases: createLeaseManager(db, clock, ids), cipher, clock, log });
  const jobs = createJobStore(db, clock);
  const pubsub = createPubSub(config, { clock, tokens: createAdcAccessTokens(), policy: { deadlineMs: config.httpTimeoutMs } });
  const backfillPublisher = createPubSubBackfillPublisher(pubsub, config.backfillTopic);

  return {
    config,
    clock,
    log,
    random,
    db,
    sessions: createSessionCodec({ secrets, secretName: config.secretNames.sessionKey, clock, ttlMs: config.sessionTtlMs, random }),
    flows: createFlowStates(db, clock, config.stateTtlMs, random),
    google: createGoogleOAuth({ endpoints: config.google, fetchJson, clock }),
    jwks: createJwks({ url: config.google.jwksUrl, fetchJson, clock }),
    googleClient: clientOf(config.secretNames.googleOAuthClient),
    trackers: connectors,
    trackerClient: (connector) => clientOf(connector.oauthClientSecret)(),
    users: createUsersStore(db, clock),
    profiles: createPersonProfiles(db, clock),
    links,
    cipher,
    backfill: {
      canImport: (provider) => config.onLinkDays > 0 && canBackfill(apis[provider]),
      request: (userId, provider, brokenSinceMs) =>
        requestBackfill(
          { jobs, backfillPublisher, apis, ids, links },
          { userId, tracker: provider, window: linkBackfillWindow(clock.now(), config.onLinkDays, brokenSinceMs), origin: 'link' },
        ),
    },
    freshAccessToken: async (link) => {
      const api = apis[link.provider];
      if (!api) throw new Error(`${link.provider} has no API in this build`);
      return trackerAccess.accessToken(link, api);
    },
  };
}
