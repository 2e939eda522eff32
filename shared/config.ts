import { ConfigError } from './errors.ts';
import type { Severity } from './log.ts';
import type { ProviderId } from './types.ts';

/**
 * All configuration, read from environment variables once at cold start. Each function parses only what it
 * needs; every problem is collected and thrown together as one ConfigError. No other module reads process.env.
 * The README's configuration table lists every variable.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface CommonConfig {
  projectId: string;
  logLevel: Severity;
  eventsTopic: string;
  /** Enabled trackers; a tracker's own settings are required only when it is enabled. */
  trackers: readonly ProviderId[];
  /** `host:port` of a Firestore emulator; plaintext, no credentials. */
  firestoreEmulatorHost?: string;
}

export interface StravaWebhookConfig {
  verifyToken: string;
  subscriptionId: string;
  /** HMAC key for `X-Strava-Signature` v1 values. Strava documents no signature (providers.md §2.1): optional. */
  signingSecret?: string;
  signatureToleranceSec: number;
}

export interface WebhookConfig extends CommonConfig {
  maxBodyBytes: number;
  /** `host:port` of a Pub/Sub emulator; plaintext, no credentials. */
  pubsubEmulatorHost?: string;
  strava?: StravaWebhookConfig;
}

export interface SecretNames {
  /** AES-256 key ring for tokens at rest (one secret, one version per key). */
  tokenKey: string;
  googleOAuthClient: string;
  stravaOAuthClient: string;
}

export interface WorkerConfig extends CommonConfig {
  fitApiRoot: string;
  googleTokenUrl: string;
  stravaApiBase: string;
  stravaTokenUrl: string;
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
}

const knownTrackers: readonly ProviderId[] = ['strava'];
const severities: readonly Severity[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

/** Collects problems while reading, so one error can name them all. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  optional(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  required(name: string, why = ''): string {
    const v = this.optional(name);
    if (v === undefined) this.problems.push(`${name} is required${why ? ` (${why})` : ''}`);
    return v ?? '';
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  url(name: string, fallback: string): string {
    const v = this.string(name, fallback);
    try {
      const u = new URL(v);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      this.problems.push(`${name} must be an http(s) URL, got "${v}"`);
    }
    return v.replace(/\/+$/, '');
  }

  hostPort(name: string): string | undefined {
    const v = this.optional(name);
    if (v !== undefined && !/^[\w.-]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i.test(v)) {
      this.problems.push(`${name} must be host:port, got "${v}"`);
    }
    return v;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.optional(name)?.toUpperCase();
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${v}"`);
      return fallback;
    }
    return v as T;
  }

  list<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
    const raw = this.optional(name);
    if (raw === undefined) return [...fallback];
    const items = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
    if (bad.length) this.problems.push(`${name} has unknown values ${bad.join(', ')} (known: ${allowed.join(', ')})`);
    return items.filter((i): i is T => (allowed as readonly string[]).includes(i));
  }

  done<T>(config: T): T {
    if (this.problems.length) throw new ConfigError(this.problems);
    return config;
  }
}

function readCommon(r: Reader): CommonConfig {
  const firestoreEmulatorHost = r.hostPort('FIRESTORE_EMULATOR_HOST');
  return {
    projectId: r.optional('GOOGLE_CLOUD_PROJECT') ?? r.required('GCLOUD_PROJECT', 'or GOOGLE_CLOUD_PROJECT'),
    logLevel: r.oneOf('LOG_LEVEL', severities, 'INFO'),
    eventsTopic: r.string('FITSYNC_EVENTS_TOPIC', 'fitsync-events'),
    trackers: r.list('FITSYNC_TRACKERS', knownTrackers, ['strava']),
    ...(firestoreEmulatorHost ? { firestoreEmulatorHost } : {}),
  };
}

export function parseWebhookConfig(env: Env = process.env): WebhookConfig {
  const r = new Reader(env);
  const common = readCommon(r);
  const pubsubEmulatorHost = r.hostPort('PUBSUB_EMULATOR_HOST');
  const config: WebhookConfig = {
    ...common,
    maxBodyBytes: r.int('WEBHOOK_MAX_BODY_BYTES', 64 * 1024, 1024, 32 * 1024 * 1024),
    ...(pubsubEmulatorHost ? { pubsubEmulatorHost } : {}),
  };
  if (common.trackers.includes('strava')) {
    const signingSecret = r.optional('STRAVA_SIGNING_SECRET');
    config.strava = {
      verifyToken: r.required('STRAVA_VERIFY_TOKEN', 'the token given when creating the Strava push subscription'),
      subscriptionId: r.required('STRAVA_SUBSCRIPTION_ID', 'the id Strava returned for the push subscription'),
      signatureToleranceSec: r.int('STRAVA_SIGNATURE_TOLERANCE_SECONDS', 300, 1, 3600),
      ...(signingSecret ? { signingSecret } : {}),
    };
  }
  return r.done(config);
}

export function parseWorkerConfig(env: Env = process.env): WorkerConfig {
  const r = new Reader(env);
  const common = readCommon(r);
  const secretManagerEmulatorHost = r.hostPort('SECRET_MANAGER_EMULATOR_HOST');
  const secretManagerEndpoint = r.optional('SECRET_MANAGER_ENDPOINT');
  return r.done<WorkerConfig>({
    ...common,
    fitApiRoot: r.url('FIT_API_ROOT', 'https://fitness.googleapis.com'),
    googleTokenUrl: r.url('GOOGLE_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
    stravaApiBase: r.url('STRAVA_API_BASE', 'https://www.strava.com/api/v3'),
    stravaTokenUrl: r.url('STRAVA_TOKEN_URL', 'https://www.strava.com/oauth/token'),
    ...(secretManagerEmulatorHost ? { secretManagerEmulatorHost } : {}),
    ...(secretManagerEndpoint ? { secretManagerEndpoint } : {}),
    secretNames: {
      tokenKey: r.string('TOKEN_KEY_SECRET', 'fitsync-token-key'),
      googleOAuthClient: r.string('GOOGLE_OAUTH_CLIENT_SECRET', 'fitsync-google-oauth-client'),
      stravaOAuthClient: r.string('STRAVA_OAUTH_CLIENT_SECRET', 'fitsync-strava-oauth-client'),
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
  });
}
