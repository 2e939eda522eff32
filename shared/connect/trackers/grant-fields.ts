import { ConnectProblem } from '../connect-errors.ts';
import type { TrackerGrant } from '../tracker-connect.ts';

/** The token answer lacks what the flow needs: the tracker changed or misbehaves; the person can only retry. */
export const exchangeAuthorizationCodeFailed = (service: string, what: string) =>
  new ConnectProblem('tracker_error', `${service} token answer lacks ${what}`);

/** A field as the string id webhooks carry (ids may come as numbers). */
export function idField(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  return (typeof v === 'string' && v) || (typeof v === 'number' && Number.isFinite(v)) ? String(v) : undefined;
}

/** access_token / refresh_token / expires_in as most trackers answer them. */
export function standardGrant(
  service: string,
  body: Record<string, unknown>,
  nowMs: number,
  opts: { requireRefresh: boolean },
): TrackerGrant {
  const accessToken = body.access_token;
  const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : '';
  if (typeof accessToken !== 'string' || !accessToken || (opts.requireRefresh && !refreshToken)) {
    throw exchangeAuthorizationCodeFailed(service, `access_token${opts.requireRefresh ? ' or refresh_token' : ''}`);
  }
  const expiresIn = Number(body.expires_in);
  return { accessToken, refreshToken, expiresAtMs: Number.isFinite(expiresIn) && expiresIn > 0 ? nowMs + expiresIn * 1000 : null };
}
