// LOCAL STAND-IN for an OAuth 2.0 authorization server's person-facing side: the consent page of RFC 6749 §4.1
// (an HTML page with Approve and Deny, an account field standing for "who is signed in there", and one checkbox per
// requested scope so a person can withhold one), and the authorization-code grant at the token endpoint with
// PKCE (RFC 7636: S256 checked when the authorization request carried a challenge; required where the profile
// says so). It is not Google or any tracker: each profile (google-consent.ts, tracker-consents.ts) shapes the
// token answer and adds the few account endpoints the connect flow calls. A refresh grant is forwarded to the
// API stand-in that owns it, so one token URL serves both the connect function and the worker.

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../../../shared/connect/pages/html.ts';
import { readBody, startHttpServer } from '../http-server.ts';
import { oauthError } from '../oauth-error.ts';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface CodeGrant {
  account: string;
  clientId: string;
  redirectUri: string;
  /** The scopes the person left ticked, space-separated. */
  scope: string;
  /** Authorization parameters the profile may need later (nonce, prompt, include_granted_scopes). */
  params: Record<string, string>;
}

export interface ConsentRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
  form: URLSearchParams;
  /**
   * The account the request's token belongs to, when it carries one this stand-in issued: a bearer header, or
   * the `access_token`/`token` parameter some revocation endpoints take.
   */
  bearerAccount: string | undefined;
}

export interface JsonReply {
  status: number;
  body?: unknown;
  /** The request ended the access token it carried (a revocation or deauthorization). */
  revokes?: boolean;
}

export interface ConsentProfile {
  /** Shown on the consent page, e.g. "Strava". */
  name: string;
  clientId: string;
  clientSecret: string;
  /** How the token endpoint authenticates the client. */
  clientAuth: 'body' | 'basic' | 'either';
  /** PKCE S256 is mandatory (Garmin). */
  requirePkce?: boolean;
  /** How the provider separates scopes in `scope` (Strava: comma). */
  scopeSeparator?: string;
  /** The account field's initial value on the consent page. */
  defaultAccount: string;
  /** Access-token lifetime in seconds (default 3600). */
  expiresIn?: number;
  /** Token form fields that must be present with these values (Withings: action=requesttoken). */
  requiredTokenFields?: Record<string, string>;
  /** Whether this grant gets a refresh token (Google: only on first consent or prompt=consent). Default yes. */
  issueRefreshToken?(grant: CodeGrant): boolean;
  /** The token endpoint's answer body for a redeemed code. */
  tokenAnswer(grant: CodeGrant, tokens: IssuedTokens): unknown;
  /** Parameters added to the redirect back besides code and state (Strava's accepted `scope`). */
  callbackParams?(grant: CodeGrant): Record<string, string>;
  /** The profile's own endpoints (user id, registration, revocation); undefined falls through to 404. */
  route?(req: ConsentRequest): JsonReply | undefined | Promise<JsonReply | undefined>;
  /** Called with every token pair issued, e.g. to make the tracker's API stand-in accept it. */
  onTokens?(account: string, tokens: IssuedTokens): void;
  /** Where refresh grants go (the API stand-in's token endpoint). */
  upstreamTokenUrl?: string;
}

export interface ConsentRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  authorization: string | undefined;
  status: number;
}

export interface ConsentStandIn {
  url: string;
  authorizeUrl: string;
  tokenUrl: string;
  requests: ConsentRecord[];
  /** Tokens issued per account, newest last. */
  issued(account: string): IssuedTokens[];
  /** Tokens revoked through the profile's endpoints. */
  revoked: string[];
  stop(): Promise<void>;
}

const CODE_TTL_MS = 60_000;

interface PendingCode extends CodeGrant {
  challenge: string | undefined;
  expiresAtMs: number;
  used: boolean;
}

export async function startConsentStandIn(profile: ConsentProfile): Promise<ConsentStandIn> {
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, string>(); // access token → account
  const issued = new Map<string, IssuedTokens[]>();
  const requests: ConsentRecord[] = [];
  const revoked: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const form = new URLSearchParams(
      (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? body.toString('utf8') : '',
    );
    const record: ConsentRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      form: Object.fromEntries(form),
      authorization: req.headers.authorization,
      status: 0,
    };
    requests.push(record);
    const send = (status: number, headers: Record<string, string>, text = '') => {
      record.status = status;
      res.writeHead(status, { 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const json = (r: JsonReply) =>
      send(
        r.status,
        r.body === undefined ? {} : { 'content-type': 'application/json' },
        r.body === undefined ? '' : JSON.stringify(r.body),
      );

    if (url.pathname === '/authorize' && req.method === 'GET') {
      const problem = authorizeProblem(profile, url.searchParams);
      if (problem)
        return send(
          400,
          { 'content-type': 'text/html; charset=utf-8' },
          page(profile.name, `<h1>Invalid request</h1><p>${escapeHtml(problem)}</p>`),
        );
      return send(200, { 'content-type': 'text/html; charset=utf-8' }, consentPage(profile, url.searchParams));
    }
    if (url.pathname === '/authorize' && req.method === 'POST') {
      const p = form;
      const redirectUri = p.get('redirect_uri') ?? '';
      const back = new URL(redirectUri);
      if (p.get('decision') !== 'approve') {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(16).toString('hex');
        const grant: PendingCode = {
          account: (p.get('account') ?? '').trim() || profile.defaultAccount,
          clientId: p.get('client_id') ?? '',
          redirectUri,
          scope: p.getAll('granted').join(' '),
          params: Object.fromEntries([...p].filter(([k]) => !['decision', 'account', 'granted'].includes(k))),
          challenge: p.get('code_challenge') || undefined,
          expiresAtMs: Date.now() + CODE_TTL_MS,
          used: false,
        };
        codes.set(code, grant);
        back.searchParams.set('code', code);
        for (const [k, v] of Object.entries(profile.callbackParams?.(grant) ?? {})) back.searchParams.set(k, v);
      }
      const state = p.get('state');
      if (state !== null) back.searchParams.set('state', state);
      return send(302, { location: back.toString() });
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      if (form.get('grant_type') === 'refresh_token' && profile.upstreamTokenUrl) {
        const upstream = await fetch(profile.upstreamTokenUrl, {
          method: 'POST',
          headers: pick(req.headers, ['content-type', 'authorization']),
          body: new Uint8Array(body),
        });
        return send(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }, await upstream.text());
      }
      return json(
        redeem(profile, codes, form, req.headers.authorization, (account, tokens) => {
          accessTokens.set(tokens.accessToken, account);
          issued.set(account, [...(issued.get(account) ?? []), tokens]);
          profile.onTokens?.(account, tokens);
        }),
      );
    }
    const bearer = req.headers.authorization?.startsWith('Bearer ')
      ? req.headers.authorization.slice(7)
      : (url.searchParams.get('access_token') ??
        url.searchParams.get('token') ??
        form.get('access_token') ??
        form.get('token') ??
        undefined);
    const bearerAccount = bearer === undefined ? undefined : accessTokens.get(bearer);
    const reply = await profile.route?.({ method: req.method ?? 'GET', url, headers: req.headers, body, form, bearerAccount });
    if (reply?.revokes && bearer !== undefined) {
      revoked.push(bearer);
      accessTokens.delete(bearer);
    }
    return json(reply ?? { status: 404, body: { error: 'not_found' } });
  };

  const server = await startHttpServer(handle);
  return {
    url: server.url,
    authorizeUrl: `${server.url}/authorize`,
    tokenUrl: `${server.url}/token`,
    requests,
    issued: (account) => issued.get(account) ?? [],
    revoked,
    stop: server.stop,
  };
}

function authorizeProblem(profile: ConsentProfile, q: URLSearchParams): string | undefined {
  if (q.get('client_id') !== profile.clientId) return 'unknown client_id';
  if (q.get('response_type') !== 'code') return 'response_type must be code';
  const redirect = q.get('redirect_uri') ?? '';
  if (!/^https?:\/\/[^/]+\/oauth\/[a-z]+\/callback$/.test(redirect)) return 'redirect_uri is not a registered callback';
  if (q.get('code_challenge') && q.get('code_challenge_method') !== 'S256') return 'only S256 code challenges are accepted';
  if (profile.requirePkce && !q.get('code_challenge')) return 'code_challenge is required';
  return undefined;
}

/** The authorization-code grant: client, code (single use, 60 s), redirect_uri and the PKCE verifier all checked. */
function redeem(
  profile: ConsentProfile,
  codes: Map<string, PendingCode>,
  form: URLSearchParams,
  authorization: string | undefined,
  onIssued: (account: string, t: IssuedTokens) => void,
): JsonReply {
  const basic = authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : undefined;
  const [basicId, basicSecret] = basic ? [basic.slice(0, basic.indexOf(':')), basic.slice(basic.indexOf(':') + 1)] : [];
  const viaBody = form.get('client_id') === profile.clientId && form.get('client_secret') === profile.clientSecret;
  const viaBasic = basicId === profile.clientId && basicSecret === profile.clientSecret;
  const allowed = profile.clientAuth === 'either' ? viaBody || viaBasic : profile.clientAuth === 'body' ? viaBody : viaBasic;
  if (!allowed) return oauthError(401, 'invalid_client', 'client authentication failed');
  for (const [k, v] of Object.entries(profile.requiredTokenFields ?? {}))
    if (form.get(k) !== v) return oauthError(400, 'invalid_request', `${k} must be ${v}`);
  if (form.get('grant_type') !== 'authorization_code')
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code');
  const code = codes.get(form.get('code') ?? '');
  if (!code || code.used || code.expiresAtMs <= Date.now()) return oauthError(400, 'invalid_grant', 'code unknown, used or expired');
  code.used = true;
  if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match');
  if (code.challenge) {
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge)
      return oauthError(400, 'invalid_grant', 'code_verifier does not match the challenge');
  }
  const tokens: IssuedTokens = {
    accessToken: `${profile.name.toLowerCase().replace(/\W/g, '')}-at-${randomBytes(12).toString('hex')}`,
    refreshToken:
      profile.issueRefreshToken?.(code) === false
        ? ''
        : `${profile.name.toLowerCase().replace(/\W/g, '')}-rt-${randomBytes(12).toString('hex')}`,
    expiresIn: profile.expiresIn ?? 3600,
  };
  onIssued(code.account, tokens);
  return { status: 200, body: profile.tokenAnswer(code, tokens) };
}

function consentPage(profile: ConsentProfile, q: URLSearchParams): string {
  const scopes = (q.get('scope') ?? '').split(profile.scopeSeparator ?? ' ').filter(Boolean);
  const hidden = [...q].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  const boxes = scopes
    .map((s) => `<label><input type="checkbox" name="granted" value="${escapeHtml(s)}" checked> ${escapeHtml(s)}</label><br>`)
    .join('');
  return page(
    profile.name,
    `<h1>${escapeHtml(profile.name)} (local stand-in)</h1>
<p>fitsync asks for access to your ${escapeHtml(profile.name)} account.</p>
<form method="post" action="/authorize">${hidden}
<p><label for="account">Signed in at ${escapeHtml(profile.name)} as account</label> <input id="account" name="account" value="${escapeHtml(profile.defaultAccount)}"></p>
${boxes ? `<fieldset><legend>Permissions</legend>${boxes}</fieldset>` : ''}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} consent (local stand-in)</title></head><body>${body}</body></html>`;

function pick(headers: IncomingMessage['headers'], names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = headers[n];
    if (typeof v === 'string') out[n] = v;
  }
  return out;
}
