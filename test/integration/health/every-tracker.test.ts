// Every tracker's workout fixtures, through its own webhook adapter (signed as the tracker signs) and the real worker,
// into the Google Health stand-in for people who chose Google Health only. Each row lists the fixtures a tracker
// sends and the exercises its person must end with: type, interval, UTC offsets, active time and figures, worked
// out by hand from the fixture files (times in epoch seconds as the trackers give them).
import { readFileSync } from 'node:fs';
import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../../functions/compose-worker.ts';
import { systemClock } from '../../../shared/clock.ts';
import type { TrackerLinkRequest } from '../../../shared/ops/link-user.ts';
import type { ProviderId } from '../../../shared/provider-ids.ts';
import { sessionIdFor } from '../../../shared/sync/session-id.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { COROS_OPEN_ID } from '../../support/coros-fixtures.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { GARMIN_USER_ID } from '../../support/garmin-fixtures.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { OURA_CLIENT, OURA_USER_ID, ouraWorkout } from '../../support/oura-fixtures.ts';
import { type OuraStandIn, startOuraStandIn } from '../../support/oura-stand-in.ts';
import { POLAR_USER_ID, polarExercise } from '../../support/polar-fixtures.ts';
import { type PolarStandIn, startPolarStandIn } from '../../support/polar-stand-in.ts';
import { type Stack, startStack } from '../../support/stack.ts';
import { STRAVA_ATHLETE_ID, stravaActivity, stravaWebhookEvent } from '../../support/strava-fixtures.ts';
import { WAHOO_TOKEN, WAHOO_USER_ID } from '../../support/wahoo-fixtures.ts';
import { allWebhookAdapters, endpoints } from '../../support/webhook-endpoints.ts';
import { WHOOP_CLIENT, WHOOP_USER_ID, whoopWorkout } from '../../support/whoop-fixtures.ts';
import { startWhoopStandIn, type WhoopStandIn } from '../../support/whoop-stand-in.ts';
import { withingsForm, withingsWorkout } from '../../support/withings-fixtures.ts';
import { startWithingsStandIn, type WithingsStandIn } from '../../support/withings-stand-in.ts';
import { type WorkerProbes, workerProbes } from '../../support/worker-probes.ts';

let stack: Stack;
let polar: PolarStandIn;
let oura: OuraStandIn;
let whoop: WhoopStandIn;
let withings: WithingsStandIn;
let deps: WorkerDeps;
let probes: WorkerProbes;
const log = capturingLogger();
const clock = systemClock;
const adapters = allWebhookAdapters();
const WITHINGS_CLIENT = { clientId: 'withings-health-client', clientSecret: 'withings-health-client-secret' };
const COROS_OTHER_OPEN_ID = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
const WITHINGS_USER_ID = '38493020';
const NOTIFY_TOKENS = { accessToken: 'notify-access-token-health', refreshToken: 'notify-refresh-token-health' };

test.before(async () => {
  [stack, polar, oura, whoop, withings] = await Promise.all([
    startStack(),
    startPolarStandIn(),
    startOuraStandIn(OURA_CLIENT),
    startWhoopStandIn(WHOOP_CLIENT),
    startWithingsStandIn(WITHINGS_CLIENT),
  ]);
  stack.putOAuthClient('oura', OURA_CLIENT);
  stack.putOAuthClient('whoop', WHOOP_CLIENT);
  stack.putOAuthClient('withings', WITHINGS_CLIENT);
  const config = stack.workerConfig({
    FITSYNC_TRACKERS: 'strava,garmin,polar,oura,whoop,wahoo,suunto,coros,withings,generic',
    POLAR_API_BASE: polar.url,
    OURA_API_BASE: oura.url,
    OURA_TOKEN_URL: oura.tokenUrl,
    WHOOP_API_BASE: whoop.url,
    WHOOP_TOKEN_URL: whoop.tokenUrl,
    WITHINGS_API_BASE: withings.url,
    WITHINGS_TOKEN_URL: withings.tokenUrl,
  });
  deps = createWorkerDeps(config, { log, clock });
  probes = workerProbes(deps);
});

test.after.always(async () => {
  await deps?.data.db.terminate();
  await Promise.allSettled([stack?.stop(), polar?.stop(), oura?.stop(), whoop?.stop(), withings?.stop()]);
});

/** An exercise as the test compares it: what a person sees of a workout in Google Health. */
interface Seen {
  id: string;
  type: string;
  start: string;
  end: string;
  offsets: [string, string];
  active?: string;
  metrics: Record<string, unknown>;
}

const at = (epochSec: number) => new Date(epochSec * 1000).toISOString();
/** An expected exercise from a start in epoch seconds and a length in seconds. */
function ex(
  id: string,
  type: string,
  startSec: number,
  lengthSec: number,
  offsetSec: number | [number, number],
  metrics: Record<string, unknown>,
  activeSec?: number,
): Seen {
  const [from, to] = typeof offsetSec === 'number' ? [offsetSec, offsetSec] : offsetSec;
  return {
    id,
    type,
    start: at(startSec),
    end: at(startSec + lengthSec),
    offsets: [`${from}s`, `${to}s`],
    ...(activeSec !== undefined ? { active: `${activeSec}s` } : {}),
    metrics,
  };
}

function seen(userId: string): Seen[] {
  return stack.health
    .exercises(userId)
    .map(({ name, exercise: x }) => {
      const i = x.interval as Record<string, string>;
      return {
        id: name.slice(name.lastIndexOf('/') + 1),
        type: x.exerciseType,
        start: i.startTime!,
        end: i.endTime!,
        offsets: [i.startUtcOffset!, i.endUtcOffset!] as [string, string],
        ...(typeof x.activeDuration === 'string' ? { active: x.activeDuration } : {}),
        metrics: (x.metricsSummary ?? {}) as Record<string, unknown>,
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
}

interface Row {
  tracker: ProviderId;
  /** The tracker's people: fitsync user → tracker user, with tokens where the worker calls the tracker. */
  people: Array<{ userId: string; link: Omit<TrackerLinkRequest, 'tracker'>; expected: Seen[] }>;
  /** Workouts the tracker's API serves (notify-only trackers). */
  serve?: () => void;
  /** The webhook bodies the tracker sends, in order. */
  bodies: () => Buffer[];
}

const fixture = (tracker: string, name: string) => readFileSync(new URL(`../../fixtures/${tracker}/${name}.json`, import.meta.url));
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const longLived = (tokens = NOTIFY_TOKENS) => ({ ...tokens, expiresAt: Math.floor(clock.now() / 1000) + 86_400 });

const rows: Row[] = [
  {
    tracker: 'strava',
    people: [
      {
        userId: 'health-strava',
        link: { trackerUserId: String(STRAVA_ATHLETE_ID), ...longLived() },
        // 2025-03-01 06:30 UTC, 52 min, Berlin in winter.
        expected: [
          ex(
            'strava-12345678901',
            'RUNNING',
            1740810600,
            3120,
            3600,
            {
              caloriesKcal: 712.3,
              distanceMillimeters: 10_012_400,
              averageHeartRateBeatsPerMinute: '149',
              elevationGainMillimeters: 42_000,
            },
            3004,
          ),
        ],
      },
    ],
    serve: () => {
      stack.strava.addAthlete({ id: STRAVA_ATHLETE_ID, ...longLived() });
      stack.strava.putActivity(STRAVA_ATHLETE_ID, stravaActivity());
    },
    bodies: () => [json(stravaWebhookEvent())],
  },
  {
    tracker: 'garmin',
    people: [
      {
        userId: 'health-garmin',
        link: { trackerUserId: GARMIN_USER_ID },
        expected: [
          // The run, then edited by hand on Garmin Connect into a trail run: the edit's summary carries no steps or climb.
          ex('garmin-15812345678', 'TRAIL_RUN', 1795156200, 3120, 3600, {
            caloriesKcal: 712,
            distanceMillimeters: 10_012_400,
            averageHeartRateBeatsPerMinute: '148',
          }),
          ex('garmin-15812399001', 'OUTDOOR_BIKE', 1795194300, 5405, 3600, {
            caloriesKcal: 1033,
            distanceMillimeters: 32_970_500,
            averageHeartRateBeatsPerMinute: '136',
            elevationGainMillimeters: 311_000,
          }),
          ex('garmin-15813000001', 'SWIMMING_POOL', 1795248000, 2400, 3600, {
            caloriesKcal: 402,
            distanceMillimeters: 2_000_000,
            averageHeartRateBeatsPerMinute: '131',
          }),
          ex('garmin-15814000000', 'MULTISPORT', 1795330800, 4620, 3600, { distanceMillimeters: 25_750_000 }),
          ex('garmin-15814000001', 'SWIMMING_OPEN_WATER', 1795330800, 900, 3600, { distanceMillimeters: 750_000 }),
        ],
      },
    ],
    bodies: () => ['activities', 'manually-updated-activities', 'mixed-batch', 'multisport'].map((n) => fixture('garmin', n)),
  },
  {
    tracker: 'polar',
    people: [
      {
        userId: 'health-polar',
        link: { trackerUserId: String(POLAR_USER_ID), accessToken: NOTIFY_TOKENS.accessToken },
        // 07:30 local at UTC+1 (`start_time_utc_offset` 60 min), PT1H2M30S.
        expected: [
          ex(sessionIdFor('polar', 'aQlC83'), 'RUNNING', Date.parse('2026-11-19T06:30:00Z') / 1000, 3750, 3600, {
            caloriesKcal: 684,
            distanceMillimeters: 11_250_500,
            averageHeartRateBeatsPerMinute: '148',
          }),
        ],
      },
    ],
    serve: () => {
      polar.addUser({ userId: POLAR_USER_ID, accessToken: NOTIFY_TOKENS.accessToken });
      polar.putExercise(POLAR_USER_ID, polarExercise());
    },
    bodies: () => [fixture('polar', 'exercise')],
  },
  {
    tracker: 'oura',
    people: [
      {
        userId: 'health-oura',
        link: { trackerUserId: OURA_USER_ID, ...longLived() },
        // 17:55 to 18:47 at +01:00.
        expected: [
          ex('oura-8f9a5221-639e-4a85-81cb-4065ef23f979', 'BIKING', Date.parse('2026-11-19T16:55:00Z') / 1000, 3120, 3600, {
            caloriesKcal: 412.5,
            distanceMillimeters: 18_240_000,
          }),
        ],
      },
    ],
    serve: () => {
      oura.addUser({ userId: OURA_USER_ID, ...longLived() });
      oura.putWorkout(OURA_USER_ID, ouraWorkout());
    },
    bodies: () => [fixture('oura', 'workout-create')],
  },
  {
    tracker: 'whoop',
    people: [
      {
        userId: 'health-whoop',
        link: { trackerUserId: String(WHOOP_USER_ID), ...longLived() },
        // 11:05:12 to 12:02:40 UTC, worn at −05:00; 2845.2 kJ is 680.0 kcal.
        expected: [
          ex('whoop-ecfc6a15-4661-442f-a9a4-f160dd7afae8', 'RUNNING', Date.parse('2026-11-19T11:05:12Z') / 1000, 3448, -18000, {
            caloriesKcal: 680,
            distanceMillimeters: 9_811_400,
            elevationGainMillimeters: 46_640,
            averageHeartRateBeatsPerMinute: '151',
          }),
        ],
      },
    ],
    serve: () => {
      whoop.addMember({ userId: WHOOP_USER_ID, ...longLived() });
      whoop.putWorkout(WHOOP_USER_ID, whoopWorkout('scored'));
    },
    bodies: () => [fixture('whoop', 'workout-updated')],
  },
  {
    tracker: 'wahoo',
    people: [
      {
        userId: 'health-wahoo',
        link: { trackerUserId: WAHOO_USER_ID },
        expected: [
          // Ridden in Berlin (time_zone), then edited into a mountain-bike ride.
          ex(
            'wahoo-268315002',
            'MOUNTAIN_BIKE',
            Date.parse('2026-11-20T17:05:00Z') / 1000,
            5405,
            3600,
            {
              caloriesKcal: 1033,
              distanceMillimeters: 32_970_520,
              elevationGainMillimeters: 311_000,
              averageHeartRateBeatsPerMinute: '136',
            },
            5212,
          ),
          // No time zone and a distance of 0 (an indoor trainer measures none): UTC, and no distance.
          ex(
            'wahoo-268400117',
            'STATIONARY_BIKE',
            Date.parse('2026-11-21T07:00:00Z') / 1000,
            2700,
            0,
            { caloriesKcal: 455, elevationGainMillimeters: 12_000, averageHeartRateBeatsPerMinute: '141' },
            2700,
          ),
        ],
      },
    ],
    bodies: () =>
      ['workout-summary', 'workout-summary-numbers', 'workout-summary-edited'].map((n) =>
        Buffer.from(fixture('wahoo', n).toString('utf8').split('WAHOO_WEBHOOK_TOKEN').join(WAHOO_TOKEN)),
      ),
  },
  {
    tracker: 'suunto',
    people: [
      {
        userId: 'health-suunto',
        link: { trackerUserId: 'kaisa_virtanen' },
        expected: [
          ex(
            'suunto-6739a1f04b2c8e0d5a7f3c21',
            'TRAIL_RUN',
            1795156200,
            3120,
            7200,
            {
              caloriesKcal: 684,
              distanceMillimeters: 10_412_600,
              steps: '9120',
              averageHeartRateBeatsPerMinute: '151',
              elevationGainMillimeters: 212_400,
            },
            3120,
          ),
          // Heart rate in Hz on this one: 2.35 Hz is 141 bpm.
          ex(
            'suunto-6739c2e84b2c8e0d5a7f4d90',
            'BIKING',
            1795194300,
            2700,
            7200,
            { caloriesKcal: 512, distanceMillimeters: 18_250_000, averageHeartRateBeatsPerMinute: '141', elevationGainMillimeters: 96_000 },
            2700,
          ),
        ],
      },
    ],
    bodies: () => ['workout-created', 'workout-created-hz'].map((n) => fixture('suunto', n)),
  },
  {
    tracker: 'coros',
    people: [
      {
        userId: 'health-coros',
        link: { trackerUserId: COROS_OPEN_ID },
        // Offsets in quarter hours (4 → +01:00); triathlon legs placed one after another from the race's start.
        expected: [
          ex('coros-428930245739184128', 'RUNNING', 1795156200, 3120, 3600, { distanceMillimeters: 10_012_370 }, 3004),
          ex('coros-428960118734831616', 'SWIMMING_POOL', 1795248000, 2700, 3600, { distanceMillimeters: 2_000_000 }, 2400),
          ex('coros-428951117384646656', 'MULTISPORT', 1795330800, 4620, 3600, { distanceMillimeters: 25_750_000 }, 4620),
          ex('coros-428951117384646656-1', 'SWIMMING_OPEN_WATER', 1795330800, 900, 3600, { distanceMillimeters: 750_000 }, 900),
          ex('coros-428951117384646656-2', 'OUTDOOR_BIKE', 1795330800 + 900, 2400, 3600, { distanceMillimeters: 20_000_000 }, 2400),
          ex('coros-428951117384646656-3', 'RUNNING', 1795330800 + 3300, 1200, 3600, { distanceMillimeters: 5_000_000 }, 1200),
        ].sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id)),
      },
      {
        userId: 'health-coros-indoor',
        link: { trackerUserId: COROS_OTHER_OPEN_ID },
        // −20 quarter hours is −05:00; a distance of 0 is no distance.
        expected: [ex('coros-428960553925939200', 'STATIONARY_BIKE', 1795197600, 3600, -18000, {}, 3600)],
      },
    ],
    bodies: () => ['sport-data', 'triathlon', 'batch'].map((n) => fixture('coros', n)),
  },
  {
    tracker: 'withings',
    people: [
      {
        userId: 'health-withings',
        link: { trackerUserId: WITHINGS_USER_ID, ...longLived() },
        // Paris in November; 120 s of pauses off the 52 minutes.
        expected: [
          ex(
            'withings-3302115187',
            'RUNNING',
            1795156200,
            3120,
            3600,
            {
              caloriesKcal: 612.4,
              distanceMillimeters: 10_084_500,
              elevationGainMillimeters: 38_200,
              steps: '8874',
              averageHeartRateBeatsPerMinute: '149',
            },
            3000,
          ),
        ],
      },
    ],
    serve: () => {
      withings.addUser({ userid: WITHINGS_USER_ID, ...longLived() });
      withings.putWorkout(WITHINGS_USER_ID, withingsWorkout());
    },
    bodies: () => [Buffer.from(withingsForm('activity-window'))],
  },
  {
    tracker: 'generic',
    people: [
      {
        userId: 'health-generic',
        link: { trackerUserId: 'device-owner-42' },
        expected: [
          ex(
            'generic-run-2026-11-20-0630',
            'RUNNING',
            Date.parse('2026-11-20T06:30:00Z') / 1000,
            3120,
            0,
            { caloriesKcal: 712, distanceMillimeters: 10_012_000, averageHeartRateBeatsPerMinute: '149' },
            3004,
          ),
          // Fit's activity type 54 is the rowing machine; 18:00 at +01:00.
          ex(sessionIdFor('generic', 'Row#7'), 'ROWING_MACHINE', Date.parse('2026-11-20T17:00:00Z') / 1000, 2400, 3600, {}),
        ],
      },
    ],
    bodies: () => [fixture('generic', 'batch')],
  },
];

/** The events the tracker's webhook adapter makes of a body, signed and verified as the webhook would. */
function eventsOf(tracker: ProviderId, body: Buffer, receivedAtMs: number): TrackerEvent[] {
  const endpoint = endpoints.find((e) => e.tracker === tracker)!;
  const adapter = adapters.get(tracker)!;
  const req = inboundRequest(body, { subpath: endpoint.subpath, headers: endpoint.sign(body, receivedAtMs) });
  adapter.verify(req, receivedAtMs);
  return adapter.toEvents(req, new Date(receivedAtMs).toISOString());
}

for (const row of rows) {
  test(`${row.tracker}: its fixtures reach Google Health with the right type, interval, offsets and figures`, async (t) => {
    for (const person of row.people) {
      await stack.link({ userId: person.userId, clock, sinks: ['google-health'], trackers: [{ tracker: row.tracker, ...person.link }] });
    }
    row.serve?.();
    let receivedAtMs = clock.now();
    for (const body of row.bodies()) {
      // Each body arrives a second after the one before (the order in which trackers version some summaries).
      receivedAtMs += 1000;
      for (const event of eventsOf(row.tracker, body, receivedAtMs)) await probes.deliver(event);
    }
    for (const person of row.people) {
      t.deepEqual(seen(person.userId), person.expected, person.userId);
      t.deepEqual(stack.google.sessions(person.userId), [], 'nothing in Fit for a person on Google Health only');
    }
  });
}
