// What a tracker's listWorkouts page kept and skipped, compared by id: the check every listing test makes before it
// looks at the reasons a skipped item carries.
import type { ExecutionContext } from 'ava';
import type { WorkoutPage } from '../../shared/providers/tracker-api.ts';

/** The page kept exactly these workouts (activity ids, in order) and skipped exactly these items (item ids, undefined for one without). */
export function assertPageIds(
  t: ExecutionContext,
  page: Pick<WorkoutPage, 'workouts' | 'skipped'>,
  kept: readonly string[],
  skipped: ReadonlyArray<string | undefined>,
): void {
  t.deepEqual(
    page.workouts.map((w) => w.activityId),
    kept,
    'kept',
  );
  t.deepEqual(
    page.skipped.map((s) => s.itemId),
    skipped,
    'skipped',
  );
}
