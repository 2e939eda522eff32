import test from 'ava';
import { roundTripsOf } from '../../bench/round-trips.ts';

const rpc = (arrivedAt: number, answeredAt: number) => ({ rpc: 'Commit', arrivedAt, answeredAt });

test('calls sent together count once; a call sent after every answer of a group starts the next round trip', (t) => {
  t.is(roundTripsOf([]), 0);
  // claim, link and workout record read together, then a commit: two round trips.
  t.is(roundTripsOf([rpc(0, 10), rpc(0.2, 10.1), rpc(0.3, 10.4), rpc(11, 21)]), 2);
  // Three calls one after another.
  t.is(roundTripsOf([rpc(0, 10), rpc(10.5, 20), rpc(20.5, 30)]), 3);
  // Order of the log does not matter; a call that arrives while one of the group is still unanswered belongs to it.
  t.is(roundTripsOf([rpc(13, 21), rpc(0.3, 12), rpc(0, 10)]), 2);
  t.is(roundTripsOf([rpc(11, 21), rpc(0.3, 12), rpc(0, 10)]), 1);
});
