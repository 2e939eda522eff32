import type { IncomingMessage, ServerResponse } from 'node:http';
import test from 'ava';
import { UpstreamError } from '../../shared/errors.ts';
import { createFetchJson } from '../../shared/http/fetch-json.ts';
import { createKeepAliveClient } from '../../shared/http/keep-alive-client.ts';
import { type HttpServerHandle, readBody, sendJson, startHttpServer } from '../support/http-server.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: unknown;
}

/** A loopback server that records each request and answers what `answer` says. */
async function server(answer: (req: IncomingMessage, res: ServerResponse) => void = (_q, s) => sendJson(s, 200, { ok: true })) {
  const seen: Seen[] = [];
  const handle: HttpServerHandle = await startHttpServer(async (req, res) => {
    const body = (await readBody(req)).toString('utf8');
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket: req.socket });
    answer(req, res);
  });
  return { ...handle, seen };
}

const stops: Array<() => Promise<void>> = [];
test.after.always(async () => void (await Promise.allSettled(stops.map((s) => s()))));

test('a JSON answer comes back with its status, its headers by any case, and one connection for calls in a row', async (t) => {
  const s = await server((_q, res) => sendJson(res, 201, { id: 7 }, { 'Retry-After': '3', 'X-Two': 'b' }));
  stops.push(s.stop);
  const fetchJson = createFetchJson({ timeoutMs: 5000, client: createKeepAliveClient({ maxSockets: 4, maxResponseBytes: 1024 }) });
  const first = await fetchJson('svc', `${s.url}/a?x=1`, { headers: { Accept: 'application/json' } });
  const second = await fetchJson('svc', `${s.url}/b`);
  t.is(first.status, 201);
  t.deepEqual(first.body, { id: 7 });
  t.is(first.headers.get('retry-after'), '3');
  t.is(first.headers.get('X-TWO'), 'b');
  t.is(first.headers.get('absent'), null);
  t.is(second.status, 201);
  t.deepEqual(
    s.seen.map((r) => `${r.method} ${r.url}`),
    ['GET /a?x=1', 'GET /b'],
  );
  t.is(s.seen[0]!.headers.accept, 'application/json');
  t.is(s.seen[0]!.headers['accept-encoding'], 'identity', 'node:http does not inflate: nothing compressed is asked for');
  t.is(s.seen[0]!.headers['user-agent'], 'fitsync');
  t.is(s.seen[0]!.socket, s.seen[1]!.socket, 'the second call reused the first one’s connection');
});

test('bodies: a form as form-urlencoded, a string with the type it was given, every method fitsync uses', async (t) => {
  const s = await server();
  stops.push(s.stop);
  const fetchJson = createFetchJson({ timeoutMs: 5000 });
  await fetchJson('svc', `${s.url}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r t' }),
  });
  await fetchJson('svc', `${s.url}/json`, { method: 'put', headers: [['Content-Type', 'application/json']], body: '{"a":1}' });
  await fetchJson('svc', `${s.url}/p`, { method: 'PATCH', headers: new Headers({ 'content-type': 'application/json' }), body: '{}' });
  await fetchJson('svc', `${s.url}/d`, { method: 'DELETE' });
  t.deepEqual(
    s.seen.map((r) => r.method),
    ['POST', 'PUT', 'PATCH', 'DELETE'],
  );
  t.is(s.seen[0]!.headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');
  t.is(s.seen[0]!.body, 'grant_type=refresh_token&refresh_token=r+t');
  t.is(s.seen[0]!.headers['content-length'], String(s.seen[0]!.body.length));
  t.is(s.seen[1]!.headers['content-type'], 'application/json');
  t.is(s.seen[1]!.body, '{"a":1}');
  t.is(s.seen[2]!.headers['content-type'], 'application/json');
  t.is(s.seen[3]!.body, '');
});

test('an answer that is not JSON comes back as its text; a redirect is an answer, never followed', async (t) => {
  const s = await server((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/elsewhere', 'content-length': '0' });
      return res.end();
    }
    res.writeHead(503, { 'content-type': 'text/html' });
    res.end('<html>down</html>');
  });
  stops.push(s.stop);
  const fetchJson = createFetchJson({ timeoutMs: 5000 });
  const html = await fetchJson('svc', `${s.url}/page`);
  t.is(html.status, 503);
  t.is(html.body, '<html>down</html>');
  t.is(html.headers.get('content-type'), 'text/html');
  const moved = await fetchJson('svc', `${s.url}/moved`);
  t.is(moved.status, 302);
  t.deepEqual(
    s.seen.map((r) => r.url),
    ['/page', '/moved'],
  );
});

test('no complete answer in time, no server, or an answer over the limit: retryable failures named after the service', async (t) => {
  const silent = await server(() => undefined);
  const big = await server((_q, res) => sendJson(res, 200, { pad: 'x'.repeat(4096) }));
  stops.push(silent.stop, big.stop);
  const closed = await server();
  await closed.stop();

  const timedOut = await t.throwsAsync(createFetchJson({ timeoutMs: 150 })('strava', `${silent.url}/slow`));
  t.true(timedOut instanceof UpstreamError);
  t.like(timedOut, { code: 'strava_timeout', retryable: true });

  const refused = await t.throwsAsync(createFetchJson({ timeoutMs: 2000 })('strava', `${closed.url}/gone`));
  t.like(refused, { code: 'strava_network', retryable: true });

  const small = createFetchJson({ timeoutMs: 2000, client: createKeepAliveClient({ maxSockets: 1, maxResponseBytes: 1024 }) });
  const tooLarge = await t.throwsAsync(small('google_fit', `${big.url}/big`));
  t.like(tooLarge, { code: 'google_fit_answer_too_large', retryable: true });
});
