import { PayloadError } from '../../errors.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import { readWahooSummary, type WahooWorkoutSummary } from './summary.ts';

export type WahooEvent = { eventType: 'workout_summary'; summary: WahooWorkoutSummary } | { eventType: string; summary?: undefined };

/** Every problem at once, so one 400 tells the whole story. */
function workoutSummary(body: JsonObject): WahooWorkoutSummary {
  const user = isJsonObject(body.user) ? body.user : {};
  const summary = isJsonObject(body.workout_summary) ? body.workout_summary : undefined;
  const workout = summary && isJsonObject(summary.workout) ? summary.workout : undefined;
  if (!summary || !workout) throw new PayloadError('not a Wahoo workout_summary: workout_summary.workout is missing');
  const problems: string[] = [];
  const read = readWahooSummary(
    { userId: user.id, summary, workout, at: { user: 'user.id', summary: 'workout_summary', workout: 'workout_summary.workout' } },
    problems,
  );
  if (!read) throw new PayloadError(`not a Wahoo workout_summary: ${problems.join('; ')}`);
  return read;
}

/** Only `workout_summary` is synced; any other event type is acknowledged with nothing to do. */
export function parseWahooEvent(body: JsonObject): WahooEvent {
  const eventType = typeof body.event_type === 'string' ? body.event_type : '';
  if (eventType !== 'workout_summary') return { eventType };
  return { eventType, summary: workoutSummary(body) };
}
