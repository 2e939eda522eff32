import { kindOfHealthType } from '../../activity/kinds.ts';
import type { Clock } from '../../clock.ts';
import type { TimeWindow, WorkoutSession } from '../../types.ts';
import type { GoogleCall } from '../google-api/google-call.ts';
import { isRecord } from '../google-api/google-error.ts';
import { type ForeignWorkout, SinkUserStateError } from '../session-sink.ts';
import { readHealthAnswer } from './health-answer.ts';
import { civilTime } from './wire-time.ts';

const PAGE_SIZE = 25;
const MAX_PAGES = 4;
/** Every source the person's Google Health holds: their Fitbit or Pixel Watch, their phone, other apps, fitsync. */
const ALL_SOURCES = 'users/me/dataSourceFamilies/all-sources';

/**
 * Exercises other sources wrote that start in the window (list by civil start time, the filter the API offers for
 * exercise: https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints/list), leaving out
 * fitsync's own (their notes end with a `fitsync:` line, exercise-notes.ts). With a write-only grant the API answers
 * only fitsync's own points, so nothing foreign is seen; a refusal for the scope means the same.
 */
export async function listForeignExercises(
  o: { call: GoogleCall; url: string; clock: Clock; beforeCall: (token: string) => Promise<void> },
  accessToken: string,
  around: WorkoutSession,
  window: TimeWindow,
): Promise<ForeignWorkout[]> {
  const from = civilTime(window.startMs, around.startUtcOffsetSec);
  const to = civilTime(window.endMs, around.startUtcOffsetSec);
  const filter = `exercise.interval.civil_start_time >= "${from}" AND exercise.interval.civil_start_time < "${to}"`;
  const found: ForeignWorkout[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({
      filter,
      pageSize: String(PAGE_SIZE),
      dataSourceFamily: ALL_SOURCES,
      ...(pageToken ? { pageToken } : {}),
    });
    await o.beforeCall(accessToken);
    let body: Record<string, unknown>;
    try {
      const answer = readHealthAnswer(await o.call(accessToken, { method: 'GET', url: `${o.url}?${query}` }), o.clock.now());
      body = answer.kind === 'ok' ? answer.body : {};
    } catch (err) {
      if (err instanceof SinkUserStateError && err.code === 'google_health_scope_missing') return [];
      throw err;
    }
    for (const point of Array.isArray(body.dataPoints) ? body.dataPoints.filter(isRecord) : []) {
      const foreign = toForeign(point);
      if (foreign) found.push(foreign);
    }
    pageToken = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : undefined;
    if (!pageToken) break;
  }
  return found;
}

function toForeign(point: Record<string, unknown>): ForeignWorkout | undefined {
  const exercise = isRecord(point.exercise) ? point.exercise : undefined;
  const interval = exercise && isRecord(exercise.interval) ? exercise.interval : undefined;
  if (!exercise || !interval || typeof point.name !== 'string') return undefined;
  if (typeof exercise.notes === 'string' && exercise.notes.split('\n').some((line) => line.trim().startsWith('fitsync:'))) return undefined;
  const startMs = Date.parse(String(interval.startTime));
  const endMs = Date.parse(String(interval.endTime));
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) return undefined;
  const source = isRecord(point.dataSource) ? point.dataSource : {};
  const device = isRecord(source.device) ? source.device : {};
  const name =
    [device.manufacturer, device.displayName].filter((v) => typeof v === 'string' && v).join(' ') ||
    (typeof source.platform === 'string' ? source.platform : 'another source');
  return { id: point.name, source: name, kind: kindOfHealthType(String(exercise.exerciseType)), startMs, endMs };
}
