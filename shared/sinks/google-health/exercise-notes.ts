import type { WorkoutSession } from '../../types.ts';

/** Longest description kept in notes; the API states no limit, so fitsync keeps notes modest and the marker intact. */
export const MAX_DESCRIPTION_CHARS = 1000;

/**
 * The line that says "fitsync wrote this for that session". It lets the sink find an exercise it created when the
 * answer to the create was lost and the server had chosen the exercise's name.
 */
export function sessionMarker(sessionId: string): string {
  return `fitsync:${sessionId}`;
}

export function carriesMarker(notes: unknown, sessionId: string): boolean {
  const marker = sessionMarker(sessionId);
  return typeof notes === 'string' && notes.split('\n').some((line) => line.trim() === marker);
}

/**
 * Notes hold what the exercise has no field for: the tracker's title (Health replaces `displayName` with a generated
 * name unless the type is OTHER), the description, the maximum heart rate (MetricsSummary has only the average),
 * the link back to the tracker, and the marker last.
 */
export function exerciseNotes(s: WorkoutSession, titleInDisplayName: boolean): string {
  const description = s.description.trim();
  const lines = [
    titleInDisplayName ? undefined : s.name,
    description ? truncate(description, MAX_DESCRIPTION_CHARS) : undefined,
    s.metrics.maxHeartRate ? `Max heart rate: ${Math.round(s.metrics.maxHeartRate)} bpm` : undefined,
    s.detailsUrl,
    sessionMarker(s.id),
  ];
  return lines.filter((l): l is string => l !== undefined && l !== '').join('\n');
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
