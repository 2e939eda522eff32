// One field of every Fit session a user holds, sorted: for tests where several workouts land at once, so the order
// the stand-in keeps them in says nothing and only which values were written matters.
import type { FitSessionResource, GoogleStandIn } from './google-stand-in.ts';

export function sortedSessionField<K extends keyof FitSessionResource>(
  google: Pick<GoogleStandIn, 'sessions'>,
  userKey: string,
  field: K,
): FitSessionResource[K][] {
  return google
    .sessions(userKey)
    .map((s) => s[field])
    .sort();
}
