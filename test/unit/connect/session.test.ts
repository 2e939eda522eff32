import test from 'ava';
import { createSessionCodec } from '../../../shared/connect/session.ts';
import { manualClock, memorySecrets } from '../../support/fakes.ts';

const key = () => Buffer.alloc(32, Math.floor(Math.random() * 255)).toString('base64');

function setup() {
  const secrets = memorySecrets();
  secrets.put('session-key', key());
  const clock = manualClock();
  const codec = createSessionCodec({ secrets, secretName: 'session-key', clock, ttlMs: 3600_000 });
  return { secrets, clock, codec };
}

test('a session round-trips, with a CSRF token of 256 bits', async (t) => {
  const { codec } = setup();
  const { value, session } = await codec.issue({ userId: 'g-1', email: 'a@example.com' });
  t.deepEqual(await codec.read(value), session);
  t.regex(session.csrf, /^[0-9a-f]{64}$/);
});

test('tampered, truncated, forged and expired cookies read as nobody', async (t) => {
  const { codec, clock } = setup();
  const { value } = await codec.issue({ userId: 'g-1', email: '' });
  const [v, payload, mac] = value.split('.') as [string, string, string];
  const other = Buffer.from(JSON.stringify({ u: 'g-2', e: '', c: 'x', x: clock.now() + 1e9 })).toString('base64url');
  for (const bad of [
    `${v}.${other}.${mac}`,
    `${v}.${payload}.${mac.slice(1)}`,
    `${v}.${payload}`,
    '',
    'a.b.c',
    `${v}.${payload}.${mac}.x`,
    `99.${payload}.${mac}`,
  ]) {
    t.is(await codec.read(bad), undefined, bad.slice(0, 20));
  }
  t.is(await codec.read(undefined), undefined);
  clock.advance(3600_000);
  t.is(await codec.read(value), undefined, 'expired');
});

test('after a key rotation the previous key still verifies, the one before it no longer', async (t) => {
  const { codec, secrets } = setup();
  const first = (await codec.issue({ userId: 'g-1', email: '' })).value;
  secrets.put('session-key', key());
  t.truthy(await codec.read(first));
  secrets.put('session-key', key());
  t.is(await codec.read(first), undefined);
});
