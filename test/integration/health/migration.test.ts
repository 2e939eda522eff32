// Moving a person from Google Fit to Google Health with the operator command, as an operator would run it:
// a year of workouts written to Fit through the worker (a backfill of Strava history, pushed by Pub/Sub), the oldest
// of them kept on records of the format used before revisions (no copy of the session: the workout is read back from
// Fit), two sessions of another app in Fit, then `fitsync sinks --set google-health --migrate` killed in the middle
// of a write and run again. Every workout must reach Health exactly once, with the summary and progress right.
import test from 'ava';
import { utcOffsetSecAt } from '../../../shared/time/utc-offset.ts';
import { startAnswerHoldingProxy } from '../../support/answer-holding-proxy.ts';
import { runFitsyncCli, startFitsyncCli } from '../../support/fitsync-cli.ts';
import { healthCallOf } from '../../support/sink-traffic.ts';
import { stravaPerson } from '../../support/strava-person.ts';
import { workerSuite } from '../../support/worker-suite.ts';

const suite = workerSuite({ pushed: true, env: { BACKFILL_CONCURRENCY: '8' } });
const { clock } = suite;
const DAY = 86_400_000;

/**
 * Backfills a person's last `days` of Strava up to `now` as an operator does, waits (up to `idleMs`) until Pub/Sub
 * has delivered every page, and returns the job as it ended.
 */
async function operatorBackfill(userId: string, days: number, now: number, idleMs: number) {
  return (await suite.backfill(userId, { startMs: now - days * DAY, endMs: now }, idleMs)).job;
}
const USER = 'mover';
const WORKOUTS = 1000;
const LEGACY = 150;
const CRASH_AFTER_CREATES = 400;
/** The migration runs at the loopback stand-in's pace, not at Google's 300 calls a minute per person. */
const FAST = { HEALTH_RATE_LIMIT_PER_MINUTE: '100000', HEALTH_RATE_LIMIT_BURST: '10000' };

const sports = ['Run', 'Ride', 'Swim', 'Hike', 'TrailRun'] as const;
/** Health's type for a workout whose record kept the session (from Strava's sport) and for one read back from Fit. */
const typeFromRecord: Record<(typeof sports)[number], string> = {
  Run: 'RUNNING',
  Ride: 'BIKING',
  Swim: 'SWIMMING',
  Hike: 'HIKING',
  TrailRun: 'TRAIL_RUN',
};
const typeFromFit: Record<number, string> = { 8: 'RUNNING', 1: 'BIKING', 82: 'SWIMMING', 35: 'HIKING' };

/** A year of workouts in Berlin, about every nine hours, some across a daylight-saving change. */
function stravaHistory(now: number) {
  return Array.from({ length: WORKOUTS }, (_, i) => {
    const startMs = Math.floor((now - 365 * DAY + i * 8.7 * 3600_000) / 1000) * 1000;
    const offset = utcOffsetSecAt('Europe/Berlin', startMs)!;
    return {
      id: 70_000_000_000 + i,
      name: `Workout ${i}`,
      sport_type: sports[i % sports.length]!,
      start_date: new Date(startMs).toISOString().replace('.000Z', 'Z'),
      start_date_local: new Date(startMs + offset * 1000).toISOString().replace('.000Z', 'Z'),
      timezone: `(GMT+0${offset / 3600}:00) Europe/Berlin`,
      utc_offset: offset,
      elapsed_time: 1800 + (i % 7) * 600,
      moving_time: 1700 + (i % 7) * 600,
      distance: 5000 + i,
    };
  });
}

/**
 * The record of a workout as fitsync wrote it before records had revisions and kept the session: its start and
 * standing only (the README's data model of that time). Moving such a workout needs Fit's own copy.
 */
function legacyRecord(d: FirebaseFirestore.DocumentData) {
  return {
    provider: d.provider,
    activityId: d.activityId,
    providerUserId: d.providerUserId,
    userId: d.userId,
    sessionId: d.sessionId,
    attempts: 1,
    state: 'synced',
    lastEventKey: `strava:activity:${d.activityId}:create:1763000000`,
    startMs: d.startMs,
    lastSuccessAt: d.lastSuccessAt,
    lastErrorCode: null,
    lastErrorMessage: null,
    updatedAt: d.updatedAt,
  };
}

const summaryRowOf = (stdout: string, user: string) => {
  const m = new RegExp(`│ 0 +│ '${user}' +│ '([^']+)' +│ (\\d+) +│ (\\d+) +│ (\\d+) +│ (\\d+) +│`).exec(stdout);
  return m ? { state: m[1], found: Number(m[2]), copied: Number(m[3]), skipped: Number(m[4]), failed: Number(m[5]) } : undefined;
};
const summaryRow = (stdout: string) => summaryRowOf(stdout, USER);

test.serial('1,000 workouts move from Fit to Health exactly once, through a crash in the middle of a write and a rerun', async (t) => {
  t.timeout(300_000);
  const now = clock.now();
  const p = await stravaPerson(suite.stack, { userId: USER, athleteId: 850_001, clock, sinks: ['google-fit'] });
  await suite.deps.data.users.setTimeZone(USER, 'Europe/Berlin');
  const history = stravaHistory(now);
  for (const a of history) p.put(a.id, a);

  // The person's history reaches Fit through the worker: one backfill of the year, page by page over Pub/Sub.
  t.like(await operatorBackfill(USER, 366, now, 180_000), { state: 'done', found: WORKOUTS });
  const fitSessions = suite.stack.google.sessions(USER);
  t.is(fitSessions.length, WORKOUTS);
  t.is(suite.stack.health.exercises(USER).length, 0);

  // The oldest workouts were written before records kept sessions; another app has sessions of its own in Fit.
  const activities = suite.deps.data.db.collection('activities');
  const oldest = [...history].sort((x, y) => Date.parse(x.start_date) - Date.parse(y.start_date)).slice(0, LEGACY);
  for (const a of oldest) {
    const doc = activities.doc(`strava:${a.id}`);
    const legacy = legacyRecord((await doc.get()).data()!);
    await doc.delete(); // the emulator's set() merges even without `merge`: the old fields must really go
    await doc.set(legacy);
  }
  const legacyIds = new Set(oldest.map((a) => `strava-${a.id}`));
  const token = suite.stack.google.accounts.issueAccessToken(USER);
  for (const [i, id] of ['komoot-walk-1', 'komoot-walk-2'].entries()) {
    const startMs = now - (100 + i) * DAY;
    const res = await fetch(`${suite.stack.google.url}/fitness/v1/users/me/sessions/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        name: 'Walk',
        startTimeMillis: String(startMs),
        endTimeMillis: String(startMs + 3600_000),
        activityType: 7,
        application: { name: 'Komoot' },
      }),
    });
    t.is(res.status, 200);
  }
  const fitWritesBefore = suite.stack.google.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/fitness/')).length;

  // First run: killed while its 401st create is at Google Health, applied there, its answer not yet back.
  const proxy = await startAnswerHoldingProxy(suite.stack.health.url, {
    relayCount: CRASH_AFTER_CREATES,
    matches: (method, path) => method === 'POST' && path.endsWith('/dataPoints'),
  });
  t.teardown(() => proxy.stop());
  const args = ['sinks', '--user', USER, '--set', 'google-health', '--migrate'];
  const first = startFitsyncCli(args, { ...suite.stack.env, ...FAST, HEALTH_API_ROOT: proxy.url });
  let killed = false;
  await Promise.race([
    proxy.held,
    first.exited.then(({ code }) => killed || t.fail(`the first run ended on its own (${code}): ${first.output().stderr}`)),
  ]);
  killed = true;
  first.child.kill('SIGKILL');
  t.like(await first.exited, { signal: 'SIGKILL' });
  t.regex(first.output().stdout, /1 user\(s\): workouts now go to google-health/);
  t.regex(
    first.output().stdout,
    new RegExp(`${USER} \\[#*-+\\] found \\d+ {2}copied \\d+ {2}skipped 0 {2}failed 0`),
    'progress drawn while it ran',
  );
  const atCrash = (await suite.deps.data.db.collection('migrations').doc(USER).get()).data()!;
  t.like(atCrash, { state: 'running', targets: ['google-health'] });
  const heldByHealthAtCrash = (await activities.where('userId', '==', USER).get()).docs.filter((d) => d.get('healthState') === 'synced');
  const committedInUnfinishedWindow = heldByHealthAtCrash.filter((d) => d.get('startMs') >= atCrash.cursorMs).length;
  t.is(suite.stack.health.exercises(USER).length, CRASH_AFTER_CREATES + 1, 'the held create was applied');
  t.is(heldByHealthAtCrash.length, CRASH_AFTER_CREATES, 'but never recorded');

  // The rerun continues from the last finished window.
  const { stdout } = await runFitsyncCli(args, { ...suite.stack.env, ...FAST });
  t.regex(stdout, new RegExp(`${USER} \\[#{24}\\] found ${WORKOUTS} {2}copied \\d+ {2}skipped \\d+ {2}failed 0\\n`), 'the bar ends full');
  const row = summaryRow(stdout);
  t.deepEqual(row, {
    state: 'done',
    found: WORKOUTS,
    copied: WORKOUTS - committedInUnfinishedWindow,
    skipped: committedInUnfinishedWindow,
    failed: 0,
  });

  t.log(`first run killed after ${CRASH_AFTER_CREATES} creates; summary of the rerun: ${JSON.stringify(row)}`);

  // Exactly the fitsync workouts, each once, each created once.
  const exercises = suite.stack.health.exercises(USER);
  const ids = exercises.map((x) => x.name.slice(x.name.lastIndexOf('/') + 1));
  t.is(exercises.length, WORKOUTS);
  t.deepEqual(new Set(ids), new Set(fitSessions.map((s) => s.id)));
  const calls = suite.stack.health.requests.map((r) => `${healthCallOf(r)} ${r.status}`);
  t.is(calls.filter((c) => c === 'create 200').length, WORKOUTS, 'one create per workout, the crashed one included');
  t.is(calls.filter((c) => c.startsWith('create') && c !== 'create 200').length, 0);
  t.is(calls.filter((c) => c.startsWith('batchDelete')).length, 0);
  t.log(`Health calls for ${WORKOUTS} workouts: ${calls.length} (${(calls.length / WORKOUTS).toFixed(2)} per workout)`);
  t.is(
    suite.stack.google.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/fitness/')).length,
    fitWritesBefore,
    'Fit was only read',
  );

  // Each exercise says what Fit said; a record that kept the session gives its figures too.
  const byId = new Map(exercises.map((x, i) => [ids[i]!, x.exercise]));
  const sportOf = new Map(history.map((a) => [`strava-${a.id}`, a]));
  for (const s of fitSessions) {
    const x = byId.get(s.id)!;
    const a = sportOf.get(s.id)!;
    const offset = `${utcOffsetSecAt('Europe/Berlin', Number(s.startTimeMillis))}s`;
    const legacy = legacyIds.has(s.id);
    const expected = {
      exerciseType: legacy ? typeFromFit[s.activityType] : typeFromRecord[a.sport_type],
      interval: {
        startTime: new Date(Number(s.startTimeMillis)).toISOString(),
        startUtcOffset: offset,
        endTime: new Date(Number(s.endTimeMillis)).toISOString(),
      },
      activeDuration: `${Number(s.activeTimeMillis) / 1000}s`,
    };
    t.like(x, expected, s.id);
    t.is(x.notes?.split('\n')[0], s.name, s.id);
    t.is((x.metricsSummary as { distanceMillimeters?: number }).distanceMillimeters, legacy ? undefined : a.distance * 1000, s.id);
  }

  // Every record now says Health holds its workout; a third run finds nothing to do.
  const after = (await suite.deps.data.db.collection('sessions').where('userId', '==', USER).get()).docs;
  t.is(after.filter((d) => d.get('healthState') === 'synced' && d.get('healthRev') === d.get('rev')).length, WORKOUTS);
  t.is(
    after.filter((d) => d.get('fitState') === 'synced' && d.get('fitRev') === d.get('rev')).length,
    WORKOUTS,
    'and Fit, read back, holds the same revision',
  );
  t.is((await activities.where('userId', '==', USER).get()).docs.filter((d) => d.get('healthState') === 'synced').length, WORKOUTS);
  const requestsBefore = suite.stack.health.requests.length;
  const third = await runFitsyncCli(args, { ...suite.stack.env, ...FAST });
  t.like(summaryRow(third.stdout), { state: 'done', found: WORKOUTS, copied: 0, skipped: WORKOUTS, failed: 0 });
  t.is(suite.stack.health.requests.length, requestsBefore, 'not one Health call');
});

test.serial(
  'with Fit already switched off, the workouts fitsync kept move from their records; the rest are reported, and a rerun once Fit answers moves them',
  async (t) => {
    t.timeout(120_000);
    const user = 'late-mover';
    const now = clock.now();
    const p = await stravaPerson(suite.stack, { userId: user, athleteId: 850_002, clock, sinks: ['google-fit'] });
    const workouts = Array.from({ length: 12 }, (_, i) => ({ id: 71_000_000_000 + i, startMs: now - (40 - i * 3) * DAY }));
    for (const w of workouts) p.put(w.id, { name: `Ride ${w.id}`, start_date: new Date(w.startMs).toISOString().replace('.000Z', 'Z') });
    t.like(await operatorBackfill(user, 41, now, 60_000), { state: 'done', found: workouts.length });
    // The three oldest were written before records kept sessions: only Fit holds them whole.
    const activities = suite.deps.data.db.collection('activities');
    const legacy = workouts.slice(0, 3);
    for (const w of legacy) {
      const doc = activities.doc(`strava:${w.id}`);
      const old = legacyRecord((await doc.get()).data()!);
      await doc.delete();
      await doc.set(old);
    }

    suite.stack.google.switchOffFit('gone');
    try {
      const fitCallsBefore = suite.stack.google.requests.filter((r) => r.path.startsWith('/fitness/')).length;
      const run = startFitsyncCli(['sinks', '--user', user, '--set', 'google-health', '--migrate'], { ...suite.stack.env, ...FAST });
      const { code } = await run.exited;
      t.is(code, 1, 'a person with workouts left behind is a failed run');
      t.like(summaryRowOf(run.output().stdout, user), {
        state: 'failed',
        found: workouts.length,
        copied: workouts.length - legacy.length,
        skipped: 0,
        failed: legacy.length,
      });
      for (const w of legacy) t.regex(run.output().stdout, new RegExp(`strava-${w.id}: fit_unavailable`));
      t.is(suite.stack.health.exercises(user).length, workouts.length - legacy.length);
      t.is(
        suite.stack.google.requests.filter((r) => r.path.startsWith('/fitness/')).length - fitCallsBefore,
        1,
        'one read found Fit gone; none after',
      );
    } finally {
      suite.stack.google.switchOffFit(undefined);
    }

    // Fit answers again (or the operator runs the move before the turn-down): the rerun moves what was left, only that.
    const createsBefore = suite.stack.health.requests.filter((r) => healthCallOf(r) === 'create').length;
    const { stdout } = await runFitsyncCli(['sinks', '--user', user, '--set', 'google-health', '--migrate'], {
      ...suite.stack.env,
      ...FAST,
    });
    t.like(summaryRowOf(stdout, user), {
      state: 'done',
      found: workouts.length,
      copied: legacy.length,
      skipped: workouts.length - legacy.length,
      failed: 0,
    });
    t.is(suite.stack.health.requests.filter((r) => healthCallOf(r) === 'create').length - createsBefore, legacy.length);
    t.deepEqual(
      new Set(suite.stack.health.exercises(user).map((x) => x.name.slice(x.name.lastIndexOf('/') + 1))),
      new Set(workouts.map((w) => `strava-${w.id}`)),
    );
  },
);
