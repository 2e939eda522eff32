import test from 'ava';
import { UpstreamError } from '../../shared/errors.ts';
import type { AccessTokens } from '../../shared/gcp/metadata-access-token.ts';
import { createRestSecretSource } from '../../shared/gcp/secret-source.ts';
import { createKeepAliveClient } from '../../shared/http/keep-alive-client.ts';
import { manualClock } from '../support/fakes.ts';
import { type SecretManagerStandIn, startSecretManagerStandIn } from '../support/grpc-secret-manager.ts';
import { readBody, sendJson, startHttpServer } from '../support/http-server.ts';

const PROJECT = 'rest-secrets';
const client = createKeepAliveClient({ maxSockets: 4, maxResponseBytes: 64 * 1024 });
let sm: SecretManagerStandIn;

test.before(async () => {
  sm = await startSecretManagerStandIn({ projectId: PROJECT });
});
test.after.always(async () => {
  client.close();
  await sm?.stop();
});

const source = (clock = manualClock()) =>
  createRestSecretSource({ projectId: PROJECT, endpoint: `http://${sm.host}`, client, clock, timeoutMs: 2000, latestTtlMs: 60_000 });
const accessesOf = (name: string) =>
  sm.calls.filter((c) => c.method === 'AccessSecretVersion' && c.name.startsWith(`projects/${PROJECT}/secrets/${name}/`)).length;

test.serial('a version is read over REST: its bytes and the number `latest` resolved to', async (t) => {
  sm.putSecret('key-ring', 'first');
  sm.putSecret('key-ring', Buffer.from([0, 1, 2, 255]));
  const secrets = source();
  const latest = await secrets.get('key-ring');
  t.deepEqual([...latest.value], [0, 1, 2, 255]);
  t.is(latest.version, '2');
  t.is((await secrets.get('key-ring', '1')).value.toString(), 'first');
});

test.serial('`latest` is read again only after its time to live; a pinned version never; concurrent reads share one call', async (t) => {
  sm.putSecret('rotating', 'v1');
  const clock = manualClock();
  const secrets = source(clock);
  const [a, b] = await Promise.all([secrets.get('rotating'), secrets.get('rotating')]);
  t.is(a.value.toString(), 'v1');
  t.is(b.value.toString(), 'v1');
  t.is(accessesOf('rotating'), 1);
  sm.putSecret('rotating', 'v2');
  clock.advance(59_000);
  t.is((await secrets.get('rotating')).value.toString(), 'v1');
  clock.advance(2_000);
  t.is((await secrets.get('rotating')).value.toString(), 'v2');
  await secrets.get('rotating', '1');
  clock.advance(24 * 3_600_000);
  await secrets.get('rotating', '1');
  t.is(accessesOf('rotating'), 3);
});

test.serial('failures are the gRPC client’s reason codes, retried when an operator or time can fix them, and never cached', async (t) => {
  const secrets = source();
  const missing = await t.throwsAsync(secrets.get('never-created'));
  t.true(missing instanceof UpstreamError);
  t.like(missing, { code: 'secret_manager_not_found', retryable: true });

  sm.putSecret('flaky', 'value');
  sm.failWith(14);
  try {
    t.like(await t.throwsAsync(secrets.get('flaky')), { code: 'secret_manager_unavailable', retryable: true });
  } finally {
    sm.failWith(null);
  }
  t.is((await secrets.get('flaky')).value.toString(), 'value', 'the failure was not cached');

  sm.putSecret('disabled-one', 'x');
  sm.failWhen((_m, name) => (name.includes('disabled-one') ? 9 : null));
  try {
    t.like(await t.throwsAsync(secrets.get('disabled-one')), { code: 'secret_manager_failed_precondition', retryable: true });
  } finally {
    sm.failWhen(null);
  }
  sm.failWhen((_m, name) => (name.includes('bad-request') ? 3 : null));
  try {
    t.like(await t.throwsAsync(secrets.get('bad-request')), { code: 'secret_manager_invalid_argument', retryable: false });
  } finally {
    sm.failWhen(null);
  }
});

test('against Google: the token goes in the Authorization header; a refused token is forgotten and the read retried later', async (t) => {
  const seen: Array<string | undefined> = [];
  let refuse = true;
  const google = await startHttpServer(async (req, res) => {
    await readBody(req);
    seen.push(req.headers.authorization);
    if (refuse)
      return sendJson(res, 401, {
        error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
      });
    sendJson(res, 200, {
      name: `projects/${PROJECT}/secrets/s/versions/4`,
      payload: { data: Buffer.from('opened').toString('base64'), dataCrc32c: '1' },
    });
  });
  t.teardown(google.stop);
  let issued = 0;
  let invalidated = 0;
  const tokens: AccessTokens = {
    get: async () => `ya29.token-${++issued}`,
    invalidate: () => void invalidated++,
  };
  const secrets = createRestSecretSource({
    projectId: PROJECT,
    endpoint: google.url,
    tokens,
    client,
    clock: manualClock(),
    timeoutMs: 2000,
  });
  t.like(await t.throwsAsync(secrets.get('s')), { code: 'secret_manager_unauthenticated', retryable: true });
  t.is(invalidated, 1);
  refuse = false;
  const value = await secrets.get('s');
  t.is(value.value.toString(), 'opened');
  t.is(value.version, '4');
  t.deepEqual(seen, ['Bearer ya29.token-1', 'Bearer ya29.token-2']);
});
