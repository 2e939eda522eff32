import type { OAuthClient } from '../../http/oauth-client.ts';
import type { ProviderId } from '../../provider-ids.ts';
import type { TrackerTokens } from '../../types.ts';
import { ConnectProblem } from '../connect-errors.ts';
import { type TrackerConnectIo, type TrackerConnector, type TrackerGrant, urlWith } from '../tracker-connect.ts';
import { exchangeAuthorizationCode } from './code-exchange.ts';

/** What differs between trackers; everything else about the authorization-code flow is the same. */
export interface ConnectorSpec {
  id: ProviderId;
  label: string;
  authorizeUrl: string;
  tokenUrl: string;
  oauthClientSecret: string;
  clientAuth: 'body' | 'basic';
  pkce: boolean;
  /** Authorization parameters besides client_id, redirect_uri, response_type, state and PKCE (scope, …). */
  authorizeParams?: Record<string, string>;
  /** Token form fields besides grant_type, code, redirect_uri and code_verifier (Withings' action). */
  tokenParams?: Record<string, string>;
  /** The tracker's token answer as a grant. */
  grant(body: Record<string, unknown>, nowMs: number): TrackerGrant;
  checkCallback?(query: URLSearchParams): string | undefined;
  /** Looks the person's id up when the grant does not carry it. */
  lookupUserId?(grant: TrackerGrant): Promise<string>;
  afterGrant?(grant: TrackerGrant, providerUserId: string, fitsyncUserId: string): Promise<void>;
  deauthorize?(tokens: TrackerTokens, providerUserId: string, client: OAuthClient): Promise<void>;
}

export function oauthConnector(spec: ConnectorSpec, io: TrackerConnectIo): TrackerConnector {
  return {
    id: spec.id,
    label: spec.label,
    oauthClientSecret: spec.oauthClientSecret,
    pkce: spec.pkce,
    authorizeOrigin: new URL(spec.authorizeUrl).origin,
    authorizeUrl: ({ clientId, redirectUri, state, codeChallenge }) =>
      urlWith(spec.authorizeUrl, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        state,
        ...spec.authorizeParams,
        ...(spec.pkce && codeChallenge ? { code_challenge: codeChallenge, code_challenge_method: 'S256' } : {}),
      }),
    ...(spec.checkCallback ? { checkCallback: spec.checkCallback } : {}),
    async exchangeCode({ client, code, redirectUri, codeVerifier }) {
      const body = await exchangeAuthorizationCode({
        service: spec.id,
        tokenUrl: spec.tokenUrl,
        client,
        clientAuth: spec.clientAuth,
        form: {
          ...spec.tokenParams,
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: spec.pkce ? codeVerifier : undefined,
        },
        fetchJson: io.fetchJson,
        clock: io.clock,
      });
      return spec.grant(body, io.clock.now());
    },
    async providerUserId(grant) {
      const id = grant.providerUserId ?? (await spec.lookupUserId?.(grant));
      if (!id) throw new ConnectProblem('tracker_unknown_user', `${spec.id} did not say which account was connected`);
      return id;
    },
    ...(spec.afterGrant ? { afterGrant: spec.afterGrant } : {}),
    ...(spec.deauthorize ? { deauthorize: spec.deauthorize } : {}),
  };
}
