// infra/deploy.sh, rollback.sh and teardown.sh against a stand-in gcloud that records every call and answers
// "found" only for what an earlier call created (fake-gcloud.sh). No real gcloud is needed or reachable.

import { readFile, rm, writeFile } from 'node:fs/promises';
import test from 'ava';
import { backfillTriggerSubscription, member, project, projectArgs, pubsubAgent, region, sa, triggerSubscription } from './demo-project.ts';
import { assertFunctionsOnlyRedeploy, defaultSecrets, deployFromBlank, type Fresh, functionDeploys } from './deploy-runs.ts';
import { changesOf, gcloudFreeEnv, plannedChanges } from './dry-run-plans.ts';
import { type Call, deployOf, envOf, find, type Grant, grantsOf, isChange } from './gcloud-calls.ts';
import { allowScriptRuns, infra, type RunResult, removeTempDirs, runBash, StandIn } from './stand-in.ts';

test.after.always(removeTempDirs);

const forbiddenRoles = [
  'roles/owner',
  'roles/editor',
  'roles/datastore.owner',
  'roles/pubsub.admin',
  'roles/secretmanager.admin',
  'roles/iam.serviceAccountAdmin',
  'roles/run.admin',
];

/** Every role deploy.sh may grant; anything else is a failure even if it is not on the forbidden list. */
const allowedRoles = new Set([
  'roles/pubsub.publisher',
  'roles/pubsub.subscriber',
  'roles/pubsub.viewer',
  'roles/secretmanager.secretAccessor',
  'roles/datastore.user',
  'roles/run.invoker',
  'roles/iam.serviceAccountUser',
  'roles/logging.logWriter',
  'roles/artifactregistry.writer',
  'roles/storage.objectViewer',
  'roles/cloudfunctions.developer',
  'roles/eventarc.viewer',
]);

/** The complete IAM change of a fresh deploy: to whom, on what. infra/README.md has the why of each line. */
const expectedGrants: Grant[] = [
  { on: 'topic fitsync-events', role: 'roles/pubsub.publisher', member: member('fitsync-webhook') },
  { on: 'secret fitsync-strava-verify-token', role: 'roles/secretmanager.secretAccessor', member: member('fitsync-webhook') },
  { on: `project ${project}`, role: 'roles/datastore.user', member: member('fitsync-worker') },
  { on: 'secret fitsync-token-key', role: 'roles/secretmanager.secretAccessor', member: member('fitsync-worker') },
  { on: 'secret fitsync-google-oauth-client', role: 'roles/secretmanager.secretAccessor', member: member('fitsync-worker') },
  { on: 'secret fitsync-strava-oauth-client', role: 'roles/secretmanager.secretAccessor', member: member('fitsync-worker') },
  { on: 'topic fitsync-backfill', role: 'roles/pubsub.publisher', member: member('fitsync-worker') },
  { on: 'run-service worker', role: 'roles/run.invoker', member: member('fitsync-trigger') },
  { on: 'topic fitsync-events-dead-letter', role: 'roles/pubsub.publisher', member: pubsubAgent },
  { on: `subscription ${triggerSubscription}`, role: 'roles/pubsub.subscriber', member: pubsubAgent },
  { on: 'run-service backfill', role: 'roles/run.invoker', member: member('fitsync-trigger') },
  { on: 'topic fitsync-backfill-dead-letter', role: 'roles/pubsub.publisher', member: pubsubAgent },
  { on: `subscription ${backfillTriggerSubscription}`, role: 'roles/pubsub.subscriber', member: pubsubAgent },
  { on: `project ${project}`, role: 'roles/logging.logWriter', member: member('fitsync-build') },
  { on: `project ${project}`, role: 'roles/artifactregistry.writer', member: member('fitsync-build') },
  { on: `project ${project}`, role: 'roles/storage.objectViewer', member: member('fitsync-build') },
  { on: `project ${project}`, role: 'roles/cloudfunctions.developer', member: member('fitsync-deployer') },
  { on: `project ${project}`, role: 'roles/logging.logWriter', member: member('fitsync-deployer') },
  { on: `project ${project}`, role: 'roles/pubsub.viewer', member: member('fitsync-deployer') },
  { on: `project ${project}`, role: 'roles/eventarc.viewer', member: member('fitsync-deployer') },
  { on: `project ${project}`, role: 'roles/storage.objectViewer', member: member('fitsync-deployer') },
  { on: `project ${project}`, role: 'roles/datastore.user', member: member('fitsync-connect') },
  ...['fitsync-token-key', 'fitsync-google-oauth-client', 'fitsync-connect-session-key', 'fitsync-strava-oauth-client'].map((secret) => ({
    on: `secret ${secret}`,
    role: 'roles/secretmanager.secretAccessor',
    member: member('fitsync-connect'),
  })),
  { on: 'topic fitsync-backfill', role: 'roles/pubsub.publisher', member: member('fitsync-connect') },
  ...['fitsync-webhook', 'fitsync-worker', 'fitsync-connect', 'fitsync-trigger', 'fitsync-build'].map((id) => ({
    on: `service-account ${sa(id)}`,
    role: 'roles/iam.serviceAccountUser',
    member: member('fitsync-deployer'),
  })),
];

const key = (g: Grant) => `${g.on} | ${g.role} | ${g.member}`;
/** Each topic-triggered function: its trigger subscription and the dead-letter topic and subscription it gets. */
const topicFunctions = [
  { fn: 'worker', topic: 'fitsync-events', subscription: triggerSubscription, deadLetter: 'fitsync-events-dead-letter' },
  { fn: 'backfill', topic: 'fitsync-backfill', subscription: backfillTriggerSubscription, deadLetter: 'fitsync-backfill-dead-letter' },
] as const;

/** The README's sequence on a blank project, shared by the tests below, which fork its state. */
let fresh: Promise<Fresh> | undefined;
function freshDeploy(): Promise<Fresh> {
  fresh ??= deployFromBlank(projectArgs, defaultSecrets);
  return fresh;
}

test.serial('a blank project: the first run builds everything but the functions and says how to add the secret values', async (t) => {
  allowScriptRuns(t, 2);
  const { first } = await freshDeploy();
  t.is(first.status, 2, first.stdout);
  t.is(find(first.calls, 'functions deploy').length, 0);
  t.regex(first.stdout, /gcloud secrets versions add fitsync-strava-verify-token --project=demo-proj --data-file=-/);
  t.regex(first.stdout, /head -c32 \/dev\/urandom \| base64 \| gcloud secrets versions add fitsync-token-key/);
  t.regex(first.stdout, /run this script again/);
});

test.serial('a blank project: every resource is created once, with the intended settings', async (t) => {
  allowScriptRuns(t, 2);
  const { first, second } = await freshDeploy();
  const calls = [...first.calls, ...second.calls];
  const created = (command: string) => find(calls, command).map((c) => c.name);

  const enable = find(calls, 'services enable');
  t.is(enable.length, 1);
  const apis = enable[0]!.argv.filter((a) => a.endsWith('.googleapis.com'));
  for (const api of [
    'cloudfunctions',
    'run',
    'cloudbuild',
    'artifactregistry',
    'eventarc',
    'pubsub',
    'firestore',
    'secretmanager',
    'cloudscheduler',
    'iam',
  ]) {
    t.true(apis.includes(`${api}.googleapis.com`), api);
  }

  t.deepEqual(created('iam service-accounts create').sort(), [
    'fitsync-build',
    'fitsync-connect',
    'fitsync-deployer',
    'fitsync-trigger',
    'fitsync-webhook',
    'fitsync-worker',
  ]);
  t.deepEqual(created('pubsub topics create').sort(), [
    'fitsync-backfill',
    'fitsync-backfill-dead-letter',
    'fitsync-events',
    'fitsync-events-dead-letter',
  ]);

  const dlq = find(calls, 'pubsub subscriptions create');
  t.deepEqual(dlq.map((c) => c.name).sort(), ['fitsync-backfill-dead-letter-sub', 'fitsync-events-dead-letter-sub']);
  for (const c of dlq) {
    t.is(c.flags.get('--topic'), String(c.name).replace(/-sub$/, ''), `${c.name} keeps its own topic's dead letters`);
    t.is(c.flags.get('--expiration-period'), 'never');
    t.is(c.flags.get('--message-retention-duration'), '7d');
  }

  const secretCreates = find(calls, 'secrets create');
  t.deepEqual(secretCreates.map((c) => c.name).sort(), [...defaultSecrets].sort());
  for (const c of secretCreates) {
    t.is(c.flags.get('--replication-policy'), 'automatic');
    t.false(c.flags.has('--data-file'), 'secrets are created without a value');
  }
  t.is(find(calls, 'secrets versions add').length, 0, 'the script never adds a secret value');

  const db = find(calls, 'firestore databases create');
  t.is(db.length, 1);
  t.is(db[0]!.flags.get('--type'), 'firestore-native');
  t.is(db[0]!.flags.get('--database'), '(default)');
  t.is(db[0]!.flags.get('--location'), region);
  const ttl = find(calls, 'firestore fields ttls update');
  t.deepEqual(ttl.map((c) => `${c.flags.get('--collection-group')}.${c.name}`).sort(), [
    'backfillJobs.expireAt',
    'budgets.expireAt',
    'connectStates.expireAt',
    'events.expireAt',
    'linkGenerations.expireAt',
    'sessionRevisions.expireAt',
  ]);
  for (const c of ttl) {
    t.true(c.flags.has('--enable-ttl'));
    t.is(c.flags.get('--database'), '(default)');
  }

  const index = find(calls, 'firestore indexes composite create');
  t.is(index.length, 3, "three composite indexes: one tracker's workouts in a window, every tracker's (merging), the connect page's list");
  for (const c of index) {
    t.is(c.flags.get('--collection-group'), 'activities');
    t.is(c.flags.get('--query-scope'), 'collection');
    t.is(c.flags.get('--database'), '(default)');
    t.true(calls.indexOf(db[0]!) < calls.indexOf(c), 'the index goes into the database just created');
  }
  t.deepEqual(
    index.map((c) => c.argv.filter((a) => a.startsWith('--field-config='))),
    [
      ['provider', 'userId', 'startMs'].map((f) => `--field-config=field-path=${f},order=ascending`),
      ['userId', 'startMs'].map((f) => `--field-config=field-path=${f},order=ascending`),
      ['--field-config=field-path=userId,order=ascending', '--field-config=field-path=updatedAt,order=descending'],
    ],
    'provider ==, userId ==, then the range on startMs; userId ==, newest updatedAt first',
  );

  const job = find(calls, 'scheduler jobs create pubsub');
  t.is(job.length, 1);
  t.is(job[0]!.flags.get('--topic'), 'fitsync-backfill');
  t.is(job[0]!.flags.get('--schedule'), '0 * * * *');
  t.deepEqual(JSON.parse(String(job[0]!.flags.get('--message-body'))), { type: 'backfill-sweep', v: 1, windowHours: 48 });

  const update = find(calls, 'pubsub subscriptions update');
  t.deepEqual(
    update.map((c) => c.name),
    topicFunctions.map((f) => f.subscription),
    'the policy goes on each trigger subscription',
  );
  for (const { fn, subscription, deadLetter } of topicFunctions) {
    const c = find(update, 'pubsub subscriptions update', subscription)[0]!;
    t.is(c.flags.get('--dead-letter-topic'), `projects/${project}/topics/${deadLetter}`, fn);
    t.is(c.flags.get('--max-delivery-attempts'), '10', fn);
    t.is(c.flags.get('--min-retry-delay'), '10s', fn);
    t.is(c.flags.get('--max-retry-delay'), '600s', fn);
  }
});

test.serial('a blank project: worker, backfill and webhook are deployed as 2nd gen nodejs22 with their definitions', async (t) => {
  allowScriptRuns(t, 2);
  const { second } = await freshDeploy();
  const worker = deployOf(second.calls, 'worker');
  const backfill = deployOf(second.calls, 'backfill');
  const webhook = deployOf(second.calls, 'webhook');
  for (const [fn, c] of [
    ['worker', worker],
    ['webhook', webhook],
  ] as const) {
    t.is(c.flags.get('--entry-point'), fn);
    t.true(String(c.flags.get('--source')).endsWith(`/dist/${fn}`), fn);
    t.is(c.flags.get('--service-account'), sa(`fitsync-${fn}`));
  }
  for (const [fn, c] of [
    ['worker', worker],
    ['backfill', backfill],
    ['webhook', webhook],
    ['connect', deployOf(second.calls, 'connect')],
  ] as const) {
    t.true(c.flags.has('--gen2'), fn);
    t.is(c.flags.get('--runtime'), 'nodejs22', fn);
    t.is(c.flags.get('--build-service-account'), `projects/${project}/serviceAccounts/${sa('fitsync-build')}`);
    t.true(c.flags.has('--serve-all-traffic-latest-revision'), fn);
    t.like(envOf(c), {
      GOOGLE_CLOUD_PROJECT: project,
      FITSYNC_EVENTS_TOPIC: 'fitsync-events',
      FITSYNC_TRACKERS: 'strava',
      LOG_LEVEL: 'INFO',
    });
  }

  t.true(webhook.flags.has('--trigger-http'));
  t.true(webhook.flags.has('--allow-unauthenticated'));
  t.is(webhook.flags.get('--min-instances'), '1', "Strava's 2 s deadline");
  t.is(webhook.flags.get('--memory'), '256Mi');
  t.is(webhook.flags.get('--set-secrets'), 'STRAVA_VERIFY_TOKEN=fitsync-strava-verify-token:latest');
  t.is(envOf(webhook).STRAVA_SUBSCRIPTION_ID, 'pending', 'no Strava subscription exists before the first deploy');

  // worker and backfill: private, on their topics, with retries.
  for (const { fn, topic } of topicFunctions) {
    const c = deployOf(second.calls, fn);
    t.is(c.flags.get('--trigger-topic'), topic, fn);
    t.true(c.flags.has('--retry'), fn);
    t.true(c.flags.has('--no-allow-unauthenticated'), fn);
    t.false(c.flags.has('--allow-unauthenticated'), fn);
    t.false(c.flags.has('--trigger-http'), fn);
    t.is(c.flags.get('--trigger-service-account'), sa('fitsync-trigger'), fn);
    t.false(c.flags.has('--set-secrets'), `${fn} reads its secrets through the API`);
  }
  t.is(worker.flags.get('--memory'), '512Mi');
  // Sized from the worker benchmark (docs/speed.md): events wait on HTTP, so one vCPU serves 16 at once.
  t.is(worker.flags.get('--cpu'), '1', 'concurrency above 1 needs a whole vCPU');
  t.is(worker.flags.get('--concurrency'), '16');
  t.is(worker.flags.get('--min-instances'), '0', 'nothing at rest');
  t.is(worker.flags.get('--max-instances'), '3', '48 events in flight at most');
  t.is(worker.flags.get('--timeout'), '120s');
  t.like(envOf(worker), {
    TOKEN_KEY_SECRET: 'fitsync-token-key',
    GOOGLE_OAUTH_CLIENT_SECRET: 'fitsync-google-oauth-client',
    STRAVA_OAUTH_CLIENT_SECRET: 'fitsync-strava-oauth-client',
    FITSYNC_BACKFILL_TOPIC: 'fitsync-backfill',
  });
  t.false('FITSYNC_BACKFILL_TOPIC' in envOf(webhook), 'the webhook never publishes backfill pages');

  // backfill: the worker's bundle, entry point and identity, with a page's timeout.
  t.is(backfill.flags.get('--service-account'), worker.flags.get('--service-account'), 'same identity as the worker');
  t.is(backfill.flags.get('--entry-point'), 'worker');
  t.is(backfill.flags.get('--source'), worker.flags.get('--source'), 'same bundle as the worker');
  t.is(backfill.flags.get('--memory'), worker.flags.get('--memory'));
  t.false(backfill.flags.has('--cpu'), "the memory tier's share of a vCPU keeps up with a page");
  t.is(backfill.flags.get('--concurrency'), '1', 'one page per instance');
  t.is(backfill.flags.get('--max-instances'), '3');
  t.is(backfill.flags.get('--min-instances'), '0', 'nothing at rest');
  t.is(backfill.flags.get('--timeout'), '540s', 'a page lists and writes up to 200 workouts');
  t.deepEqual(envOf(backfill), envOf(worker), 'same environment as the worker');
  t.true(Number(envOf(backfill).BACKFILL_LEASE_SECONDS) > 540, "a page's lease outlasts the function's timeout");
  t.true(
    Number(envOf(worker).EVENT_CLAIM_SECONDS) > Number.parseInt(String(worker.flags.get('--timeout')), 10),
    "an event's claim outlasts the worker's timeout",
  );

  const order = second.calls.map((c) => `${c.command} ${c.name}`);
  const at = (s: string) => order.indexOf(s);
  t.true(at('functions deploy worker') < at('functions deploy webhook'), 'the events topic has its subscriber before anything publishes');
  for (const { subscription } of topicFunctions) t.true(at(`pubsub subscriptions update ${subscription}`) < at('functions deploy webhook'));

  t.regex(second.stdout, /strava: https:\/\/webhook-fake123-europe-west1\.a\.run\.app\/strava/);
  t.regex(second.stdout, /push_subscriptions/);
});

test.serial('least privilege: exactly the intended grants, none of them broad', async (t) => {
  allowScriptRuns(t, 2);
  const { first, second } = await freshDeploy();
  const grants = grantsOf([...first.calls, ...second.calls]);
  t.deepEqual(grants.map(key).sort(), expectedGrants.map(key).sort());
  for (const g of grants) {
    t.false(forbiddenRoles.includes(g.role), key(g));
    t.true(allowedRoles.has(g.role), `not on the allow-list: ${key(g)}`);
    t.not(g.member, 'allUsers', 'public access comes only from --allow-unauthenticated on webhook and connect');
  }
  const projectLevel = grants.filter((g) => g.on === `project ${project}`);
  for (const id of ['fitsync-worker', 'fitsync-connect']) {
    t.deepEqual(
      projectLevel.filter((g) => g.member === member(id)).map((g) => g.role),
      ['roles/datastore.user'],
      id,
    );
  }
  for (const id of ['fitsync-webhook', 'fitsync-trigger']) {
    t.deepEqual(
      projectLevel.filter((g) => g.member === member(id)),
      [],
      `${id} has no project-level role`,
    );
  }
  const webhookGrants = grants.filter((g) => g.member === member('fitsync-webhook')).map((g) => `${g.on} ${g.role}`);
  t.deepEqual(webhookGrants.sort(), [
    'secret fitsync-strava-verify-token roles/secretmanager.secretAccessor',
    'topic fitsync-events roles/pubsub.publisher',
  ]);
  t.false(grants.some((g) => g.role.includes('secretVersionAdder') || g.role.includes('secretVersionManager')));
});

/** A second deploy of the fresh project, shared by the tests below: it also makes each function's second revision. */
let again: Promise<{ r: RunResult; calls: Call[]; deployed: StandIn }> | undefined;
function secondDeploy() {
  again ??= (async () => {
    const s = await (await freshDeploy()).deployed.fork();
    const r = await s.run('deploy.sh', projectArgs);
    return { r, calls: await s.calls(), deployed: s };
  })();
  return again;
}

test.serial('a second run against the same project changes nothing but the function code it ships', async (t) => {
  allowScriptRuns(t, 3);
  const { r, calls } = await secondDeploy();
  t.is(r.status, 0, r.stderr);
  const changes = calls.filter(isChange);
  // A deploy always uploads the current bundle (a new revision); everything else must be left as it is.
  t.deepEqual(
    changes.map((c) => `${c.command} ${c.name}`),
    functionDeploys,
  );
  t.regex(r.stdout, /kept {4}service account fitsync-webhook/);
  t.regex(r.stdout, /kept {4}TTL policy on budgets\.expireAt/);
  t.regex(r.stdout, /kept {4}composite index on activities \(provider:ascending,userId:ascending,startMs:ascending\)/);
  t.regex(r.stdout, /kept {4}subscription fitsync-backfill-dead-letter-sub/);
  t.regex(r.stdout, new RegExp(`kept {4}dead-letter and retry policy on ${backfillTriggerSubscription}`));
});

test.serial('the Strava subscription id is deployed when given and kept by later deploys', async (t) => {
  allowScriptRuns(t, 5);
  const s = await (await freshDeploy()).deployed.fork();
  const bad = await s.run('deploy.sh', [...projectArgs, '--strava-subscription-id', 'abc']);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /must be the number Strava returned/);

  const r1 = await s.run('deploy.sh', [...projectArgs, '--strava-subscription-id', '98765']);
  t.is(r1.status, 0, r1.stderr);
  t.is(envOf(deployOf(await s.calls(), 'webhook')).STRAVA_SUBSCRIPTION_ID, '98765');
  t.notRegex(r1.stdout, /push_subscriptions/, 'no Strava instructions once the id is known');

  await s.clearCalls();
  const r2 = await s.run('deploy.sh', projectArgs);
  t.is(r2.status, 0, r2.stderr);
  t.is(envOf(deployOf(await s.calls(), 'webhook')).STRAVA_SUBSCRIPTION_ID, '98765');
});

test.serial('--functions-only (the Cloud Build path) deploys the same definitions and touches nothing else', async (t) => {
  allowScriptRuns(t, 3);
  const { r, calls } = await assertFunctionsOnlyRedeploy(t, await freshDeploy(), 'same flags as the full deploy, minus the IAM change');
  t.is(grantsOf(calls).length, 0);
  for (const { subscription } of topicFunctions) t.regex(r.stdout, new RegExp(`checked dead-letter and retry policy on ${subscription}`));
});

test.serial('--functions-only refuses a project where the functions do not exist yet', async (t) => {
  allowScriptRuns(t, 1);
  const s = await StandIn.create();
  const r = await s.run('deploy.sh', [...projectArgs, '--functions-only']);
  t.is(r.status, 1);
  t.regex(r.stderr, /not deployed yet/);
  t.is((await s.calls()).filter(isChange).length, 0);
});

for (const { fn, subscription } of topicFunctions) {
  test.serial(`--functions-only fails when the ${fn} trigger lost its dead-letter policy`, async (t) => {
    allowScriptRuns(t, 4);
    const s = await (await freshDeploy()).deployed.fork();
    await rm(s.state(`policy-${subscription}`));
    const r = await s.run('deploy.sh', [...projectArgs, '--functions-only']);
    t.is(r.status, 1);
    t.regex(r.stderr, new RegExp(`${fn} trigger subscription ${subscription} lacks its dead-letter/retry policy`));
    const full = await s.run('deploy.sh', projectArgs);
    t.is(full.status, 0, full.stderr);
    const updates = find(await s.calls(), 'pubsub subscriptions update');
    t.deepEqual(
      updates.map((c) => c.name),
      [subscription],
      'a full deploy sets it again, and only there',
    );
  });
}

test.serial('an index on other fields, or the implicit __name__ field, does not hide a missing index', async (t) => {
  allowScriptRuns(t, 3);
  const s = await StandIn.create();
  await s.gcloud([
    'firestore',
    'databases',
    'create',
    '--database=(default)',
    `--project=${project}`,
    `--location=${region}`,
    '--type=firestore-native',
  ]);
  const other = await s.gcloud([
    'firestore',
    'indexes',
    'composite',
    'create',
    '--collection-group=activities',
    `--project=${project}`,
    '--database=(default)',
    '--field-config=field-path=provider,order=ascending',
    '--field-config=field-path=userId,order=ascending',
  ]);
  t.is(other.status, 0, other.stderr);
  await s.clearCalls();
  await s.run('deploy.sh', projectArgs);
  const created = find(await s.calls(), 'firestore indexes composite create');
  const withProviderAndStart = (c: { argv: string[] }) =>
    c.argv.includes('--field-config=field-path=provider,order=ascending') &&
    c.argv.includes('--field-config=field-path=startMs,order=ascending');
  t.is(created.filter(withProviderAndStart).length, 1);
  await s.clearCalls();
  await s.run('deploy.sh', projectArgs);
  t.is(find(await s.calls(), 'firestore indexes composite create').length, 0, 'created once, then kept');
});

test.serial('the stand-in gcloud refuses a flag its command does not take, as gcloud does', async (t) => {
  allowScriptRuns(t, 3);
  const s = await StandIn.create();
  const refused = await s.gcloud(['functions', 'deploy', 'webhook', `--project=${project}`, '--ingres-settings=all']);
  t.is(refused.status, 2);
  t.regex(refused.stderr, /unrecognized arguments: --ingres-settings \(for gcloud functions deploy\)/);
  const projectOnly = await s.gcloud(['pubsub', 'topics', 'add-iam-policy-binding', 't', `--project=${project}`, '--condition=None']);
  t.regex(projectOnly.stderr, /unrecognized arguments: --condition/, 'only a project binding takes a condition');
  const unknown = await s.gcloud(['functions', 'frobnicate', `--project=${project}`]);
  t.regex(unknown.stderr, /unknown command: functions frobnicate/);
});

test.serial('an error other than NOT_FOUND stops the run instead of creating', async (t) => {
  allowScriptRuns(t, 1);
  const s = await StandIn.create();
  const r = await s.run('deploy.sh', projectArgs, { env: { FAKE_GCLOUD_FAIL: 'pubsub topics describe' } });
  t.is(r.status, 1);
  t.regex(r.stderr, /PERMISSION_DENIED/);
  t.is(find(await s.calls(), 'pubsub topics create').length, 0);
});

test.serial('--dry-run prints every command of a fresh deploy and needs no gcloud', async (t) => {
  allowScriptRuns(t, 3);
  const env = await gcloudFreeEnv();
  t.not((await runBash(['-c', 'command -v gcloud'], env)).status, 0, 'no gcloud on this PATH');

  const { deployed } = await freshDeploy();
  const r = await runBash([infra('deploy.sh'), ...projectArgs, '--dry-run', '--dist', deployed.dist], env);
  t.is(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  t.true(lines.includes('npm run build'));

  t.deepEqual(plannedChanges(r.stdout).sort(), changesOf(await freshDeploy()).sort());

  const checks = lines.filter((l) => l.startsWith('# check: gcloud '));
  t.true(checks.some((l) => l.includes('gcloud pubsub topics describe fitsync-events')));
});

test.serial('rollback sends traffic to the revision before the serving one', async (t) => {
  allowScriptRuns(t, 4);
  const second = await secondDeploy(); // a second revision of each function
  t.is(second.r.status, 0, second.r.stderr);
  const s = await second.deployed.fork();

  const r = await s.run('rollback.sh', [...projectArgs, '--function', 'webhook']);
  t.is(r.status, 0, r.stderr);
  const update = find(await s.calls(), 'run services update-traffic');
  t.is(update.length, 1);
  t.is(update[0]!.name, 'webhook');
  t.is(update[0]!.flags.get('--to-revisions'), 'webhook-00001-fak=100');
  t.regex(r.stderr, /webhook-00002-fak/);
  t.is((await readFile(s.state('function-webhook.serving'), 'utf8')).trim(), 'webhook-00001-fak');

  const none = await s.run('rollback.sh', [...projectArgs, '--function', 'webhook']);
  t.is(none.status, 1, 'nothing older than the first revision');
  t.regex(none.stderr, /nothing to roll back to/);

  const backfill = await s.run('rollback.sh', [...projectArgs, '--function', 'backfill']);
  t.is(backfill.status, 0, backfill.stderr);
  t.is((await readFile(s.state('function-backfill.serving'), 'utf8')).trim(), 'backfill-00001-fak');
  t.is(
    (await readFile(s.state('function-worker.serving'), 'utf8')).trim(),
    'worker-00002-fak',
    'the worker keeps serving its own revision',
  );

  const bad = await s.run('rollback.sh', [...projectArgs, '--function', 'nope']);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /one of: worker backfill webhook connect/);
});

test.serial('rollback and teardown --dry-run print their commands without gcloud', async (t) => {
  allowScriptRuns(t, 2);
  const env = await gcloudFreeEnv();
  for (const [fn, revision] of [
    ['worker', 'worker-00003-abc'],
    ['backfill', 'backfill-00002-abc'],
  ] as const) {
    const rb = await runBash([infra('rollback.sh'), ...projectArgs, '--function', fn, '--revision', revision, '--dry-run'], env);
    t.is(rb.status, 0, rb.stderr);
    t.true(
      rb.stdout
        .split('\n')
        .includes(`gcloud run services update-traffic ${fn} --region=${region} --project=${project} --to-revisions=${revision}=100`),
      fn,
    );
  }
  const rbAuto = await runBash([infra('rollback.sh'), ...projectArgs, '--function', 'webhook', '--dry-run'], env);
  t.is(rbAuto.status, 0, rbAuto.stderr);
  t.regex(rbAuto.stdout, /# check: gcloud run revisions list --service=webhook/);
  t.regex(rbAuto.stdout, /^gcloud run services update-traffic webhook .*--to-revisions=PREVIOUS_REVISION=100$/m);

  const td = await runBash([infra('teardown.sh'), ...projectArgs, '--dry-run'], env);
  t.is(td.status, 0, td.stderr);
  const commands = td.stdout.split('\n').filter((l) => l.startsWith('gcloud '));
  for (const expected of [
    `gcloud functions delete webhook --gen2 --region=${region} --project=${project} --quiet`,
    `gcloud functions delete worker --gen2 --region=${region} --project=${project} --quiet`,
    `gcloud functions delete backfill --gen2 --region=${region} --project=${project} --quiet`,
    `gcloud scheduler jobs delete fitsync-backfill-sweep --location=${region} --project=${project} --quiet`,
    `gcloud pubsub subscriptions delete fitsync-events-dead-letter-sub --project=${project} --quiet`,
    `gcloud pubsub subscriptions delete fitsync-backfill-dead-letter-sub --project=${project} --quiet`,
    `gcloud pubsub topics delete fitsync-events --project=${project} --quiet`,
    `gcloud pubsub topics delete fitsync-backfill --project=${project} --quiet`,
    `gcloud pubsub topics delete fitsync-events-dead-letter --project=${project} --quiet`,
    `gcloud pubsub topics delete fitsync-backfill-dead-letter --project=${project} --quiet`,
    `gcloud iam service-accounts delete ${sa('fitsync-worker')} --project=${project} --quiet`,
  ]) {
    t.true(commands.includes(expected), expected);
  }
  const deletedFunctions = commands.filter((l) => l.startsWith('gcloud functions delete ')).map((l) => l.split(' ')[3]);
  t.deepEqual(deletedFunctions, ['connect', 'webhook', 'backfill', 'worker'], 'the reverse of the deploy order');
  t.false(
    commands.some((l) => l.startsWith('gcloud secrets delete') || l.startsWith('gcloud firestore databases delete')),
    'data is kept',
  );

  const tdAll = await runBash([infra('teardown.sh'), ...projectArgs, '--dry-run', '--delete-data'], env);
  t.regex(tdAll.stdout, /^gcloud secrets delete fitsync-token-key --project=demo-proj --quiet$/m);
  t.regex(tdAll.stdout, /^gcloud firestore databases delete '--database=\(default\)' --project=demo-proj --quiet$/m);
});

test.serial('teardown asks first, then removes what deploy created and keeps the data', async (t) => {
  allowScriptRuns(t, 5);
  const s = await (await freshDeploy()).deployed.fork();
  const refused = await s.run('teardown.sh', projectArgs);
  t.is(refused.status, 1);
  t.regex(refused.stderr, /refusing to delete without confirmation/);
  t.is((await s.calls()).filter(isChange).length, 0);

  const r = await s.run('teardown.sh', [...projectArgs, '--yes']);
  t.is(r.status, 0, r.stderr);
  const resources = (await readFile(s.state('resources'), 'utf8')).split('\n');
  for (const gone of [
    'function webhook',
    'function worker',
    'function backfill',
    'function connect',
    'topic fitsync-events',
    'topic fitsync-backfill',
    'topic fitsync-events-dead-letter',
    'topic fitsync-backfill-dead-letter',
    'subscription fitsync-events-dead-letter-sub',
    'subscription fitsync-backfill-dead-letter-sub',
    'job fitsync-backfill-sweep',
    'sa fitsync-worker',
    'sa fitsync-connect',
    `subscription ${triggerSubscription}`,
    `subscription ${backfillTriggerSubscription}`,
  ]) {
    t.false(resources.includes(gone), gone);
  }
  for (const kept of ['firestore (default)', 'secret fitsync-token-key', 'secret-version fitsync-token-key']) {
    t.true(resources.includes(kept), kept);
  }
  const bindings = await readFile(s.state('bindings'), 'utf8');
  t.false(bindings.includes('fitsync-'), `no grant to a deleted account is left:\n${bindings}`);

  // Deploying again after a teardown rebuilds the same project.
  await writeFile(s.state('calls.log'), '');
  const back = await s.run('deploy.sh', projectArgs);
  t.is(back.status, 0, back.stderr);
});
