import test from 'ava';
import type { Clock } from '../../../shared/clock.ts';
import { UpstreamError } from '../../../shared/errors.ts';
import { createUserRateLimiter } from '../../../shared/sinks/google-health/user-rate-limiter.ts';

/** A clock whose sleep moves time forward at once, recording every wait. */
function steppingClock(): Clock & { waits: number[] } {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

test('a burst goes at once, then calls are spread so no 60 s ever holds more than perMinute', async (t) => {
  const clock = steppingClock();
  const limiter = createUserRateLimiter({ perMinute: 30, burst: 5, maxWaitMs: 3_600_000, clock, service: 'google_health' });
  const at: number[] = [];
  for (let i = 0; i < 100; i++) {
    await limiter.acquire('token-a');
    at.push(clock.now());
  }
  t.is(clock.waits.length, 95, 'the first five waited for nothing');
  t.true(
    clock.waits.every((ms) => ms === 2400),
    'the rest one every 60 s / (30 - 5)',
  );
  for (const start of at) t.true(at.filter((x) => x >= start && x < start + 60_000).length <= 30);
});

test('people are paced apart; a wait beyond maxWaitMs fails as retryable with the wait as its hint', async (t) => {
  const clock: Clock = { now: () => 0, sleep: async () => undefined };
  const limiter = createUserRateLimiter({ perMinute: 61, burst: 1, maxWaitMs: 1500, clock, service: 'google_health' });
  await limiter.acquire('token-a');
  await limiter.acquire('token-b');
  await limiter.acquire('token-a'); // waits 1 s: the bucket refills one a second
  const err = await t.throwsAsync(limiter.acquire('token-a'), { instanceOf: UpstreamError });
  t.like(err, { code: 'google_health_rate_limited', retryable: true, retryAfterMs: 2000 });
  t.throws(() => createUserRateLimiter({ perMinute: 10, burst: 10, maxWaitMs: 1, clock, service: 's' }));
});
