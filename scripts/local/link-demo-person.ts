import { randomBytes } from 'node:crypto';
import { runFitsyncCli } from '../../test/support/fitsync-cli.ts';
import type { Stack } from '../../test/support/stack.ts';
import type { DemoPerson } from './demo-people.ts';

/**
 * Links a demo person with the documented operator command (`npm run fitsync -- link --file -`), the link file on
 * standard input, after making their Google grant and Strava tokens known to the stand-ins that will be asked to
 * refresh them. Returns what the command printed.
 */
export async function linkDemoPerson(stack: Stack, person: DemoPerson): Promise<string> {
  const tag = randomBytes(6).toString('hex');
  const googleRefreshToken = `1//demo-google-refresh-${tag}`;
  const strava = {
    accessToken: `demo-strava-access-${tag}`,
    refreshToken: `demo-strava-refresh-${tag}`,
    expiresAt: Math.floor(Date.now() / 1000) + 6 * 3600,
  };
  stack.google.addUser(person.userId, googleRefreshToken, person.googleScopes);
  stack.strava.addAthlete({ id: person.athleteId, ...strava });
  const request = {
    userId: person.userId,
    google: { refreshToken: googleRefreshToken, sinks: [person.sink] },
    trackers: [{ tracker: 'strava', trackerUserId: String(person.athleteId), ...strava }],
  };
  const { stdout } = await runFitsyncCli(['link', '--file', '-', '--no-backfill'], stack.env, JSON.stringify(request));
  return stdout.trim();
}
