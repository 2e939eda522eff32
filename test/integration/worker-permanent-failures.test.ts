// Permanent junk is acknowledged and recorded with a reason, never looped on: ids Firestore cannot take as they are,
// and fitsync's own bugs on data nobody expected.
import test from 'ava';
import { createWorkerDeps } from '../../functions/compose-worker.ts';
import { systemClock } from '../../shared/clock.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { capturingLogger } from '../support/fakes.ts';
import { testFitSink } from '../support/fit-sink.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { type WorkerProbes, workerProbes } from '../support/worker-probes.ts';

let stack: Stack;
let probes: WorkerProbes;
let terminate: () => Promise<void>;
const log = capturingLogger();
/** Sessions whose upsert hits a bug in the sink (a TypeError), as fitsync's own code could on unexpected data. */
const buggy = new Set<string>();

test.before(async () => {
  stack = await startStack();
  const config = stack.workerConfig({
    FITSYNC_TRACKERS: 'strava,generic',
    GENERIC_WEBHOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtZm9yLWdlbmVyaWM=',
  });
  const fit = testFitSink(config, systemClock);
  const deps = createWorkerDeps(config, {
    log,
    sinks: {
      'google-fit': {
        ...fit,
        upsert: (token, session, known) => {
          if (buggy.has(session.id)) throw new TypeError("Cannot read properties of undefined (reading 'length')");
          return fit.upsert(token, session, known);
        },
      },
    },
  });
  probes = workerProbes(deps);
  terminate = () => deps.data.db.terminate();
});

test.after.always(async () => {
  await terminate?.();
  await stack?.stop();
});

function genericEvent(userId: string, workoutId: string): TrackerEvent {
  const now = new Date().toISOString();
  return {
    type: 'tracker-event',
    v: 1,
    provider: 'generic',
    kind: 'activity.upsert',
    providerUserId: userId,
    activityId: workoutId,
    occurredAt: now,
    receivedAt: now,
    dedupeKey: `generic:${userId}:${workoutId}:msg-1`,
    workout: {
      provider: 'generic',
      activityId: workoutId,
      providerUserId: userId,
      sportType: 'ROWING',
      name: 'Row',
      startMs: Date.parse('2026-11-20T07:00:00Z'),
      endMs: Date.parse('2026-11-20T07:40:00Z'),
    },
  };
}

test('tracker ids with slashes are stored under safe document ids and synced once', async (t) => {
  for (const [userId, workoutId] of [
    ['team/kaisa', 'Row/7'],
    ['ab/cd', '..'],
    ['a/b/c', 'x/y/z'],
    ['__x__', '__y__'],
  ] as const) {
    const fitUser = `safe-ids-${Buffer.from(userId).toString('hex')}`;
    await stack.link({ userId: fitUser, clock: systemClock, trackers: [{ tracker: 'generic', trackerUserId: userId }] });
    const event = genericEvent(userId, workoutId);
    await probes.deliver(event);
    t.like(await probes.eventDoc(event), { outcome: 'synced', reasonCode: 'ok' });
    t.like(await probes.activityDoc('generic', workoutId, userId), { presence: 'present', activityId: workoutId, providerUserId: userId });
    t.is(stack.google.sessions(fitUser).length, 1);
  }
});

test('an id with a NUL or other control character is refused when the message is read: acknowledged and recorded, never retried', async (t) => {
  await stack.link({ userId: 'nul-user', clock: systemClock, trackers: [{ tracker: 'generic', trackerUserId: 'nul-sender' }] });
  const event = genericEvent('nul-sender', 'row\u00007');
  await probes.deliver(event, { messageId: 'nul-message' }); // resolves: Pub/Sub acknowledges
  t.like(await probes.eventDoc({ dedupeKey: 'pubsub:nul-message' }), { outcome: 'failed', reasonCode: 'payload_invalid' });
  t.is(stack.google.sessions('nul-user').length, 0);
});

test('a bug on unexpected data is acknowledged once, recorded as internal_bug, and not redelivered', async (t) => {
  await stack.link({ userId: 'buggy-user', clock: systemClock, trackers: [{ tracker: 'generic', trackerUserId: 'buggy-sender' }] });
  const event = genericEvent('buggy-sender', 'bug-1');
  buggy.add('generic-bug-1');
  await probes.deliver(event); // resolves: Pub/Sub acknowledges
  t.like(await probes.eventDoc(event), { outcome: 'failed', reasonCode: 'internal_bug' });
  t.like(await probes.activityDoc('generic', 'bug-1', 'buggy-sender'), { fitState: 'failed', fitErrorCode: 'internal_bug' });
  await probes.deliver(event);
  t.is(log.lines.filter((l) => l.message === 'retrying upstream call' && JSON.stringify(l).includes('bug-1')).length, 0);
  // The bug is logged once, with a stack Error Reporting groups it by.
  const bugs = log.lines.filter((l) => l.message === 'sink write failed unexpectedly' && l.userId === 'buggy-user');
  t.is(bugs.length, 1);
  t.like(bugs[0], { severity: 'ERROR', sink: 'google-fit', reasonCode: 'internal_bug' });
  t.regex(String(bugs[0]!.stack_trace), /^TypeError: Cannot read properties of undefined \(reading 'length'\)\n {4}at /);
});
