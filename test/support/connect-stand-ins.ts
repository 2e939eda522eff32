// What the `connect` function needs besides the stack (stack.ts): the consent stand-ins for Google and each
// tracker, the secrets connect reads (session key, every tracker's OAuth client) and the environment that points
// the connect bundle at all of them. Used by the browser tests and by the local run.

import { randomBytes } from 'node:crypto';
import type { OAuthClient } from '../../shared/http/oauth-client.ts';
import type { ProviderId } from '../../shared/provider-ids.ts';
import { type GoogleConsentStandIn, startGoogleConsent } from './consent/google-consent.ts';
import { connectableTrackers, startTrackerConsent, type TrackerConsent } from './consent/tracker-consents.ts';
import { GOOGLE_CLIENT, PROJECT_ID, STRAVA_CLIENT, type Stack } from './stack.ts';

export type ConnectableTracker = Exclude<ProviderId, 'generic'>;

export interface ConnectStandIns {
  google: GoogleConsentStandIn;
  trackers: Map<ConnectableTracker, TrackerConsent>;
  /** The connect bundle's whole environment. */
  env: Record<string, string>;
  /** The OAuth client each tracker's stand-in expects. */
  clients: Record<ConnectableTracker, OAuthClient>;
  stop(): Promise<void>;
}

export const SESSION_KEY_SECRET = 'fitsync-connect-session-key';

/**
 * Starts the consent stand-ins and stores the secrets connect reads. Strava's consent stand-in hands the tokens it
 * issues to the Strava API stand-in, and Google's to the Google API stand-in, so the worker can use what a person
 * connected (their refresh grants are forwarded to those stand-ins).
 */
export async function startConnectStandIns(
  stack: Stack,
  o: { publicBaseUrl: string; trackers?: readonly ConnectableTracker[] },
): Promise<ConnectStandIns> {
  const wanted = o.trackers ?? connectableTrackers;
  const clients = Object.fromEntries(
    connectableTrackers.map((t) => [
      t,
      t === 'strava' ? STRAVA_CLIENT : { clientId: `${t}-client-id`, clientSecret: `${t}-client-secret-${randomBytes(6).toString('hex')}` },
    ]),
  ) as ConnectStandIns['clients'];
  const google = await startGoogleConsent({ ...GOOGLE_CLIENT, google: stack.google });
  const trackers = new Map<ConnectableTracker, TrackerConsent>();
  for (const t of wanted) {
    const strava = t === 'strava';
    trackers.set(
      t,
      await startTrackerConsent(t, {
        ...clients[t],
        ...(strava
          ? {
              upstreamTokenUrl: `${stack.strava.url}/oauth/token`,
              onTokens: (account, tokens) =>
                stack.strava.addAthlete({
                  id: Number(account),
                  accessToken: tokens.accessToken,
                  refreshToken: tokens.refreshToken,
                  expiresAt: Math.floor(Date.now() / 1000) + tokens.expiresIn,
                }),
            }
          : {}),
      }),
    );
    if (!strava) stack.putOAuthClient(t, clients[t]);
  }
  const sessionKey = randomBytes(32).toString('base64');
  stack.secretManager.putSecret(`projects/${PROJECT_ID}/secrets/${SESSION_KEY_SECRET}`, sessionKey);
  stack.secretValues.push(sessionKey, ...Object.values(clients).map((c) => c.clientSecret));
  const env: Record<string, string> = {
    ...stack.env,
    PUBLIC_BASE_URL: o.publicBaseUrl,
    FITSYNC_TRACKERS: wanted.join(','),
    ...google.env,
    ...Object.assign({}, ...[...trackers.values()].map((t) => t.env)),
  };
  return {
    google,
    trackers,
    env,
    clients,
    stop: async () => void (await Promise.allSettled([google.stop(), ...[...trackers.values()].map((t) => t.stop())])),
  };
}
