// Wahoo webhook bodies from test/fixtures/wahoo/ (Wahoo's docs sample and production shape, docs/trackers/wahoo.md), the
// settings tests configure, and a way to give each test its own user and workout ids.
import { fixtureText } from './fixture-json.ts';

export const WAHOO_USER_ID = '60462';
export const WAHOO_WORKOUT_ID = '268315002';
export const WAHOO_SUMMARY_ID = '87319644';
export const WAHOO_TOKEN = 'wahoo-webhook-token-Kc7Vx2Lp9Qs4';
export const WAHOO_TOKEN_PREVIOUS = 'wahoo-webhook-token-old-Mb5Tz8';
export const WAHOO_PATH_SECRET = 'wp-2HsR6nYt9Wq3Xc7Jm4Lf';
export const wahooEnv = {
  WAHOO_WEBHOOK_SECRET: WAHOO_TOKEN,
  WAHOO_WEBHOOK_SECRET_PREVIOUS: WAHOO_TOKEN_PREVIOUS,
  WAHOO_PATH_SECRET,
};

export type WahooFixture = 'workout-summary' | 'workout-summary-numbers' | 'workout-summary-edited' | 'unsupported-event';

/**
 * A fixture's text carrying `token` as webhook_token (the fixtures hold a placeholder), with other literals (user
 * id, workout ids) replaced so concurrent tests never share a user or a session.
 */
export function wahooBody(name: WahooFixture, o: { token?: string; replace?: Record<string, string> } = {}): string {
  return fixtureText(`wahoo/${name}`, { WAHOO_WEBHOOK_TOKEN: o.token ?? WAHOO_TOKEN, ...o.replace });
}

export const WAHOO_CLIENT = { clientId: 'wahoo-client-id-7Hq2Vn4Rm', clientSecret: 'wahoo-client-secret-Xp9Lc3Tz6Jw' };

/**
 * Another workout built from the `workout-summary` fixture, with its own user, ids and start: as the webhook body
 * Wahoo would push for it and as the item `GET /v1/workouts` lists for it (the workout with its summary embedded),
 * so the two paths can be compared on the same workout.
 */
export function wahooWorkoutPair(o: { userId: number; workoutId: number; summaryId: number; starts: string }): {
  body: string;
  listItem: Record<string, unknown>;
} {
  const doc = JSON.parse(wahooBody('workout-summary')) as {
    user: { id: number };
    workout_summary: Record<string, unknown> & { workout: Record<string, unknown> };
  };
  doc.user.id = o.userId;
  const { workout, ...summary } = doc.workout_summary;
  summary.id = o.summaryId;
  Object.assign(workout, { id: o.workoutId, starts: o.starts });
  return { body: JSON.stringify(doc), listItem: { ...workout, workout_summary: summary } };
}
