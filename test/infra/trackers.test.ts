// Trackers in infra/deploy.sh: --trackers picks files in infra/trackers/, which say what each tracker needs at
// deploy time (operator values, secret bindings, the worker's secrets). Run against the stand-in gcloud
// (fake-gcloud.sh); the last tests hold every tracker file to what its modules in shared/providers/ read.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { member, project, projectArgs, region } from './demo-project.ts';
import { assertFunctionsOnlyRedeploy, deployFromBlank, type Fresh, functionDeploys, functions } from './deploy-runs.ts';
import { changesOf, gcloudFreeEnv, plannedChanges } from './dry-run-plans.ts';
import { changedNames, deployOf, dictOf, envOf, find, grantsOf, isChange } from './gcloud-calls.ts';
import { allowScriptRuns, infra, pathWithoutGcloud, removeTempDirs, repoRoot, runBash, StandIn } from './stand-in.ts';

test.after.always(removeTempDirs);

const trackers = 'strava,garmin,oura,generic';
const garminClientId = 'garmin-consumer-key-7';
const args = [...projectArgs, '--trackers', trackers, '--set', `GARMIN_CLIENT_ID=${garminClientId}`];
const webhookUrl = `https://webhook-fake123-${region}.a.run.app`;

/** What the webhook binds (env → secret) with these four trackers, and so exactly what its account may read. */
const webhookBindings: Record<string, string> = {
  STRAVA_VERIFY_TOKEN: 'fitsync-strava-verify-token',
  GARMIN_PATH_SECRET: 'fitsync-garmin-path-secret',
  OURA_VERIFICATION_TOKEN: 'fitsync-oura-verification-token',
  OURA_WEBHOOK_SECRET: 'fitsync-oura-webhook-secret',
  GENERIC_WEBHOOK_SECRET: 'fitsync-generic-webhook-secret',
};
/** The secrets worker and backfill read through the API (env → secret), and so exactly what their account may read. */
const workerSecretEnv: Record<string, string> = {
  TOKEN_KEY_SECRET: 'fitsync-token-key',
  GOOGLE_OAUTH_CLIENT_SECRET: 'fitsync-google-oauth-client',
  STRAVA_OAUTH_CLIENT_SECRET: 'fitsync-strava-oauth-client',
  GARMIN_OAUTH_CLIENT_SECRET: 'fitsync-garmin-oauth-client',
  OURA_OAUTH_CLIENT_SECRET: 'fitsync-oura-oauth-client',
};
/** The secrets only the connect function reads. */
const connectOnlySecrets = ['fitsync-connect-session-key'];
const allSecrets = [...Object.values(webhookBindings), ...Object.values(workerSecretEnv), ...connectOnlySecrets];
/** What the connect function's account may read: the key ring, the OAuth clients and its session key. */
const connectReads = [
  'fitsync-token-key',
  'fitsync-google-oauth-client',
  'fitsync-strava-oauth-client',
  'fitsync-garmin-oauth-client',
  'fitsync-oura-oauth-client',
  ...connectOnlySecrets,
];
const accessor = 'roles/secretmanager.secretAccessor';

let fresh: Promise<Fresh> | undefined;
function fourTrackers(): Promise<Fresh> {
  fresh ??= deployFromBlank(args, allSecrets);
  return fresh;
}

/** Who may read each secret: secret → sorted members, from the secretAccessor grants among the calls. */
const readers = (grants: ReturnType<typeof grantsOf>) => {
  const out: Record<string, string[]> = {};
  for (const g of grants.filter((x) => x.role === accessor)) {
    const secret = g.on.replace(/^secret /, '');
    out[secret] ??= [];
    out[secret].push(g.member);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
};

test.serial(
  'four trackers: the first run creates exactly their secrets, without values, and stops until the bound ones have values',
  async (t) => {
    allowScriptRuns(t, 3);
    const { first } = await fourTrackers();
    t.is(first.status, 2, first.stdout);
    t.is(find(first.calls, 'functions deploy').length, 0);
    const created = find(first.calls, 'secrets create');
    t.deepEqual(created.map((c) => c.name).sort(), [...allSecrets].sort());
    for (const c of created) t.false(c.flags.has('--data-file'), `${c.name} is created without a value`);
    for (const secret of allSecrets) {
      t.regex(first.stdout, new RegExp(`gcloud secrets versions add ${secret} --project=${project} `), `how to add ${secret}`);
    }
    t.regex(first.stdout, /printf 'whsec_%s'/, 'the generic secret has the shape its module checks');
    t.regex(first.stdout, /run this script again/);
  },
);

test.serial('four trackers: each function gets exactly its tracker environment and bindings', async (t) => {
  allowScriptRuns(t, 3);
  const { second } = await fourTrackers();
  const webhook = deployOf(second.calls, 'webhook');
  const bound = Object.fromEntries(
    Object.entries(dictOf(webhook, '--set-secrets')).map(([env, ref]) => [env, ref.replace(/:latest$/, '')]),
  );
  t.deepEqual(bound, webhookBindings);
  t.true(
    Object.values(dictOf(webhook, '--set-secrets')).every((ref) => ref.endsWith(':latest')),
    'a new version is picked up by the next deploy',
  );
  t.like(envOf(webhook), { GARMIN_CLIENT_ID: garminClientId, STRAVA_SUBSCRIPTION_ID: 'pending' });
  for (const env of Object.keys(workerSecretEnv)) t.false(env in envOf(webhook), `the webhook does not get ${env}`);
  t.is(webhook.flags.get('--memory'), '512Mi', "Garmin's 16 MiB pushes (TRACKER_WEBHOOK_MEMORY_MIB)");
  for (const fn of ['worker', 'backfill']) t.is(deployOf(second.calls, fn).flags.get('--memory'), '512Mi', `${fn} keeps its own size`);

  for (const fn of ['worker', 'backfill']) {
    const c = deployOf(second.calls, fn);
    t.false(c.flags.has('--set-secrets'), `${fn} reads its secrets through the API`);
    t.like(envOf(c), workerSecretEnv, fn);
    for (const env of ['GARMIN_CLIENT_ID', 'STRAVA_SUBSCRIPTION_ID', ...Object.keys(webhookBindings)])
      t.false(env in envOf(c), `${fn} does not get ${env}`);
  }
  t.like(envOf(deployOf(second.calls, 'connect')), {
    STRAVA_OAUTH_CLIENT_SECRET: 'fitsync-strava-oauth-client',
    GARMIN_OAUTH_CLIENT_SECRET: 'fitsync-garmin-oauth-client',
    OURA_OAUTH_CLIENT_SECRET: 'fitsync-oura-oauth-client',
  });
  t.false('GARMIN_CLIENT_ID' in envOf(deployOf(second.calls, 'connect')), 'connect gets no webhook value');
  for (const fn of functions) {
    t.is(envOf(deployOf(second.calls, fn)).FITSYNC_TRACKERS, trackers, fn);
    t.regex(
      String(deployOf(second.calls, fn).flags.get('--set-env-vars')),
      /^\^;\^/,
      `${fn}: the comma-separated tracker list needs another delimiter`,
    );
  }
});

test.serial('four trackers: secretAccessor on each secret only for the function that reads it', async (t) => {
  allowScriptRuns(t, 3);
  const { first, second } = await fourTrackers();
  const expected: Record<string, string[]> = {};
  for (const secret of Object.values(webhookBindings)) expected[secret] = [member('fitsync-webhook')];
  for (const secret of Object.values(workerSecretEnv)) expected[secret] = [member('fitsync-worker')];
  for (const secret of connectReads) expected[secret] = [...(expected[secret] ?? []), member('fitsync-connect')].sort();
  t.deepEqual(readers(grantsOf([...first.calls, ...second.calls])), expected);
});

test.serial('four trackers: the URL of each, with a placeholder where the tracker takes a path secret', async (t) => {
  allowScriptRuns(t, 3);
  const { second } = await fourTrackers();
  t.regex(second.stdout, new RegExp(`^  strava: ${webhookUrl}/strava$`, 'm'));
  t.regex(second.stdout, new RegExp(`^  garmin: ${webhookUrl}/garmin/<path secret> .*fitsync-garmin-path-secret`, 'm'));
  t.regex(second.stdout, new RegExp(`^  oura: ${webhookUrl}/oura$`, 'm'));
  t.regex(second.stdout, new RegExp(`^  generic: ${webhookUrl}/generic$`, 'm'));
  t.regex(second.stdout, new RegExp(`--trackers ${trackers} --strava-subscription-id <id>`), "Strava's next step repeats the trackers");
});

test.serial('an unknown tracker stops the deploy before anything changes, naming it', async (t) => {
  allowScriptRuns(t, 1);
  const s = await StandIn.create();
  const r = await s.run('deploy.sh', [...projectArgs, '--trackers', 'strava,fitbit']);
  t.is(r.status, 1);
  t.regex(r.stderr, /unknown tracker "fitbit"; known: .*garmin.*strava/);
  t.deepEqual((await s.calls()).filter(isChange), []);
});

test.serial('a missing operator value stops the deploy before anything changes, naming it and how to give it', async (t) => {
  allowScriptRuns(t, 1);
  const s = await StandIn.create();
  const r = await s.run('deploy.sh', [...projectArgs, '--trackers', 'strava,garmin']);
  t.is(r.status, 1);
  t.regex(
    r.stderr,
    /GARMIN_CLIENT_ID has no value \(garmin: .*\)\. Give each with --set NAME=VALUE, its own flag \(e\.g\. --garmin-client-id VALUE\)/,
  );
  t.deepEqual((await s.calls()).filter(isChange), []);
});

test.serial('values come from --env-file, --set and their own flags; a deploy keeps them; secrets and strangers are refused', async (t) => {
  allowScriptRuns(t, 8);
  const s = await (await fourTrackers()).deployed.fork();
  const file = join(s.dir, 'fitsync.env');
  await writeFile(file, '# operator values\n\nGARMIN_CLIENT_ID="from-the-file"\nSTRAVA_SUBSCRIPTION_ID=4242\n');
  const deployedGarminId = async () => envOf(deployOf(await s.calls(), 'webhook')).GARMIN_CLIENT_ID;

  t.is((await s.run('deploy.sh', [...projectArgs, '--trackers', trackers, '--env-file', file])).status, 0);
  t.like(envOf(deployOf(await s.calls(), 'webhook')), { GARMIN_CLIENT_ID: 'from-the-file', STRAVA_SUBSCRIPTION_ID: '4242' });
  await s.clearCalls();
  t.is(
    (await s.run('deploy.sh', [...projectArgs, '--trackers', trackers, '--env-file', file, '--garmin-client-id', 'from-the-flag'])).status,
    0,
  );
  t.is(await deployedGarminId(), 'from-the-flag', 'a flag wins over the file');
  await s.clearCalls();
  t.is((await s.run('deploy.sh', [...projectArgs, '--trackers', trackers])).status, 0);
  t.is(await deployedGarminId(), 'from-the-flag', 'kept without being given again');

  const refusals: [string[], RegExp][] = [
    [['--set', 'GARMIN_PATH_SECRET=abc'], /GARMIN_PATH_SECRET is a secret, bound from Secret Manager secret fitsync-garmin-path-secret/],
    [['--set', 'COROS_CLIENT_ID=abc'], /COROS_CLIENT_ID is a value of coros, which this deploy does not serve/],
    [['--set', 'NOBODY_READS_THIS=1'], /NOBODY_READS_THIS is not a value any tracker takes/],
    [['--strava-subscription-id', 'abc'], /STRAVA_SUBSCRIPTION_ID must be the number Strava returned/],
  ];
  for (const [extra, message] of refusals) {
    await s.clearCalls();
    const r = await s.run('deploy.sh', [...projectArgs, '--trackers', trackers, ...extra]);
    t.is(r.status, 1, extra.join(' '));
    t.regex(r.stderr, message);
    t.deepEqual((await s.calls()).filter(isChange), [], `${extra.join(' ')}: nothing changed`);
  }
});

test.serial('a second run with the same trackers changes nothing but the function code it ships', async (t) => {
  allowScriptRuns(t, 5);
  const s = await (await fourTrackers()).deployed.fork();
  const r = await s.run('deploy.sh', args);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(changedNames(await s.calls()), functionDeploys);
});

test.serial('--functions-only serves the trackers the webhook serves, and refuses to change them', async (t) => {
  allowScriptRuns(t, 5);
  const { s } = await assertFunctionsOnlyRedeploy(t, await fourTrackers(), "the operator's trackers, values and bindings");

  await s.clearCalls();
  const other = await s.run('deploy.sh', [...projectArgs, '--functions-only', '--trackers', 'strava']);
  t.is(other.status, 1);
  t.regex(other.stderr, new RegExp(`the webhook serves ${trackers}; .*without --functions-only`));
  t.deepEqual((await s.calls()).filter(isChange), []);
});

test.serial('a tracker no longer selected loses its grants after the deploy and keeps its secrets', async (t) => {
  allowScriptRuns(t, 5);
  const s = await (await fourTrackers()).deployed.fork();
  const forgotten = await s.run('deploy.sh', projectArgs);
  t.is(forgotten.status, 1, 'no --trackers: the default would drop three trackers');
  t.regex(forgotten.stderr, new RegExp(`the webhook serves ${trackers}, not the default strava: give --trackers ${trackers}`));
  t.deepEqual((await s.calls()).filter(isChange), []);

  await s.clearCalls();
  const r = await s.run('deploy.sh', [...projectArgs, '--trackers', 'strava,oura']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /dropping garmin generic/);
  const calls = await s.calls();
  const revoked = find(calls, 'secrets remove-iam-policy-binding').map((c) => `${c.name} ${c.flags.get('--member')}`);
  t.deepEqual(revoked.sort(), [
    `fitsync-garmin-oauth-client ${member('fitsync-connect')}`,
    `fitsync-garmin-oauth-client ${member('fitsync-worker')}`,
    `fitsync-garmin-path-secret ${member('fitsync-webhook')}`,
    `fitsync-generic-webhook-secret ${member('fitsync-webhook')}`,
  ]);
  const order = calls.map((c) => `${c.command} ${c.name}`);
  t.true(
    order.indexOf('functions deploy webhook') < order.indexOf('secrets remove-iam-policy-binding fitsync-garmin-path-secret'),
    'the old webhook binds it until the new one serves',
  );
  t.is(envOf(deployOf(calls, 'webhook')).FITSYNC_TRACKERS, 'strava,oura');
  t.false('GARMIN_CLIENT_ID' in envOf(deployOf(calls, 'webhook')));

  const resources = (await readFile(s.state('resources'), 'utf8')).split('\n');
  for (const secret of ['fitsync-garmin-path-secret', 'fitsync-garmin-oauth-client', 'fitsync-generic-webhook-secret'])
    t.true(resources.includes(`secret ${secret}`), secret);
  const bindings = await readFile(s.state('bindings'), 'utf8');
  t.notRegex(bindings, /fitsync-(garmin|generic)-.*secretAccessor/);
  t.regex(bindings, /fitsync-oura-webhook-secret\troles\/secretmanager\.secretAccessor/);
});

test.serial("teardown revokes the served trackers' grants, and deletes their secrets only with --delete-data", async (t) => {
  allowScriptRuns(t, 5);
  const deployed = (await fourTrackers()).deployed;
  const keep = await deployed.fork();
  const r = await keep.run('teardown.sh', [...projectArgs, '--yes']);
  t.is(r.status, 0, r.stderr);
  const resources = (await readFile(keep.state('resources'), 'utf8')).split('\n');
  for (const secret of allSecrets) t.true(resources.includes(`secret ${secret}`), `${secret} is kept`);
  t.false((await readFile(keep.state('bindings'), 'utf8')).includes('fitsync-'), 'no grant to a deleted account is left');

  const wipe = await deployed.fork();
  const all = await wipe.run('teardown.sh', [...projectArgs, '--yes', '--delete-data']);
  t.is(all.status, 0, all.stderr);
  t.deepEqual(
    find(await wipe.calls(), 'secrets delete')
      .map((c) => c.name)
      .sort(),
    [...allSecrets].sort(),
  );
});

test.serial('--dry-run with trackers prints the commands a real run makes', async (t) => {
  allowScriptRuns(t, 5);
  const fresh = await fourTrackers();
  const env = await gcloudFreeEnv();
  const r = await runBash([infra('deploy.sh'), ...args, '--dry-run', '--skip-build', '--dist', fresh.deployed.dist], env);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(plannedChanges(r.stdout).sort(), changesOf(fresh).sort());

  const missing = await runBash(
    [infra('deploy.sh'), ...projectArgs, '--trackers', 'coros', '--dry-run', '--skip-build', '--dist', fresh.deployed.dist],
    env,
  );
  t.is(missing.status, 1, 'a plan for a blank project has no value to keep either');
  t.regex(missing.stderr, /COROS_CLIENT_ID has no value/);
});

// --- Every tracker file against its modules ----------------------------------------------------------------

interface TrackerFile {
  values: string[];
  webhookSecrets: Record<string, string>;
  workerSecretEnv: Record<string, string>;
  unset: string[];
  help: string;
}

const pairs = (words: string, strip = /$^/) =>
  Object.fromEntries(
    words
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1).replace(strip, '')]),
  );

/** A tracker file's variables, as bash reads them. */
async function trackerFile(id: string): Promise<TrackerFile> {
  const fields = [
    'TRACKER_WEBHOOK_VALUES',
    'TRACKER_WEBHOOK_SECRETS',
    'TRACKER_WORKER_SECRET_ENV',
    'TRACKER_UNSET_ENV',
    'TRACKER_SECRET_HELP',
  ];
  const script = `set -euo pipefail; source infra/functions.env.sh; fitsync_load_tracker "$1"; for v in ${fields.join(' ')}; do printf '%s\\0' "\${!v}"; done`;
  const r = await runBash(['-c', script, 'bash', id], { PATH: await pathWithoutGcloud() });
  if (r.status !== 0) throw new Error(r.stderr);
  const [values, webhookSecrets, workerSecretEnv, unset, help] = r.stdout.split('\0') as [string, string, string, string, string];
  return {
    values: values
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0]!)
      .filter(Boolean),
    webhookSecrets: pairs(webhookSecrets, /:[^:]+$/),
    workerSecretEnv: pairs(workerSecretEnv),
    unset: unset.split(/\s+/).filter(Boolean),
    help,
  };
}

/** What a module reads: names it requires, names it reads at all through required/secretList, and secret-name defaults. */
async function moduleReads(id: string, side: 'webhook' | 'worker') {
  const source = await readFile(join(repoRoot, 'shared', 'providers', id, `${side}-module.ts`), 'utf8');
  const required = [...source.matchAll(/\.required\(\s*'([A-Z0-9_]+)'/g)].map((m) => m[1]!);
  const lists = [...source.matchAll(/\.(?:secretList|pathSecretList)\(\s*'([A-Z0-9_]+)'/g)].map((m) => m[1]!);
  const secretNames = Object.fromEntries(
    [...source.matchAll(/\.string\(\s*'([A-Z0-9_]+)',\s*'(fitsync-[a-z0-9-]+)'/g)].map((m) => [m[1]!, m[2]!]),
  );
  return { required, lists, all: [...required, ...lists, ...lists.map((n) => `${n}_PREVIOUS`)], secretNames };
}

async function providerIds(): Promise<string[]> {
  const source = await readFile(join(repoRoot, 'shared', 'provider-ids.ts'), 'utf8');
  const list = /providerIds = \[([^\]]*)\]/.exec(source)?.[1];
  if (!list) throw new Error('no providerIds in shared/provider-ids.ts');
  return [...list.matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1]!);
}

test('there is one tracker file for every tracker id, and no other', async (t) => {
  const files = (await readdir(join(repoRoot, 'infra', 'trackers')))
    .filter((f) => f.endsWith('.env.sh'))
    .map((f) => f.replace(/\.env\.sh$/, ''));
  t.deepEqual(files.sort(), (await providerIds()).sort());
});

test.serial('every variable a tracker module reads with required( or secretList( is provided by its tracker file', async (t) => {
  allowScriptRuns(t, 2);
  for (const id of await providerIds()) {
    const file = await trackerFile(id);
    const webhook = await moduleReads(id, 'webhook');
    const worker = await moduleReads(id, 'worker');
    const onWebhook = new Set([...file.values, ...Object.keys(file.webhookSecrets), ...file.unset]);
    for (const name of webhook.all)
      t.true(onWebhook.has(name), `${id}: the webhook reads ${name}; infra/trackers/${id}.env.sh provides it nowhere`);
    for (const name of worker.all) t.true(name in file.workerSecretEnv || file.unset.includes(name), `${id}: the worker reads ${name}`);
    for (const name of [...webhook.required, ...webhook.lists, ...worker.required])
      t.false(file.unset.includes(name), `${id}: ${name} is required, it cannot stay unset`);
    for (const name of file.unset)
      t.true(webhook.all.includes(name) || worker.all.includes(name), `${id}: ${name} is left unset but nothing reads it`);

    // The worker's secret names are what its module falls back to, so a local run and a deploy read the same secrets.
    t.deepEqual(file.workerSecretEnv, worker.secretNames, `${id}: TRACKER_WORKER_SECRET_ENV against worker-module.ts`);
    t.deepEqual(webhook.secretNames, {}, `${id}: the webhook reads no secret by name`);
  }
});

test.serial('every tracker secret is its own, named fitsync-<tracker>-…, and comes with how to give it a value', async (t) => {
  allowScriptRuns(t, 2);
  const owner = new Map<string, string>();
  for (const id of await providerIds()) {
    const file = await trackerFile(id);
    const secrets = [...Object.values(file.webhookSecrets), ...Object.values(file.workerSecretEnv)];
    const helped = new Set([...file.help.matchAll(/versions add (\S+) --project=@PROJECT@/g)].map((m) => m[1]!));
    for (const secret of secrets) {
      t.regex(secret, new RegExp(`^fitsync-${id}-[a-z0-9-]+$`), `${id}: ${secret}`);
      t.true(helped.has(secret), `${id}: TRACKER_SECRET_HELP says how to add ${secret}`);
      t.is(owner.get(secret) ?? id, id, `${secret} belongs to one tracker`);
      owner.set(secret, id);
    }
    t.deepEqual(
      [...helped].filter((s) => !secrets.includes(s)),
      [],
      `${id}: help only for its own secrets`,
    );
  }
});

test.serial("every tracker's setup page names the deploy command and each of its secrets", async (t) => {
  allowScriptRuns(t, 2);
  const pages = (await readdir(join(repoRoot, 'docs', 'trackers'))).filter((f) => f.endsWith('.md'));
  for (const page of pages) {
    const id = page.replace(/\.md$/, '');
    const text = await readFile(join(repoRoot, 'docs', 'trackers', page), 'utf8');
    const file = await trackerFile(id);
    t.regex(text, new RegExp(`bash infra/deploy\\.sh --project \\S+ --region \\S+ --trackers \\S*${id}`), `${page}: the deploy command`);
    for (const secret of [...Object.values(file.webhookSecrets), ...Object.values(file.workerSecretEnv)])
      t.true(text.includes(`\`${secret}\``), `${page} names ${secret}`);
    for (const name of file.values) t.true(text.includes(`--set ${name}=`), `${page}: how to give ${name}`);
  }
});
