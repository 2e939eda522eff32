// The connect function in infra/deploy.sh and teardown.sh (--connect), against the stand-in gcloud: its own
// account with exactly the grants it needs, its definition and URL, the redirect URIs it prints, and that later
// deploys keep it. Without --connect nothing of it is created (the other infra tests hold that run unchanged).
import test from 'ava';
import { StandIn, addSecretValues, defaultSecrets, deployOf, dictOf, envOf, find, grantsOf, member, project, projectNumber, region, removeTempDirs, sa, type Call } from './stand-in.ts';

test.after.always(removeTempDirs);

const base = ['--project', project, '--region', region, '--trackers', 'strava,polar'];
const args = [...base, '--connect'];
const secrets = [...defaultSecrets, 'fitsync-polar-webhook-secret', 'fitsync-polar-oauth-client', 'fitsync-connect-session-key'];
const deterministicUrl = `https://connect-${projectNumber}.${region}.run.app`;

interface Blank {
  s: StandIn;
  calls: Call[];
  second: Call[];
  stdout: string;
}

let blank: Promise<Blank> | undefined;
/** A blank project deployed with --connect: the first run (stops for secret values), values added, the second run. */
function fromBlank(): Promise<Blank> {
  blank ??= (async () => {
    const s = await StandIn.create();
    await s.run('deploy.sh', args);
    const first = await s.calls();
    await addSecretValues(s, secrets);
    await s.clearCalls();
    const r = await s.run('deploy.sh', args);
    if (r.status !== 0) throw new Error(`deploy failed:\n${r.stdout}\n${r.stderr}`);
    const second = await s.calls();
    return { s, calls: [...first, ...second], second, stdout: r.stdout };
  })();
  return blank;
}

test('connect runs as its own account with exactly the grants it needs', async (t) => {
  const { calls } = await fromBlank();
  const grants = grantsOf(calls);
  t.deepEqual(
    grants.filter((g) => g.member === member('fitsync-connect')).map((g) => `${g.on} ${g.role}`).sort(),
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
  t.deepEqual(grants.filter((g) => g.on === 'secret fitsync-polar-oauth-client').map((g) => g.member), [member('fitsync-connect')], 'only connect reads Polar’s client');
  t.true(grants.some((g) => g.on === `service-account ${sa('fitsync-connect')}` && g.role === 'roles/iam.serviceAccountUser' && g.member === member('fitsync-deployer')));
});

test('connect is a public HTTP function with its secrets named, its URL set, and what only it needs', async (t) => {
  const { calls, second } = await fromBlank();
  const deploy = deployOf(second, 'connect');
  t.true(deploy.flags.has('--trigger-http'));
  t.true(deploy.flags.has('--allow-unauthenticated'));
  t.is(deploy.flags.get('--service-account'), sa('fitsync-connect'));
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
  t.is(find(calls, 'iam service-accounts create', 'fitsync-connect').length, 1);
  t.is(find(calls, 'secrets create', 'fitsync-connect-session-key').length, 1);
  t.true(find(calls, 'firestore fields ttls update', 'expireAt').some((c) => c.flags.get('--collection-group') === 'connectStates'));
  t.true(
    find(calls, 'firestore indexes composite create').some((c) => c.flags.get('--collection-group') === 'activities' && c.argv.join(' ').includes('field-path=updatedAt,order=descending')),
  );
});

test('the deploy prints the redirect URIs to register at Google and at each tracker', async (t) => {
  const { stdout } = await fromBlank();
  t.true(stdout.includes(`${deterministicUrl}/oauth/google/callback`));
  t.true(stdout.includes(`${deterministicUrl}/oauth/polar/callback`));
  t.regex(stdout, new RegExp(`strava: Authorization Callback Domain connect-${projectNumber}\\.${region}\\.run\\.app`));
});

test('later deploys keep connect and its URL without --connect; --connect-url sets another origin', async (t) => {
  const { s } = await fromBlank();
  const later = await s.fork();
  t.is((await later.run('deploy.sh', base)).status, 0);
  t.is(envOf(deployOf(await later.calls(), 'connect')).PUBLIC_BASE_URL, deterministicUrl);
  await later.clearCalls();
  t.is((await later.run('deploy.sh', [...base, '--connect', '--connect-url', 'https://fit.example.org'])).status, 0);
  t.is(envOf(deployOf(await later.calls(), 'connect')).PUBLIC_BASE_URL, 'https://fit.example.org');
  await later.clearCalls();
  const ci = await later.run('deploy.sh', [...base, '--functions-only']);
  t.is(ci.status, 0, ci.stderr);
  t.is(envOf(deployOf(await later.calls(), 'connect')).PUBLIC_BASE_URL, 'https://fit.example.org');
  const bad = await later.run('deploy.sh', [...base, '--connect', '--connect-url', 'http://fit.example.org/path']);
  t.not(bad.status, 0);
  t.regex(bad.stderr, /--connect-url must be an https origin/);
});

test('teardown removes the connect function, its account and its grants', async (t) => {
  const { s } = await fromBlank();
  const gone = await s.fork();
  const r = await gone.run('teardown.sh', ['--project', project, '--region', region, '--yes']);
  t.is(r.status, 0, r.stderr);
  const calls = await gone.calls();
  t.is(find(calls, 'functions delete', 'connect').length, 1);
  t.is(find(calls, 'iam service-accounts delete', sa('fitsync-connect')).length, 1);
  t.true(find(calls, 'secrets remove-iam-policy-binding', 'fitsync-connect-session-key').length > 0);
});
