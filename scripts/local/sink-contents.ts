import { fitActivityTypeName } from '../../shared/providers/generic/fit-activity-types.ts';
import type { Stack } from '../../test/support/stack.ts';

/** What the Google Fit stand-in holds for a person, one row per session, for console.table. */
export function fitSessionRows(stack: Stack, userKey: string) {
  return stack.google.sessions(userKey).map((s) => ({
    id: s.id,
    name: s.name,
    activityType: `${s.activityType} ${fitActivityTypeName(s.activityType) ?? ''}`.trim(),
    start: new Date(Number(s.startTimeMillis)).toISOString(),
    end: new Date(Number(s.endTimeMillis)).toISOString(),
    activeMin: s.activeTimeMillis ? Math.round(Number(s.activeTimeMillis) / 60_000) : '',
  }));
}

/**
 * What the Google Health stand-in holds for a person, one row per exercise, for console.table. Health names an
 * exercise by its type unless the type is OTHER, so the tracker's title is the first line of the notes.
 */
export function healthExerciseRows(stack: Stack, userKey: string) {
  return stack.health.exercises(userKey).map(({ name, exercise }) => ({
    id: name.split('/').pop() ?? name,
    title: exercise.exerciseType === 'OTHER' ? exercise.displayName : (exercise.notes ?? '').split('\n')[0],
    exerciseType: exercise.exerciseType,
    start: String(exercise.interval.startTime),
    end: String(exercise.interval.endTime),
    activeMin: typeof exercise.activeDuration === 'string' ? Math.round(Number.parseFloat(exercise.activeDuration) / 60) : '',
  }));
}

/**
 * The calls each Google stand-in answered: Fit's session calls one by one (its figures, data sources and datasets,
 * only counted), and every Health call.
 */
export function googleCallSummary(stack: Stack): string[] {
  const last = (path: string) => decodeURIComponent(path.split('/').pop() ?? '');
  const fit = stack.google.requests.filter((r) => r.path.startsWith('/fitness/'));
  const sessions = fit.filter((r) => r.path.includes('/sessions/'));
  const health = stack.health.requests.filter((r) => r.path.startsWith('/v4/'));
  return [
    `Fit API session calls: ${sessions.map((r) => `${r.method} ${last(r.path)} ${r.status}`).join(', ') || 'none'}`,
    `Fit API figure calls (data sources, datasets): ${fit.length - sessions.length}`,
    `Health API calls: ${health.map((r) => `${r.method} ${last(r.path)} ${r.status}`).join(', ') || 'none'}`,
  ];
}
