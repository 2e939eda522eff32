import { isProviderId, type ProviderId } from '../provider-ids.ts';
import type { ConnectDeps } from './connect-deps.ts';
import { ConnectProblem } from './connect-errors.ts';
import { cookieNames, parseCookies } from './cookies.ts';
import { parseSinks } from './google/sinks.ts';
import { deleteConfirm, deleteEverything, disconnect, importRecent, saveSinks, signOut } from './handlers/account-actions.ts';
import { clearSessionCookie, homeWith, type RequestContext } from './handlers/context.ts';
import { googleCallback, startGoogleSignIn } from './handlers/google-sign-in.ts';
import { home } from './handlers/home.ts';
import { startTrackerConnect, trackerCallback } from './handlers/tracker-connect-flow.ts';
import { type ConnectRequest, type ConnectResponse, page, redirect } from './http-types.ts';
import { html } from './pages/html.ts';
import { messagePage } from './pages/message-page.ts';
import { problemText } from './pages/messages.ts';
import { noticeBox } from './pages/notice.ts';
import { stylesheet } from './pages/stylesheet.ts';
import { sameText } from './random.ts';
import { securityHeaders } from './security-headers.ts';

/** Forms are a few fields; anything larger is refused before it is parsed. */
const maxFormBytes = 16 * 1024;

type SignedInAction = (deps: ConnectDeps, ctx: RequestContext, userId: string) => Promise<ConnectResponse> | ConnectResponse;

/** State-changing forms: each needs a session and that session's CSRF token. */
const posts: Record<string, SignedInAction> = {
  '/disconnect': disconnect,
  '/import': importRecent,
  '/sinks': saveSinks,
  '/delete': deleteEverything,
  '/signout': (deps, ctx) => signOut(deps, ctx),
};

/**
 * The `connect` function's routes. Every answer carries the security headers; problems a person can act on
 * end on a page that says what happened (the flows redirect to `/?problem=<code>`); anything unexpected is
 * logged and answered with a generic page, never with details.
 */
export function createConnectHandler(deps: ConnectDeps): (req: ConnectRequest) => Promise<ConnectResponse> {
  const headers = securityHeaders(deps.config, [
    new URL(deps.config.google.authUrl).origin,
    ...[...deps.trackers.values()].map((t) => t.authorizeOrigin),
  ]);
  return async (req) => {
    const res = await route(deps, req);
    res.headers = {
      ...headers,
      'cache-control': 'no-store',
      ...(req.path.startsWith('/oauth/') ? { 'referrer-policy': 'no-referrer' } : {}),
      ...res.headers,
    };
    return res;
  };
}

async function route(deps: ConnectDeps, req: ConnectRequest): Promise<ConnectResponse> {
  const ctx: RequestContext = {
    req,
    session: undefined,
    cookies: parseCookies(req.headers.cookie),
    form: new URLSearchParams(),
    setCookies: [],
  };
  const tracker = trackerInPath(req.path);
  try {
    if (req.method === 'GET' && req.path === '/static/connect.css') {
      return {
        status: 200,
        headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' },
        cookies: [],
        body: stylesheet,
      };
    }
    const sessionCookie = ctx.cookies.get(cookieNames(deps.config.https).session);
    ctx.session = await deps.sessions.read(sessionCookie);
    if (sessionCookie !== undefined && sessionCookie !== '' && !ctx.session) clearSessionCookie(deps, ctx);
    // HEAD only where a GET changes nothing: a callback consumes its state, a start creates one.
    if (req.method === 'HEAD' && req.path !== '/')
      return page(
        405,
        messagePage({ title: 'Not allowed', notice: noticeBox('problem', 'That is not something this page does.') }),
        ctx.setCookies,
      );
    if (req.method === 'GET' || req.method === 'HEAD') return await routeGet(deps, ctx, tracker);
    if (req.method !== 'POST')
      return page(
        405,
        messagePage({ title: 'Not allowed', notice: noticeBox('problem', 'That is not something this page does.') }),
        ctx.setCookies,
      );
    if (req.rawBody.length > maxFormBytes)
      return page(413, messagePage({ title: 'Too large', notice: noticeBox('problem', 'That form was too large.') }), ctx.setCookies);
    ctx.form = new URLSearchParams(req.rawBody.toString('utf8'));
    if (!ctx.session) return redirect(homeWith('problem', 'session_required'), ctx.setCookies);
    if (!csrfHolds(deps, ctx)) {
      deps.log.warn('form refused: CSRF token or origin mismatch', { path: req.path, reasonCode: 'csrf_invalid' });
      return page(
        403,
        messagePage({ title: 'Nothing was changed', notice: noticeBox('problem', problemText.csrf_invalid) }),
        ctx.setCookies,
      );
    }
    const userId = ctx.session.userId;
    const connect = /^\/connect\/([a-z]+)$/.exec(req.path)?.[1];
    if (connect) {
      const connector = isProviderId(connect) ? deps.trackers.get(connect) : undefined;
      return connector ? await startTrackerConnect(deps, ctx, connector, userId) : notFound(ctx);
    }
    const action = posts[req.path];
    return action ? await action(deps, ctx, userId) : notFound(ctx);
  } catch (err) {
    if (err instanceof ConnectProblem) {
      deps.log.warn('connect step refused', {
        path: req.path,
        reasonCode: err.code,
        ...(tracker ? { provider: tracker } : {}),
        userId: ctx.session?.userId,
        err,
      });
      return redirect(homeWith('problem', err.code, tracker), ctx.setCookies);
    }
    deps.log.error('connect request failed', { path: req.path, userId: ctx.session?.userId, err });
    return page(
      500,
      messagePage({
        title: 'Something went wrong',
        notice: noticeBox('problem', 'fitsync could not finish that just now. Please try again in a minute.'),
      }),
      ctx.setCookies,
    );
  }
}

async function routeGet(deps: ConnectDeps, ctx: RequestContext, tracker: ProviderId | undefined): Promise<ConnectResponse> {
  const { path, query } = ctx.req;
  if (path === '/') return home(deps, ctx);
  if (path === '/auth/google/start')
    return startGoogleSignIn(deps, ctx, {
      sinks: parseSinks(query.getAll('sinks')),
      replaceSinks: false,
      consent: query.get('consent') === '1',
    });
  if (path === '/oauth/google/callback') return googleCallback(deps, ctx);
  const connector = tracker ? deps.trackers.get(tracker) : undefined;
  if (connector && path === `/oauth/${connector.id}/callback`) return trackerCallback(deps, ctx, connector);
  if (path === '/delete')
    return ctx.session ? deleteConfirm(deps, ctx, ctx.session.userId) : redirect(homeWith('problem', 'session_required'), ctx.setCookies);
  return notFound(ctx);
}

function csrfHolds(deps: ConnectDeps, ctx: RequestContext): boolean {
  const origin = ctx.req.headers.origin;
  // Browsers send Origin on every POST; a different one is another site's form even if it guessed the token.
  if (origin !== undefined && origin !== new URL(deps.config.publicBaseUrl).origin) return false;
  return !!ctx.session && sameText(ctx.form.get('csrf') ?? '', ctx.session.csrf);
}

function trackerInPath(path: string): ProviderId | undefined {
  const id = /^\/(?:oauth|connect)\/([a-z]+)(?:\/|$)/.exec(path)?.[1];
  return id && isProviderId(id) ? id : undefined;
}

const notFound = (ctx: RequestContext) => page(404, messagePage({ title: 'Not found', notice: html`` }), ctx.setCookies);
