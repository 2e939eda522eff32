// Runs infra/*.sh against the stand-in gcloud (fake-gcloud.sh) and reads back what they asked of it.

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The time one infra script run may take: a full deploy against the stand-in costs about half a second of CPU. */
const perScriptRun = 15_000;

/**
 * Gives a test the time its script runs need, counting the shared runs it may be the first to await: enough
 * on a machine that leaves it a small share of a core, short enough that a script that hangs fails its test
 * rather than stalling the whole run. The infra tests run serially, so this covers the test's own work only.
 */
export function allowScriptRuns(t: ExecutionContext, runs: number): void {
  t.timeout(perScriptRun * (runs + 1), `${runs} infra script run(s)`);
}
export const infra = (script: string) => join(repoRoot, 'infra', script);

export const project = 'demo-proj';
export const region = 'europe-west1';
/** The project and region every infra script run is given. */
export const projectArgs = ['--project', project, '--region', region];
/** What the stand-in answers for `gcloud projects describe --format=value(projectNumber)`. */
export const projectNumber = '123456789012';
/** The push subscription the stand-in's Eventarc creates for a function's topic trigger. */
export const triggerSubscriptionOf = (fn: string) => `eventarc-${region}-${fn}-424242-sub-001`;
export const triggerSubscription = triggerSubscriptionOf('worker');
export const backfillTriggerSubscription = triggerSubscriptionOf('backfill');

export const sa = (id: string) => `${id}@${project}.iam.gserviceaccount.com`;
export const member = (id: string) => `serviceAccount:${sa(id)}`;
export const pubsubAgent = `serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One recorded gcloud call: the command words (e.g. `pubsub topics create`), the positional and the flags. */
export interface Call {
  argv: string[];
  command: string;
  name: string | undefined;
  flags: Map<string, string | true>;
}

const verbs =
  /^(describe|list|create|update|delete|deploy|enable|get-iam-policy|add-iam-policy-binding|remove-iam-policy-binding|update-traffic|add)$/;
const readVerbs = new Set(['describe', 'list', 'get-iam-policy']);

export function parseCall(argv: string[]): Call {
  const words = argv.filter((a) => !a.startsWith('--'));
  let end = words.findIndex((w) => verbs.test(w)) + 1;
  if (words[end - 1] === 'create' && words[end] === 'pubsub') end += 1; // scheduler jobs create pubsub
  const flags = new Map<string, string | true>();
  for (const a of argv.filter((x) => x.startsWith('--'))) {
    const eq = a.indexOf('=');
    if (eq < 0) flags.set(a, true);
    else flags.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return { argv, command: words.slice(0, end).join(' '), name: words[end], flags };
}

/** Whether a call can change anything (everything but describe, list and get-iam-policy). */
export const isChange = (c: Call) => !readVerbs.has(c.command.split(' ').at(-1) ?? '');

export interface Grant {
  on: string;
  role: string;
  member: string;
}

const iamKinds: Record<string, string> = {
  projects: 'project',
  'pubsub topics': 'topic',
  'pubsub subscriptions': 'subscription',
  secrets: 'secret',
  'iam service-accounts': 'service-account',
  'run services': 'run-service',
};

/** Every grant an `add-iam-policy-binding` call made, as `kind name`, role and member. */
export function grantsOf(calls: Call[]): Grant[] {
  return calls
    .filter((c) => c.command.endsWith(' add-iam-policy-binding'))
    .map((c) => ({
      on: `${iamKinds[c.command.replace(/ add-iam-policy-binding$/, '')] ?? c.command} ${c.name}`,
      role: String(c.flags.get('--role')),
      member: String(c.flags.get('--member')),
    }));
}

const tempDirs: string[] = [];
let gcloudFreePath: Promise<string> | undefined;

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every directory this module made; for `test.after.always`. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  gcloudFreePath = undefined;
}

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

let bash: string | undefined;

/** The bash the scripts run with: the first on PATH. */
function bashPath(): string {
  bash ??= (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'bash'))
    .find(isExecutable);
  if (!bash) throw new Error('no bash on PATH');
  return bash;
}

/**
 * PATH with no gcloud on it, even on a machine that has the Cloud SDK installed: each PATH directory that
 * holds a gcloud is replaced by a directory of links to everything in it but gcloud.
 */
export function pathWithoutGcloud(): Promise<string> {
  gcloudFreePath ??= (async () => {
    const root = await tempDir('fitsync-path-');
    const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
    const out: string[] = [];
    const seen = new Set<string>();
    for (const [i, dir] of dirs.entries()) {
      // A directory already on PATH under another name (/bin is often /usr/bin) never decides a lookup again.
      const real = await realpath(dir).catch(() => dir);
      if (seen.has(real)) continue;
      seen.add(real);
      if (!isExecutable(join(dir, 'gcloud'))) {
        out.push(dir);
        continue;
      }
      const copy = join(root, String(i));
      await mkdir(copy);
      const entries = (await readdir(dir)).filter((entry) => entry !== 'gcloud');
      await Promise.all(entries.map((entry) => symlink(join(dir, entry), join(copy, entry))));
      out.push(copy);
    }
    return out.join(delimiter);
  })();
  return gcloudFreePath;
}

export function runBash(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { env, cwd: repoRoot, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    if (child.stdin) {
      child.stdin.on('error', () => {}); // a script that never reads its input closes the pipe early
      child.stdin.end(input);
    }
  });
}

/** A blank project: its own state directory, the stand-in as `gcloud` first on PATH, and built bundles. */
export class StandIn {
  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
    /** Where the bundles are; deploy.sh passes it on as --source. */
    readonly dist: string,
  ) {}

  static async create(shareDist?: string): Promise<StandIn> {
    const dir = await tempDir('fitsync-infra-');
    const bin = join(dir, 'bin');
    await mkdir(bin);
    // Written here rather than run from the repository, so the file mode in a checkout never matters. Its
    // interpreter is bash's absolute path: /usr/bin/env would search PATH again on each of a run's many calls.
    const fake = await readFile(new URL('./fake-gcloud.sh', import.meta.url), 'utf8');
    await writeFile(join(bin, 'gcloud'), fake.replace(/^#!.*\n/, `#!${bashPath()}\n`));
    await chmod(join(bin, 'gcloud'), 0o755);
    const dist = shareDist ?? join(dir, 'dist');
    for (const fn of shareDist ? [] : ['webhook', 'worker', 'connect']) {
      await mkdir(join(dist, fn), { recursive: true });
      await writeFile(join(dist, fn, 'index.js'), '// bundle\n');
      await writeFile(join(dist, fn, 'package.json'), '{}\n');
    }
    const env = {
      PATH: `${bin}${delimiter}${await pathWithoutGcloud()}`,
      HOME: dir,
      LANG: 'C.UTF-8',
      FAKE_GCLOUD_STATE: join(dir, 'state'),
    };
    return new StandIn(dir, env, dist);
  }

  /** A copy with the same state and bundles, so one deployed project can seed several tests. */
  async fork(): Promise<StandIn> {
    const copy = await StandIn.create(this.dist);
    await cp(join(this.dir, 'state'), join(copy.dir, 'state'), { recursive: true });
    await writeFile(join(copy.dir, 'state', 'calls.log'), '');
    return copy;
  }

  /** Runs an infra script; deploy.sh gets this stand-in's bundles and never runs the real build. */
  run(script: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
    const extra = script === 'deploy.sh' ? ['--skip-build', '--dist', this.dist] : [];
    return runBash([infra(script), ...args, ...extra], { ...this.env, ...opts.env }, opts.input);
  }

  /** `gcloud` itself, e.g. to add secret versions the way an operator would. */
  gcloud(args: string[], input?: string): Promise<RunResult> {
    return runBash(['-c', 'gcloud "$@"', 'gcloud', ...args], this.env, input);
  }

  /** The calls recorded since the last `clearCalls()`. */
  async calls(): Promise<Call[]> {
    const log = await readFile(join(this.dir, 'state', 'calls.log'), 'utf8').catch(() => '');
    return log
      .split('\n')
      .filter(Boolean)
      .map((line) => parseCall(line.split('\x1f').slice(0, -1)));
  }

  async clearCalls(): Promise<void> {
    await writeFile(join(this.dir, 'state', 'calls.log'), '');
  }

  state(file: string): string {
    return join(this.dir, 'state', file);
  }
}

/** Splits a line printed by lib.sh's shell_quote back into words (plain words and '…' with '\'' escapes). */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated quote in: ${line}`);
      word += line.slice(i + 1, close);
      i = close;
      inWord = true;
    } else if (ch === '\\') {
      word += line[i + 1] ?? '';
      i += 1;
      inWord = true;
    } else if (ch === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export const find = (calls: Call[], command: string, name?: string) =>
  calls.filter((c) => c.command === command && (name === undefined || c.name === name));

export const deployOf = (calls: Call[], fn: string) => {
  const deploys = find(calls, 'functions deploy', fn);
  if (deploys.length !== 1) throw new Error(`expected one deploy of ${fn}, got ${deploys.length}`);
  return deploys[0]!;
};

/**
 * A dictionary flag (`--set-env-vars`, `--set-secrets`) as gcloud reads it: KEY=VALUE items split at commas, or
 * at DELIM when the value starts with ^DELIM^ (`gcloud topic escaping`). Empty when the flag is absent.
 */
export function dictOf(c: Call, flag: string): Record<string, string> {
  const raw = c.flags.get(flag);
  if (raw === undefined || raw === true) return {};
  const escaped = /^\^([^^]+)\^(.*)$/s.exec(raw);
  const [delimiter, list] = escaped ? [escaped[1]!, escaped[2]!] : [',', raw];
  return Object.fromEntries(list.split(delimiter).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

export const envOf = (c: Call) => dictOf(c, '--set-env-vars');

/** The secrets the connect function alone reads (with the default trackers). */
export const connectSecrets = ['fitsync-connect-session-key'];

/** The secrets a deploy with the default trackers (Strava only) and the connect function creates. */
export const defaultSecrets = [
  'fitsync-strava-verify-token',
  'fitsync-token-key',
  'fitsync-google-oauth-client',
  'fitsync-strava-oauth-client',
  ...connectSecrets,
];

/** Gives each secret a version, the way an operator would (from standard input). */
export async function addSecretValues(s: StandIn, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const r = await s.gcloud(['secrets', 'versions', 'add', name, `--project=${project}`, '--data-file=-'], 'value');
    if (r.status !== 0) throw new Error(r.stderr);
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  calls: Call[];
}

/** infra/README.md's sequence on a blank project: deploy (stops: no secret has a value), add the values, deploy again. */
export interface Fresh {
  first: Run;
  second: Run;
  deployed: StandIn;
}

export async function deployFromBlank(args: string[], secrets: readonly string[]): Promise<Fresh> {
  const s = await StandIn.create();
  const r1 = await s.run('deploy.sh', args);
  const calls1 = await s.calls();
  await addSecretValues(s, secrets);
  await s.clearCalls();
  const r2 = await s.run('deploy.sh', args);
  if (r2.status !== 0) throw new Error(`second deploy failed:\n${r2.stdout}\n${r2.stderr}`);
  const calls2 = await s.calls();
  return { first: { ...r1, calls: calls1 }, second: { ...r2, calls: calls2 }, deployed: s };
}

/**
 * The changing commands a --dry-run plan prints, as the argument lists the stand-in would have recorded (the
 * placeholders the plan uses for what only a real run learns replaced by the stand-in's answers).
 */
export function plannedChanges(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('gcloud '))
    .map((l) =>
      splitShellWords(l)
        .slice(1)
        .join(' ')
        .replaceAll('PROJECT_NUMBER', projectNumber)
        .replaceAll('WORKER_TRIGGER_SUBSCRIPTION', triggerSubscription)
        .replaceAll('BACKFILL_TRIGGER_SUBSCRIPTION', backfillTriggerSubscription),
    );
}

/** An environment with no gcloud at all, for the --dry-run plans, which must need none. */
export async function gcloudFreeEnv(): Promise<NodeJS.ProcessEnv> {
  return { PATH: await pathWithoutGcloud(), HOME: '/nonexistent', LANG: 'C.UTF-8' };
}

/** Every change a fresh deploy made, one line of arguments each (what plannedChanges gives for its plan). */
export const changesOf = (fresh: Fresh) => [...fresh.first.calls, ...fresh.second.calls].filter(isChange).map((c) => c.argv.join(' '));

/** The changing calls as `command name`, e.g. `functions deploy worker`. */
export const changedNames = (calls: Call[]) => calls.filter(isChange).map((c) => `${c.command} ${c.name}`);

/** The four deploys every run makes, in their order; a run that changes nothing else makes only these. */
export const functionDeploys = [
  'functions deploy worker',
  'functions deploy backfill',
  'functions deploy webhook',
  'functions deploy connect',
];

/** A function's deploy as --functions-only repeats it: the full run's, minus the IAM change --allow-unauthenticated. */
export const deployWithoutIam = (calls: Call[], fn: string) => deployOf(calls, fn).argv.filter((a) => a !== '--allow-unauthenticated');

/**
 * deploy.sh --functions-only (the Cloud Build path) on a copy of a deployed project: it succeeds and deploys only the
 * four functions, each with the flags the full deploy gave it minus the IAM change (`why`: what those flags carry).
 * Returns the copy, the run and its calls, for what a test checks beyond that.
 */
export async function assertFunctionsOnlyRedeploy(t: ExecutionContext, fresh: Fresh, why: string) {
  const s = await fresh.deployed.fork();
  const r = await s.run('deploy.sh', [...projectArgs, '--functions-only']);
  t.is(r.status, 0, r.stderr);
  const calls = await s.calls();
  t.deepEqual(changedNames(calls), functionDeploys);
  for (const fn of ['worker', 'backfill', 'webhook', 'connect']) {
    t.deepEqual(deployOf(calls, fn).argv, deployWithoutIam(fresh.second.calls, fn), `${fn}: ${why}`);
  }
  return { s, r, calls };
}
