// The small readers every adapter shares: exact top-level numbers, stated offsets, printable ids, bounded text, and
// reading a tracker's answers without ever crashing or retrying for ever.
import test from 'ava';
import { boundedText, isPrintableId } from '../../../shared/activity/plausible.ts';
import { PayloadError } from '../../../shared/errors.ts';
import { readFetchedWorkout, readListedWorkouts } from '../../../shared/providers/read-workouts.ts';
import { topLevelNumberTexts } from '../../../shared/providers/top-level-numbers.ts';
import { statedUtcOffsetSec } from '../../../shared/time/stated-offset.ts';
import type { Workout } from '../../../shared/types.ts';
import { assertPageIds } from '../../support/listed-page.ts';

test('top-level numbers keep their source text; nested members, strings and earlier duplicates do not count', (t) => {
  const text = '{"a":{"id":1},"s":"\\"id\\":7 {","\\u0069d":9007199254740993,"list":[{"id":2}],"n":-1.5e3,"d":1,"d":"x","e":2,"e":3}';
  const numbers = topLevelNumberTexts(text);
  t.is(numbers.get('id'), '9007199254740993', 'the escaped key is the same key');
  t.is(numbers.get('n'), '-1.5e3');
  t.false(numbers.has('d'), 'the last of duplicate keys counts, as in JSON.parse: here a string');
  t.is(numbers.get('e'), '3');
  t.false(numbers.has('a'));
  t.deepEqual([...topLevelNumberTexts('[{"id":1}]')], [], 'a top-level array has no members');
});

test('stated offsets: Z and +00:00 are UTC, -00:00 and no offset are unknown', (t) => {
  t.is(statedUtcOffsetSec('2026-11-20T07:30:00Z'), 0);
  t.is(statedUtcOffsetSec('2026-11-20T07:30:00+00:00'), 0);
  t.is(statedUtcOffsetSec('2026-11-20T07:30:00.000+05:30'), 19800);
  t.is(statedUtcOffsetSec('2026-11-20T07:30:00-0330'), -12600);
  t.is(statedUtcOffsetSec('-05:00'), -18000, "WHOOP's timezone_offset alone");
  t.is(statedUtcOffsetSec('2026-11-20T07:30:00-00:00'), undefined);
  t.is(statedUtcOffsetSec('2026-11-20T07:30:00'), undefined);
  t.is(statedUtcOffsetSec('2026-11-20T07:30:00+05:75'), undefined);
});

test('printable ids: any character but control characters and lone surrogates, not blank, bounded', (t) => {
  for (const id of ['team/kaisa', 'Row#7', 'Läufe 🏃', 'x'.repeat(256)]) t.true(isPrintableId(id), id);
  for (const id of ['', '  ', 'a\u0000', 'a\nb', 'a\u0085', '\ud800x', 'x\udc00', 'x'.repeat(257), 7, null])
    t.false(isPrintableId(id), JSON.stringify(id));
});

test('bounded text never splits a surrogate pair and mends lone surrogates', (t) => {
  t.is(boundedText('ab🏃', 3), 'ab');
  t.is(boundedText('ab🏃', 4), 'ab🏃');
  t.is(boundedText('a\ud800b', 10), 'a\ufffdb');
});

const workout = (id: string): Workout => ({
  provider: 'oura',
  activityId: id,
  providerUserId: 'u',
  sportType: 'running',
  name: '',
  startMs: Date.parse('2026-11-20T06:30:00Z'),
  endMs: Date.parse('2026-11-20T07:00:00Z'),
});

test('a fetched answer that reading trips over is a permanent PayloadError with the reason, not a retryable crash', (t) => {
  const err = t.throws(() => readFetchedWorkout('Oura workout w1', () => (null as unknown as { x: Workout }).x), {
    instanceOf: PayloadError,
  });
  t.regex(err!.message, /^Oura workout w1 cannot be read: /);
  t.false(err!.retryable);
  t.throws(() => readFetchedWorkout('Oura workout w1', () => ({ ...workout('w1'), endMs: 0 })), {
    instanceOf: PayloadError,
    message: /startMs and \.endMs/,
  });
});

test('one bad list item never costs the others: each is skipped with its reason and its id when it has one', (t) => {
  const items = [{ id: 'a' }, { id: 'b' }, 'c', { id: 'x\u0000' }, { id: 42 }];
  const page = readListedWorkouts(
    items,
    (item) => {
      const id = (item as { id?: unknown }).id;
      if (id === 'a') return [workout('a')];
      if (id === 'b') return [{ ...workout('b'), metrics: { steps: -1 } }];
      if (id === 42) return [];
      throw new TypeError('not an object');
    },
    (item) => (item as { id?: unknown }).id,
  );
  assertPageIds(t, page, ['a'], ['b', undefined, undefined]);
  t.regex(page.skipped[0]!.reason, /metrics\.steps/);
  t.regex(page.skipped[1]!.reason, /item 2 cannot be read: not an object/);
});
