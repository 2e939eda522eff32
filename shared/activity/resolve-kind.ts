import type { Logger } from '../log.ts';
import type { ActivityKind, ActivityKindTable } from './kinds.ts';

/**
 * Looks a tracker value up in its table. A value the table does not know (a type the tracker added after this table
 * was written) becomes `other` with a warning, never a crash.
 */
export function resolveActivityKind(table: ActivityKindTable, value: string, log: Logger, provider: string): ActivityKind {
  const hit = Object.hasOwn(table, value) ? table[value] : undefined;
  if (hit !== undefined) return hit;
  log.warn('unmapped tracker activity type; using other', { provider, sportType: value });
  return 'other';
}
