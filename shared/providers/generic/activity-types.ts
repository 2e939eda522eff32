import { FitActivity, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * The generic endpoint speaks Google Fit's own vocabulary: a workout's `activityType` is the Fit integer or its
 * constant name, so both spellings map to the integer. Integers outside fitsync's named set still pass through
 * (any 0–123 is a Fit type); names fitsync does not know map to Other (108) with a warning.
 */
export const genericActivityTypes: ActivityTypeTable = Object.fromEntries([
  ...Object.entries(FitActivity),
  ['HIGH_INTENSITY_INTERVAL_TRAINING', FitActivity.HIIT],
  ...Array.from({ length: 124 }, (_, v) => [String(v), v] as const),
]);
