// Wahoo webhook bodies from test/fixtures/wahoo/ (Wahoo's docs sample and production shape, docs/trackers/wahoo.md), the
// settings tests configure, and a way to give each test its own user and workout ids.
import settings from '../fixtures/settings/wahoo.json' with { type: 'json' };
import { fixtureText } from './fixture-json.ts';

/** The Wahoo settings tests configure, as the environment names them: the token its webhooks carry, and the path secret. */
export const wahooEnv = settings.env;
export const WAHOO_TOKEN = wahooEnv.WAHOO_WEBHOOK_SECRET;
export const WAHOO_TOKEN_PREVIOUS = wahooEnv.WAHOO_WEBHOOK_SECRET_PREVIOUS;
export const { WAHOO_PATH_SECRET } = wahooEnv;

export type WahooFixture = 'workout-summary' | 'workout-summary-numbers' | 'workout-summary-edited' | 'unsupported-event';

/**
 * A fixture's text carrying `token` as webhook_token (the fixtures hold a placeholder), with other literals (user
 * id, workout ids) replaced so concurrent tests never share a user or a session.
 */
export function wahooBody(name: WahooFixture, o: { token?: string; replace?: Record<string, string> } = {}): string {
  return fixtureText(`wahoo/${name}`, { WAHOO_WEBHOOK_TOKEN: o.token ?? WAHOO_TOKEN, ...o.replace });
}

export const WAHOO_CLIENT = settings.oauthClient;

interface WahooSummaryDoc {
  user: { id: number };
  workout_summary: Record<string, unknown> & { id: number; workout: Record<string, unknown> & { id: number } };
}
const summaryDoc = () => JSON.parse(wahooBody('workout-summary')) as WahooSummaryDoc;

/** The ids the `workout-summary` fixture carries, as text (the way events and documents hold them). */
const { user: fixtureUser, workout_summary: fixtureSummary } = summaryDoc();
export const WAHOO_USER_ID = String(fixtureUser.id);
export const WAHOO_WORKOUT_ID = String(fixtureSummary.workout.id);
export const WAHOO_SUMMARY_ID = String(fixtureSummary.id);

/**
 * Another workout built from the `workout-summary` fixture, with its own user, ids and start: as the webhook body
 * Wahoo would push for it and as the item `GET /v1/workouts` lists for it (the workout with its summary embedded),
 * so the two paths can be compared on the same workout.
 */
export function wahooWorkoutPair(o: { userId: number; workoutId: number; summaryId: number; starts: string }): {
  body: string;
  listItem: Record<string, unknown>;
} {
  const doc = summaryDoc();
  doc.user.id = o.userId;
  const { workout, ...summary } = doc.workout_summary;
  summary.id = o.summaryId;
  Object.assign(workout, { id: o.workoutId, starts: o.starts });
  return { body: JSON.stringify(doc), listItem: { ...workout, workout_summary: summary } };
}
