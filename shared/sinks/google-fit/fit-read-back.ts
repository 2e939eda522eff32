import type { fitness_v1 } from 'googleapis/build/src/apis/fitness/v1.js';
import type { Clock } from '../../clock.ts';
import { fromGaxiosError } from '../../http/gaxios-error.ts';
import type { TimeWindow } from '../../types.ts';

/** A session as Google Fit holds it. */
export interface FitSessionRead {
  id: string;
  name: string;
  description: string;
  startMs: number;
  endMs: number;
  activeMs?: number;
  activityType: number;
  applicationName: string;
}

/** Reads back the sessions in a person's Google Fit (what moving to another sink copies from). */
export interface FitReadBack {
  sessions(accessToken: string, window: TimeWindow): Promise<FitSessionRead[]>;
}

/**
 * `GET /fitness/v1/users/me/sessions?startTime&endTime` (https://developers.google.com/fit/rest/v1/reference/users/sessions/list):
 * every session overlapping the window, from any app; callers pick the ones fitsync wrote.
 */
export function createFitReadBack(o: { fitness: fitness_v1.Fitness; rootUrl: string; timeoutMs: number; clock: Clock }): FitReadBack {
  return {
    async sessions(accessToken, window) {
      try {
        const res = await o.fitness.users.sessions.list(
          { userId: 'me', startTime: new Date(window.startMs).toISOString(), endTime: new Date(window.endMs).toISOString() },
          {
            rootUrl: `${o.rootUrl}/`,
            headers: { Authorization: `Bearer ${accessToken}` },
            retry: false,
            timeout: o.timeoutMs,
            fetchImplementation: fetch,
          },
        );
        return (res.data.session ?? []).flatMap((s) => {
          const startMs = Number(s.startTimeMillis);
          const endMs = Number(s.endTimeMillis);
          if (!s.id || !Number.isFinite(startMs) || !Number.isFinite(endMs)) return [];
          return [
            {
              id: s.id,
              name: s.name ?? '',
              description: s.description ?? '',
              startMs,
              endMs,
              ...(s.activeTimeMillis ? { activeMs: Number(s.activeTimeMillis) } : {}),
              activityType: s.activityType ?? 108,
              applicationName: s.application?.name ?? '',
            },
          ];
        });
      } catch (err) {
        throw fromGaxiosError('google_fit', err, o.clock.now());
      }
    },
  };
}
