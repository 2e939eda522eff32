import test from 'ava';
import { type Candidate, nextMemberState } from '../../shared/sync/member-state.ts';
import type { MemberRecord } from '../../shared/sync/records.ts';
import type { WorkoutSession } from '../../shared/types.ts';

// A sender that versions its workouts (the generic endpoint's updatedAt) sends versions out of order; whatever order
// they arrive in, the record must end at the highest version, deletions included.

const session = (name: string): WorkoutSession => ({
  id: 'generic-row-2',
  kind: 'rowing',
  provider: 'generic',
  sportType: 'ROWING',
  name,
  description: '',
  startMs: 1_000_000,
  endMs: 3_700_000,
  startUtcOffsetSec: 0,
  endUtcOffsetSec: 0,
  metrics: {},
  pauses: [],
});

const empty: MemberRecord = {
  docId: 'generic:rower-1~row-2',
  exists: false,
  provider: 'generic',
  activityId: 'row-2',
  providerUserId: 'rower-1',
  userId: null,
  sessionKey: null,
  sessionRev: null,
  session: null,
  kind: null,
  startMs: null,
  endMs: null,
  presence: 'gone',
  sourceVersionMs: null,
  observedAtMs: 0,
  contentHash: null,
};

const present = (version: number, name: string, observedAtMs: number): Candidate => ({
  presence: 'present',
  sourceVersionMs: version,
  observedAtMs,
  contentHash: null,
  session: session(name),
});
const deleted = (version: number, observedAtMs: number): Candidate => ({
  presence: 'deleted',
  sourceVersionMs: version,
  observedAtMs,
  contentHash: null,
  session: null,
});

/** Applies the sightings in order, as each write stores the record it computed (`exists` once stored). */
function replay(...sightings: Candidate[]) {
  let record = empty;
  const steps = sightings.map((c) => {
    const step = nextMemberState(record, c, { userId: 'person-rower-1' });
    record = { ...step.record, exists: true };
    return step;
  });
  return { record, steps };
}

test('a deletion, a newer deletion, then a re-creation older than the newer deletion: the workout stays deleted', (t) => {
  const { record, steps } = replay(deleted(1, 10), deleted(3, 20), present(2, 'row-2 v2', 30));
  t.is(record.presence, 'deleted');
  t.is(record.sourceVersionMs, 3);
  t.true(steps[1]!.changed, 'the newer deletion is stored, though the workout was deleted already');
  t.false(steps[2]!.applied);
});

test('a re-creation newer than the last deletion brings the workout back', (t) => {
  const { record } = replay(deleted(1, 10), deleted(3, 20), present(4, 'row-2 v4', 30));
  t.is(record.presence, 'present');
  t.is(record.session?.name, 'row-2 v4');
});

test('a newer version with the same content is stored, so an older one with other content cannot win after it', (t) => {
  const { record, steps } = replay(present(1, 'same', 10), present(3, 'same', 20), present(2, 'other', 30));
  t.true(steps[1]!.changed, 'the version moved on');
  t.false(steps[2]!.applied);
  t.is(record.session?.name, 'same');
  t.is(record.sourceVersionMs, 3);
});

test('a redelivery of the same unversioned state changes nothing', (t) => {
  const unversioned = (observedAtMs: number): Candidate => ({ ...present(0, 'same', observedAtMs), sourceVersionMs: null });
  const { steps } = replay(unversioned(10), unversioned(20));
  t.true(steps[1]!.applied);
  t.false(steps[1]!.changed);
});
