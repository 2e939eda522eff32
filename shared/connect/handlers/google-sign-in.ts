import { userAad } from '../../tokens/google-access.ts';
import type { ConnectDeps } from '../connect-deps.ts';
import { ConnectProblem } from '../connect-errors.ts';
import { verifyGoogleIdToken } from '../google/id-token.ts';
import { grantedSinks, type SinkId, signInScopes, sinkScopes } from '../google/sinks.ts';
import { userIdForGoogleSub } from '../google/user-id.ts';
import { type ConnectResponse, redirect } from '../http-types.ts';
import { pkcePair, randomHex, sha256Hex } from '../random.ts';
import { flowCookie, homeWith, type RequestContext, readFlowCookie, redirectUri, setSessionCookie } from './context.ts';

/**
 * Sends the browser to Google: code flow with PKCE (S256), an OIDC nonce, offline access, the scopes of the
 * chosen sinks, and include_granted_scopes so a sink added later extends the same grant. `prompt=consent` only
 * when fitsync holds no usable refresh token for the person (or the last attempt came back without one).
 */
export async function startGoogleSignIn(
  deps: ConnectDeps,
  ctx: RequestContext,
  o: { sinks: readonly SinkId[]; replaceSinks: boolean; consent: boolean },
): Promise<ConnectResponse> {
  const profile = ctx.session ? await deps.profiles.get(ctx.session.userId) : undefined;
  const holdsToken = !!profile?.hasGoogleToken && profile.googleStatus === 'active';
  const consent = o.consent || (ctx.session !== undefined && !holdsToken);
  const { verifier, challenge } = pkcePair(deps.random);
  const nonce = randomHex(deps.random);
  const state = await deps.flows.start({
    provider: 'google',
    browser: sha256Hex(flowCookie(deps, ctx)),
    userId: ctx.session?.userId ?? null,
    verifier,
    nonce,
    sinks: [...o.sinks],
    replaceSinks: o.replaceSinks,
    consent,
  });
  const client = await deps.googleClient();
  const scopes = [...signInScopes, ...o.sinks.flatMap((s) => sinkScopes[s])];
  const url = deps.google.authorizeUrl({
    clientId: client.clientId,
    redirectUri: redirectUri(deps, 'google'),
    scopes,
    state,
    nonce,
    codeChallenge: challenge,
    consent,
    ...(ctx.session?.email ? { loginHint: ctx.session.email } : {}),
  });
  return redirect(url, ctx.setCookies);
}

/** Google's answer: verify, exchange, store the sealed refresh token and the grant, sign the person in. */
export async function googleCallback(deps: ConnectDeps, ctx: RequestContext): Promise<ConnectResponse> {
  const q = ctx.req.query;
  const flow = await deps.flows.consume(q.get('state') ?? '', 'google', readFlowCookie(deps, ctx));
  const error = q.get('error');
  if (error)
    throw new ConnectProblem(error === 'access_denied' ? 'google_denied' : 'google_error', `Google answered error=${error.slice(0, 64)}`);
  const code = q.get('code');
  if (!code || !flow.verifier || !flow.nonce) throw new ConnectProblem('google_error', 'Google answered without a code');
  const client = await deps.googleClient();
  const grant = await deps.google.exchangeCode({ client, code, redirectUri: redirectUri(deps, 'google'), verifier: flow.verifier });
  const identity = await verifyGoogleIdToken({
    idToken: grant.idToken,
    clientId: client.clientId,
    nonce: flow.nonce,
    jwks: deps.jwks,
    clock: deps.clock,
  });
  const userId = userIdForGoogleSub(identity.sub);
  const profile = await deps.profiles.get(userId);
  if (grant.refreshToken) {
    await deps.users.putGoogleToken(userId, await deps.cipher.seal(grant.refreshToken, userAad(userId)));
  } else if (!(profile?.hasGoogleToken && profile.googleStatus === 'active')) {
    // Google gives a refresh token only on consent; without one fitsync cannot write for the person. Ask once.
    if (flow.consent) throw new ConnectProblem('google_no_refresh_token', 'Google answered a consent request without a refresh token');
    deps.log.info('no refresh token held; asking Google for consent', { userId });
    return startGoogleSignIn(
      deps,
      { ...ctx, session: undefined },
      { sinks: flow.sinks as SinkId[], replaceSinks: flow.replaceSinks, consent: true },
    );
  }
  const wanted = flow.replaceSinks ? (flow.sinks as SinkId[]) : [...new Set([...(profile?.sinks ?? []), ...flow.sinks])];
  const granted = grantedSinks(grant.scopes);
  const sinks = granted.filter((s) => wanted.includes(s));
  await deps.profiles.recordGoogleGrant(userId, { scopes: grant.scopes, sinks });
  const { value } = await deps.sessions.issue({ userId, email: identity.email });
  setSessionCookie(deps, ctx, value);
  deps.log.info('signed in with Google', { userId, sinks, newRefreshToken: !!grant.refreshToken });
  const notice =
    wanted.includes('google-health') && !sinks.includes('google-health')
      ? 'health_not_granted'
      : wanted.length && !sinks.length
        ? 'no_sink_granted'
        : flow.replaceSinks
          ? 'sinks_saved'
          : 'signed_in';
  return redirect(homeWith('notice', notice), ctx.setCookies);
}
