import { PayloadError } from '../../errors.ts';
import { isObject, readWahooSummary, type Json, type WahooWorkoutSummary } from './summary.ts';

export type WahooEvent = { eventType: 'workout_summary'; summary: WahooWorkoutSummary } | { eventType: string; summary?: undefined };

/** The body as a JSON object; verification needs it before anything else to find `webhook_token`. */
export function readWahooBody(rawBody: Buffer): Json {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('body is not valid JSON');
  }
  if (!isObject(body)) throw new PayloadError('body must be a JSON object');
  return body;
}

/** Every problem at once, so one 400 tells the whole story. */
function workoutSummary(body: Json): WahooWorkoutSummary {
  const user = isObject(body.user) ? body.user : {};
  const summary = isObject(body.workout_summary) ? body.workout_summary : undefined;
  const workout = summary && isObject(summary.workout) ? summary.workout : undefined;
  if (!summary || !workout) throw new PayloadError('not a Wahoo workout_summary: workout_summary.workout is missing');
  const problems: string[] = [];
  const read = readWahooSummary({ userId: user.id, summary, workout, at: { user: 'user.id', summary: 'workout_summary', workout: 'workout_summary.workout' } }, problems);
  if (!read) throw new PayloadError(`not a Wahoo workout_summary: ${problems.join('; ')}`);
  return read;
}

/** Only `workout_summary` is synced; any other event type is acknowledged with nothing to do. */
export function parseWahooEvent(body: Json): WahooEvent {
  const eventType = typeof body.event_type === 'string' ? body.event_type : '';
  if (eventType !== 'workout_summary') return { eventType };
  return { eventType, summary: workoutSummary(body) };
}
