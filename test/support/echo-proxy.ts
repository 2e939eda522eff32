// A loopback HTTP proxy in front of a stand-in, for leak tests: it can answer chosen requests itself with an error
// that quotes back what the caller sent (its Authorization header and its body, which for a token request holds
// the refresh token and the client secret), as some real APIs do in their error bodies; it can run a step once a
// chosen request has been answered upstream; and it keeps every credential it saw go by, in either direction (the
// bearer tokens callers sent and the tokens a token endpoint issued), so a test can look for each of them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-server.ts';
import { forward, serveProxy } from './loopback-proxy.ts';

export type RequestMatch = (method: string, path: string) => boolean;

export interface EchoedFailure {
  match: RequestMatch;
  status: number;
  /** The answer's text, made from what the caller sent; default a JSON error quoting its header and body. */
  body?: (sent: { authorization: string; body: string }) => string;
  contentType?: string;
}

export interface EchoProxy {
  url: string;
  /** The next `count` matching requests are answered with `failure` instead of being forwarded. */
  failNext(count: number, failure: EchoedFailure): void;
  /** Runs `step` once, right after the next matching request was answered upstream and before the caller hears back. */
  afterNext(match: RequestMatch, step: () => void): void;
  /** Every bearer token sent and every access or refresh token issued through this proxy. */
  credentials: Set<string>;
  /** Requests answered with an injected failure, by status. */
  failed: Record<number, number>;
  stop(): Promise<void>;
}

const echoError = (status: number) => (sent: { authorization: string; body: string }) =>
  JSON.stringify({
    error: {
      code: status,
      message: `Request had invalid credentials: Authorization: ${sent.authorization}; request: ${sent.body}`,
      status: 'UNAUTHENTICATED',
    },
    error_description: sent.body,
    errors: [{ field: sent.authorization, code: 'invalid' }],
  });

/** Every credential the caller sent: its bearer token and every value of its form body (refresh token, client secret). */
function sentValues(sent: { authorization: string; body: string }): string[] {
  const bearer = /^Bearer (.+)$/i.exec(sent.authorization)?.[1];
  return [...(bearer ? [bearer] : []), ...new URLSearchParams(sent.body).values()];
}

/** An OAuth error answer (RFC 6749 §5.2) whose `error_description` quotes what was sent in prose, not as `key=value`. */
export const quotedInDescription = (sent: { authorization: string; body: string }) =>
  JSON.stringify({ error: 'invalid_request', error_description: `cannot accept ${sentValues(sent).join(' with ')}` });

/** An OAuth error answer whose `error`, meant to be a code, is prose quoting what was sent. */
export const quotedInErrorCode = (sent: { authorization: string; body: string }) =>
  JSON.stringify({ error: `unknown credentials ${sentValues(sent).join(' and ')}` });

/** A Google API error envelope whose message quotes the bearer token in prose. */
export const quotedInGoogleMessage = (status: number) => (sent: { authorization: string; body: string }) =>
  JSON.stringify({
    error: {
      code: status,
      message: `The caller ${sentValues(sent).join(', ')} does not have permission`,
      status: status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED',
    },
  });

/** A tracker API error (Strava's `{message, errors}`, WHOOP's `{message}`) quoting the bearer token in prose. */
export const quotedInTrackerMessage = (sent: { authorization: string; body: string }) => {
  const values = sentValues(sent).join(', ');
  return JSON.stringify({
    message: `Authorization Error: ${values} is not allowed`,
    errors: [{ resource: 'Application', field: values, code: 'invalid' }],
  });
};

/** A JSON content type over a body that is the bearer token alone: not JSON, and all secret. */
export const bareToken = (sent: { authorization: string; body: string }) => sentValues(sent).join(' ');

export async function startEchoProxy(target: string): Promise<EchoProxy> {
  const upstream = new URL(target);
  const queue: Array<{ remaining: number; failure: EchoedFailure }> = [];
  const after: Array<{ match: RequestMatch; step: () => void }> = [];
  const credentials = new Set<string>();
  const failed: Record<number, number> = {};
  const keep = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 8) credentials.add(value);
  };
  const server = await serveProxy((req: IncomingMessage, res: ServerResponse) => {
    const [method, path] = [req.method ?? '', req.url ?? ''];
    const authorization = req.headers.authorization ?? '';
    keep(/^Bearer (.+)$/i.exec(authorization)?.[1]);
    const entry = queue.find((q) => q.remaining > 0 && q.failure.match(method, path));
    if (entry) {
      entry.remaining--;
      const { status, body = echoError(status), contentType = 'application/json; charset=UTF-8' } = entry.failure;
      failed[status] = (failed[status] ?? 0) + 1;
      void readBody(req).then((sent) =>
        res.writeHead(status, { 'content-type': contentType }).end(body({ authorization, body: sent.toString('utf8') })),
      );
      return;
    }
    const hook = after.findIndex((a) => a.match(method, path));
    const step = hook >= 0 ? after.splice(hook, 1)[0]!.step : undefined;
    forward(upstream, req, res, (answer) => {
      void readBody(answer).then((text) => {
        try {
          const issued = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
          keep(issued.access_token);
          keep(issued.refresh_token);
        } catch {
          // not a token answer
        }
        step?.();
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(text);
      });
    });
  });
  return {
    url: server.url,
    failNext: (count, failure) => void queue.push({ remaining: count, failure }),
    afterNext: (match, step) => void after.push({ match, step }),
    credentials,
    failed,
    stop: server.stop,
  };
}
