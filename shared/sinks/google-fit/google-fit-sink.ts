import { kindOfFitType } from '../../activity/kinds.ts';
import type { Clock } from '../../clock.ts';
import type { TimeWindow, WorkoutSession } from '../../types.ts';
import { type CallRetry, createGoogleCall, type GoogleCall } from '../google-api/google-call.ts';
import { isRecord } from '../google-api/google-error.ts';
import { createKeyedQueue } from '../keyed-queue.ts';
import {
  type ForeignWorkout,
  type SessionSink,
  type SinkHandle,
  type SinkTarget,
  SinkUserStateError,
  type WrittenPoints,
} from '../session-sink.ts';
import { tokenKey } from '../token-key.ts';
import { FIT_SERVICE, type FitAnswer, readFitAnswer } from './fit-answer.ts';
import { createFitFigures } from './fit-figures.ts';
import { type FitSeriesId, fitSeries } from './fit-series.ts';
import { toFitSession } from './fit-session.ts';
import { createFitStreams } from './fit-streams.ts';
import { createScopeGaps } from './scope-gaps.ts';

export interface GoogleFitSinkOptions {
  /** API root without trailing slash (`https://fitness.googleapis.com`). */
  rootUrl: string;
  timeoutMs: number;
  application: { name: string; version: string };
  clock: Clock;
  fetch?: typeof fetch;
  /** Retries of each call (not of a whole write): attempts and the longest Retry-After waited out. */
  retry?: Omit<CallRetry, 'clock'>;
}

/**
 * Google Fit REST sink (https://developers.google.com/fit/rest/v1/reference). A workout is the session
 * (`PUT …/sessions/{id}`, an upsert and full replace) plus its figures in fitsync's own data sources
 * (fit-figures.ts). Calls per upsert: 1 for the session, then per series with a figure (calories, distance, heart
 * rate, segments; up to 4) one DELETE of the window and one PATCH, so 9 for a complete workout. Once per instance one
 * list of the person's data sources; once per person and series one create. A remove deletes the figures, then the
 * session. Plain fetch, no client retries: the core retries, honouring Retry-After.
 */
export function createGoogleFitSink(o: GoogleFitSinkOptions): SessionSink {
  const call: GoogleCall = createGoogleCall({
    service: FIT_SERVICE,
    timeoutMs: o.timeoutMs,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.retry ? { retry: { ...o.retry, clock: o.clock } } : {}),
  });
  const api = `${o.rootUrl}/fitness/v1/users/me`;
  const now = () => o.clock.now();
  const figures = createFitFigures({
    call,
    api,
    streams: createFitStreams({ call, api, application: o.application, clock: o.clock }),
    scopeGaps: createScopeGaps(),
    clock: o.clock,
  });
  const sessionUrl = (id: string) => `${api}/sessions/${encodeURIComponent(id)}`;

  /** The window Fit holds for a session, from the sessions changed in the last 30 days (Fit's default list). */
  const windowAtFit = async (token: string, sessionId: string): Promise<TimeWindow | undefined> => {
    const answer = readFitAnswer(await call(token, { method: 'GET', url: `${api}/sessions` }), 'sessions-list', now());
    const listed =
      answer.kind === 'ok' && isRecord(answer.body) && Array.isArray(answer.body.session) ? answer.body.session.filter(isRecord) : [];
    const s = listed.find((x) => x.id === sessionId);
    const startMs = Number(s?.startTimeMillis);
    const endMs = Number(s?.endTimeMillis);
    return Number.isFinite(startMs) && Number.isFinite(endMs) ? { startMs, endMs } : undefined;
  };

  const upsert = async (token: string, session: WorkoutSession, known: SinkHandle | undefined): Promise<SinkHandle> => {
    const put = await call(token, { method: 'PUT', url: sessionUrl(session.id), body: toFitSession(session, o.application) });
    refuseWithoutScope(readFitAnswer(put, 'session-put', now()));
    return {
      points: await figures.write(
        token,
        session,
        writtenPointsOf(known?.points),
        (known?.stale ?? []).flatMap((p) => writtenPointsOf(p) ?? []),
      ),
    };
  };

  /** The figures first, then the session: an interrupted remove never leaves figures without their session. */
  const remove = async (token: string, target: SinkTarget): Promise<void> => {
    const written = writtenPointsOf(target.known?.points);
    const window = written?.window ?? target.window ?? (await windowAtFit(token, target.sessionId));
    const series = written ? (written.series as FitSeriesId[]) : fitSeries.map((s) => s.id);
    if (window) await figures.clear(token, window, series);
    for (const stale of target.known?.stale ?? []) {
      const p = writtenPointsOf(stale);
      if (p) await figures.clear(token, p.window, p.series as FitSeriesId[]);
    }
    const answer = refuseWithoutScope(
      readFitAnswer(await call(token, { method: 'DELETE', url: sessionUrl(target.sessionId) }), 'session-delete', now()),
    );
    if (answer.kind === 'session-absent') {
      // A live Fit answers a data source list; a switched-off one does not (readFitAnswer throws).
      readFitAnswer(await call(token, { method: 'GET', url: `${api}/dataSources` }), 'sources-list', now());
    }
  };

  /**
   * Sessions other apps wrote that start in the window (sessions.list, any app:
   * https://developers.google.com/fit/rest/v1/reference/users/sessions/list); fitsync's own carry its application name.
   */
  const listForeign = async (token: string, _around: WorkoutSession, window: TimeWindow): Promise<ForeignWorkout[]> => {
    const query = new URLSearchParams({
      startTime: new Date(window.startMs).toISOString(),
      endTime: new Date(window.endMs + 86_400_000).toISOString(),
    });
    const answer = readFitAnswer(await call(token, { method: 'GET', url: `${api}/sessions?${query}` }), 'sessions-list', now());
    const listed =
      answer.kind === 'ok' && isRecord(answer.body) && Array.isArray(answer.body.session) ? answer.body.session.filter(isRecord) : [];
    return listed.flatMap((x) => {
      const app = isRecord(x.application) ? x.application : {};
      const startMs = Number(x.startTimeMillis);
      const endMs = Number(x.endTimeMillis);
      if (
        app.name === o.application.name ||
        typeof x.id !== 'string' ||
        !(startMs >= window.startMs && startMs < window.endMs) ||
        !Number.isFinite(endMs)
      )
        return [];
      const source = [app.packageName, app.name].find((v) => typeof v === 'string' && v) as string | undefined;
      return [{ id: x.id, source: source ?? 'another app', kind: kindOfFitType(Number(x.activityType)) ?? 'other', startMs, endMs }];
    });
  };

  // Figures are deleted, then written: two writes of one session at once could leave them twice. So one at a time
  // per person and session in this instance; across instances, the core never writes one activity twice at once.
  const inTurn = createKeyedQueue();
  const turnOf = (token: string, sessionId: string) => `${tokenKey(token)}:${sessionId}`;
  return {
    id: 'google-fit',
    upsert: (token, session, known) => inTurn(turnOf(token, session.id), () => upsert(token, session, known)),
    remove: (token, target) => inTurn(turnOf(token, target.sessionId), () => remove(token, target)),
    listForeign,
    // Reading other apps' sessions takes a read scope fitsync does not ask for by default.
    foreignReadScope: 'https://www.googleapis.com/auth/fitness.activity.read',
  };
}

/** A session call refused for lack of `fitness.activity.write`: the person has to grant it again. */
function refuseWithoutScope(answer: FitAnswer): FitAnswer {
  if (answer.kind !== 'scope-missing') return answer;
  throw new SinkUserStateError(
    'google-fit',
    'google_fit_scope_missing',
    `Google Fit refused a session call for a missing scope: ${answer.error.message}`,
  );
}

/** What an earlier write left, as the core stored it; anything malformed is ignored (the window is then cleared anew). */
function writtenPointsOf(p: WrittenPoints | undefined): WrittenPoints | undefined {
  const valid =
    isRecord(p) &&
    isRecord(p.window) &&
    Number.isFinite(p.window.startMs) &&
    Number.isFinite(p.window.endMs) &&
    Array.isArray(p.series) &&
    p.series.every((s) => typeof s === 'string');
  return valid ? p : undefined;
}
