import { randomBytes } from 'node:crypto';
import { createDataDeps } from '../../functions/compose-worker.ts';
import type { Clock } from '../../shared/clock.ts';
import { parseWebhookConfig, parseWorkerConfig, type WebhookConfig, type WorkerConfig } from '../../shared/config.ts';
import type { OAuthClient } from '../../shared/http/oauth-client.ts';
import { linkUser, type TrackerLinkRequest } from '../../shared/ops/link-user.ts';
import { webhookModules } from '../../shared/providers/webhook-registry.ts';
import { workerModules } from '../../shared/providers/worker-registry.ts';
import type { SinkId } from '../../shared/sinks/session-sink.ts';
import { type FirestoreEmulator, startFirestoreEmulator } from './firestore-emulator.ts';
import { FIT_SCOPES, HEALTH_SCOPES } from './google-accounts.ts';
import { type GoogleHealthStandIn, startGoogleHealthStandIn } from './google-health-stand-in.ts';
import { type GoogleStandIn, startGoogleStandIn } from './google-stand-in.ts';
import { type PubSubStandIn, type PubSubStandInOptions, startPubSubStandIn } from './grpc-pubsub.ts';
import { type SecretManagerStandIn, startSecretManagerStandIn } from './grpc-secret-manager.ts';
import { STRAVA_SUBSCRIPTION_ID } from './strava-fixtures.ts';
import { type StravaStandIn, type StravaStandInOptions, startStravaStandIn } from './strava-stand-in.ts';

export { STRAVA_SUBSCRIPTION_ID };

export const PROJECT_ID = 'demo-fitsync';
export const GOOGLE_CLIENT = { clientId: 'fitsync-test.apps.googleusercontent.com', clientSecret: 'GOCSPX-test-client-secret' };
export const STRAVA_CLIENT = { clientId: '4242', clientSecret: 'strava-test-client-secret' };
export const STRAVA_VERIFY_TOKEN = 'strava-verify-token-test';

/**
 * Every part fitsync talks to, on loopback: the Firestore emulator, gRPC Secret Manager and Pub/Sub servers, and
 * HTTP stand-ins for Google (OAuth + Fit) and Strava. `env` is the configuration that points fitsync at them,
 * exactly as a deployment's environment points it at Google.
 */
export interface Stack {
  firestore: FirestoreEmulator;
  secretManager: SecretManagerStandIn;
  pubsub: PubSubStandIn;
  google: GoogleStandIn;
  /** The Google Health API, sharing the Google stand-in's accounts and tokens. */
  health: GoogleHealthStandIn;
  strava: StravaStandIn;
  env: Record<string, string>;
  /** Every secret value the stack created, for leak checks. */
  secretValues: string[];
  /**
   * Stores a tracker's OAuth client as `fitsync-<tracker>-oauth-client` (`{"client_id","client_secret"}`), where the
   * worker reads it, and adds the client secret to `secretValues`.
   */
  putOAuthClient(tracker: string, client: OAuthClient): void;
  workerConfig(extra?: Record<string, string>): WorkerConfig;
  webhookConfig(extra?: Record<string, string>): WebhookConfig;
  /** Links a fitsync user to a Google account and a Strava athlete, through the operator path. */
  linkStravaUser(o: {
    userId: string;
    athleteId: number;
    stravaExpiresAt?: number;
    /** Link with a refresh token Strava does not know (as after the athlete revoked it elsewhere). */
    stravaRefreshTokenRefused?: boolean;
    clock: Clock;
  }): Promise<LinkedUser>;
  /**
   * Links a fitsync user (with a fresh Google authorization registered at the Google stand-in) to any trackers,
   * through the operator path. The person grants Fit's and Health's scopes unless `scopes` says otherwise; `sinks`
   * chooses where their workouts go (default: the deployment's). Returns the Google refresh token it made up.
   */
  link(o: {
    userId: string;
    trackers: TrackerLinkRequest[];
    clock: Clock;
    sinks?: SinkId[];
    scopes?: readonly string[];
  }): Promise<{ googleRefreshToken: string }>;
  stop(): Promise<void>;
}

export interface LinkedUser {
  userId: string;
  athleteId: number;
  googleRefreshToken: string;
  stravaAccessToken: string;
  stravaRefreshToken: string;
}

export async function startStack(
  opts: { pubsub?: PubSubStandInOptions; now?: () => number; stravaRateLimit?: StravaStandInOptions['rateLimit'] } = {},
): Promise<Stack> {
  const [firestore, secretManager, pubsub, google, strava] = await Promise.all([
    startFirestoreEmulator(),
    startSecretManagerStandIn({ projectId: PROJECT_ID }),
    startPubSubStandIn({ projectId: PROJECT_ID, ...opts.pubsub }),
    startGoogleStandIn({ ...GOOGLE_CLIENT, ...(opts.now ? { now: opts.now } : {}) }),
    startStravaStandIn({
      ...STRAVA_CLIENT,
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.stravaRateLimit ? { rateLimit: opts.stravaRateLimit } : {}),
    }),
  ]);
  const health = await startGoogleHealthStandIn({ accounts: google.accounts, ...(opts.now ? { now: opts.now } : {}) });
  const tokenKey = randomBytes(32).toString('base64');
  secretManager.putSecret(`projects/${PROJECT_ID}/secrets/fitsync-token-key`, tokenKey);
  secretManager.putSecret(
    `projects/${PROJECT_ID}/secrets/fitsync-google-oauth-client`,
    JSON.stringify({ web: { client_id: GOOGLE_CLIENT.clientId, client_secret: GOOGLE_CLIENT.clientSecret } }),
  );
  const env: Record<string, string> = {
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    METADATA_SERVER_DETECTION: 'none',
    FIRESTORE_EMULATOR_HOST: firestore.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    SECRET_MANAGER_EMULATOR_HOST: secretManager.host,
    FIT_API_ROOT: google.url,
    HEALTH_API_ROOT: health.url,
    GOOGLE_TOKEN_URL: google.tokenUrl,
    STRAVA_API_BASE: `${strava.url}/api/v3`,
    STRAVA_TOKEN_URL: `${strava.url}/oauth/token`,
    STRAVA_VERIFY_TOKEN,
    STRAVA_SUBSCRIPTION_ID: String(STRAVA_SUBSCRIPTION_ID),
    INLINE_RETRY_MAX_WAIT_MS: '3000',
  };
  const secretValues = [tokenKey, GOOGLE_CLIENT.clientSecret, STRAVA_VERIFY_TOKEN];
  const stack: Stack = {
    firestore,
    secretManager,
    pubsub,
    google,
    health,
    strava,
    env,
    secretValues,
    putOAuthClient(tracker, client) {
      secretManager.putSecret(
        `projects/${PROJECT_ID}/secrets/fitsync-${tracker}-oauth-client`,
        JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret }),
      );
      secretValues.push(client.clientSecret);
    },
    workerConfig: (extra = {}) => parseWorkerConfig({ ...env, ...extra }, workerModules),
    webhookConfig: (extra = {}) => parseWebhookConfig({ ...env, ...extra }, webhookModules),
    async linkStravaUser({ userId, athleteId, stravaExpiresAt, stravaRefreshTokenRefused, clock }) {
      const tag = randomBytes(6).toString('hex');
      const user: LinkedUser = {
        userId,
        athleteId,
        googleRefreshToken: '',
        stravaAccessToken: `strava-access-${athleteId}-${tag}`,
        stravaRefreshToken: `strava-refresh-${athleteId}-${tag}`,
      };
      const expiresAt = stravaExpiresAt ?? Math.floor(clock.now() / 1000) + 6 * 3600;
      strava.addAthlete({
        id: athleteId,
        accessToken: user.stravaAccessToken,
        refreshToken: stravaRefreshTokenRefused ? `${user.stravaRefreshToken}-other` : user.stravaRefreshToken,
        expiresAt,
      });
      const { googleRefreshToken } = await stack.link({
        userId,
        clock,
        trackers: [
          {
            tracker: 'strava',
            trackerUserId: String(athleteId),
            accessToken: user.stravaAccessToken,
            refreshToken: user.stravaRefreshToken,
            expiresAt,
          },
        ],
      });
      user.googleRefreshToken = googleRefreshToken;
      secretValues.push(user.stravaAccessToken, user.stravaRefreshToken);
      return user;
    },
    async link({ userId, trackers, clock, sinks, scopes }) {
      const googleRefreshToken = `1//google-refresh-${userId}-${randomBytes(6).toString('hex')}`;
      const granted = scopes ?? [...FIT_SCOPES, ...HEALTH_SCOPES];
      google.addUser(userId, googleRefreshToken, granted);
      secretValues.push(googleRefreshToken, ...trackers.flatMap((t) => [t.accessToken, t.refreshToken].filter((v): v is string => !!v)));
      const data = createDataDeps(stack.workerConfig(), clock);
      try {
        await linkUser(data, {
          userId,
          google: { refreshToken: googleRefreshToken, scopes: [...granted], ...(sinks ? { sinks } : {}) },
          trackers,
        });
      } finally {
        await data.db.terminate();
      }
      return { googleRefreshToken };
    },
    async stop() {
      await Promise.allSettled([firestore.stop(), secretManager.stop(), pubsub.stop(), google.stop(), health.stop(), strava.stop()]);
    },
  };
  stack.putOAuthClient('strava', STRAVA_CLIENT);
  return stack;
}
