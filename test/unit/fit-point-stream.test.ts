import test from 'ava';
import { FitPointStream } from '../support/fit-point-stream.ts';
import type { FitDataPoint } from '../support/google-fit-datasets.ts';
import { seededRandom } from '../support/seeded-random.ts';

const point = (start: number, end: number, v: number): FitDataPoint => ({
  dataTypeName: 'com.google.activity.segment',
  startTimeNanos: String(start),
  endTimeNanos: String(end),
  value: [{ intVal: v }],
});
const overlaps = (p: FitDataPoint, min: bigint, max: bigint) => BigInt(p.startTimeNanos) <= max && BigInt(p.endTimeNanos) >= min;
const byStart = (a: FitDataPoint, b: FitDataPoint) => Number(BigInt(a.startTimeNanos) - BigInt(b.startTimeNanos));
/** Keeps the parts of a point outside [min, max], as the stand-in does for segments. */
const trim = (min: bigint, max: bigint) => (p: FitDataPoint) => {
  const parts: FitDataPoint[] = [];
  if (BigInt(p.startTimeNanos) < min) parts.push({ ...p, endTimeNanos: String(min - 1n) });
  if (BigInt(p.endTimeNanos) > max) parts.push({ ...p, startTimeNanos: String(max + 1n) });
  return parts;
};

test('finds and cuts exactly what a scan of every point would, whatever the order and lengths of the points', (t) => {
  const random = seededRandom(20261206);
  const stream = new FitPointStream();
  let naive: FitDataPoint[] = [];
  for (let step = 0; step < 3000; step++) {
    const start = random.int(0, 100_000);
    if (random.chance(0.6)) {
      const p = point(start, start + random.int(0, random.chance(0.05) ? 20_000 : 500), step);
      stream.insert(p);
      naive.push(p);
      continue;
    }
    const [min, max] = [BigInt(start), BigInt(start + random.int(0, 2_000))];
    t.deepEqual(stream.overlapping(min, max), naive.filter((p) => overlaps(p, min, max)).sort(byStart));
    if (random.chance(0.5)) {
      stream.cut(min, max, trim(min, max));
      naive = naive.flatMap((p) => (overlaps(p, min, max) ? trim(min, max)(p) : [p]));
    }
  }
  t.deepEqual(stream.all(), [...naive].sort(byStart));
});
