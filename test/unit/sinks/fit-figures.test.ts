import test from 'ava';
import { clearDatasetId, fitDataset, nanos, windowsToClear } from '../../../shared/sinks/google-fit/fit-dataset.ts';
import { activitySegments, fitSeriesById } from '../../../shared/sinks/google-fit/fit-series.ts';
import { MIN, sinkSession, T0 } from '../../support/sink-sessions.ts';

const series = (id: 'calories' | 'distance' | 'heart-rate' | 'segment') => fitSeriesById.get(id)!;

test('nanoseconds are exact decimal strings beyond a double', (t) => {
  t.is(nanos(1_763_620_200_123), '1763620200123000000');
  t.is(nanos(1_763_620_200_123, -1n), '1763620200122999999');
});

test('segments: the activity around each pause, STILL for the pause, nothing of zero length', (t) => {
  const s = sinkSession({
    pauses: [
      { startMs: T0, endMs: T0 + MIN },
      { startMs: T0 + 10 * MIN, endMs: T0 + 11 * MIN },
      { startMs: T0 + 11 * MIN, endMs: T0 + 52 * MIN },
    ],
  });
  t.deepEqual(
    activitySegments(s).map((p) => [(p.startMs - T0) / MIN, (p.endMs - T0) / MIN, p.value]),
    [
      [0, 1, 3],
      [1, 10, 8],
      [10, 11, 3],
      [11, 52, 3],
    ],
  );
});

test('figures: only positive values, heart rate within the valid range, nothing for a session under a second', (t) => {
  t.deepEqual(series('calories').points(sinkSession({ metrics: { calories: 0 } })), []);
  t.deepEqual(series('heart-rate').points(sinkSession({ metrics: { avgHeartRate: 1200 } })), []);
  const blink = sinkSession({ endMs: T0 + 999, pauses: [] });
  for (const id of ['calories', 'distance', 'heart-rate', 'segment'] as const) t.deepEqual(series(id).points(blink), [], id);
});

test('a dataset names its exact bounds; integers travel as intVal, the rest as fpVal', (t) => {
  const s = sinkSession();
  const segments = fitDataset(series('segment'), 'stream', series('segment').points(s));
  t.is(segments.datasetId, `${nanos(T0)}-${nanos(T0 + 52 * MIN)}`);
  t.deepEqual(
    segments.body.point?.map((p) => p.value),
    [[{ intVal: 8 }], [{ intVal: 3 }], [{ intVal: 8 }]],
  );
  const hr = fitDataset(series('heart-rate'), 'stream', series('heart-rate').points(s));
  t.deepEqual(
    [hr.body.minStartTimeNs, hr.body.maxEndTimeNs, hr.body.point?.[0]?.value],
    [nanos(T0 + 26 * MIN), nanos(T0 + 26 * MIN), [{ fpVal: 148.4 }]],
  );
});

test("clearing: segments over the whole window, other figures over its interior, so a neighbour's boundary instant survives", (t) => {
  const w = { startMs: T0, endMs: T0 + MIN };
  t.is(clearDatasetId(series('segment'), w), `${nanos(T0)}-${nanos(T0 + MIN)}`);
  t.is(clearDatasetId(series('calories'), w), `${nanos(T0, 1n)}-${nanos(T0 + MIN, -1n)}`);
});

test('windows to clear: the current one; with a moved session also the old one, as one hull when they overlap or touch', (t) => {
  const a = { startMs: 0, endMs: 10 };
  t.deepEqual(windowsToClear(a, undefined), [a]);
  t.deepEqual(windowsToClear(a, a), [a]);
  t.deepEqual(windowsToClear(a, { startMs: 5, endMs: 15 }), [{ startMs: 0, endMs: 15 }]);
  t.deepEqual(windowsToClear(a, { startMs: 10, endMs: 20 }), [{ startMs: 0, endMs: 20 }]);
  t.deepEqual(windowsToClear(a, { startMs: 30, endMs: 40 }), [{ startMs: 30, endMs: 40 }, a]);
});
