import { type ChildProcess, spawn } from 'node:child_process';

export interface RunningCli {
  child: ChildProcess;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /** Its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the operator command (`scripts/fitsync.ts`) as a user would, with the given environment, and leaves it
 * running: the caller may wait for it or kill it (a crash in the middle of a long command).
 */
export function startFitsyncCli(args: string[], env: Record<string, string>, input = ''): RunningCli {
  const child = spawn(process.execPath, ['--import=tsx', 'scripts/fitsync.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.on('close', (code, signal) => ok({ code, signal })),
  );
  child.stdin!.end(input);
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** How long a test lets an operator command run: ample for the longest (a backfill that polls its jobs once a second). */
const CLI_TIMEOUT_MS = 120_000;

/**
 * Runs the operator command to its end. Asynchronous on purpose: the stand-ins it talks to live in the calling
 * process and must keep answering. A command still running after CLI_TIMEOUT_MS (a backfill that waits for jobs that
 * never settle) is killed and fails with what it printed, so no test waits for ever.
 */
export async function runFitsyncCli(args: string[], env: Record<string, string>, input = ''): Promise<{ stdout: string; stderr: string }> {
  const cli = startFitsyncCli(args, env, input);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    cli.child.kill('SIGKILL');
  }, CLI_TIMEOUT_MS);
  const { code } = await cli.exited.finally(() => clearTimeout(timer));
  const out = cli.output();
  if (timedOut) throw new Error(`fitsync ${args[0]} did not finish within ${CLI_TIMEOUT_MS} ms: ${out.stdout}${out.stderr}`);
  if (code !== 0) throw new Error(`fitsync ${args[0]} exited ${code}: ${out.stderr}`);
  return out;
}
