import { type ActivityKind, type ActivityKindTable, activityKinds, kindOfFitType } from '../../activity/kinds.ts';
import { fitActivityTypes } from './fit-activity-types.ts';

/** Fit's non-workout types (in vehicle, still, sleep, …) have no kind: a session sent with one is `other`. */
const kindOfFit = (fit: number): ActivityKind => kindOfFitType(fit) ?? 'other';

/**
 * The generic endpoint speaks fitsync's own vocabulary: a workout's `activityType` is an activity kind
 * (`"trail-run"`, shared/activity/kinds.ts). Senders written for Google Fit keep working: a Fit activity type
 * integer (`8`, sent as a number, kept as its decimal string) or constant name (`"RUNNING"`) maps to the kind Fit's
 * type stands for. Kinds are lower case and Fit names upper case, so no value means two things.
 */
export const genericActivityKinds: ActivityKindTable = {
  ...Object.fromEntries((Object.keys(activityKinds) as ActivityKind[]).map((kind) => [kind, kind])),
  ...Object.fromEntries(Object.entries(fitActivityTypes).map(([name, fit]) => [name, kindOfFit(fit)])),
  ...Object.fromEntries(Object.values(fitActivityTypes).map((fit) => [String(fit), kindOfFit(fit)])),
};
