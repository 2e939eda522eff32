import type { fitness_v1 } from 'googleapis/build/src/apis/fitness/v1.js';
import type { Clock } from '../../clock.ts';
import { fromGaxiosError } from '../../http/gaxios-error.ts';
import type { WorkoutSession } from '../../types.ts';
import type { SessionSink } from '../session-sink.ts';
import { toFitSession } from './fit-session.ts';

export interface GoogleFitSinkOptions {
  /** `fitness({ version: 'v1' })` from the fitness-only module, built in the composition root. */
  fitness: fitness_v1.Fitness;
  /** API root without trailing slash; passed per call because a construction-time root loses its path. */
  rootUrl: string;
  timeoutMs: number;
  application: { name: string; version: string };
  clock: Clock;
}

/**
 * Google Fit REST sink: `PUT /fitness/v1/users/me/sessions/{id}` (upsert, full replace) and `DELETE` of the same
 * path. The client's own retries are off (they ignore Retry-After, googlefit.md §4.5); the worker retries with
 * `withInlineRetry` and, beyond that, through Pub/Sub. Native fetch avoids gaxios' crash on an aborted signal
 * (googlefit.md §0.6).
 */
export function createGoogleFitSink(o: GoogleFitSinkOptions): SessionSink {
  const callOptions = (accessToken: string) => ({
    rootUrl: `${o.rootUrl}/`,
    headers: { Authorization: `Bearer ${accessToken}` },
    retry: false,
    timeout: o.timeoutMs,
    fetchImplementation: fetch,
  });
  const sessions = o.fitness.users.sessions;
  return {
    id: 'google-fit',
    async upsert(accessToken, session: WorkoutSession) {
      try {
        await sessions.update(
          { userId: 'me', sessionId: session.id, requestBody: toFitSession(session, o.application) },
          callOptions(accessToken),
        );
      } catch (err) {
        throw fromGaxiosError('google_fit', err, o.clock.now());
      }
      return { remoteName: session.id };
    },
    async remove(accessToken, { sessionId }) {
      try {
        await sessions.delete({ userId: 'me', sessionId }, callOptions(accessToken));
      } catch (err) {
        const e = fromGaxiosError('google_fit', err, o.clock.now());
        if (e.status === 404) return; // already gone: the delete's goal holds
        throw e;
      }
    },
  };
}
