import type { fitness_v1 } from 'googleapis/build/src/apis/fitness/v1.js';
import type { Clock } from '../../clock.ts';
import { UpstreamError } from '../../errors.ts';
import type { GoogleCall } from '../google-api/google-call.ts';
import { isRecord } from '../google-api/google-error.ts';
import { FIT_SERVICE, readFitAnswer } from './fit-answer.ts';
import { type FitSeries, type FitSeriesId, fitSeries } from './fit-series.ts';
import { ScopeMissing } from './scope-gaps.ts';

/**
 * fitsync's data sources, one per series, and their stream ids. Fit derives a stream id from the source's fields
 * and the project number (`raw:<data type>:<project number>:<manufacturer>:<model>:<uid>:<stream name>`,
 * https://developers.google.com/fit/rest/v1/reference/users/dataSources), so one id serves every person of the
 * project; each person still needs the source created in their own account. Ids are learned from Google (a create's
 * answer, or the person's list of data sources), never built by hand, and kept for the instance's life.
 */
export interface FitStreams {
  /** The stream id learned for a series, if any. */
  cached(series: FitSeriesId): string | undefined;
  /** Reads this person's data sources once and learns the ids of fitsync's own. */
  learn(accessToken: string): Promise<void>;
  /** Creates the series' data source for this person; `existed` when Fit answered 409 (it was there). */
  create(accessToken: string, series: FitSeries): Promise<{ id: string; existed: boolean }>;
}

/** Not a real device: Fit requires one on a data source, and its fields are part of the stream id, so they never change. */
const FITSYNC_DEVICE: fitness_v1.Schema$Device = { type: 'unknown', manufacturer: 'fitsync', model: 'cloud', uid: 'fitsync', version: '1' };

export const streamNameOf = (series: FitSeries): string => `fitsync-${series.id}`;

export function createFitStreams(o: {
  call: GoogleCall;
  api: string;
  application: { name: string; version: string };
  clock: Clock;
}): FitStreams {
  const ids = new Map<FitSeriesId, string>();

  const learn = async (accessToken: string): Promise<void> => {
    const res = await o.call(accessToken, { method: 'GET', url: `${o.api}/dataSources` });
    const answer = readFitAnswer(res, 'sources-list', o.clock.now());
    if (answer.kind === 'scope-missing') throw new ScopeMissing(answer.error.message);
    if (answer.kind !== 'ok') return;
    const listed = isRecord(answer.body) && Array.isArray(answer.body.dataSource) ? answer.body.dataSource.filter(isRecord) : [];
    for (const series of fitSeries) {
      const ours = listed.find((d) => isOurs(d, series));
      if (ours && typeof ours.dataStreamId === 'string') ids.set(series.id, ours.dataStreamId);
    }
  };

  return {
    cached: (series) => ids.get(series),
    learn,
    async create(accessToken, series) {
      const body: fitness_v1.Schema$DataSource = {
        type: 'raw',
        dataStreamName: streamNameOf(series),
        application: { name: o.application.name, version: o.application.version },
        dataType: { name: series.dataTypeName, field: [series.field] },
        device: FITSYNC_DEVICE,
      };
      const res = await o.call(accessToken, { method: 'POST', url: `${o.api}/dataSources`, body });
      const answer = readFitAnswer(res, 'source-create', o.clock.now());
      if (answer.kind === 'scope-missing') throw new ScopeMissing(answer.error.message);
      if (answer.kind === 'ok' && isRecord(answer.body) && typeof answer.body.dataStreamId === 'string') {
        ids.set(series.id, answer.body.dataStreamId);
        return { id: answer.body.dataStreamId, existed: false };
      }
      if (answer.kind === 'source-exists') {
        await learn(accessToken);
        const id = ids.get(series.id);
        if (id !== undefined) return { id, existed: true };
      }
      // A create that neither answers the id nor leaves the source listed: Google is inconsistent for now.
      throw new UpstreamError(
        FIT_SERVICE,
        'source_unresolved',
        `${FIT_SERVICE}: the ${series.id} data source was created but its stream id is unknown`,
        { retryable: true },
      );
    },
  };
}

function isOurs(d: Record<string, unknown>, series: FitSeries): boolean {
  return d.type === 'raw' && d.dataStreamName === streamNameOf(series) && isRecord(d.dataType) && d.dataType.name === series.dataTypeName;
}
