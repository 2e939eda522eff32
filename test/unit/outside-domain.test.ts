import { create } from 'node:domain';
import test from 'ava';
import { outsideDomain } from '../../functions/outside-domain.ts';

/** The domain Node says the code runs in (`process.domain`, which @types/node does not declare). */
const currentDomain = () => (process as { domain?: unknown }).domain;

/** Calls `fn` the way functions-framework calls a function: inside a domain, from a promise callback. */
function inFrameworkDomain<T>(fn: () => Promise<T>): Promise<T> {
  const d = create();
  return new Promise<T>((resolve, reject) => {
    d.on('error', reject);
    d.run(() => {
      Promise.resolve()
        .then(fn)
        .then(resolve, reject);
    });
  });
}

test('the handler runs with no domain, and what it creates is not tagged with one', async (t) => {
  const seen = await inFrameworkDomain(
    outsideDomain(async () => {
      const during = currentDomain();
      const created = new Promise((ok) => setTimeout(ok, 1));
      await created;
      return { during, tagged: 'domain' in created, after: currentDomain() };
    }),
  );
  t.is(seen.during, undefined);
  t.false(seen.tagged);
  t.is(seen.after, undefined);
});

test('its result and its failure reach the caller unchanged', async (t) => {
  t.is(await inFrameworkDomain(outsideDomain(async (n: number = 41) => n + 1)), 42);
  const err = await t.throwsAsync(inFrameworkDomain(outsideDomain(async () => Promise.reject(new Error('redeliver')))));
  t.is(err?.message, 'redeliver');
});

test('without a domain around it, it simply runs', async (t) => {
  t.is(await outsideDomain(async () => 'plain')(), 'plain');
});
