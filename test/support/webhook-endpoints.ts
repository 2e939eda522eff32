// Every webhook endpoint fitsync serves, as the real composition builds it (settings → modules → adapters), with
// the real bodies of test/fixtures/ and a way to sign any body so that it passes verification and reaches parsing.
import { readFileSync } from 'node:fs';
import { webhookAdapters } from '../../functions/compose-webhook.ts';
import { parseWebhookConfig } from '../../shared/config.ts';
import type { ProviderId } from '../../shared/provider-ids.ts';
import { webhookModules } from '../../shared/providers/webhook-registry.ts';
import type { WebhookAdapter } from '../../shared/webhook/inbound-request.ts';
import { hmacSha256 } from '../../shared/webhook/signature.ts';
import { COROS_CLIENT_ID, COROS_CLIENT_SECRET, COROS_PATH_SECRET, corosEnv } from './coros-fixtures.ts';
import { fixtureNamesIn, fixtureText } from './fixture-json.ts';
import { GARMIN_CLIENT_ID, GARMIN_PATH_SECRET, garminEnv } from './garmin-fixtures.ts';
import { OURA_CLIENT, OURA_VERIFICATION_TOKEN, ouraHeaders } from './oura-fixtures.ts';
import { POLAR_WEBHOOK_SECRET } from './polar-fixtures.ts';
import { signStandardWebhook } from './standard-webhooks-sign.ts';
import { STRAVA_SUBSCRIPTION_ID, stravaWebhookEvent } from './strava-fixtures.ts';
import { suuntoSignature } from './suunto-fixtures.ts';
import { WAHOO_PATH_SECRET, WAHOO_TOKEN, wahooEnv } from './wahoo-fixtures.ts';
import { WHOOP_CLIENT, whoopHeaders } from './whoop-fixtures.ts';
import { type WithingsNotificationName, withingsForm } from './withings-fixtures.ts';

const STRAVA_SIGNING_SECRET = 'strava-signing-secret-for-tests';
const SUUNTO_SECRET = 'suunto-notification-secret-0f3c';
const WITHINGS_PATH_SECRET = 'wi-5Kd8Tq2Vx7Ln3Hs9';
const GENERIC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Settings for every tracker at once, as an operator would set them. */
export const allTrackersEnv: Record<string, string> = {
  GOOGLE_CLOUD_PROJECT: 'fitsync-test',
  FITSYNC_TRACKERS: 'strava,garmin,polar,oura,whoop,wahoo,suunto,coros,withings,generic',
  STRAVA_VERIFY_TOKEN: 'strava-verify-token-test',
  STRAVA_SUBSCRIPTION_ID: String(STRAVA_SUBSCRIPTION_ID),
  STRAVA_SIGNING_SECRET,
  ...garminEnv,
  POLAR_WEBHOOK_SECRET,
  OURA_VERIFICATION_TOKEN,
  OURA_WEBHOOK_SECRET: OURA_CLIENT.clientSecret,
  WHOOP_WEBHOOK_SECRET: WHOOP_CLIENT.clientSecret,
  ...wahooEnv,
  SUUNTO_WEBHOOK_SECRET: SUUNTO_SECRET,
  ...corosEnv,
  WITHINGS_PATH_SECRET,
  GENERIC_WEBHOOK_SECRET: GENERIC_SECRET,
};

/** The adapters of every tracker, built exactly as the `webhook` function builds them. */
export const allWebhookAdapters = (): Map<string, WebhookAdapter> => webhookAdapters(parseWebhookConfig(allTrackersEnv, webhookModules));

export interface Endpoint {
  tracker: ProviderId;
  /** The path below `/<tracker>`: the path secret for trackers that sign nothing. */
  subpath: string;
  /** Real bodies: the tracker's fixtures. */
  bodies: Buffer[];
  /** Headers that make `body` pass verification at `nowMs`. */
  sign(body: Buffer, nowMs: number): Record<string, string>;
  /** For a credential carried in the body (Wahoo's webhook_token): puts it back into a mutated body. */
  authorize?(body: Buffer): Buffer;
  form?: boolean;
}

const json = { 'content-type': 'application/json' };
/** The notification fixtures of a tracker as the exact bytes on file (its `api/` answers are no webhook bodies). */
const fixtureBodies = (dir: string): Buffer[] => fixtureNamesIn(dir).map((name) => Buffer.from(fixtureText(`${dir}/${name}`)));

export const endpoints: readonly Endpoint[] = [
  {
    tracker: 'strava',
    subpath: '',
    bodies: [
      stravaWebhookEvent(),
      stravaWebhookEvent({ aspect_type: 'update', updates: { title: 'Evening Run' } }),
      stravaWebhookEvent({ aspect_type: 'delete' }),
      stravaWebhookEvent({ object_type: 'athlete', object_id: 134815, aspect_type: 'update', updates: { authorized: 'false' } }),
    ].map((e) => Buffer.from(JSON.stringify(e))),
    sign: (body, nowMs) => {
      const t = String(Math.floor(nowMs / 1000));
      const v1 = hmacSha256(STRAVA_SIGNING_SECRET, Buffer.concat([Buffer.from(`${t}.`), body])).toString('hex');
      return { ...json, 'x-strava-signature': `t=${t},v1=${v1}` };
    },
  },
  {
    tracker: 'garmin',
    subpath: GARMIN_PATH_SECRET,
    bodies: fixtureBodies('garmin'),
    sign: () => ({ ...json, 'garmin-client-id': GARMIN_CLIENT_ID }),
  },
  {
    tracker: 'polar',
    subpath: '',
    bodies: fixtureBodies('polar'),
    sign: (body) => ({
      ...json,
      'polar-webhook-event': 'EXERCISE',
      'polar-webhook-signature': hmacSha256(POLAR_WEBHOOK_SECRET, body).toString('hex'),
    }),
  },
  { tracker: 'oura', subpath: '', bodies: fixtureBodies('oura'), sign: (body, nowMs) => ouraHeaders(body, nowMs) },
  { tracker: 'whoop', subpath: '', bodies: fixtureBodies('whoop'), sign: (body, nowMs) => whoopHeaders(body, nowMs) },
  {
    tracker: 'wahoo',
    subpath: WAHOO_PATH_SECRET,
    bodies: fixtureBodies('wahoo').map((b) => Buffer.from(b.toString('utf8').split('WAHOO_WEBHOOK_TOKEN').join(WAHOO_TOKEN))),
    sign: () => json,
    authorize: (body) => {
      try {
        const value = JSON.parse(body.toString('utf8')) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return body;
        return Buffer.from(JSON.stringify({ ...value, webhook_token: WAHOO_TOKEN }));
      } catch {
        return body;
      }
    },
  },
  {
    tracker: 'suunto',
    subpath: '',
    bodies: fixtureBodies('suunto'),
    sign: (body) => ({ ...json, 'x-hmac-sha256-signature': suuntoSignature(body, SUUNTO_SECRET) }),
  },
  {
    tracker: 'coros',
    subpath: COROS_PATH_SECRET,
    bodies: fixtureBodies('coros'),
    sign: () => ({ ...json, client: COROS_CLIENT_ID, secret: COROS_CLIENT_SECRET }),
  },
  {
    tracker: 'withings',
    subpath: WITHINGS_PATH_SECRET,
    bodies: fixtureNamesIn('withings').map((name) => Buffer.from(withingsForm(name as WithingsNotificationName))),
    sign: () => ({ 'content-type': 'application/x-www-form-urlencoded' }),
    form: true,
  },
  {
    tracker: 'generic',
    subpath: '',
    bodies: [
      ...fixtureBodies('generic'),
      ...(
        JSON.parse(readFileSync(new URL('../../shared/providers/generic/workout.schema.json', import.meta.url), 'utf8')) as {
          examples: unknown[];
        }
      ).examples.map((e) => Buffer.from(JSON.stringify(e))),
    ],
    sign: (body, nowMs) =>
      signStandardWebhook({
        id: `msg_${hmacSha256('id', body).toString('hex').slice(0, 24)}`,
        timestampSec: Math.floor(nowMs / 1000),
        body,
        secret: GENERIC_SECRET,
      }),
  },
];
