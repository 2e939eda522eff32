import { linkDocId } from '../../stores/collections.ts';
import { linkAad } from '../../tokens/tracker-access.ts';
import type { TrackerTokens } from '../../types.ts';
import type { ConnectDeps } from '../connect-deps.ts';
import { ConnectProblem } from '../connect-errors.ts';
import { type ConnectResponse, redirect } from '../http-types.ts';
import { pkcePair, sha256Hex } from '../random.ts';
import type { TrackerConnector } from '../tracker-connect.ts';
import { flowCookie, homeWith, type RequestContext, readFlowCookie, redirectUri } from './context.ts';

/** Firestore's latest representable time: the expiry of a token the tracker gives none for (Polar). */
const neverExpires = Date.parse('9999-12-31T23:59:59Z');

/** Sends the signed-in person to the tracker's consent page, with single-use state (and PKCE where supported). */
export async function startTrackerConnect(
  deps: ConnectDeps,
  ctx: RequestContext,
  connector: TrackerConnector,
  userId: string,
): Promise<ConnectResponse> {
  const pkce = connector.pkce ? pkcePair(deps.random) : undefined;
  const state = await deps.flows.start({
    provider: connector.id,
    browser: sha256Hex(flowCookie(deps, ctx)),
    userId,
    verifier: pkce?.verifier ?? null,
    nonce: null,
    sinks: [],
    replaceSinks: false,
    consent: false,
  });
  const client = await deps.trackerClient(connector);
  const url = connector.authorizeUrl({
    clientId: client.clientId,
    redirectUri: redirectUri(deps, connector.id),
    state,
    ...(pkce ? { codeChallenge: pkce.challenge } : {}),
  });
  return redirect(url, ctx.setCookies);
}

/**
 * The tracker's answer: exchange the code at once (Withings' lives 30 s), find the tracker's id of the person,
 * run the tracker's extra step, then store the link through the stores the worker reads (sealed tokens, AAD
 * `links/<docId>`) unless the account belongs to someone else, and queue the first backfill.
 */
export async function trackerCallback(deps: ConnectDeps, ctx: RequestContext, connector: TrackerConnector): Promise<ConnectResponse> {
  const q = ctx.req.query;
  const flow = await deps.flows.consume(q.get('state') ?? '', connector.id, readFlowCookie(deps, ctx));
  const userId = flow.userId;
  if (!userId) throw new ConnectProblem('state_invalid', 'the pending authorization names nobody');
  if (ctx.session && ctx.session.userId !== userId)
    throw new ConnectProblem('state_other_browser', 'the authorization was started by another person');
  const error = q.get('error');
  if (error)
    throw new ConnectProblem(
      error === 'access_denied' ? 'tracker_denied' : 'tracker_error',
      `${connector.id} answered error=${error.slice(0, 64)}`,
    );
  const code = q.get('code');
  if (!code) throw new ConnectProblem('tracker_error', `${connector.id} answered without a code`);
  const withheld = connector.checkCallback?.(q);
  if (withheld) throw new ConnectProblem(withheld as 'tracker_scope_missing', `${connector.id}: a needed permission was not granted`);
  const client = await deps.trackerClient(connector);
  const grant = await connector.exchangeCode({
    client,
    code,
    redirectUri: redirectUri(deps, connector.id),
    ...(flow.verifier ? { codeVerifier: flow.verifier } : {}),
  });
  const providerUserId = await connector.providerUserId(grant);
  await connector.afterGrant?.(grant, providerUserId, userId);
  const docId = linkDocId(connector.id, providerUserId);
  const tokens: TrackerTokens = {
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    expiresAtMs: grant.expiresAtMs ?? neverExpires,
  };
  const tokensSealed = await deps.cipher.seal(JSON.stringify(tokens), linkAad({ docId }));
  const claim = await deps.links.claim({ provider: connector.id, providerUserId, userId, tokensSealed }, tokens.expiresAtMs);
  if (claim.kind === 'taken') {
    // The new tokens are dropped, not revoked: revoking at the tracker would end the owner's access too.
    deps.log.warn('tracker account already linked to another person', { provider: connector.id, userId, reasonCode: 'tracker_taken' });
    throw new ConnectProblem('tracker_taken', `${docId} belongs to another person`);
  }
  deps.log.info('tracker connected', { provider: connector.id, userId, link: docId });
  try {
    if (deps.backfill.canImport(connector.id)) {
      // A reconnection after the tracker refused the old tokens also catches up on everything since then: the events
      // of that time were acknowledged without their workouts.
      const jobs = await deps.backfill.request(userId, connector.id, claim.brokenSinceMs ?? undefined);
      deps.log.info('first backfill queued', {
        provider: connector.id,
        userId,
        jobs: jobs.length,
        ...(claim.brokenSinceMs !== null ? { catchUpFromMs: claim.brokenSinceMs } : {}),
      });
    }
  } catch (err) {
    // The link stands; the person can start the import again from the page (and the hourly sweep covers 48 h).
    deps.log.error('first backfill not queued', { provider: connector.id, userId, reasonCode: 'backfill_not_queued', err });
    return redirect(homeWith('problem', 'backfill_not_queued', connector.id), ctx.setCookies);
  }
  return redirect(homeWith('notice', 'tracker_connected', connector.id), ctx.setCookies);
}
