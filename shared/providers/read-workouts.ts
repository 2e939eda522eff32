import { boundedText, isPrintableId } from '../activity/plausible.ts';
import { checkedWorkout } from '../activity/workout-problems.ts';
import { AppError, PayloadError } from '../errors.ts';
import type { Workout } from '../types.ts';
import type { SkippedItem } from './tracker-api.ts';

const MAX_REASON_LENGTH = 1000;

/**
 * A PayloadError for anything that went wrong while reading a tracker's answer. Reading is pure, so a TypeError on
 * a value no one foresaw is as permanent as a refused field: it fails with a reason instead of being retried until
 * the dead-letter policy gives up.
 */
function unreadable(what: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new PayloadError(`${what} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
}

/** The workout an API answer describes, checked like every workout fitsync writes; a PayloadError otherwise. */
export function readFetchedWorkout(what: string, read: () => Workout): Workout {
  try {
    return checkedWorkout(read());
  } catch (err) {
    throw unreadable(what, err);
  }
}

/**
 * One list page: every item read on its own, so one bad item never costs the others. An item that cannot be read
 * (or reads as a workout fitsync cannot write) is skipped with its reason and, when it has a readable one, its id.
 * `read` returns the item's workouts (none when it lies outside the window or has nothing to write yet).
 */
export function readListedWorkouts(
  items: readonly unknown[],
  read: (item: unknown, index: number) => Workout[],
  itemIdOf: (item: unknown) => unknown,
): { workouts: Workout[]; skipped: SkippedItem[] } {
  const workouts: Workout[] = [];
  const skipped: SkippedItem[] = [];
  items.forEach((item, i) => {
    try {
      workouts.push(...read(item, i).map(checkedWorkout));
    } catch (err) {
      const itemId = listedItemId(item, itemIdOf);
      skipped.push({
        reason: boundedText(unreadable(`item ${i}`, err).message, MAX_REASON_LENGTH),
        ...(itemId !== undefined ? { itemId } : {}),
      });
    }
  });
  return { workouts, skipped };
}

/** The item's id as fitsync would write it, when there is a printable one. */
function listedItemId(item: unknown, itemIdOf: (item: unknown) => unknown): string | undefined {
  let id: unknown;
  try {
    id = itemIdOf(item);
  } catch {
    return undefined;
  }
  const text = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
  return isPrintableId(text) ? text : undefined;
}

/** `item.key` of a JSON object item, for `itemIdOf`. */
export const field =
  (key: string) =>
  (item: unknown): unknown =>
    typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>)[key] : undefined;
