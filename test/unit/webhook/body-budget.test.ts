import test from 'ava';
import { createBodyBudget } from '../../../shared/webhook/body-budget.ts';
import { RequestRefusedError } from '../../../shared/webhook/request-refused.ts';

const LONG = 30_000;

test('reservations that fit are granted at once and given back once', async (t) => {
  const budget = createBodyBudget(100);
  const a = await budget.reserve(60, LONG);
  const b = await budget.reserve(40, LONG);
  t.is(budget.reserved, 100);
  a();
  a();
  t.is(budget.reserved, 40);
  b();
  t.is(budget.reserved, 0);
});

test('a reservation that does not fit waits until bytes come back', async (t) => {
  const budget = createBodyBudget(100);
  const first = await budget.reserve(80, LONG);
  let granted = false;
  const waiting = budget.reserve(50, LONG).then((release) => {
    granted = true;
    return release;
  });
  await new Promise((ok) => setImmediate(ok));
  t.false(granted);
  first();
  (await waiting)();
  t.true(granted);
  t.is(budget.reserved, 0);
});

test('small bodies pass a large one that is waiting; the large one gets in when enough comes back', async (t) => {
  const budget = createBodyBudget(100);
  const held = await budget.reserve(60, LONG);
  const large = budget.reserve(70, LONG);
  const small = await budget.reserve(10, LONG);
  t.is(budget.reserved, 70);
  held();
  small();
  (await large)();
  t.is(budget.reserved, 0);
});

test('a body larger than the whole budget is admitted alone', async (t) => {
  const budget = createBodyBudget(100);
  const other = await budget.reserve(1, LONG);
  const huge = budget.reserve(500, LONG);
  other();
  const release = await huge;
  t.is(budget.reserved, 500);
  release();
});

test('waiting too long is a 429 busy refusal, and the waiter leaves the queue', async (t) => {
  const budget = createBodyBudget(100);
  const held = await budget.reserve(100, LONG);
  const err = await t.throwsAsync(budget.reserve(50, 20), { instanceOf: RequestRefusedError });
  t.like(err, { code: 'busy', status: 429 });
  held();
  t.is(budget.reserved, 0);
});
