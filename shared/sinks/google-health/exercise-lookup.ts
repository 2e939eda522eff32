import type { Clock } from '../../clock.ts';
import type { GoogleCall } from '../google-api/google-call.ts';
import { isRecord } from '../google-api/google-error.ts';
import { SinkUserStateError } from '../session-sink.ts';
import { carriesMarker } from './exercise-notes.ts';
import { readHealthAnswer } from './health-answer.ts';

/** An exercise fitsync wrote for a session, as listed. */
export interface FoundExercise {
  name: string;
  createTime?: string;
}

/** A range of wall-clock start times, `YYYY-MM-DDTHH:mm:ss`, from inclusive, to exclusive. */
export interface CivilRange {
  from: string;
  to: string;
}

/** Exercises start at most this many per page (the list's maximum for exercise); a range this narrow needs one. */
const PAGE_SIZE = 25;
const MAX_PAGES = 4;
const SELF_SOURCES = 'users/me/dataSourceFamilies/self-sources';

/**
 * Lists the exercises fitsync's own OAuth client wrote that start in `range` (the only time filter the list offers
 * for exercise is the civil start time) and keeps those whose notes carry this session's marker. Returns
 * undefined when the person's token may not list (a write-only grant, if Google refuses it reads of its own data):
 * the caller then writes without this safety net.
 */
export async function findSessionExercises(
  o: { call: GoogleCall; url: string; clock: Clock; beforeCall: (token: string) => Promise<void> },
  accessToken: string,
  range: CivilRange,
  sessionId: string,
): Promise<FoundExercise[] | undefined> {
  const filter = `exercise.interval.civil_start_time >= "${range.from}" AND exercise.interval.civil_start_time < "${range.to}"`;
  const found: FoundExercise[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({
      filter,
      pageSize: String(PAGE_SIZE),
      dataSourceFamily: SELF_SOURCES,
      ...(pageToken ? { pageToken } : {}),
    });
    await o.beforeCall(accessToken);
    let body: Record<string, unknown>;
    try {
      const answer = readHealthAnswer(await o.call(accessToken, { method: 'GET', url: `${o.url}?${query}` }), o.clock.now());
      body = answer.kind === 'ok' ? answer.body : {};
    } catch (err) {
      if (err instanceof SinkUserStateError && err.code === 'google_health_scope_missing') return undefined;
      throw err;
    }
    for (const point of Array.isArray(body.dataPoints) ? body.dataPoints.filter(isRecord) : []) {
      const exercise = isRecord(point.exercise) ? point.exercise : {};
      if (typeof point.name === 'string' && carriesMarker(exercise.notes, sessionId)) {
        found.push({ name: point.name, ...(typeof exercise.createTime === 'string' ? { createTime: exercise.createTime } : {}) });
      }
    }
    pageToken = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : undefined;
    if (!pageToken) break;
  }
  return found;
}

/** The one to keep when a session has several: the first created (then the smallest name), the same choice everywhere. */
export function oldestFirst(a: FoundExercise, b: FoundExercise): number {
  const at = (e: FoundExercise) => (e.createTime ? Date.parse(e.createTime) : Number.NaN);
  const [ta, tb] = [at(a), at(b)];
  const byTime = Number.isNaN(ta) || Number.isNaN(tb) ? 0 : ta - tb;
  return byTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
