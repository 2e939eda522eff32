import type { ServedRpc } from '../support/firestore-emulator.ts';

/**
 * How many round trips a client made, from what a server saw of its calls: calls sent together (before any of their
 * answers came back) overlap in time, and a call that arrives only after every call of the current group was
 * answered waited for them, so it starts the next round trip. Meaningful for one client doing one thing at a time,
 * with latency on the server so that calls sent together overlap whatever the scheduling.
 */
export function roundTripsOf(rpcs: readonly ServedRpc[]): number {
  let trips = 0;
  let groupAnsweredAt = Number.NEGATIVE_INFINITY;
  for (const r of [...rpcs].sort((a, b) => a.arrivedAt - b.arrivedAt)) {
    if (r.arrivedAt >= groupAnsweredAt) {
      trips++;
      groupAnsweredAt = r.answeredAt;
    } else groupAnsweredAt = Math.max(groupAnsweredAt, r.answeredAt);
  }
  return trips;
}
