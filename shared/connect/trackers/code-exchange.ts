import type { Clock } from '../../clock.ts';
import { UpstreamError } from '../../errors.ts';
import { type FetchJson, okBody } from '../../http/fetch-json.ts';
import type { OAuthClient } from '../../http/oauth-client.ts';
import { ConnectProblem } from '../connect-errors.ts';

/**
 * The authorization-code grant (RFC 6749 §4.1.3) at a tracker's token endpoint. The client authenticates in the
 * form body or with HTTP Basic (RFC 6749 §2.3.1), as each tracker documents. A 400/401 means the code (or our
 * client) was refused: the person has to start again; timeouts, 429 and 5xx are the tracker's outage.
 */
export async function exchangeAuthorizationCode(o: {
  service: string;
  tokenUrl: string;
  client: OAuthClient;
  clientAuth: 'body' | 'basic';
  form: Record<string, string | undefined>;
  fetchJson: FetchJson;
  clock: Clock;
}): Promise<Record<string, unknown>> {
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.form)) if (v !== undefined) form[k] = v;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (o.clientAuth === 'basic')
    headers.authorization = `Basic ${Buffer.from(`${o.client.clientId}:${o.client.clientSecret}`).toString('base64')}`;
  else Object.assign(form, { client_id: o.client.clientId, client_secret: o.client.clientSecret });
  return parsedAnswer(
    o.service,
    await o.fetchJson(o.service, o.tokenUrl, { method: 'POST', headers, body: new URLSearchParams(form) }),
    o.clock,
  );
}

function parsedAnswer(service: string, res: Awaited<ReturnType<FetchJson>>, clock: Clock): Record<string, unknown> {
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    const error = (res.body as { error?: unknown } | undefined)?.error;
    throw new ConnectProblem(
      'tracker_code_refused',
      `${service} refused the authorization code (HTTP ${res.status}, ${typeof error === 'string' ? error : 'no detail'})`,
    );
  }
  try {
    const body = okBody(service, res, clock);
    if (!body || typeof body !== 'object') throw new ConnectProblem('tracker_error', `${service} token answer is not a JSON object`);
    return body as Record<string, unknown>;
  } catch (err) {
    if (err instanceof UpstreamError)
      throw new ConnectProblem(err.retryable ? 'tracker_unavailable' : 'tracker_error', err.message, {
        retryable: err.retryable,
        cause: err,
      });
    throw err;
  }
}

/** A bearer-authenticated JSON call the connect flow makes with a fresh token (user id, registration, revoke). */
export async function bearerCall(o: {
  service: string;
  url: string;
  method: string;
  accessToken: string;
  body?: unknown;
  fetchJson: FetchJson;
  clock: Clock;
  /** Statuses that count as success besides 2xx (Polar's 409 "already registered"). */
  alsoOk?: readonly number[];
}): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { authorization: `Bearer ${o.accessToken}`, accept: 'application/json' };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await o.fetchJson(o.service, o.url, {
    method: o.method,
    headers,
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
  if (o.alsoOk?.includes(res.status)) return {};
  try {
    const body = okBody(o.service, res, o.clock);
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  } catch (err) {
    if (err instanceof UpstreamError)
      throw new ConnectProblem(err.retryable ? 'tracker_unavailable' : 'tracker_error', err.message, {
        retryable: err.retryable,
        cause: err,
      });
    throw err;
  }
}
