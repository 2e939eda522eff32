import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import type { BackfillDeps } from '../shared/backfill/backfill-deps.ts';
import type { BackfillPublisher } from '../shared/backfill/backfill-publisher.ts';
import { createJobStore } from '../shared/backfill/job-store.ts';
import { createPubSubBackfillPublisher } from '../shared/backfill/pubsub-backfill-publisher.ts';
import { createRequestBudget } from '../shared/backfill/request-budget.ts';
import { type Clock, type IdSource, randomIds, systemClock } from '../shared/clock.ts';
import type { WorkerConfig } from '../shared/config.ts';
import { createAdcAccessTokens } from '../shared/gcp/adc-access-token.ts';
import type { AccessTokens } from '../shared/gcp/metadata-access-token.ts';
import { oauthClientFrom } from '../shared/gcp/oauth-client-secret.ts';
import type { SecretSource } from '../shared/gcp/secret-source.ts';
import { createGoogleTokenExchange } from '../shared/google/oauth-exchange.ts';
import { createFetchJson } from '../shared/http/fetch-json.ts';
import { withInlineRetry } from '../shared/http/retry.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import type { TrackerIo } from '../shared/providers/modules.ts';
import type { TrackerApi } from '../shared/providers/tracker-api.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { createGoogleFitSink } from '../shared/sinks/google-fit/google-fit-sink.ts';
import { createGoogleHealthSink } from '../shared/sinks/google-health/google-health-sink.ts';
import type { SessionSink, SinkId } from '../shared/sinks/session-sink.ts';
import { createLeaseManager } from '../shared/stores/lease.ts';
import { createLinksStore, type LinksStore } from '../shared/stores/links-store.ts';
import { createEventLedger, type EventLedger } from '../shared/stores/sync-ledger.ts';
import { createUsersStore, type UsersStore } from '../shared/stores/users-store.ts';
import { createSinkAvailability } from '../shared/sync/sink-availability.ts';
import { createSyncStore, type SyncStore } from '../shared/sync/sync-store.ts';
import { createUserDirectory } from '../shared/sync/user-directory.ts';
import { createGoogleAccess } from '../shared/tokens/google-access.ts';
import { createTokenCipher, type TokenCipher } from '../shared/tokens/token-cipher.ts';
import { createTrackerAccess } from '../shared/tokens/tracker-access.ts';
import type { ProviderId } from '../shared/types.ts';
import type { ProcessEventDeps } from '../shared/worker/process-event.ts';
import { createFirestore, createPubSub, createSecrets } from './gcp-clients.ts';

export { createFirestore } from './gcp-clients.ts';

/** The stores and secrets both the worker and the operator CLI use. */
export interface DataDeps {
  db: Firestore;
  secrets: SecretSource;
  cipher: TokenCipher;
  links: LinksStore;
  users: UsersStore;
  ledger: EventLedger;
  store: SyncStore;
}

export function createDataDeps(config: WorkerConfig, clock: Clock, tokens: AccessTokens = createAdcAccessTokens()): DataDeps {
  const db = createFirestore(config);
  const secrets = createSecrets(config, { clock, timeoutMs: config.httpTimeoutMs, tokens });
  return {
    db,
    secrets,
    cipher: createTokenCipher(secrets, config.secretNames.tokenKey),
    links: createLinksStore(db, clock),
    users: createUsersStore(db, clock),
    ledger: createEventLedger(db, clock, { ttlMs: config.dedupeTtlMs, claimMs: config.eventClaimMs }),
    store: createSyncStore(db, clock),
  };
}

export interface WorkerDeps extends ProcessEventDeps, BackfillDeps {
  data: DataDeps;
  ids: IdSource;
  /** The project the worker runs in, which its log lines' traces belong to. */
  projectId: string;
}

/**
 * Composition root of the `worker` function: the only place its clients are built. It loads one client library,
 * Firestore's; Secret Manager, Pub/Sub, Google's token endpoint, the sinks and the trackers are REST calls on
 * keep-alive connections (docs/speed.md).
 */
export function createWorkerDeps(
  config: WorkerConfig,
  overrides: {
    clock?: Clock;
    log?: Logger;
    ids?: IdSource;
    sinks?: Partial<Record<SinkId, SessionSink>>;
    backfillPublisher?: BackfillPublisher;
  } = {},
): WorkerDeps {
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger({ level: config.logLevel, base: { fn: 'worker' } });
  const ids = overrides.ids ?? randomIds(randomUUID);
  const tokens = createAdcAccessTokens();
  const data = createDataDeps(config, clock, tokens);
  const fetchJson = createFetchJson({ timeoutMs: config.httpTimeoutMs });
  const io: TrackerIo = {
    fetchJson,
    clock,
    log,
    oauthClient: (name) => oauthClientFrom(data.secrets, name),
    secret: async (name) => (await data.secrets.get(name)).value.toString('utf8').trim(),
  };
  const apis: Partial<Record<ProviderId, TrackerApi>> = {};
  for (const m of workerModules) if (config.trackers.includes(m.id)) apis[m.id] = m.create(config.trackerSettings[m.id], io);
  const leases = createLeaseManager(data.db, clock, ids);
  const budget = createRequestBudget(data.db, clock, config.backfillShare);
  return {
    data,
    ids,
    projectId: config.projectId,
    clock,
    log,
    jobs: createJobStore(data.db, clock),
    budget,
    liveRequests: budget,
    leases,
    backfillPublisher:
      overrides.backfillPublisher ??
      createPubSubBackfillPublisher(
        createPubSub(config, { clock, tokens, policy: { deadlineMs: config.httpTimeoutMs } }),
        config.backfillTopic,
      ),
    backfill: config.backfill,
    links: data.links,
    ledger: data.ledger,
    store: data.store,
    merge: config.merge,
    users: createUserDirectory(data.db, clock, { defaultSinks: config.defaultSinks }),
    availability: createSinkAvailability(data.db, clock),
    apis,
    trackerAccess: createTrackerAccess({ links: data.links, leases, cipher: data.cipher, clock, log }),
    googleAccess: createGoogleAccess({
      users: data.users,
      cipher: data.cipher,
      client: oauthClientFrom(data.secrets, config.secretNames.googleOAuthClient),
      exchange: createGoogleTokenExchange(config.googleTokenUrl, fetchJson),
      clock,
      log,
    }),
    sinks: overrides.sinks ?? createSinks(config, clock),
    retry: (fn) =>
      withInlineRetry(fn, {
        clock,
        attempts: config.inlineRetryAttempts,
        maxWaitMs: config.inlineRetryMaxWaitMs,
        onRetry: (err, attempt, waitMs) => log.info('retrying upstream call', { attempt, waitMs, err }),
      }),
    maxEventAgeMs: config.maxEventAgeMs,
  };
}

/** Every sink this deployment can write to; which of them a person's workouts go to is their choice. */
function createSinks(config: WorkerConfig, clock: Clock): Partial<Record<SinkId, SessionSink>> {
  const retry = { attempts: config.inlineRetryAttempts, maxWaitMs: config.inlineRetryMaxWaitMs };
  return {
    'google-fit': createGoogleFitSink({
      rootUrl: config.fitApiRoot,
      timeoutMs: config.httpTimeoutMs,
      application: config.application,
      clock,
      retry,
    }),
    'google-health': createGoogleHealthSink({
      rootUrl: config.healthApiRoot,
      timeoutMs: config.httpTimeoutMs,
      clock,
      retry,
      rateLimits: config.healthRateLimits,
    }),
  };
}
