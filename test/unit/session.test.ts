import test from 'ava';
import { toFitSession } from '../../shared/sinks/google-fit/fit-session.ts';
import { sessionIdFor } from '../../shared/sync/session-id.ts';
import { toWorkoutSession } from '../../shared/sync/workout-session.ts';
import type { Workout } from '../../shared/types.ts';

const app = { name: 'fitsync', version: '1' };
const workout: Workout = {
  provider: 'strava',
  activityId: '12345678901',
  providerUserId: '99',
  sportType: 'Run',
  name: 'Morning Run',
  description: 'easy',
  startMs: Date.parse('2026-11-20T07:00:00Z'),
  endMs: Date.parse('2026-11-20T08:00:00Z'),
  activeMs: 3_300_000,
  detailsUrl: 'https://www.strava.com/activities/12345678901',
};

test('session ids are deterministic and readable for numeric ids', (t) => {
  t.is(sessionIdFor('strava', '12345678901'), 'strava-12345678901');
  t.is(sessionIdFor('strava', '12345678901'), sessionIdFor('strava', '12345678901'));
});

test('ids with upper case or punctuation are hashed, so case never collides', (t) => {
  const a = sessionIdFor('strava', 'aQlC83');
  const b = sessionIdFor('strava', 'aqlc83');
  t.regex(a, /^strava-h[0-9a-f]{32}$/);
  t.is(b, 'strava-aqlc83');
  t.not(a, b);
  t.regex(sessionIdFor('strava', 'a/b:c'), /^strava-h[0-9a-f]{32}$/);
});

test('every id fits the Health API rule [a-z0-9-]{4,63}', (t) => {
  for (const id of ['1', '12345678901234567890', 'X'.repeat(200), 'ünïcode', 'a-b']) {
    t.regex(sessionIdFor('strava', id), /^[a-z0-9-]{4,63}$/);
  }
});

test('a workout becomes a full Fit session with int64 fields as strings', (t) => {
  const s = toFitSession(toWorkoutSession(workout, 'running'), app);
  t.deepEqual(s, {
    id: 'strava-12345678901',
    name: 'Morning Run',
    description: 'easy',
    startTimeMillis: String(Date.parse('2026-11-20T07:00:00Z')),
    endTimeMillis: String(Date.parse('2026-11-20T08:00:00Z')),
    activeTimeMillis: '3300000',
    activityType: 8,
    application: { name: 'fitsync', version: '1', detailsUrl: 'https://www.strava.com/activities/12345678901' },
  });
  t.false('packageName' in s.application!);
});

test('a nameless workout still gets a name; active time never exceeds the session', (t) => {
  const s = toWorkoutSession({ ...workout, name: '  ', activeMs: 10 * 3_600_000 }, 'running');
  t.is(s.name, 'Run (strava)');
  t.is(s.activeMs, 3_600_000);
  t.is(s.description, 'easy');
});
