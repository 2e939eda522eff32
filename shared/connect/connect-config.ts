import { ConfigReader, type Env } from '../config-reader.ts';
import type { Severity } from '../log.ts';
import { type ProviderId, providerIds } from '../provider-ids.ts';
import type { WorkerModule } from '../providers/modules.ts';
import type { TrackerConnectModule } from './tracker-connect.ts';

/**
 * Configuration of the `connect` function, read once at cold start with every problem reported together.
 * Every endpoint is a variable, so the same bundle runs against Google and the trackers or against loopback
 * stand-ins. docs/connect.md lists the variables.
 */
export interface ConnectConfig {
  projectId: string;
  logLevel: Severity;
  /** Where people reach fitsync, e.g. https://connect.example.com (no trailing slash); redirect URIs hang off it. */
  publicBaseUrl: string;
  /** Cookies get `Secure` and the `__Host-` prefix, and HSTS is sent, only when the public URL is https. */
  https: boolean;
  google: GoogleEndpoints;
  /** Enabled trackers that people connect with OAuth, with their settings. */
  trackers: ReadonlyArray<{ id: ProviderId; settings: unknown }>;
  /** Each enabled tracker's worker-side settings (backfill decides what it can list through them). */
  workerSettings: Partial<Record<ProviderId, unknown>>;
  secretNames: { tokenKey: string; googleOAuthClient: string; sessionKey: string };
  firestoreEmulatorHost?: string;
  secretManagerEmulatorHost?: string;
  secretManagerEndpoint?: string;
  pubsubEmulatorHost?: string;
  backfillTopic: string;
  onLinkDays: number;
  httpTimeoutMs: number;
  sessionTtlMs: number;
  stateTtlMs: number;
  recentWorkouts: number;
}

export interface GoogleEndpoints {
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  revokeUrl: string;
}

const severities: readonly Severity[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

export function parseConnectConfig(
  env: Env,
  connectModules: readonly TrackerConnectModule[],
  workerModules: readonly WorkerModule[],
): ConnectConfig {
  const r = new ConfigReader(env);
  const enabled = r.list('FITSYNC_TRACKERS', providerIds, ['strava']);
  const publicBaseUrl = r.required('PUBLIC_BASE_URL', 'the origin people open, e.g. https://connect.example.com').replace(/\/+$/, '');
  let https = false;
  if (publicBaseUrl) {
    try {
      const u = new URL(publicBaseUrl);
      https = u.protocol === 'https:';
      if (!https && u.protocol !== 'http:') r.problems.push(`PUBLIC_BASE_URL must be an http(s) origin, got "${publicBaseUrl}"`);
      else if (u.pathname !== '/' || u.search || u.hash || u.username)
        r.problems.push('PUBLIC_BASE_URL must be an origin without a path, query, fragment or user');
    } catch {
      r.problems.push(`PUBLIC_BASE_URL must be an http(s) origin, got "${publicBaseUrl}"`);
    }
  }
  const trackers: Array<{ id: ProviderId; settings: unknown }> = [];
  const workerSettings: Partial<Record<ProviderId, unknown>> = {};
  for (const id of enabled) {
    const m = connectModules.find((c) => c.id === id);
    if (m) trackers.push({ id, settings: m.readConfig(r) });
    const w = workerModules.find((c) => c.id === id);
    if (w) workerSettings[id] = w.readConfig(r);
  }
  const firestoreEmulatorHost = r.hostPort('FIRESTORE_EMULATOR_HOST');
  const secretManagerEmulatorHost = r.hostPort('SECRET_MANAGER_EMULATOR_HOST');
  const secretManagerEndpoint = r.optional('SECRET_MANAGER_ENDPOINT');
  const pubsubEmulatorHost = r.hostPort('PUBSUB_EMULATOR_HOST');
  return r.done<ConnectConfig>({
    projectId: r.optional('GOOGLE_CLOUD_PROJECT') ?? r.required('GCLOUD_PROJECT', 'or GOOGLE_CLOUD_PROJECT'),
    logLevel: r.oneOf('LOG_LEVEL', severities, 'INFO'),
    publicBaseUrl,
    https,
    google: {
      authUrl: r.url('GOOGLE_AUTH_URL', 'https://accounts.google.com/o/oauth2/v2/auth'),
      tokenUrl: r.url('GOOGLE_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
      jwksUrl: r.url('GOOGLE_JWKS_URL', 'https://www.googleapis.com/oauth2/v3/certs'),
      revokeUrl: r.url('GOOGLE_REVOKE_URL', 'https://oauth2.googleapis.com/revoke'),
    },
    trackers,
    workerSettings,
    secretNames: {
      tokenKey: r.string('TOKEN_KEY_SECRET', 'fitsync-token-key'),
      googleOAuthClient: r.string('GOOGLE_OAUTH_CLIENT_SECRET', 'fitsync-google-oauth-client'),
      sessionKey: r.string('CONNECT_SESSION_KEY_SECRET', 'fitsync-connect-session-key'),
    },
    ...(firestoreEmulatorHost ? { firestoreEmulatorHost } : {}),
    ...(secretManagerEmulatorHost ? { secretManagerEmulatorHost } : {}),
    ...(secretManagerEndpoint ? { secretManagerEndpoint } : {}),
    ...(pubsubEmulatorHost ? { pubsubEmulatorHost } : {}),
    backfillTopic: r.string('FITSYNC_BACKFILL_TOPIC', 'fitsync-backfill'),
    onLinkDays: r.int('BACKFILL_ON_LINK_DAYS', 30, 0, 3650),
    httpTimeoutMs: r.int('HTTP_TIMEOUT_MS', 10_000, 100, 120_000),
    sessionTtlMs: r.int('CONNECT_SESSION_HOURS', 12, 1, 24 * 30) * 3600_000,
    stateTtlMs: r.int('CONNECT_STATE_MINUTES', 15, 1, 60) * 60_000,
    recentWorkouts: r.int('CONNECT_RECENT_WORKOUTS', 20, 1, 100),
  });
}
