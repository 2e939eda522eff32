import test from 'ava';
import type { JsonResponse } from '../../../shared/http/fetch-json.ts';
import { googleErrorFromStatus, readGoogleError, upstreamErrorOf } from '../../../shared/sinks/google-api/google-error.ts';
import { readHealthAnswer } from '../../../shared/sinks/google-health/health-answer.ts';
import { SinkUserStateError } from '../../../shared/sinks/session-sink.ts';

const res = (status: number, body: unknown, headers: Record<string, string> = {}): JsonResponse => ({
  status,
  body,
  headers: new Headers(headers),
});

test('both envelope generations: status, message, ErrorInfo and legacy reasons, Retry-After', (t) => {
  const now = Date.parse('2026-11-20T06:30:00Z');
  t.deepEqual(
    readGoogleError(
      res(400, {
        error: {
          code: 400,
          message: 'The account is not linked to Google Health.',
          status: 'FAILED_PRECONDITION',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCOUNT_NOT_LINKED' }],
        },
      }),
      now,
    ),
    {
      httpStatus: 400,
      status: 'FAILED_PRECONDITION',
      message: 'The account is not linked to Google Health.',
      reasons: ['ACCOUNT_NOT_LINKED'],
    },
  );
  t.deepEqual(
    readGoogleError(
      res(
        429,
        { error: { code: 429, errors: [{ reason: 'rateLimitExceeded', message: 'Rate' }] } },
        { 'retry-after': 'Fri, 20 Nov 2026 06:30:07 GMT' },
      ),
      now,
    ),
    {
      httpStatus: 429,
      message: 'Rate',
      reasons: ['rateLimitExceeded'],
      retryAfterMs: 7000,
    },
  );
});

test('a web page is summarised, never quoted', (t) => {
  const e = readGoogleError(res(502, '<html>secret-looking page text</html>', { 'content-type': 'text/html; charset=UTF-8' }), 0);
  t.is(e.message, 'HTTP 502, not a JSON answer (text/html)');
  t.false(upstreamErrorOf('google_fit', e).message.includes('secret-looking'));
});

test('an Operation error maps its gRPC code to the HTTP status of the same failure', (t) => {
  const table: Array<[number, number, string]> = [
    [3, 400, 'INVALID_ARGUMENT'],
    [5, 404, 'NOT_FOUND'],
    [6, 409, 'ALREADY_EXISTS'],
    [7, 403, 'PERMISSION_DENIED'],
    [8, 429, 'RESOURCE_EXHAUSTED'],
    [9, 400, 'FAILED_PRECONDITION'],
    [14, 503, 'UNAVAILABLE'],
    [16, 401, 'UNAUTHENTICATED'],
    [99, 500, 'UNKNOWN'],
  ];
  for (const [code, http, name] of table)
    t.like(googleErrorFromStatus({ code, message: 'm' }), { httpStatus: http, status: name }, String(code));
  t.like(googleErrorFromStatus('nonsense'), { httpStatus: 500, status: 'UNKNOWN' });
});

test('Health: ACCOUNT_NOT_LINKED inside an Operation is the person without a profile; SERVICE_DISABLED is an operator fix, retried', (t) => {
  const op = { name: 'operations/1', done: true, error: { code: 9, message: 'not linked', details: [{ reason: 'ACCOUNT_NOT_LINKED' }] } };
  t.like(
    t.throws(() => readHealthAnswer(res(200, op), 0), { instanceOf: SinkUserStateError }),
    { code: 'google_health_account_not_linked' },
  );
  const disabled = {
    error: {
      code: 403,
      message: 'Google Health API has not been used in project 1',
      status: 'PERMISSION_DENIED',
      details: [{ reason: 'SERVICE_DISABLED' }],
    },
  };
  t.like(
    t.throws(() => readHealthAnswer(res(403, disabled), 0)),
    { code: 'google_health_service_disabled', retryable: true },
  );
  t.like(
    t.throws(() => readHealthAnswer(res(409, { error: { code: 409, message: 'x', status: 'ABORTED' } }), 0, { alreadyExists: true })),
    { code: 'google_health_409', retryable: true },
  );
  t.deepEqual(readHealthAnswer(res(409, { error: { code: 409, message: 'x', status: 'ALREADY_EXISTS' } }), 0, { alreadyExists: true }), {
    kind: 'already-exists',
  });
  t.like(
    t.throws(() => readHealthAnswer(res(200, '<html>'), 0)),
    { code: 'google_health_invalid_answer', retryable: true },
  );
});
