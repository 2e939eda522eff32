import type { SinkId } from '../../shared/sinks/session-sink.ts';
import { FIT_SCOPES, HEALTH_SCOPES } from '../../test/support/google-accounts.ts';
import { type StravaDetailedActivity, stravaActivity } from '../../test/support/strava-fixtures.ts';

/**
 * A person the local run links with the operator command, one per sink, each with a Strava athlete of their own and
 * the workouts replayed for them: three are created, the first is delivered twice (as Strava retries), the second is
 * renamed and changes type, the third is deleted.
 */
export interface DemoPerson {
  userId: string;
  athleteId: number;
  sink: SinkId;
  /** What the person granted at Google: the scopes of their sink. */
  googleScopes: readonly string[];
  workouts: [StravaDetailedActivity, StravaDetailedActivity, StravaDetailedActivity];
  /** What the second workout becomes. */
  edit: { name: string; sport_type: string };
}

const workout = (
  athleteId: number,
  fields: Pick<StravaDetailedActivity, 'id' | 'name' | 'sport_type' | 'start_date' | 'elapsed_time' | 'moving_time'>,
) => stravaActivity({ ...fields, type: fields.sport_type, athlete: { id: athleteId, resource_state: 1 } });

export const demoPeople: readonly DemoPerson[] = [
  {
    userId: 'demo-fit-user',
    athleteId: 134815,
    sink: 'google-fit',
    googleScopes: FIT_SCOPES,
    workouts: [
      workout(134815, {
        id: 17000000001,
        name: 'Morning Run',
        sport_type: 'Run',
        start_date: '2026-11-20T06:30:00Z',
        elapsed_time: 3120,
        moving_time: 3004,
      }),
      workout(134815, {
        id: 17000000002,
        name: 'Commute',
        sport_type: 'Ride',
        start_date: '2026-11-20T08:05:00Z',
        elapsed_time: 1500,
        moving_time: 1380,
      }),
      workout(134815, {
        id: 17000000003,
        name: 'Lunch swim',
        sport_type: 'Swim',
        start_date: '2026-11-20T12:10:00Z',
        elapsed_time: 2400,
        moving_time: 2100,
      }),
    ],
    edit: { name: 'Commute (rainy)', sport_type: 'EBikeRide' },
  },
  {
    userId: 'demo-health-user',
    athleteId: 134816,
    sink: 'google-health',
    googleScopes: HEALTH_SCOPES,
    workouts: [
      workout(134816, {
        id: 17000000011,
        name: 'Hill repeats',
        sport_type: 'Run',
        start_date: '2026-11-21T17:00:00Z',
        elapsed_time: 2700,
        moving_time: 2460,
      }),
      workout(134816, {
        id: 17000000012,
        name: 'Gravel loop',
        sport_type: 'Ride',
        start_date: '2026-11-22T09:00:00Z',
        elapsed_time: 5400,
        moving_time: 5040,
      }),
      workout(134816, {
        id: 17000000013,
        name: 'Pool swim',
        sport_type: 'Swim',
        start_date: '2026-11-22T18:30:00Z',
        elapsed_time: 1800,
        moving_time: 1500,
      }),
    ],
    edit: { name: 'Gravel loop (muddy)', sport_type: 'GravelRide' },
  },
];

export const isDemoUser = (userId: string) => demoPeople.some((p) => p.userId === userId);
