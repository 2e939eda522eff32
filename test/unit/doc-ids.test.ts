import test from 'ava';
import { activityDocId, linkDocId, safeIdPart } from '../../shared/stores/collections.ts';

test('plain tracker ids keep the document ids fitsync always used', (t) => {
  t.is(linkDocId('strava', '134815'), 'strava:134815');
  t.is(activityDocId('oura', '8f9a1c2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b', 'u1'), 'oura:8f9a1c2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b');
  t.is(activityDocId('polar', 'aQlC83', 'u1'), 'polar:aQlC83');
});

test('generic workouts are keyed by sender too, unambiguously: two senders may both send run-1', (t) => {
  t.is(activityDocId('generic', 'run-1', 'device-owner-42'), 'generic:device-owner-42~run-1');
  t.not(activityDocId('generic', 'run-1', 'a'), activityDocId('generic', 'run-1', 'b'));
  t.not(activityDocId('generic', 'c', 'a:b'), activityDocId('generic', 'b:c', 'a'));
  t.not(activityDocId('generic', 'x', 'a/b'), activityDocId('generic', `x`, 'a/c'));
});

test('any other string becomes a hash: slashes, NUL, dots, reserved names, long or empty ids', (t) => {
  for (const id of ['team/kaisa', 'ab/cd', 'Row/7', 'a\u0000b', '.', '..', '__reserved__', 'x'.repeat(257), '', 'ünïcode', 'a b']) {
    const part = safeIdPart(id);
    t.regex(part, /^~h[0-9a-f]{64}$/, JSON.stringify(id));
  }
  t.not(safeIdPart('a/b'), safeIdPart('a/c'));
});
