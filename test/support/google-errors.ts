// Google's JSON error envelope as the LOCAL STAND-INs for Google answer it: `{"error":{"code","message","status",
// "errors"?,"details"?}}` (https://cloud.google.com/apis/design/errors#http_mapping). Older frontends such as Fit's
// add the legacy `errors[]`; newer ones such as the Health API's add `details[]` with an ErrorInfo.
import type { Reply } from './http-server.ts';

export interface ErrorInfo {
  reason: string;
  domain: string;
  metadata?: Record<string, string>;
}

export function googleError(code: number, message: string, status: string, extra: { legacyReason?: string; info?: ErrorInfo } = {}): Reply {
  return {
    status: code,
    body: {
      error: {
        code,
        message,
        ...(extra.legacyReason ? { errors: [{ message, domain: 'global', reason: extra.legacyReason }] } : {}),
        status,
        ...(extra.info ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', ...extra.info }] } : {}),
      },
    },
  };
}

export function unauthenticated(): Reply {
  const reply = googleError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    'UNAUTHENTICATED',
    { legacyReason: 'authError' },
  );
  return { ...reply, headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } };
}

export function invalidArgument(message: string, info?: ErrorInfo): Reply {
  return googleError(400, message, 'INVALID_ARGUMENT', { legacyReason: 'invalidArgument', ...(info ? { info } : {}) });
}

/** A token without the scope a method needs (what Google answers since scopes became granular). */
export function scopeInsufficient(service: string): Reply {
  return googleError(403, 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', {
    legacyReason: 'insufficientPermissions',
    info: { reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { service } },
  });
}

/** Bodies for failures injected with failNext that bring none. */
export function defaultGoogleErrorBody(service: string): (status: number) => unknown {
  return (status) => {
    if (status === 429) {
      const message = `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service '${service}'.`;
      return googleError(429, message, 'RESOURCE_EXHAUSTED', { legacyReason: 'rateLimitExceeded' }).body;
    }
    if (status === 401) return unauthenticated().body;
    if (status === 400) return invalidArgument('Request contains an invalid argument.').body;
    return googleError(status, statusMessages[status] ?? 'Error', canonicalStatus[status] ?? 'UNKNOWN').body;
  };
}

const canonicalStatus: Record<number, string> = {
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const statusMessages: Record<number, string> = {
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  500: 'Internal error encountered.',
  502: 'Bad Gateway',
  503: 'The service is currently unavailable.',
  504: 'The request timed out.',
};
