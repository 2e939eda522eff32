// What each tracker's fixture workout (test/support/<tracker>-fixtures.ts) becomes as a Fit session, for the suites
// that sync it: the adapter's mapping of its sport, name and local times, written once per fixture. The session id
// is the test's own (it gives every user fresh workout ids), so it is not part of these.
import type { ExpectedFitSession } from './expected-fit-session.ts';

/** The morning run of the push trackers' fixtures: 52 minutes from 06:30 UTC on 2026-11-20, running (8). */
const MORNING_RUN = { activityType: 8, start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:22:00Z' } as const;

export const FIXTURE_SESSIONS = {
  coros: { name: 'Outdoor Run', ...MORNING_RUN, activeSeconds: 3004 },
  /** 08:30 local (UTC+2) near Helsinki. */
  suunto: { name: 'Trail running (Suunto)', ...MORNING_RUN, activeSeconds: 3120 },
  /** 07:30 local (Europe/Paris), which the description keeps. */
  withings: {
    name: 'Run (Withings)',
    description: 'Started 2026-11-20 07:30 local time (Europe/Paris)',
    ...MORNING_RUN,
    activeSeconds: 3000,
  },
  /** 17:55 local (UTC+1): an evening ride, biking (1), its label as the name. */
  oura: {
    name: 'Evening ride',
    description: 'Intensity: moderate',
    activityType: 1,
    start: '2026-11-19T16:55:00Z',
    end: '2026-11-19T17:47:00Z',
  },
  /** A scored run (UTC−5 locally), its strain in the description. */
  whoop: { name: 'Running', description: 'WHOOP strain 11.8', activityType: 8, start: '2026-11-19T11:05:12Z', end: '2026-11-19T12:02:40Z' },
  /** 07:30 local (UTC+1), an ISO 8601 duration of 62.5 minutes, road running. */
  polar: {
    name: 'Road running',
    description: 'Recorded with Polar Vantage V3',
    activityType: 8,
    start: '2026-11-19T06:30:00Z',
    end: '2026-11-19T07:32:30Z',
  },
} satisfies Record<string, ExpectedFitSession>;
