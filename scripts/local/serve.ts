import { createInterface } from 'node:readline';
import { createFirestore } from '../../functions/gcp-clients.ts';
import { systemClock } from '../../shared/clock.ts';
import { describeError } from '../../shared/log.ts';
import { createLinksStore, type TrackerLink } from '../../shared/stores/links-store.ts';
import { PROJECT_ID } from '../../test/support/stack.ts';
import { demoPeople, isDemoUser } from './demo-people.ts';
import type { LocalServices } from './local-services.ts';
import { watchNewStravaLinks } from './new-strava-links.ts';
import { replayWorkoutFor } from './replay-for-athlete.ts';

type Say = (line?: string) => void;

/**
 * `npm run start:local -- --serve`: keeps everything running for a newcomer to click through the connect page. Each
 * Strava account connected there gets one replayed workout as soon as its link appears; Enter replays another for
 * every such account. Returns on SIGINT or SIGTERM (Ctrl-C), once the replay under way is done.
 */
export async function serveUntilStopped(services: LocalServices, say: Say): Promise<void> {
  const url = `${services.connectUrl}/`;
  const demoAthletes = demoPeople.map((p) => p.athleteId).join(' and ');
  say();
  say(`Connect page (LOCAL STAND-IN consent pages for Google and Strava): ${url}`);
  say('Click through:');
  say(`  1. Open ${url}, keep "Google Fit" ticked (tick "Google Health" too for both) and press "Sign in with Google".`);
  say('  2. The Google stand-in asks which account you are signed in as: any digits (your Google id). Press Approve.');
  say(`  3. Press "Connect Strava", type an athlete id other than ${demoAthletes} (the demo people's) and press Approve.`);
  say('  4. This script sees the new link and replays one Strava workout for that athlete. Reload the page: the');
  say('     workout is under "Recent workouts", Synced.');
  say('Press Enter to replay another workout for every athlete connected on the page; Ctrl-C stops everything.');

  const problem = (what: string, err: unknown) => say(`${what}: ${JSON.stringify(describeError(err))}`);
  const db = createFirestore({ projectId: PROJECT_ID, firestoreEmulatorHost: services.stack.firestore.host });
  const links = createLinksStore(db, systemClock);
  let replayed = 0;
  // Replays run one at a time, whether a new link or Enter asked for them: each waits for the worker.
  let queue = Promise.resolve();
  const replay = (link: TrackerLink) =>
    (queue = queue
      .then(() => replayWorkoutFor(services, db, { athleteId: Number(link.providerUserId), userId: link.userId, n: ++replayed }, say))
      .catch((err: unknown) => problem('The replay failed', err)));

  const watch = watchNewStravaLinks(links, {
    skip: (link) => isDemoUser(link.userId),
    onLink: (link) => {
      say();
      say(`Strava athlete ${link.providerUserId} connected on the page by fitsync user ${link.userId}.`);
      return replay(link);
    },
    onError: (err) => problem('Could not read the links', err),
  });
  const input = createInterface({ input: process.stdin });
  input.on('line', () => {
    void links
      .listActive('strava')
      .then((active) => {
        const connected = active.filter((link) => !isDemoUser(link.userId));
        if (!connected.length) say('No athlete is connected on the page yet: connect Strava there first.');
        for (const link of connected) void replay(link);
      })
      .catch((err: unknown) => problem('Could not read the links', err));
  });

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve(s));
  });
  say();
  say(`${signal}: stopping.`);
  input.close();
  process.stdin.destroy();
  await watch.stop();
  await queue;
  await db.terminate();
}
