import type { BackfillSettings } from './backfill/backfill-deps.ts';
import { ConfigReader, type Env } from './config-reader.ts';
import type { Severity } from './log.ts';
import type { MatchSettings } from './merge/match-rule.ts';
import { type ProviderId, providerIds } from './provider-ids.ts';
import type { WebhookModule, WorkerModule } from './providers/modules.ts';
import type { UserRateLimits } from './sinks/google-health/user-rate-limiter.ts';
import { type SinkId, sinkIds } from './sinks/session-sink.ts';

/**
 * All configuration, read from environment variables once at cold start. Each function parses only what it
 * needs; each enabled tracker reads its own settings through its module; every problem is collected and thrown
 * together as one ConfigError. No other module reads process.env. README "Configuration" lists every variable.
 */
export type { Env };

export interface CommonConfig {
  projectId: string;
  logLevel: Severity;
  eventsTopic: string;
  /** Enabled trackers; a tracker's own settings are required only when it is enabled. */
  trackers: readonly ProviderId[];
  /** Each enabled tracker's settings, as its module read them. */
  trackerSettings: Partial<Record<ProviderId, unknown>>;
  /** `host:port` of a Firestore emulator; plaintext, no credentials. */
  firestoreEmulatorHost?: string;
}

/** Where and how a function publishes over Pub/Sub's REST API (shared/gcp/pubsub-rest-publisher.ts). */
export interface PubSubRestConfig {
  /** `https://pubsub.googleapis.com` unless overridden; ignored when an emulator is set. */
  pubsubEndpoint: string;
  /** `host:port` of a Pub/Sub emulator; plaintext, no credentials. */
  pubsubEmulatorHost?: string;
  /** The metadata server access tokens come from (`GCE_METADATA_HOST`, the variable Google's own libraries read). */
  metadataHost: string;
}

export interface WebhookConfig extends CommonConfig, PubSubRestConfig {
  maxBodyBytes: number;
  /** A request's body must have arrived within this time (408 otherwise). */
  bodyTimeoutMs: number;
  /** Body bytes one instance holds at once across concurrent requests (shared/webhook/body-budget.ts). */
  bodyMemoryBytes: number;
  /** All events of one request are stored in Pub/Sub within this, or the tracker gets 503. */
  publishDeadlineMs: number;
}

export interface SecretNames {
  /** AES-256 key ring for tokens at rest (one secret, one version per key). */
  tokenKey: string;
  googleOAuthClient: string;
}

export interface WorkerConfig extends CommonConfig, PubSubRestConfig {
  fitApiRoot: string;
  /** Google Health API root (https://health.googleapis.com). */
  healthApiRoot: string;
  /** How fast one instance calls the Health API for one person (the API allows 300 a minute per person). */
  healthRateLimits: UserRateLimits;
  /** Where a person's workouts go until they choose (`users/{id}.sinks` overrides). */
  defaultSinks: readonly SinkId[];
  /** How long a delivery holds an event's claim: longer than one attempt can run (the worker's timeout). */
  eventClaimMs: number;
  /** When two trackers' workouts are the same real workout (shared/merge/match-rule.ts). */
  merge: MatchSettings;
  googleTokenUrl: string;
  /** `host:port` of a plaintext Secret Manager (tests, local run). */
  secretManagerEmulatorHost?: string;
  /** TLS endpoint override for Secret Manager (e.g. a regional endpoint). */
  secretManagerEndpoint?: string;
  secretNames: SecretNames;
  maxEventAgeMs: number;
  httpTimeoutMs: number;
  /** Retries inside one invocation; beyond these the message goes back to Pub/Sub. */
  inlineRetryAttempts: number;
  /** The longest Retry-After the worker waits out inline; longer hints are left to Pub/Sub's backoff. */
  inlineRetryMaxWaitMs: number;
  dedupeTtlMs: number;
  application: { name: string; version: string };
  /** Topic of backfill job pages (and of Cloud Scheduler's sweep); the worker publishes each next page there. */
  backfillTopic: string;
  backfill: BackfillSettings;
  /** Share of each tracker rate-limit window backfill may use; the rest stays for live webhooks. */
  backfillShare: number;
}

const severities: readonly Severity[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

function readCommon(r: ConfigReader, modules: readonly (WebhookModule | WorkerModule)[]): CommonConfig {
  const firestoreEmulatorHost = r.hostPort('FIRESTORE_EMULATOR_HOST');
  const available = modules.map((m) => m.id);
  const trackers = r.list('FITSYNC_TRACKERS', providerIds, ['strava']);
  const unavailable = trackers.filter((t) => !available.includes(t));
  if (unavailable.length) r.problems.push(`FITSYNC_TRACKERS names ${unavailable.join(', ')}, which this build does not include`);
  const trackerSettings: Partial<Record<ProviderId, unknown>> = {};
  for (const m of modules) if (trackers.includes(m.id)) trackerSettings[m.id] = m.readConfig(r);
  return {
    projectId: r.optional('GOOGLE_CLOUD_PROJECT') ?? r.required('GCLOUD_PROJECT', 'or GOOGLE_CLOUD_PROJECT'),
    logLevel: r.oneOf('LOG_LEVEL', severities, 'INFO'),
    eventsTopic: r.string('FITSYNC_EVENTS_TOPIC', 'fitsync-events'),
    trackers,
    trackerSettings,
    ...(firestoreEmulatorHost ? { firestoreEmulatorHost } : {}),
  };
}

export function readPubSubRest(r: ConfigReader): PubSubRestConfig {
  const pubsubEmulatorHost = r.hostPort('PUBSUB_EMULATOR_HOST');
  const metadataHost = r.string('GCE_METADATA_HOST', 'metadata.google.internal');
  if (!/^[\w.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i.test(metadataHost))
    r.problems.push(`GCE_METADATA_HOST must be host or host:port, got "${metadataHost}"`);
  return {
    pubsubEndpoint: r.url('PUBSUB_ENDPOINT', 'https://pubsub.googleapis.com'),
    ...(pubsubEmulatorHost ? { pubsubEmulatorHost } : {}),
    metadataHost,
  };
}

export function parseWebhookConfig(env: Env, modules: readonly WebhookModule[]): WebhookConfig {
  const r = new ConfigReader(env);
  const common = readCommon(r, modules);
  return r.done<WebhookConfig>({
    ...common,
    ...readPubSubRest(r),
    maxBodyBytes: r.int('WEBHOOK_MAX_BODY_BYTES', 64 * 1024, 1024, 32 * 1024 * 1024),
    bodyTimeoutMs: r.int('WEBHOOK_BODY_TIMEOUT_MS', 10_000, 100, 300_000),
    // One body at Garmin's 16 MiB limit at a time: parsing and publishing its 15,000 summaries peaks near 250 MiB.
    bodyMemoryBytes: r.int('WEBHOOK_BODY_MEMORY_BYTES', 16 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
    // Strava, Withings and Suunto allow 2 s for the whole answer; 1 s for Pub/Sub leaves the rest for the network.
    publishDeadlineMs: r.int('PUBSUB_PUBLISH_DEADLINE_MS', 1000, 50, 60_000),
  });
}

/**
 * Google allows 300 Health API requests a minute per person (https://developers.google.com/health/rate-limits); an
 * instance keeps under it by default. A project granted more quota raises it.
 */
function readHealthRateLimits(r: ConfigReader): UserRateLimits {
  const perMinute = r.int('HEALTH_RATE_LIMIT_PER_MINUTE', 240, 2, 1_000_000);
  const burst = r.int('HEALTH_RATE_LIMIT_BURST', 40, 1, 1_000_000);
  if (burst >= perMinute)
    r.problems.push(`HEALTH_RATE_LIMIT_BURST must be below HEALTH_RATE_LIMIT_PER_MINUTE, got ${burst} and ${perMinute}`);
  return { perMinute, burst, maxWaitMs: 20_000 };
}

export function parseWorkerConfig(env: Env, modules: readonly WorkerModule[]): WorkerConfig {
  const r = new ConfigReader(env);
  const common = readCommon(r, modules);
  const secretManagerEmulatorHost = r.hostPort('SECRET_MANAGER_EMULATOR_HOST');
  const secretManagerEndpoint = r.optional('SECRET_MANAGER_ENDPOINT');
  return r.done<WorkerConfig>({
    ...common,
    ...readPubSubRest(r),
    fitApiRoot: r.url('FIT_API_ROOT', 'https://fitness.googleapis.com'),
    healthApiRoot: r.url('HEALTH_API_ROOT', 'https://health.googleapis.com'),
    healthRateLimits: readHealthRateLimits(r),
    defaultSinks: r.list('FITSYNC_DEFAULT_SINKS', sinkIds, ['google-fit']),
    eventClaimMs: r.int('EVENT_CLAIM_SECONDS', 180, 1, 3600) * 1000,
    merge: {
      startToleranceMs: r.int('MERGE_START_TOLERANCE_SECONDS', 300, 0, 3600) * 1000,
      minOverlap: r.int('MERGE_MIN_OVERLAP_PERCENT', 80, 1, 100) / 100,
    },
    googleTokenUrl: r.url('GOOGLE_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
    ...(secretManagerEmulatorHost ? { secretManagerEmulatorHost } : {}),
    ...(secretManagerEndpoint ? { secretManagerEndpoint } : {}),
    secretNames: {
      tokenKey: r.string('TOKEN_KEY_SECRET', 'fitsync-token-key'),
      googleOAuthClient: r.string('GOOGLE_OAUTH_CLIENT_SECRET', 'fitsync-google-oauth-client'),
    },
    maxEventAgeMs: r.int('MAX_EVENT_AGE_SECONDS', 3 * 24 * 3600, 60, 31 * 24 * 3600) * 1000,
    httpTimeoutMs: r.int('HTTP_TIMEOUT_MS', 10_000, 100, 120_000),
    inlineRetryAttempts: r.int('INLINE_RETRY_ATTEMPTS', 3, 1, 10),
    inlineRetryMaxWaitMs: r.int('INLINE_RETRY_MAX_WAIT_MS', 5_000, 0, 60_000),
    dedupeTtlMs: r.int('DEDUPE_TTL_DAYS', 30, 1, 365) * 24 * 3600 * 1000,
    application: {
      name: r.string('FIT_APPLICATION_NAME', 'fitsync'),
      version: r.string('FIT_APPLICATION_VERSION', '1'),
    },
    backfillTopic: r.string('FITSYNC_BACKFILL_TOPIC', 'fitsync-backfill'),
    backfill: {
      sweepWindowHours: r.int('BACKFILL_WINDOW_HOURS', 48, 1, 24 * 90),
      onLinkDays: r.int('BACKFILL_ON_LINK_DAYS', 30, 0, 3650),
      concurrency: r.int('BACKFILL_CONCURRENCY', 8, 1, 64),
      leaseMs: r.int('BACKFILL_LEASE_SECONDS', 300, 10, 3600) * 1000,
      defaultPauseMs: r.int('BACKFILL_DEFAULT_PAUSE_SECONDS', 900, 1, 86_400) * 1000,
      ...(r.optional('BACKFILL_SWEEP_TRACKERS') !== undefined ? { sweepTrackers: r.list('BACKFILL_SWEEP_TRACKERS', providerIds, []) } : {}),
    },
    backfillShare: 1 - r.int('BACKFILL_RESERVE_PERCENT', 30, 0, 90) / 100,
  });
}
