import type { Clock } from '../clock.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { FetchJson } from '../http/fetch-json.ts';
import type { OAuthClient } from '../http/oauth-client.ts';
import type { ProviderId } from '../provider-ids.ts';
import type { TrackerTokens } from '../types.ts';

/** What a tracker's token endpoint granted for one person. */
export interface TrackerGrant {
  accessToken: string;
  /** Empty when the tracker has no refresh grant (Polar). */
  refreshToken: string;
  /** Access-token expiry (epoch ms); null when the tracker gives none (the token lasts until revoked). */
  expiresAtMs: number | null;
  /** The tracker's user id when the token answer names it (Strava, Polar, Suunto, COROS, Withings). */
  providerUserId?: string;
}

export interface TrackerConnectIo {
  fetchJson: FetchJson;
  clock: Clock;
}

/**
 * One tracker's side of the connect flow: its authorization request, code exchange, user id, extra steps and
 * disconnect. Built from the tracker's settings; holds no per-person state.
 */
export interface TrackerConnector {
  readonly id: ProviderId;
  /** The name people know the tracker by. */
  readonly label: string;
  /** Secret Manager secret holding the tracker's OAuth client. */
  readonly oauthClientSecret: string;
  /** Whether the authorization request carries a PKCE S256 challenge (only where the tracker supports it). */
  readonly pkce: boolean;
  /** Origin of the authorize URL: the page's CSP must let a form lead there. */
  readonly authorizeOrigin: string;
  authorizeUrl(p: { clientId: string; redirectUri: string; state: string; codeChallenge?: string }): string;
  /** A problem code when the callback shows the person withheld a permission fitsync needs. */
  checkCallback?(query: URLSearchParams): string | undefined;
  exchangeCode(p: { client: OAuthClient; code: string; redirectUri: string; codeVerifier?: string }): Promise<TrackerGrant>;
  /** The tracker's id of the person (webhooks name them by it): from the grant, or one extra call. */
  providerUserId(grant: TrackerGrant): Promise<string>;
  /** A step the tracker requires after the token (Polar's user registration). */
  afterGrant?(grant: TrackerGrant, providerUserId: string, fitsyncUserId: string): Promise<void>;
  /** Ends fitsync's access at the tracker, where its API allows. */
  deauthorize?(tokens: TrackerTokens, providerUserId: string, client: OAuthClient): Promise<void>;
}

export interface TrackerConnectModule<C = unknown> {
  readonly id: ProviderId;
  readConfig(r: ConfigReader): C;
  create(settings: C, io: TrackerConnectIo): TrackerConnector;
}

export const defineTrackerConnectModule = <C>(m: TrackerConnectModule<C>): TrackerConnectModule => m as TrackerConnectModule;

/** `https://host/path?a=b` from a base URL and parameters; undefined values are left out. */
export function urlWith(base: string, params: Record<string, string | undefined>): string {
  const u = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}
