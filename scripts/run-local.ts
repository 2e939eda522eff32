import { fitActivityTypeName } from '../shared/providers/generic/fit-activity-types.ts';
import { runFitsyncCli } from '../test/support/fitsync-cli.ts';
import { startFunction, type RunningFunction } from '../test/support/functions-cli.ts';
import { startStack, STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN } from '../test/support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../test/support/strava-fixtures.ts';

/**
 * `npm run start:local`: fitsync's whole pipeline on this machine, no Google account needed.
 * Real parts: both function bundles under the functions-framework CLI, the Firestore emulator, gRPC Secret
 * Manager and Pub/Sub servers built from the client libraries' protos, the operator `link` command.
 * LOCAL STAND-INS (loopback HTTP servers that answer like the real services): Google OAuth + Google Fit, Strava.
 * Pointing fitsync at real Google is only configuration (README "Configuration").
 */
const say = (line = '') => process.stdout.write(`${line}\n`);
const athleteId = 134815;
const userId = 'demo-user';

const stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000 } });
let webhook: RunningFunction | undefined;
let worker: RunningFunction | undefined;
try {
  say('fitsync local run');
  say(`  Firestore emulator ............ ${stack.firestore.host}`);
  say(`  Secret Manager (gRPC) ......... ${stack.secretManager.host}`);
  say(`  Pub/Sub (REST+gRPC, push) ..... ${stack.pubsub.host}`);
  say(`  LOCAL STAND-IN Google OAuth+Fit ${stack.google.url}`);
  say(`  LOCAL STAND-IN Strava API ..... ${stack.strava.url}`);

  // Link the demo user with the documented operator command, reading the link file from standard input.
  const tokens = { google: `1//demo-google-refresh-${Date.now()}`, access: `demo-strava-access-${Date.now()}`, refresh: `demo-strava-refresh-${Date.now()}` };
  const expiresAt = Math.floor(Date.now() / 1000) + 6 * 3600;
  stack.google.addUser(userId, tokens.google);
  stack.strava.addAthlete({ id: athleteId, accessToken: tokens.access, refreshToken: tokens.refresh, expiresAt });
  const { stdout: link } = await runFitsyncCli(['link', '--file', '-', '--no-backfill'], stack.env, JSON.stringify({ userId, google: { refreshToken: tokens.google }, trackers: [{ tracker: 'strava', trackerUserId: String(athleteId), accessToken: tokens.access, refreshToken: tokens.refresh, expiresAt }] }));
  say();
  say(`$ npm run fitsync -- link --file -`);
  say(link.trim().replace(/^/gm, '  '));

  [webhook, worker] = await Promise.all([
    startFunction({ target: 'webhook', source: 'dist/webhook', env: stack.env }),
    startFunction({ target: 'worker', source: 'dist/worker', signatureType: 'cloudevent', env: stack.env }),
  ]);
  stack.pubsub.pushTo('fitsync-events', worker.url);
  say(`  webhook (functions-framework) . ${webhook.url}/strava`);
  say(`  worker  (functions-framework) . ${worker.url} (push target of fitsync-events)`);

  const hs = await fetch(`${webhook.url}/strava?hub.mode=subscribe&hub.challenge=local-check&hub.verify_token=${STRAVA_VERIFY_TOKEN}`);
  say();
  say(`Strava subscription handshake → ${hs.status} ${await hs.text()}`);

  const activities = [
    stravaActivity({ id: 17000000001, name: 'Morning Run', sport_type: 'Run', start_date: '2026-11-20T06:30:00Z', elapsed_time: 3120, moving_time: 3004 }),
    stravaActivity({ id: 17000000002, name: 'Commute', sport_type: 'Ride', start_date: '2026-11-20T08:05:00Z', elapsed_time: 1500, moving_time: 1380 }),
    stravaActivity({ id: 17000000003, name: 'Lunch swim', sport_type: 'Swim', start_date: '2026-11-20T12:10:00Z', elapsed_time: 2400, moving_time: 2100 }),
  ];
  for (const a of activities) stack.strava.putActivity(athleteId, a);
  const t0 = Math.floor(Date.now() / 1000);
  const webhookUrl = webhook.url;
  const replay = async (label: string, body: ReturnType<typeof stravaWebhookEvent>) => {
    const res = await fetch(`${webhookUrl}/strava`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, subscription_id: STRAVA_SUBSCRIPTION_ID }) });
    say(`  ${label.padEnd(44)} → ${res.status}`);
  };
  say('Replaying Strava webhook events:');
  for (const [i, a] of activities.entries()) await replay(`create ${a.id} (${a.sport_type})`, stravaWebhookEvent({ object_id: Number(a.id), owner_id: athleteId, event_time: t0 + i }));
  await stack.pubsub.idle();
  await replay(`create ${activities[0]!.id} again (Strava retry)`, stravaWebhookEvent({ object_id: Number(activities[0]!.id), owner_id: athleteId, event_time: t0 }));
  await stack.pubsub.idle();
  stack.strava.putActivity(athleteId, { ...activities[1]!, name: 'Commute (rainy)', sport_type: 'EBikeRide' });
  await replay(`update ${activities[1]!.id} (renamed, now EBikeRide)`, stravaWebhookEvent({ object_id: Number(activities[1]!.id), owner_id: athleteId, aspect_type: 'update', updates: { title: 'Commute (rainy)' }, event_time: t0 + 10 }));
  stack.strava.deleteActivity(Number(activities[2]!.id));
  await replay(`delete ${activities[2]!.id}`, stravaWebhookEvent({ object_id: Number(activities[2]!.id), owner_id: athleteId, aspect_type: 'delete', event_time: t0 + 11 }));
  await stack.pubsub.idle();

  say();
  say(`Google Fit sessions of ${userId} (LOCAL STAND-IN Fit server):`);
  console.table(
    stack.google.sessions(userId).map((s) => ({
      id: s.id,
      name: s.name,
      activityType: `${s.activityType} ${fitActivityTypeName(s.activityType) ?? ''}`.trim(),
      start: new Date(Number(s.startTimeMillis)).toISOString(),
      end: new Date(Number(s.endTimeMillis)).toISOString(),
      activeMin: s.activeTimeMillis ? Math.round(Number(s.activeTimeMillis) / 60000) : '',
    })),
  );
  const writes = stack.google.requests.filter((r) => r.path.startsWith('/fitness/')).map((r) => `${r.method} ${decodeURIComponent(r.path.split('/').pop() ?? '')} ${r.status}`);
  say(`Fit API calls: ${writes.join(', ')}`);
  say(`Pub/Sub deliveries to worker: ${stack.pubsub.deliveries.length}, dead letters: ${stack.pubsub.deadLetters().length}`);
} finally {
  await Promise.allSettled([webhook?.stop(), worker?.stop()]);
  await stack.stop();
}
