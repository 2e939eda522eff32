import test from 'ava';
import { UpstreamError } from '../../shared/errors.ts';
import { createLogger, describeError, redact, scrubText, unexpectedStackTrace } from '../../shared/log.ts';
import { withLogContext } from '../../shared/log-context.ts';
import { capturingLogger } from '../support/fakes.ts';

const refreshToken = '1//0gLr-very-secret-refresh-token';

/**
 * The shape gaxios throws for a refused refresh: the token sits in config.data, which gaxios' default error
 * redactor leaves alone (https://github.com/googleapis/gaxios).
 */
function gaxiosInvalidGrant() {
  return Object.assign(new Error('invalid_grant'), {
    code: '400',
    status: 400,
    config: {
      url: 'https://oauth2.googleapis.com/token',
      data: new URLSearchParams({ refresh_token: refreshToken, client_secret: 'cs-123', grant_type: 'refresh_token' }),
    },
    response: { status: 400, data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } },
  });
}

test('log lines are one JSON object each with severity and message', (t) => {
  const log = capturingLogger();
  log.info('hello', { a: 1 });
  log.child({ fn: 'worker' }).warn('careful');
  t.deepEqual(log.lines, [
    { severity: 'INFO', message: 'hello', a: 1 },
    { severity: 'WARNING', message: 'careful', fn: 'worker' },
  ]);
  t.false(
    log
      .text()
      .split('\n')
      .some((l) => l.includes('\n')),
  );
});

test('a gaxios refresh failure never leaks the refresh token or client secret', (t) => {
  const log = capturingLogger();
  const err = gaxiosInvalidGrant();
  log.error('refresh failed', { err });
  log.error('again', { error: describeError(err), nested: { deeper: [err] } });
  t.false(log.text().includes(refreshToken));
  t.false(log.text().includes('cs-123'));
  t.regex(log.text(), /invalid_grant/);
});

test('secret-looking keys are redacted and token shapes are scrubbed from text', (t) => {
  t.deepEqual(redact({ accessToken: 'a', refresh_token: 'b', client_secret: 'c', Authorization: 'Bearer x', userId: 'u' }), {
    accessToken: '[redacted]',
    refresh_token: '[redacted]',
    client_secret: '[redacted]',
    Authorization: '[redacted]',
    userId: 'u',
  });
  const text = scrubText(
    `Bearer abc.def refresh_token=${refreshToken}&x=1 ya29.a0AfH6SM token 1//04abc {"access_token":"zzz"} GET /v2/coros/sport/list?token=q1w2e3&openId=o`,
  );
  for (const s of ['abc.def', refreshToken, 'ya29.a0AfH6SM', '1//04abc', 'zzz', 'q1w2e3']) t.false(text.includes(s), s);
  t.true(text.includes('openId=o'));
});

test('AppErrors describe themselves by code and retryability', (t) => {
  const d = describeError(new UpstreamError('google_fit', 503, 'google_fit answered 503'));
  t.like(d, { name: 'UpstreamError', code: 'google_fit_503', retryable: true });
});

test('levels below the threshold are dropped', (t) => {
  const lines: string[] = [];

  const log = createLogger({ level: 'WARNING', write: (l) => lines.push(l) });
  log.info('quiet');
  log.error('loud');
  t.is(lines.length, 1);
});

test("a line logged while a request is served carries the request's fields, however deep and however interleaved", async (t) => {
  const log = capturingLogger();
  log.info('before');
  const serve = (id: string, steps: number) =>
    withLogContext({ 'logging.googleapis.com/labels': { execution_id: id } }, async () => {
      for (let i = 0; i < steps; i++) {
        await new Promise((ok) => setImmediate(ok));
        log.child({ step: i }).info(`${id} step`);
      }
    });
  await Promise.all([serve('exec-a', 3), serve('exec-b', 2)]);
  log.info('after');
  t.deepEqual(log.lines[0], { severity: 'INFO', message: 'before' });
  t.deepEqual(log.lines.at(-1), { severity: 'INFO', message: 'after' });
  const served = log.lines.slice(1, -1);
  t.is(served.length, 5);
  for (const line of served) t.deepEqual(line['logging.googleapis.com/labels'], { execution_id: String(line.message).split(' ')[0] });
});

test('an unexpected error gets a stack_trace Error Reporting reads, its message scrubbed; a planned AppError gets none', (t) => {
  const log = capturingLogger();
  log.error('bug', { err: new TypeError(`cannot read refresh_token=${refreshToken} of undefined`) });
  log.warn('unknown failure', { err: new Error('socket hang up') });
  log.error('planned', { err: new UpstreamError('google_fit', 503, 'google_fit answered 503') });
  log.error('not an error', { err: 'a string' });
  const [bug, unknown, planned, notAnError] = log.lines;
  const trace = String(bug!.stack_trace).split('\n');
  t.is(trace[0], 'TypeError: cannot read refresh_token=[redacted] of undefined');
  t.true(trace.length > 1 && trace.slice(1).every((frame) => /^ {4}at /.test(frame)), 'frames as Node prints them');
  t.regex(String(unknown!.stack_trace), /^Error: socket hang up\n {4}at /);
  t.false('stack_trace' in planned!);
  t.false('stack_trace' in notAnError!);
  t.false(log.text().includes(refreshToken));
});

test('a withheld message leaves nothing of itself in the stack trace, even lines shaped like frames', (t) => {
  const err = new SyntaxError(`Unexpected token 'x', "{"webhook_token":"w-123"\n    at secret-looking-line`);
  const trace = unexpectedStackTrace(err, 'withheld')!;
  t.regex(trace, /^SyntaxError\n {4}at /);
  t.false(trace.includes('w-123'));
  t.false(trace.includes('secret-looking-line'));
  t.is(unexpectedStackTrace(new UpstreamError('google_fit', 503, 'x')), undefined);
});

test('a stack_trace the caller gives is kept as given', (t) => {
  const log = capturingLogger();
  log.error('explicit', { err: new TypeError('x'), stack_trace: 'TypeError\n    at given (file.ts:1:1)' });
  t.is(log.lines[0]!.stack_trace, 'TypeError\n    at given (file.ts:1:1)');
});
