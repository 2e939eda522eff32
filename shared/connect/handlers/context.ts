import type { ConnectDeps } from '../connect-deps.ts';
import { cookieNames, setCookie } from '../cookies.ts';
import type { ConnectRequest } from '../http-types.ts';
import { randomHex } from '../random.ts';
import type { Session } from '../session.ts';

/** One request in flight: the parsed request, who is signed in, and the cookies the answer will set. */
export interface RequestContext {
  req: ConnectRequest;
  session: Session | undefined;
  cookies: Map<string, string>;
  /** A POST's form fields (empty otherwise). */
  form: URLSearchParams;
  setCookies: string[];
}

export const redirectUri = (deps: ConnectDeps, provider: string) => `${deps.config.publicBaseUrl}/oauth/${provider}/callback`;

/**
 * The browser's flow cookie: a random value whose hash each pending authorization stores, so a callback is
 * honoured only in the browser that started it (a stranger cannot hand someone a callback URL of their own).
 * Kept across flows, so two tabs can authorize at once.
 */
export function flowCookie(deps: ConnectDeps, ctx: RequestContext): string {
  const name = cookieNames(deps.config.https).flow;
  const existing = ctx.cookies.get(name);
  if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing;
  const value = randomHex(deps.random);
  ctx.setCookies.push(setCookie(name, value, { maxAgeSec: 86_400, secure: deps.config.https }));
  ctx.cookies.set(name, value);
  return value;
}

export function readFlowCookie(deps: ConnectDeps, ctx: RequestContext): string | undefined {
  return ctx.cookies.get(cookieNames(deps.config.https).flow);
}

export function setSessionCookie(deps: ConnectDeps, ctx: RequestContext, value: string): void {
  ctx.setCookies.push(
    setCookie(cookieNames(deps.config.https).session, value, {
      maxAgeSec: Math.floor(deps.config.sessionTtlMs / 1000),
      secure: deps.config.https,
    }),
  );
}

export function clearSessionCookie(deps: ConnectDeps, ctx: RequestContext): void {
  ctx.setCookies.push(setCookie(cookieNames(deps.config.https).session, '', { maxAgeSec: 0, secure: deps.config.https }));
}

/** `/?notice=…` or `/?problem=…` with the tracker it concerns: a clean URL, no code or state in it. */
export function homeWith(kind: 'notice' | 'problem', code: string, tracker?: string): string {
  const q = new URLSearchParams({ [kind]: code, ...(tracker ? { tracker } : {}) });
  return `/?${q.toString()}`;
}
