// Runs infra/*.sh against the stand-in gcloud (fake-gcloud.sh) and reads back what they asked of it.

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { type Call, parseCall } from './gcloud-calls.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The time one infra script run may take: a full deploy against the stand-in costs about half a second of CPU. */
export const perScriptRun = 15_000;

/**
 * Gives a test the time its script runs need, counting the shared runs it may be the first to await: enough
 * on a machine that leaves it a small share of a core, short enough that a script that hangs fails its test
 * rather than stalling the whole run. The infra tests run serially, so this covers the test's own work only.
 */
export function allowScriptRuns(t: ExecutionContext, runs: number): void {
  t.timeout(perScriptRun * (runs + 1), `${runs} infra script run(s)`);
}
export const infra = (script: string) => join(repoRoot, 'infra', script);

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
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
