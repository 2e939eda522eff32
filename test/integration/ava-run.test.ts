// scripts/ava-run.ts end to end: it runs a real ava over the files in test/fixtures/ava-run/, each of which goes
// wrong the way a real test can, and must end every run with an honest "N passed, M failed" as its last line and
// exit 1 unless the run was green. Each run starts ava and its workers, so the tests allow a busy machine time.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => `test/fixtures/ava-run/${name}.fixture.ts`;
/** A run starts ava, its workers and tsx in each: seconds when the machine is idle, far more when it is not. */
const runTimeout = 180_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  lastLine: string;
}

/** Starts the runner on the fixtures' ava config with these ava arguments. */
function startAva(args: string[], env: NodeJS.ProcessEnv = {}): { runner: ChildProcess; done: Promise<Run> } {
  const runner = spawn(
    process.execPath,
    ['--import=tsx', 'scripts/ava-run.ts', '--config', 'test/fixtures/ava-run/ava.config.js', ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  runner.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  runner.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Run>((resolve, reject) => {
    runner.on('error', reject);
    runner.on('close', (status) => resolve({ status, stdout, stderr, lastLine: stdout.trimEnd().split('\n').at(-1) ?? '' }));
  });
  return { runner, done };
}

const runAva = (args: string[], env?: NodeJS.ProcessEnv) => startAva(args, env).done;

/** Whether a process runs: one that exited after its parent died stays a zombie (state Z) until init reaps it. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat'); // without /proc, kill() is all there is to ask
  }
}

/** The file's text once something wrote it, or undefined when `ended` comes first. */
async function whenWritten(file: string, ended: Promise<unknown>): Promise<string | undefined> {
  let over = false;
  void ended.then(() => (over = true));
  while (!over) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

test('a green run ends with its count and exits 0', async (t) => {
  t.timeout(runTimeout);
  const r = await runAva([fixture('passes')]);
  t.is(r.lastLine, '1 passed, 0 failed', r.stdout + r.stderr);
  t.is(r.status, 0);
});

test('failed assertions, a throw at import and an unhandled rejection: each counted, exit 1', async (t) => {
  t.timeout(runTimeout);
  const r = await runAva([fixture('fails'), fixture('throws-at-import'), fixture('unhandled-rejection'), fixture('passes')]);
  t.is(r.lastLine, '3 passed, 5 failed', r.stdout + r.stderr);
  t.is(r.status, 1);
  t.regex(r.stdout, /^# failed: fails\.fixture › fails an assertion$/m);
  t.regex(r.stdout, /^# 1 skipped, 1 todo$/m);
});

test("process.exit() in a test crashes ava's reporter; the run still ends with a count and exit 1", async (t) => {
  t.timeout(runTimeout);
  const r = await runAva([fixture('exits')]);
  t.is(r.lastLine, '0 passed, 1 failed', r.stdout + r.stderr);
  t.is(r.status, 1);
  t.regex(r.stdout, /# problem: a test file called process\.exit\(\)/);
});

test("a test past ava's timeout crashes ava's reporter; the run still ends with a count and exit 1", async (t) => {
  t.timeout(runTimeout);
  const r = await runAva(['--timeout=20s', fixture('hangs')]);
  t.is(r.lastLine, '0 passed, 1 failed', r.stdout + r.stderr);
  t.is(r.status, 1);
  t.regex(r.stdout, /# problem: ava's timeout passed with tests still pending/);
});

test('a test file that never exits fails the run although every test passed', async (t) => {
  t.timeout(runTimeout);
  // ava notices only at its timeout, which must leave a slow start time to report the test first.
  const r = await runAva(['--timeout=20s', fixture('never-exits')]);
  t.is(r.lastLine, '1 passed, 1 failed', r.stdout + r.stderr);
  t.is(r.status, 1);
});

test('an interrupted run stops ava with everything the tests started, and still ends with a count', async (t) => {
  t.timeout(runTimeout);
  const dir = await mkdtemp(join(tmpdir(), 'fitsync-ava-run-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const pidFile = join(dir, 'child.pid');
  const { runner, done } = startAva([fixture('runs-forever')], { FIXTURE_CHILD_PID_FILE: pidFile });
  // Should an assertion stop this test early, the runner still stops what it started.
  t.teardown(() => void (runner.exitCode === null && runner.signalCode === null && runner.kill('SIGTERM')));
  const written = await whenWritten(pidFile, done);
  if (written === undefined) return t.fail(`the run ended before the test started its child:\n${(await done).stdout}`);
  const child = Number(written);
  t.true(running(child), "the test's child process runs");
  runner.kill('SIGTERM');
  const r = await done;
  t.is(r.lastLine, '0 passed, 1 failed', r.stdout + r.stderr);
  t.is(r.status, 1);
  t.regex(r.stdout, /# problem: the run was interrupted \(SIGTERM\)/);
  t.false(running(child), "the test's child process was stopped with the run");
});
