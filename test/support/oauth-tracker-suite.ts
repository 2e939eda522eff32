// A worker suite for a tracker that signs its users in with OAuth: the tracker's stand-in issues tokens to exactly
// the client the worker is configured with, so the client is named once and handed to both.
import type { OAuthClient } from '../../shared/http/oauth-client.ts';
import type { ProviderId } from '../../shared/types.ts';
import { type TrackerStandIn, type WorkerSuite, type WorkerSuiteOptions, workerSuite } from './worker-suite.ts';

/** `start` starts the stand-in for `client`; `o` is the rest of the suite's options. */
export function oauthTrackerSuite<T extends TrackerStandIn, C extends OAuthClient>(
  tracker: ProviderId,
  client: C,
  start: (client: C) => Promise<T>,
  o: Omit<WorkerSuiteOptions<T>, 'tracker' | 'standIn' | 'oauthClient'> = {},
): WorkerSuite<T> {
  return workerSuite({ tracker, standIn: () => start(client), oauthClient: client, ...o });
}
