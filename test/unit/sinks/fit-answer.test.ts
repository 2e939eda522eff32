import test from 'ava';
import { UpstreamError } from '../../../shared/errors.ts';
import type { JsonResponse } from '../../../shared/http/fetch-json.ts';
import { type FitRoute, readFitAnswer } from '../../../shared/sinks/google-fit/fit-answer.ts';
import { SinkUnavailableError } from '../../../shared/sinks/session-sink.ts';

const json = (status: number, body?: unknown, headers: Record<string, string> = {}): JsonResponse => ({
  status,
  body,
  headers: new Headers(headers),
});
const envelope = (code: number, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } });
const outcome = (res: JsonResponse, route: FitRoute = 'session-put'): string => {
  try {
    return readFitAnswer(res, route, 0).kind;
  } catch (err) {
    if (err instanceof SinkUnavailableError) return 'switched-off';
    if (err instanceof UpstreamError) return `${err.retryable ? 'retry' : 'fail'} ${err.code}`;
    throw err;
  }
};

test('answers only a switched-off Fit gives mark it unavailable', (t) => {
  const html = '<!DOCTYPE html><p>That’s an error.';
  t.is(outcome(json(301, html, { location: 'https://developers.google.com/health' })), 'switched-off');
  t.is(outcome(json(410, envelope(410, 'gone'))), 'switched-off');
  t.is(outcome(json(501, envelope(501, 'not implemented'))), 'switched-off');
  t.is(outcome(json(200, html, { 'content-type': 'text/html' })), 'switched-off');
  t.is(outcome(json(404, html), 'dataset'), 'switched-off');
  t.is(outcome(json(403, envelope(403, 'Fitness API has not been used', { details: [{ reason: 'SERVICE_DISABLED' }] }))), 'switched-off');
  t.is(outcome(json(403, envelope(403, 'Access Not Configured', { errors: [{ reason: 'accessNotConfigured' }] }))), 'switched-off');
  t.is(outcome(json(403, envelope(403, 'The Fitness API has been turned down.'))), 'switched-off');
  for (const route of ['session-put', 'sessions-list', 'sources-list', 'source-create'] as const)
    t.is(outcome(json(404, envelope(404, 'Not found')), route), 'switched-off', route);
});

test('outages stay retryable, whatever their body; 401 and other 4xx are not retried', (t) => {
  t.is(outcome(json(503, '<html>Service Unavailable</html>')), 'retry google_fit_503');
  t.is(outcome(json(500, envelope(500, 'Internal'))), 'retry google_fit_500');
  t.is(outcome(json(429, envelope(429, 'quota'), { 'retry-after': '5' })), 'retry google_fit_429');
  t.is(outcome(json(408, undefined)), 'retry google_fit_408');
  t.is(outcome(json(401, envelope(401, 'Invalid Credentials'))), 'fail google_fit_401');
  t.is(outcome(json(400, envelope(400, 'Request contains an invalid argument.'))), 'fail google_fit_400');
  t.is(outcome(json(403, envelope(403, 'Application Package Name Provided By un-Trusted Source'))), 'fail google_fit_403');
});

test('answers each call handles itself', (t) => {
  t.is(outcome(json(200, { id: 'x' })), 'ok');
  t.is(outcome(json(200, undefined), 'session-delete'), 'ok');
  t.is(outcome(json(404, envelope(404, 'Not found')), 'session-delete'), 'session-absent');
  t.is(outcome(json(404, envelope(404, 'DataSourceId not found: raw:x')), 'dataset'), 'source-missing');
  t.is(outcome(json(400, envelope(400, 'Unable to fetch DataSource for Dataset: raw:x')), 'dataset'), 'source-missing');
  t.is(outcome(json(409, envelope(409, 'Data Source: raw:x already exists')), 'source-create'), 'source-exists');
  t.is(
    outcome(
      json(
        403,
        envelope(403, 'Request had insufficient authentication scopes.', { details: [{ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }] }),
      ),
    ),
    'scope-missing',
  );
  t.is(
    outcome(json(403, envelope(403, 'Insufficient Permission', { errors: [{ reason: 'insufficientPermissions' }] })), 'dataset'),
    'scope-missing',
  );
});
