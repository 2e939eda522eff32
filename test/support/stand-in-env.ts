// Every tracker module reads `<TRACKER>_API_BASE` and, where the tracker has a token endpoint, `<TRACKER>_TOKEN_URL`
// (so every external endpoint can be overridden): one place turns a tracker's stand-in into those settings.
import type { ProviderId } from '../../shared/types.ts';

export function standInEnv(tracker: ProviderId, standIn: { url: string; tokenUrl?: string }): Record<string, string> {
  const prefix = tracker.toUpperCase();
  return { [`${prefix}_API_BASE`]: standIn.url, ...(standIn.tokenUrl ? { [`${prefix}_TOKEN_URL`]: standIn.tokenUrl } : {}) };
}
