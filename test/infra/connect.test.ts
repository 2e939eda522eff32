// The connect function in infra/deploy.sh, rollback.sh and teardown.sh, against the stand-in gcloud: deployed by
// default as its own account with exactly the grants it needs, its definition and URL, the redirect URIs it prints;
// --no-connect leaves it out (and never takes a deployed one offline); the Cloud Build path deploys it where it
// exists; teardown removes it whole or alone; rollback moves its traffic.

import { readFile } from 'node:fs/promises';
import test from 'ava';
import { member, project, projectArgs, projectNumber, region, sa } from './demo-project.ts';
import { connectSecrets, defaultSecrets, deployFromBlank, type Fresh, functionDeploys } from './deploy-runs.ts';
import { type Call, changedNames, deployOf, dictOf, envOf, find, grantsOf, isChange } from './gcloud-calls.ts';
import { allowScriptRuns, removeTempDirs, type StandIn } from './stand-in.ts';

test.after.always(removeTempDirs);

const withPolar = [...projectArgs, '--trackers', 'strava,polar'];
const polarSecrets = ['fitsync-polar-webhook-secret', 'fitsync-polar-oauth-client'];
const deterministicUrl = `https://connect-${projectNumber}.${region}.run.app`;
const withoutConnect = functionDeploys.filter((d) => d !== 'functions deploy connect');

interface Blank {
  s: StandIn;
  calls: Call[];
  second: Call[];
  stdout: string;
}

let blank: Promise<Blank> | undefined;
/** A blank project deployed with Strava and Polar and no connect flag: the first run, values added, the second run. */
function fromBlank(): Promise<Blank> {
  blank ??= (async () => {
    const fresh = await deployFromBlank(withPolar, [...defaultSecrets, ...polarSecrets]);
    return {
      s: fresh.deployed,
      calls: [...fresh.first.calls, ...fresh.second.calls],
      second: fresh.second.calls,
      stdout: fresh.second.stdout,
    };
  })();
  return blank;
}

let bare: Promise<Fresh> | undefined;
/** A blank project deployed with --no-connect. */
function fromBlankWithoutConnect(): Promise<Fresh> {
  bare ??= deployFromBlank(
    [...projectArgs, '--no-connect'],
    defaultSecrets.filter((s) => !connectSecrets.includes(s)),
  );
  return bare;
}

const connectChanges = (calls: Call[]) => calls.filter(isChange).filter((c) => c.argv.some((a) => a.includes('connect')));

test.serial('connect runs as its own account with exactly the grants it needs', async (t) => {
  allowScriptRuns(t, 2);
  const { calls } = await fromBlank();
  const grants = grantsOf(calls);
  t.deepEqual(
    grants
      .filter((g) => g.member === member('fitsync-connect'))
      .map((g) => `${g.on} ${g.role}`)
      .sort(),
    [
      `project ${project} roles/datastore.user`,
      'secret fitsync-connect-session-key roles/secretmanager.secretAccessor',
      'secret fitsync-google-oauth-client roles/secretmanager.secretAccessor',
      'secret fitsync-polar-oauth-client roles/secretmanager.secretAccessor',
      'secret fitsync-strava-oauth-client roles/secretmanager.secretAccessor',
      'secret fitsync-token-key roles/secretmanager.secretAccessor',
      'topic fitsync-backfill roles/pubsub.publisher',
    ],
  );
  t.deepEqual(
    grants.filter((g) => g.on === 'secret fitsync-polar-oauth-client').map((g) => g.member),
    [member('fitsync-connect')],
    'only connect reads Polar’s client',
  );
  t.true(
    grants.some(
      (g) =>
        g.on === `service-account ${sa('fitsync-connect')}` &&
        g.role === 'roles/iam.serviceAccountUser' &&
        g.member === member('fitsync-deployer'),
    ),
  );
});

test.serial('connect is a public HTTP function with its secrets named, its URL set, and what only it needs', async (t) => {
  allowScriptRuns(t, 2);
  const { calls, second } = await fromBlank();
  const deploy = deployOf(second, 'connect');
  t.true(deploy.flags.has('--trigger-http'));
  t.true(deploy.flags.has('--allow-unauthenticated'));
  t.is(deploy.flags.get('--service-account'), sa('fitsync-connect'));
  t.is(deploy.flags.get('--entry-point'), 'connect');
  t.regex(String(deploy.flags.get('--source')), /\/connect$/);
  t.deepEqual(dictOf(deploy, '--set-secrets'), {}, 'reads through the API, binds nothing');
  t.like(envOf(deploy), {
    PUBLIC_BASE_URL: deterministicUrl,
    TOKEN_KEY_SECRET: 'fitsync-token-key',
    GOOGLE_OAUTH_CLIENT_SECRET: 'fitsync-google-oauth-client',
    CONNECT_SESSION_KEY_SECRET: 'fitsync-connect-session-key',
    STRAVA_OAUTH_CLIENT_SECRET: 'fitsync-strava-oauth-client',
    POLAR_OAUTH_CLIENT_SECRET: 'fitsync-polar-oauth-client',
    FITSYNC_BACKFILL_TOPIC: 'fitsync-backfill',
    FITSYNC_TRACKERS: 'strava,polar',
  });
  const order = second.map((c) => `${c.command} ${c.name}`);
  t.true(
    order.indexOf('functions deploy backfill') < order.indexOf('functions deploy connect'),
    'the page queues backfill pages: their function is live first',
  );
  t.is(find(calls, 'iam service-accounts create', 'fitsync-connect').length, 1);
  t.is(find(calls, 'secrets create', 'fitsync-connect-session-key').length, 1);
  t.true(find(calls, 'firestore fields ttls update', 'expireAt').some((c) => c.flags.get('--collection-group') === 'connectStates'));
  t.true(
    find(calls, 'firestore indexes composite create').some(
      (c) => c.flags.get('--collection-group') === 'activities' && c.argv.join(' ').includes('field-path=updatedAt,order=descending'),
    ),
  );
});

test.serial('the deploy prints the redirect URIs to register at Google and at each tracker', async (t) => {
  allowScriptRuns(t, 2);
  const { stdout } = await fromBlank();
  t.true(stdout.includes(`${deterministicUrl}/oauth/google/callback`));
  t.true(stdout.includes(`${deterministicUrl}/oauth/polar/callback`));
  t.regex(stdout, new RegExp(`strava: Authorization Callback Domain connect-${projectNumber}\\.${region}\\.run\\.app`));
});

test.serial('later deploys keep its URL; --connect-url sets another origin; the Cloud Build path deploys it', async (t) => {
  allowScriptRuns(t, 6);
  const { s } = await fromBlank();
  const later = await s.fork();
  t.is((await later.run('deploy.sh', withPolar)).status, 0);
  t.is(envOf(deployOf(await later.calls(), 'connect')).PUBLIC_BASE_URL, deterministicUrl);
  await later.clearCalls();
  t.is((await later.run('deploy.sh', [...withPolar, '--connect-url', 'https://fit.example.org'])).status, 0);
  t.is(envOf(deployOf(await later.calls(), 'connect')).PUBLIC_BASE_URL, 'https://fit.example.org');
  await later.clearCalls();
  const ci = await later.run('deploy.sh', [...projectArgs, '--functions-only']);
  t.is(ci.status, 0, ci.stderr);
  const ciCalls = await later.calls();
  t.deepEqual(changedNames(ciCalls), functionDeploys);
  t.is(envOf(deployOf(ciCalls, 'connect')).PUBLIC_BASE_URL, 'https://fit.example.org');
  t.false(deployOf(ciCalls, 'connect').flags.has('--allow-unauthenticated'), 'the CI deployer makes no IAM change; the public grant stays');
  const bad = await later.run('deploy.sh', [...withPolar, '--connect-url', 'http://fit.example.org/path']);
  t.not(bad.status, 0);
  t.regex(bad.stderr, /--connect-url must be an https origin/);
});

test.serial('--no-connect: nothing of connect is created, granted or deployed', async (t) => {
  allowScriptRuns(t, 2);
  const { first, second } = await fromBlankWithoutConnect();
  t.is(second.status, 0);
  const calls = [...first.calls, ...second.calls];
  t.deepEqual(
    connectChanges(calls).map((c) => c.argv.join(' ')),
    [],
  );
  t.false(grantsOf(calls).some((g) => g.member === member('fitsync-connect')));
  t.deepEqual(
    changedNames(second.calls).filter((c) => c.startsWith('functions deploy')),
    withoutConnect,
  );
  t.notRegex(second.stdout, /Connect page|oauth\/google\/callback/);
  t.false(find(calls, 'firestore fields ttls update').some((c) => c.flags.get('--collection-group') === 'connectStates'));
  t.is(find(calls, 'firestore indexes composite create').length, 2, 'only the indexes of workouts in a time window');
});

test.serial('--functions-only where connect was left out deploys the other three and says how to add it', async (t) => {
  allowScriptRuns(t, 2);
  const s = await (await fromBlankWithoutConnect()).deployed.fork();
  const r = await s.run('deploy.sh', [...projectArgs, '--functions-only']);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(changedNames(await s.calls()), withoutConnect);
  t.regex(r.stdout, /connect is not deployed in demo-proj: a full run of infra\/deploy\.sh \(without --functions-only\) adds it/);
  const url = await s.run('deploy.sh', [...projectArgs, '--functions-only', '--connect-url', 'https://fit.example.org']);
  t.is(url.status, 1);
  t.regex(url.stderr, /--connect-url: the connect function is not deployed/);
});

test.serial('a later deploy without --no-connect adds connect to a project that had none', async (t) => {
  allowScriptRuns(t, 3);
  const s = await (await fromBlankWithoutConnect()).deployed.fork();
  const r = await s.run('deploy.sh', projectArgs);
  t.is(r.status, 0, r.stderr);
  const calls = await s.calls();
  t.deepEqual(
    changedNames(calls)
      .filter((c) => !c.startsWith('functions deploy'))
      .sort(),
    [
      'firestore fields ttls update expireAt',
      'firestore indexes composite create undefined',
      `iam service-accounts add-iam-policy-binding ${sa('fitsync-connect')}`,
      'iam service-accounts create fitsync-connect',
      `projects add-iam-policy-binding ${project}`,
      'pubsub topics add-iam-policy-binding fitsync-backfill',
      'secrets add-iam-policy-binding fitsync-connect-session-key',
      'secrets add-iam-policy-binding fitsync-google-oauth-client',
      'secrets add-iam-policy-binding fitsync-strava-oauth-client',
      'secrets add-iam-policy-binding fitsync-token-key',
      'secrets create fitsync-connect-session-key',
    ].sort(),
    'exactly what connect needs, nothing else',
  );
  t.deepEqual(
    changedNames(calls).filter((c) => c.startsWith('functions deploy')),
    functionDeploys,
  );
  t.regex(r.stdout, /warning: fitsync-connect-session-key has no value yet/);
  t.regex(r.stdout, /head -c32 \/dev\/urandom \| base64 \| gcloud secrets versions add fitsync-connect-session-key/);
});

test.serial(
  '--no-connect refuses where connect is deployed, changing nothing; teardown --connect-only then removes it alone',
  async (t) => {
    allowScriptRuns(t, 6);
    const { s } = await fromBlank();
    const p = await s.fork();
    const refused = await p.run('deploy.sh', [...withPolar, '--no-connect']);
    t.is(refused.status, 1);
    t.regex(
      refused.stderr,
      /the connect function is deployed in demo-proj; --no-connect does not remove it: run bash infra\/teardown\.sh --project demo-proj --region europe-west1 --connect-only first/,
    );
    t.deepEqual((await p.calls()).filter(isChange), []);
    const both = await p.run('deploy.sh', [...withPolar, '--no-connect', '--connect-url', 'https://fit.example.org']);
    t.is(both.status, 1);
    t.regex(both.stderr, /--connect-url is for the connect function, which --no-connect leaves out/);

    await p.clearCalls();
    const gone = await p.run('teardown.sh', [...projectArgs, '--connect-only', '--yes']);
    t.is(gone.status, 0, gone.stderr);
    const calls = await p.calls();
    t.deepEqual(
      changedNames(calls).filter((c) => !c.includes('remove-iam-policy-binding')),
      ['functions delete connect', `iam service-accounts delete ${sa('fitsync-connect')}`],
    );
    t.regex(gone.stdout, /kept: secrets fitsync-connect-session-key fitsync-polar-oauth-client/);
    const resources = (await readFile(p.state('resources'), 'utf8')).split('\n');
    for (const kept of [
      'function webhook',
      'function worker',
      'function backfill',
      'sa fitsync-worker',
      'topic fitsync-backfill',
      'secret fitsync-connect-session-key',
    ]) {
      t.true(resources.includes(kept), kept);
    }
    t.false(resources.includes('function connect'));
    t.false(resources.includes('sa fitsync-connect'));
    t.false((await readFile(p.state('bindings'), 'utf8')).includes('fitsync-connect@'), 'no grant to the deleted account is left');

    await p.clearCalls();
    const after = await p.run('deploy.sh', [...withPolar, '--no-connect']);
    t.is(after.status, 0, after.stderr);
    t.deepEqual(changedNames(await p.calls()), withoutConnect);
  },
);

test.serial('teardown --connect-only --delete-data deletes the secrets only connect reads', async (t) => {
  allowScriptRuns(t, 2);
  const { s } = await fromBlank();
  const p = await s.fork();
  const r = await p.run('teardown.sh', [...projectArgs, '--connect-only', '--yes', '--delete-data']);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(
    find(await p.calls(), 'secrets delete')
      .map((c) => c.name)
      .sort(),
    ['fitsync-connect-session-key', 'fitsync-polar-oauth-client'],
  );
});

test.serial('teardown removes the connect function, its account and its grants', async (t) => {
  allowScriptRuns(t, 2);
  const { s } = await fromBlank();
  const gone = await s.fork();
  const r = await gone.run('teardown.sh', [...projectArgs, '--yes']);
  t.is(r.status, 0, r.stderr);
  const calls = await gone.calls();
  t.is(find(calls, 'functions delete', 'connect').length, 1);
  t.is(find(calls, 'iam service-accounts delete', sa('fitsync-connect')).length, 1);
  t.true(find(calls, 'secrets remove-iam-policy-binding', 'fitsync-connect-session-key').length > 0);
  t.false((await readFile(gone.state('bindings'), 'utf8')).includes('fitsync-'), 'no grant to a deleted account is left');
});

test.serial('teardown of a project deployed with --no-connect finds no connect and removes the rest', async (t) => {
  allowScriptRuns(t, 2);
  const s = await (await fromBlankWithoutConnect()).deployed.fork();
  const r = await s.run('teardown.sh', [...projectArgs, '--yes']);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(
    connectChanges(await s.calls()).map((c) => c.argv.join(' ')),
    [],
  );
  t.false((await readFile(s.state('resources'), 'utf8')).split('\n').some((l) => l.startsWith('function ')));
});

test.serial('rollback moves the connect function’s traffic to its previous revision', async (t) => {
  allowScriptRuns(t, 3);
  const { s } = await fromBlank();
  const p = await s.fork();
  t.is((await p.run('deploy.sh', withPolar)).status, 0);
  const r = await p.run('rollback.sh', [...projectArgs, '--function', 'connect']);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(
    find(await p.calls(), 'run services update-traffic').map((c) => `${c.name} ${c.flags.get('--to-revisions')}`),
    ['connect connect-00001-fak=100'],
  );
});
