import test from 'ava';
import type { ActivityVersion } from '../../shared/sync/records.ts';
import { sameState, supersedes } from '../../shared/sync/version-order.ts';

const v = (o: Partial<ActivityVersion>): ActivityVersion => ({
  presence: 'present',
  sourceVersionMs: null,
  observedAtMs: 1000,
  contentHash: 'aaa',
  ...o,
});

const cases: Array<[string, ActivityVersion, ActivityVersion, boolean]> = [
  ['a later sighting replaces an earlier one', v({ observedAtMs: 2000, contentHash: 'bbb' }), v({}), true],
  ['an earlier sighting (a late redelivery) never replaces a later one', v({ observedAtMs: 500, contentHash: 'bbb' }), v({}), false],
  [
    'a newer tracker version wins even if observed earlier',
    v({ sourceVersionMs: 20, observedAtMs: 500 }),
    v({ sourceVersionMs: 10 }),
    true,
  ],
  [
    'an older tracker version loses even if observed later',
    v({ sourceVersionMs: 10, observedAtMs: 9000 }),
    v({ sourceVersionMs: 20 }),
    false,
  ],
  ['a delete event replaces a workout', v({ presence: 'deleted', contentHash: null, observedAtMs: 500 }), v({}), true],
  ['nothing unversioned brings back a deleted workout', v({ observedAtMs: 9000 }), v({ presence: 'deleted', contentHash: null }), false],
  [
    'a missing sighting does not undo a delete',
    v({ presence: 'gone', contentHash: null, observedAtMs: 9000 }),
    v({ presence: 'deleted', contentHash: null }),
    false,
  ],
  [
    'a newer version re-creates a deleted id (a sender that versions its workouts)',
    v({ sourceVersionMs: 30 }),
    v({ presence: 'deleted', sourceVersionMs: 20, contentHash: null }),
    true,
  ],
  [
    "a newer delete moves a deleted workout's version on",
    v({ presence: 'deleted', sourceVersionMs: 30, contentHash: null }),
    v({ presence: 'deleted', sourceVersionMs: 20, contentHash: null }),
    true,
  ],
  [
    'an older delete leaves it',
    v({ presence: 'deleted', sourceVersionMs: 10, contentHash: null }),
    v({ presence: 'deleted', sourceVersionMs: 20, contentHash: null }),
    false,
  ],
  [
    'a delete older than the version it would delete is stale',
    v({ presence: 'deleted', sourceVersionMs: 10, contentHash: null }),
    v({ sourceVersionMs: 20 }),
    false,
  ],
  [
    'a workout seen missing comes back when seen again later',
    v({ observedAtMs: 3000 }),
    v({ presence: 'gone', contentHash: null, observedAtMs: 2000 }),
    true,
  ],
  ['a tie between contents is broken the same way by every writer', v({ contentHash: 'bbb' }), v({ contentHash: 'aaa' }), true],
  ['…and the other way round', v({ contentHash: 'aaa' }), v({ contentHash: 'bbb' }), false],
];

for (const [name, next, current, expected] of cases) {
  test(name, (t) => t.is(supersedes(next, current), expected));
}

test('the same state is the same presence and, when present, the same content', (t) => {
  t.true(sameState(v({}), v({ observedAtMs: 5 })));
  t.false(sameState(v({}), v({ contentHash: 'other' })));
  t.true(sameState(v({ presence: 'deleted', contentHash: null }), v({ presence: 'deleted', contentHash: null })));
  t.false(sameState(v({ contentHash: null }), v({ contentHash: null })), 'unknown contents are never assumed equal');
});
