// What a test expects a Fit session to hold, written in the units people read (ISO instants, seconds) and turned
// into the resource's own (https://developers.google.com/fit/rest/v1/reference/users/sessions: millisecond
// strings). Only the fields given appear, so `t.like` checks exactly those.
import type { FitSessionResource } from './google-fit-sessions.ts';

export interface ExpectedFitSession {
  id?: string;
  name?: string;
  description?: string;
  activityType?: number;
  /** ISO 8601 instant. */
  start?: string;
  /** ISO 8601 instant. */
  end?: string;
  activeSeconds?: number;
}

export function expectedFitSession(e: ExpectedFitSession): Partial<FitSessionResource> {
  const { start, end, activeSeconds, ...named } = e;
  return {
    ...named,
    ...(start === undefined ? {} : { startTimeMillis: String(Date.parse(start)) }),
    ...(end === undefined ? {} : { endTimeMillis: String(Date.parse(end)) }),
    ...(activeSeconds === undefined ? {} : { activeTimeMillis: String(activeSeconds * 1000) }),
  };
}
