// The points of one Fit data stream in the LOCAL STAND-IN for Google Fit, kept in order of their start, so the
// points overlapping a window are found by binary search rather than by looking at every point a person holds
// (years of workouts are thousands of points per stream, and every write of a session deletes its window first).

/** A data point as Fit's REST API carries it. */
export interface FitDataPoint {
  dataTypeName: string;
  startTimeNanos: string;
  endTimeNanos: string;
  value: Array<{ fpVal?: number; intVal?: number }>;
}

interface Held {
  start: bigint;
  end: bigint;
  /** When the point (or the point it was cut from) arrived: orders points with the same start. */
  seq: number;
  point: FitDataPoint;
}

export class FitPointStream {
  private readonly held: Held[] = [];
  /** The longest end − start of any point ever held: how far before a window a point overlapping it can start. */
  private longest = 0n;
  private arrivals = 0;

  /** Adds a point after any point with the same start (a re-sent point is there twice, as at Fit). */
  insert(point: FitDataPoint, seq = this.arrivals++): void {
    const entry = { start: BigInt(point.startTimeNanos), end: BigInt(point.endTimeNanos), seq, point };
    if (entry.end - entry.start > this.longest) this.longest = entry.end - entry.start;
    this.held.splice(this.firstAfter(entry.start, seq), 0, entry);
  }

  /** Points with start ≤ max and end ≥ min (ends included), in order of start. */
  overlapping(min: bigint, max: bigint): FitDataPoint[] {
    return this.indexesOverlapping(min, max).map((i) => this.held[i]!.point);
  }

  /** Takes out the points overlapping [min, max] and puts back what `remainder` leaves of each, in its place. */
  cut(min: bigint, max: bigint, remainder: (p: FitDataPoint) => FitDataPoint[]): void {
    const indexes = this.indexesOverlapping(min, max);
    const cut = indexes.map((i) => this.held[i]!);
    for (const i of indexes.reverse()) this.held.splice(i, 1);
    for (const h of cut) for (const part of remainder(h.point)) this.insert(part, h.seq);
  }

  /** Every point, in order of start. */
  all(): FitDataPoint[] {
    return this.held.map((h) => h.point);
  }

  private indexesOverlapping(min: bigint, max: bigint): number[] {
    const out: number[] = [];
    for (
      let i = this.firstAfter(min - this.longest - 1n, Number.POSITIVE_INFINITY);
      i < this.held.length && this.held[i]!.start <= max;
      i++
    ) {
      if (this.held[i]!.end >= min) out.push(i);
    }
    return out;
  }

  /** The index of the first point after (`start`, `seq`) in the stream's order (binary search). */
  private firstAfter(start: bigint, seq: number): number {
    let [lo, hi] = [0, this.held.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const h = this.held[mid]!;
      if (h.start < start || (h.start === start && h.seq <= seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
