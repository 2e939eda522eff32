import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import type { BackfillPublisher } from '../../shared/backfill/backfill-publisher.ts';
import { runSweep } from '../../shared/backfill/sweep.ts';
import { systemClock } from '../../shared/clock.ts';
import { linkUser } from '../../shared/ops/link-user.ts';
import { capturingLogger } from '../support/fakes.ts';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let deps: WorkerDeps;
const published: string[] = [];
/** Records the job pages a sweep queues (publishing over gRPC is covered by backfill.test.ts). */
const recordingPublisher: BackfillPublisher = { publishJobs: async (ids) => void published.push(...ids) };

test.before(async () => {
  stack = await startStack();
  deps = createWorkerDeps(stack.workerConfig(), { log: capturingLogger(), clock: systemClock, backfillPublisher: recordingPublisher });
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  for (let i = 0; i < 50; i++) {
    await linkUser(deps.data, {
      userId: `sweep-user-${i}`,
      google: { refreshToken: `1//sweep-${i}` },
      trackers: [{ tracker: 'strava', trackerUserId: String(700000 + i), accessToken: `a${i}`, refreshToken: `r${i}`, expiresAt }],
    });
  }
  for (const i of [3, 17, 42]) {
    const link = await deps.links.get('strava', String(700000 + i));
    await deps.links.revoke(link!, 'tracker_deauthorized');
  }
});

test.after.always(async () => {
  await deps?.data.db.terminate();
  await stack?.stop();
});

test.serial('a sweep over 50 linked users (3 revoked) produces 47 jobs', async (t) => {
  const at = Date.parse('2026-11-23T10:17:00Z');
  const result = await runSweep(deps, { type: 'backfill-sweep', v: 1, windowHours: 48 }, at);
  t.like(result, { jobs: 47, skippedLinks: 3, window: { start: '2026-11-21T10:00:00.000Z', end: '2026-11-23T10:00:00.000Z' } });
  t.is(published.length, 47);
  const jobs = await deps.jobs.list({ jobIds: published });
  t.is(new Set(jobs.map((j) => j.userId)).size, 47);
  t.false(jobs.some((j) => ['sweep-user-3', 'sweep-user-17', 'sweep-user-42'].includes(j.userId)));
  t.true(jobs.every((j) => j.state === 'queued' && j.origin === 'sweep'));
});

test.serial('a redelivered sweep message (same publish hour) creates no job twice', async (t) => {
  const before = published.length;
  const result = await runSweep(deps, { type: 'backfill-sweep', v: 1, windowHours: 48 }, Date.parse('2026-11-23T10:59:00Z'));
  t.is(result.jobs, 0);
  t.is(published.length, before);
});

test.serial('links that hold no tracker tokens are skipped and counted', async (t) => {
  await linkUser(deps.data, { userId: 'no-tokens', trackers: [{ tracker: 'strava', trackerUserId: '799999' }] });
  const result = await runSweep(deps, { type: 'backfill-sweep', v: 1, windowHours: 48 }, Date.parse('2026-11-23T11:05:00Z'));
  t.like(result, { jobs: 47, skippedLinks: 4 });
});
