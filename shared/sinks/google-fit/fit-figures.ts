import type { Clock } from '../../clock.ts';
import { UpstreamError } from '../../errors.ts';
import type { TimeWindow, WorkoutSession } from '../../types.ts';
import type { GoogleCall } from '../google-api/google-call.ts';
import { SinkUnavailableError, type WrittenPoints } from '../session-sink.ts';
import { FIT_SERVICE, readFitAnswer } from './fit-answer.ts';
import { clearDatasetId, fitDataset, windowsToClear } from './fit-dataset.ts';
import { type FitPoint, type FitSeries, type FitSeriesId, fitSeries, fitSeriesById } from './fit-series.ts';
import type { FitStreams } from './fit-streams.ts';
import { type ScopeGaps, ScopeMissing } from './scope-gaps.ts';

/**
 * The figures beside a Fit session (calories, distance, heart rate, activity segments), each in fitsync's own data
 * source. `datasets.patch` only ever inserts (https://developers.google.com/fit/rest/v1/reference/users/dataSources/datasets/patch),
 * so every write first deletes the session's window in that series: a retry after a partial write, or an edit,
 * leaves exactly one copy. Per series that is one DELETE and one PATCH; series run in parallel, and the call returns
 * only when every series has settled, so no call of a failed attempt can land after the retry's.
 */
export interface FitFigures {
  /**
   * Writes the session's figures, clearing what `previous` says was written (and what other writes of the session may
   * have left, `stale`); returns what is written now.
   */
  write(
    accessToken: string,
    session: WorkoutSession,
    previous: WrittenPoints | undefined,
    stale?: readonly WrittenPoints[],
  ): Promise<WrittenPoints>;
  /** Deletes a session's figures of these series over `window`. */
  clear(accessToken: string, window: TimeWindow, series: readonly FitSeriesId[]): Promise<void>;
}

/** A leftover window already cleared by the session's own windows. */
const coveredBy = (w: TimeWindow, window: TimeWindow, earlier: TimeWindow | undefined) =>
  [window, earlier].some((c) => c !== undefined && c.startMs <= w.startMs && w.endMs <= c.endMs);

export function createFitFigures(o: {
  call: GoogleCall;
  api: string;
  streams: FitStreams;
  scopeGaps: ScopeGaps;
  clock: Clock;
}): FitFigures {
  const datasetUrl = (id: string, datasetId: string) => `${o.api}/dataSources/${encodeURIComponent(id)}/datasets/${datasetId}`;

  /** false: this person has no such data source (nothing there to delete, or to write to before creating it). */
  const deleteRange = async (token: string, id: string, datasetId: string): Promise<boolean> => {
    const answer = readFitAnswer(await o.call(token, { method: 'DELETE', url: datasetUrl(id, datasetId) }), 'dataset', o.clock.now());
    if (answer.kind === 'scope-missing') throw new ScopeMissing(answer.error.message);
    return answer.kind !== 'source-missing';
  };

  const patch = async (token: string, series: FitSeries, id: string, points: readonly FitPoint[]): Promise<boolean> => {
    const { datasetId, body } = fitDataset(series, id, points);
    const answer = readFitAnswer(await o.call(token, { method: 'PATCH', url: datasetUrl(id, datasetId), body }), 'dataset', o.clock.now());
    if (answer.kind === 'scope-missing') throw new ScopeMissing(answer.error.message);
    return answer.kind !== 'source-missing';
  };

  /** Deletes the session's points in each window; returns the stream id to write to (created if the person lacked it). */
  const clearBeforeWrite = async (token: string, series: FitSeries, id: string, windows: readonly TimeWindow[]): Promise<string> => {
    for (const w of windows) {
      if (await deleteRange(token, id, clearDatasetId(series, w))) continue;
      const created = await o.streams.create(token, series);
      if (!created.existed) return created.id; // a new data source holds no points
      id = created.id; // created meanwhile by a concurrent write: it may hold points after all
      await deleteRange(token, id, clearDatasetId(series, w));
    }
    return id;
  };

  const writeSeries = async (token: string, series: FitSeries, points: readonly FitPoint[], windows: readonly TimeWindow[]) => {
    const cached = o.streams.cached(series.id);
    const source = cached === undefined ? await o.streams.create(token, series) : { id: cached, existed: true };
    const id = source.existed ? await clearBeforeWrite(token, series, source.id, windows) : source.id;
    if (await patch(token, series, id, points)) return;
    const created = await o.streams.create(token, series);
    if (!(await patch(token, series, created.id, points))) {
      throw new UpstreamError(
        FIT_SERVICE,
        'source_missing',
        `${FIT_SERVICE}: the ${series.id} data source is missing right after its creation`,
        { retryable: true },
      );
    }
  };

  const clearSeries = async (token: string, series: FitSeries, windows: readonly TimeWindow[]) => {
    const id = o.streams.cached(series.id);
    if (id === undefined) return; // this person never had the data source
    for (const w of windows) if (!(await deleteRange(token, id, clearDatasetId(series, w)))) return;
  };

  /** Runs per-series work in parallel; a series refused for its scope is remembered and left out. */
  const eachSeries = async <T>(token: string, work: ReadonlyArray<[FitSeries, () => Promise<T>]>): Promise<FitSeriesId[]> => {
    if (work.some(([s]) => o.streams.cached(s.id) === undefined)) await learnUnlessScopeMissing(token);
    const results = await Promise.allSettled(work.map(([, run]) => run()));
    const done: FitSeriesId[] = [];
    const failures: unknown[] = [];
    results.forEach((r, i) => {
      const series = work[i]![0];
      if (r.status === 'fulfilled') done.push(series.id);
      else if (r.reason instanceof ScopeMissing) o.scopeGaps.add(token, series.id);
      else failures.push(r.reason);
    });
    if (failures.length) throw failures.find((e) => e instanceof SinkUnavailableError) ?? failures[0];
    return done;
  };

  const learnUnlessScopeMissing = async (token: string) => {
    try {
      await o.streams.learn(token);
    } catch (err) {
      if (!(err instanceof ScopeMissing)) throw err;
    }
  };

  return {
    async write(token, session, previous, stale = []) {
      const window = { startMs: session.startMs, endMs: session.endMs };
      const before = new Set(previous?.series ?? []);
      const writes: Array<[FitSeries, () => Promise<void>]> = [];
      const clears: Array<[FitSeries, () => Promise<void>]> = [];
      for (const series of fitSeries) {
        if (o.scopeGaps.has(token, series.id)) continue;
        const points = series.points(session);
        const earlier = previous && before.has(series.id) ? previous.window : undefined;
        const leftovers = stale.filter((p) => p.series.includes(series.id)).map((p) => p.window);
        const windows = [...windowsToClear(window, earlier), ...leftovers.filter((w) => !coveredBy(w, window, earlier))];
        if (points.length) writes.push([series, () => writeSeries(token, series, points, windows)]);
        else if (earlier || leftovers.length)
          clears.push([series, () => clearSeries(token, series, [...(earlier ? [earlier] : []), ...leftovers])]);
      }
      const settled = new Set(await eachSeries(token, [...writes, ...clears]));
      return { window, series: writes.map(([s]) => s.id).filter((id) => settled.has(id)) };
    },
    async clear(token, window, seriesIds) {
      const work = seriesIds
        .map((id) => fitSeriesById.get(id))
        .filter((s): s is FitSeries => s !== undefined && !o.scopeGaps.has(token, s.id))
        .map((s): [FitSeries, () => Promise<void>] => [s, () => clearSeries(token, s, [window])]);
      await eachSeries(token, work);
    },
  };
}
