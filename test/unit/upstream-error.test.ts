import test from 'ava';
import { MAX_UPSTREAM_MESSAGE_CHARS, UpstreamError } from '../../shared/errors.ts';

test('a short upstream message is kept whole', (t) => {
  t.is(new UpstreamError('strava', 400, 'Bad Request').message, 'Bad Request');
});

test('a long one keeps its start, cut before the word the limit falls in, and says how long it was', (t) => {
  const token = 'a'.repeat(40);
  const page = `${'word '.repeat(98)}xx${token} ${'tail '.repeat(200)}`;
  const { message } = new UpstreamError('strava', 502, page);
  t.true(message.length < MAX_UPSTREAM_MESSAGE_CHARS + 40);
  t.false(message.includes('xxaaaa'), 'no part of the word the limit falls in');
  t.true(message.startsWith('word word'));
  t.true(message.endsWith(`… (${page.length} characters)`));
});
