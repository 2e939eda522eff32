import test from 'ava';
import { PayloadTooLargeError, SignatureError, UpstreamError } from '../../../shared/errors.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { createWebhookHandler } from '../../../shared/webhook/handle-webhook.ts';
import type { UnreadRequest, WebhookAdapter } from '../../../shared/webhook/inbound-request.ts';
import { parseJsonObject } from '../../../shared/webhook/json-body.ts';
import { RequestRefusedError } from '../../../shared/webhook/request-refused.ts';
import { capturingLogger, manualClock } from '../../support/fakes.ts';

const CANARY = 'canary-d41d8cd98f00b204';
const PATH_SECRET = 'path-secret-0123456789abcdef';

const event = (n: number): TrackerEvent => ({
  type: 'tracker-event',
  v: 1,
  provider: 'wahoo',
  kind: 'activity.upsert',
  providerUserId: 'u1',
  activityId: String(n),
  occurredAt: '2026-11-20T08:00:00.000Z',
  receivedAt: '2026-11-20T08:00:00.000Z',
  dedupeKey: `wahoo:${n}`,
});

/** A tracker adapter whose steps the test replaces one at a time. */
function adapter(o: Partial<WebhookAdapter> = {}): WebhookAdapter {
  return {
    id: 'wahoo',
    pathSecrets: [PATH_SECRET],
    verify: () => {},
    toEvents: (req) => [event(Number(parseJsonObject(req.rawBody).n))],
    accepted: () => ({ status: 200, body: {} }),
    handshake: () => ({ status: 200, body: { ok: true } }),
    ...o,
  };
}

function setup(a: WebhookAdapter, publish: (events: readonly TrackerEvent[]) => Promise<void> = async () => {}) {
  const log = capturingLogger();
  const handle = createWebhookHandler({
    adapters: new Map([['wahoo', a]]),
    publisher: { publish },
    clock: manualClock(),
    log,
    maxBodyBytes: 4096,
  });
  return { log, handle };
}

/** An unread request that counts how often its body was asked for and with which limit. */
function unread(body: string | Error, o: { method?: string; subpath?: string } = {}) {
  const asked: number[] = [];
  const req: UnreadRequest = {
    method: o.method ?? 'POST',
    subpath: o.subpath ?? PATH_SECRET,
    headers: { 'x-canary': CANARY },
    query: { canary: CANARY },
    readBody: async (maxBytes) => {
      asked.push(maxBytes);
      if (body instanceof Error) throw body;
      return Buffer.from(body);
    },
  };
  return { req, asked };
}

test('an unknown tracker or a wrong path secret is a 404 and the body is never read', async (t) => {
  const { handle } = setup(adapter());
  for (const [tracker, subpath] of [
    ['fitbit', ''],
    ['wahoo', 'guess'],
    ['wahoo', ''],
    ['wahoo', `${PATH_SECRET}/x`],
  ] as const) {
    const { req, asked } = unread('{"n":1}', { subpath });
    t.like(await handle(tracker, req), { status: 404, body: { error: 'not_found' } });
    t.deepEqual(asked, [], `${tracker}/${subpath}`);
  }
});

test('a handshake and a method other than POST never read the body', async (t) => {
  const { handle } = setup(adapter());
  const get = unread('{"n":1}', { method: 'GET' });
  t.is((await handle('wahoo', get.req)).status, 200);
  const put = unread('{"n":1}', { method: 'PUT' });
  t.is((await handle('wahoo', put.req)).status, 405);
  t.deepEqual([...get.asked, ...put.asked], []);
});

test("the body is read with the tracker's own limit when it has one", async (t) => {
  const { handle } = setup(adapter({ maxBodyBytes: 16 * 1024 * 1024 }));
  const { req, asked } = unread('{"n":1}');
  t.is((await handle('wahoo', req)).status, 200);
  t.deepEqual(asked, [16 * 1024 * 1024]);
});

test('refusals while reading the body keep their status and reason code', async (t) => {
  const { handle } = setup(adapter());
  const cases: Array<[Error, number, string]> = [
    [new PayloadTooLargeError('the body exceeds the 4096-byte limit'), 413, 'payload_too_large'],
    [
      new RequestRefusedError('encoding_unsupported', 415, 'Content-Encoding must be gzip, deflate, br or identity'),
      415,
      'encoding_unsupported',
    ],
    [new RequestRefusedError('body_timeout', 408, 'the body did not arrive within 10 ms'), 408, 'body_timeout'],
    [new RequestRefusedError('busy', 429, 'busy'), 429, 'busy'],
  ];
  for (const [err, status, code] of cases) t.like(await handle('wahoo', unread(err).req), { status, body: { error: code } });
});

test('an unexpected exception in an adapter is a 500 internal_error, never a 503, logged at ERROR with its stack and without its message', async (t) => {
  const throwing: Array<Partial<WebhookAdapter>> = [
    { verify: () => JSON.parse(`{"webhook_token":"${CANARY}`) as never },
    {
      toEvents: (req) => {
        throw new TypeError(`cannot read ${req.rawBody.toString()}`);
      },
    },
    {
      handshake: () => {
        throw new RangeError(CANARY);
      },
    },
  ];
  for (const o of throwing) {
    let published = 0;
    const { handle, log } = setup(adapter(o), async () => void published++);
    const method = o.handshake ? 'GET' : 'POST';
    const reply = await handle('wahoo', unread(`{"n":1,"token":"${CANARY}"}`, { method }).req);
    t.deepEqual(reply, { status: 500, body: { error: 'internal_error', message: 'the request could not be processed' } });
    t.is(published, 0);
    const line = log.lines.find((l) => l.severity === 'ERROR');
    t.like(line, { message: 'webhook failed unexpectedly', reasonCode: 'internal_error', status: 500 });
    const [head, ...frames] = String(line?.stack_trace).split('\n');
    t.is(head, (line!.err as { name?: string }).name, 'the error name alone: the message is withheld');
    t.true(frames.length > 0 && frames.every((frame) => frame.startsWith('    at ')), 'a stack Error Reporting reads');
    t.false(log.text().includes(CANARY));
  }
});

test('planned refusals stay 4xx at WARNING', async (t) => {
  const { handle, log } = setup(
    adapter({
      verify: () => {
        throw new SignatureError('signature_invalid', 'wrong token');
      },
    }),
  );
  t.like(await handle('wahoo', unread('{"n":1}').req), { status: 401, body: { error: 'signature_invalid' } });
  t.like(log.lines.at(-1), { severity: 'WARNING', reasonCode: 'signature_invalid' });
});

test('only a publish failure is a 503, whatever the publisher threw', async (t) => {
  for (const thrown of [new UpstreamError('pubsub', 503, 'Pub/Sub publish answered 503'), new Error('a bug in the publisher')]) {
    const { handle, log } = setup(adapter(), async () => {
      throw thrown;
    });
    const reply = await handle('wahoo', unread('{"n":7}').req);
    t.is(reply.status, 503);
    t.regex((reply.body as { error: string }).error, /^pubsub_/);
    t.like(log.lines.at(-1), { severity: 'ERROR', message: 'webhook refused: events not stored', events: 1 });
  }
});

test("a tracker's own error shape is kept for 500 and 503 too", async (t) => {
  const formatError = (reply: { status: number; body?: unknown }) => ({ status: reply.status, body: { result: String(reply.status) } });
  const bug = setup(
    adapter({
      formatError,
      toEvents: () => {
        throw new Error('bug');
      },
    }),
  );
  t.deepEqual(await bug.handle('wahoo', unread('{}').req), { status: 500, body: { result: '500' } });
  const down = setup(adapter({ formatError }), async () => {
    throw new UpstreamError('pubsub', 503, 'down');
  });
  t.deepEqual(await down.handle('wahoo', unread('{"n":1}').req), { status: 503, body: { result: '503' } });
});
