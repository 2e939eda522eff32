// Fuzzes every webhook endpoint in process: real fixtures mutated, re-signed so each mutant passes verification and
// reaches parsing, and driven through the real handler with every tracker composed as in production.
import type { ActivityKindTable } from '../../shared/activity/kinds.ts';
import { resolveActivityKind } from '../../shared/activity/resolve-kind.ts';
import { AppError } from '../../shared/errors.ts';
import { decodeTrackerEvent, encodeTrackerEvent } from '../../shared/events/tracker-event-codec.ts';
import { createLogger } from '../../shared/log.ts';
import type { ProviderId } from '../../shared/provider-ids.ts';
import { INVALID_EVENT_MESSAGE } from '../../shared/providers/checked-events.ts';
import { corosActivityKinds } from '../../shared/providers/coros/activity-kinds.ts';
import { garminActivityKinds } from '../../shared/providers/garmin/activity-kinds.ts';
import { genericActivityKinds } from '../../shared/providers/generic/activity-kinds.ts';
import { ouraActivityKinds } from '../../shared/providers/oura/activity-kinds.ts';
import { polarActivityKinds } from '../../shared/providers/polar/activity-kinds.ts';
import { stravaActivityKinds } from '../../shared/providers/strava/activity-kinds.ts';
import { suuntoActivityKinds } from '../../shared/providers/suunto/activity-kinds.ts';
import { wahooActivityKinds } from '../../shared/providers/wahoo/activity-kinds.ts';
import { whoopActivityKinds } from '../../shared/providers/whoop/activity-kinds.ts';
import { withingsActivityKinds } from '../../shared/providers/withings/activity-kinds.ts';
import { toWorkoutSession } from '../../shared/sync/workout-session.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { createWebhookHandler } from '../../shared/webhook/handle-webhook.ts';
import type { WebhookAdapter } from '../../shared/webhook/inbound-request.ts';
import { manualClock } from '../support/fakes.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { allTrackersEnv, allWebhookAdapters, type Endpoint, endpoints } from '../support/webhook-endpoints.ts';
import { mutateBody } from './mutate.ts';

export interface EndpointReport {
  tracker: ProviderId;
  requests: number;
  /** Answers by HTTP status. */
  statuses: Record<number, number>;
  /** Events published, every one decoded and read as the worker reads it. */
  events: number;
  failures: string[];
}

export interface FuzzReport {
  seed: number;
  perEndpoint: number;
  endpoints: EndpointReport[];
  failures: number;
}

const kindTables: Record<ProviderId, ActivityKindTable> = {
  strava: stravaActivityKinds,
  garmin: garminActivityKinds,
  polar: polarActivityKinds,
  oura: ouraActivityKinds,
  whoop: whoopActivityKinds,
  wahoo: wahooActivityKinds,
  suunto: suuntoActivityKinds,
  coros: corosActivityKinds,
  withings: withingsActivityKinds,
  generic: genericActivityKinds,
};

/** Every secret the settings hold: none may ever appear in a log line. */
const secrets = Object.entries(allTrackersEnv)
  .filter(([name]) => /SECRET|TOKEN|CLIENT_ID/.test(name))
  .map(([, value]) => value);

const silent = createLogger({ write: () => {} });
const MAX_FAILURES_KEPT = 20;

/**
 * `perEndpoint` requests to each endpoint: first its fixtures as they are, then mutants of them. A failure is an
 * answer of 500 or more, an adapter throwing anything but an AppError, an event the worker would refuse (or that
 * cannot be made into a session), or a secret in a log line.
 */
export async function fuzzWebhooks(o: { seed: number; perEndpoint: number }): Promise<FuzzReport> {
  const reports: EndpointReport[] = [];
  for (const [n, endpoint] of endpoints.entries()) reports.push(await fuzzEndpoint(endpoint, o.perEndpoint, o.seed + n));
  return { seed: o.seed, perEndpoint: o.perEndpoint, endpoints: reports, failures: reports.reduce((sum, r) => sum + r.failures.length, 0) };
}

async function fuzzEndpoint(endpoint: Endpoint, requests: number, seed: number): Promise<EndpointReport> {
  const r = seededRandom(seed);
  const clock = manualClock('2026-11-20T10:00:00Z');
  const report: EndpointReport = { tracker: endpoint.tracker, requests: 0, statuses: {}, events: 0, failures: [] };
  const fail = (what: string) => void (report.failures.length < MAX_FAILURES_KEPT && report.failures.push(what));
  let current = '';
  const adapters = new Map(
    [...allWebhookAdapters()].map(([id, a]) => [id, watched(a, (step, err) => fail(`${current}: ${step} threw ${describe(err)}`))]),
  );
  const log = createLogger({ write: (line) => secrets.some((s) => line.includes(s)) && fail(`${current}: a log line holds a secret`) });
  let published: TrackerEvent[] = [];
  const handle = createWebhookHandler({
    adapters,
    publisher: { publish: async (events) => void published.push(...events) },
    clock,
    log,
    maxBodyBytes: 64 * 1024,
  });

  for (let i = 0; i < requests; i++) {
    const original = endpoint.bodies[i % endpoint.bodies.length]!;
    let body = i < endpoint.bodies.length ? original : mutateBody(r, original, endpoint.form);
    if (endpoint.authorize && r.chance(0.9)) body = endpoint.authorize(body);
    current = `${endpoint.tracker} request ${i} (seed ${seed}) body ${JSON.stringify(body.toString('utf8').slice(0, 300))}`;
    published = [];
    const reply = await handle(endpoint.tracker, {
      method: 'POST',
      subpath: endpoint.subpath,
      query: {},
      headers: endpoint.sign(body, clock.now()),
      rawBody: body,
    });
    report.requests++;
    report.statuses[reply.status] = (report.statuses[reply.status] ?? 0) + 1;
    const message = String((reply.body as { message?: unknown } | undefined)?.message ?? '');
    if (reply.status >= 500) fail(`${current}: answered ${reply.status} ${message}`);
    if (message.startsWith(INVALID_EVENT_MESSAGE)) fail(`${current}: ${message}`);
    for (const event of published) {
      report.events++;
      const problem = workerReading(event);
      if (problem) fail(`${current}: published an event the worker cannot take: ${problem}`);
    }
  }
  return report;
}

/** What the worker does with an event before any I/O: decode it, resolve the kind, build the session. */
function workerReading(event: TrackerEvent): string | undefined {
  try {
    const decoded = decodeTrackerEvent(JSON.parse(encodeTrackerEvent(event).toString('utf8')));
    if (!decoded.workout) return undefined;
    const kind = resolveActivityKind(kindTables[decoded.provider], decoded.workout.sportType, silent, decoded.provider);
    const session = toWorkoutSession(decoded.workout, kind);
    const numbers = [session.startMs, session.endMs, session.startUtcOffsetSec, session.endUtcOffsetSec, ...Object.values(session.metrics)];
    return numbers.every(Number.isFinite) && session.endMs >= session.startMs ? undefined : 'its session has impossible numbers';
  } catch (err) {
    return describe(err);
  }
}

/** The adapter, reporting every throw that is not an AppError (an AppError is a proper answer; anything else a crash). */
function watched(adapter: WebhookAdapter, crashed: (step: string, err: unknown) => void): WebhookAdapter {
  const guard =
    <A extends unknown[], R>(step: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (err) {
        if (!(err instanceof AppError)) crashed(step, err);
        throw err;
      }
    };
  return {
    ...adapter,
    verify: guard('verify', adapter.verify),
    toEvents: guard('toEvents', adapter.toEvents),
    ...(adapter.handshake ? { handshake: guard('handshake', adapter.handshake) } : {}),
  };
}

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);

/** The report as a Markdown table: requests and answers per endpoint. */
export function reportTable(report: FuzzReport): string {
  const statuses = [...new Set(report.endpoints.flatMap((e) => Object.keys(e.statuses).map(Number)))].sort((a, b) => a - b);
  const head = `| endpoint | requests | ${statuses.join(' | ')} | events published | failures |`;
  const rule = `|---|---:|${statuses.map(() => '---:').join('|')}|---:|---:|`;
  const rows = report.endpoints.map(
    (e) =>
      `| /${e.tracker} | ${e.requests} | ${statuses.map((s) => e.statuses[s] ?? 0).join(' | ')} | ${e.events} | ${e.failures.length} |`,
  );
  return [head, rule, ...rows].join('\n');
}
