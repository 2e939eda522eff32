import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBundles } from './functions-cli.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `scripts/run-local.ts` (what `npm run start:local` runs after its build) as a process of its own. */
export interface LocalRunProcess {
  /** Everything it printed so far, standard output and error. */
  output(): string;
  /**
   * Resolves with the first match of `pattern` in what it printed after `from` (default: all of it); rejects, with
   * what it printed, when it exits first or prints no match within `timeoutMs` (default 120 s).
   */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Writes a line to its standard input. */
  type(line: string): void;
  /** Resolves with its exit status once it has exited (a signal that ended it reads as null). */
  exited: Promise<number | null>;
  signal(name: NodeJS.Signals): void;
  /**
   * Resolves true once nothing of its process group (it, or a function it started) is running any more, or false if
   * something still is after `withinMs` (a helper process that exits when it sees its parent close takes a moment).
   */
  groupGone(withinMs?: number): Promise<boolean>;
  /** Ends it and everything it started, at once; for cleanup after a failed test. */
  kill(): void;
}

/**
 * Starts the local run with these arguments. It runs in a process group of its own, so that `kill()` also reaches
 * the functions it started, and with the bundles built as `npm run start:local` would have.
 */
export function startLocalRun(args: readonly string[], env: Record<string, string> = {}): LocalRunProcess {
  ensureBundles(['webhook', 'worker', 'connect']);
  const child: ChildProcess = spawn(process.execPath, ['--import=tsx', 'scripts/run-local.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, METADATA_SERVER_DETECTION: 'none', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.stdin!.on('error', () => {}); // it may close its input before the test stops writing
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (status) => {
      done = true;
      for (const wake of waiters) wake();
      resolve(status);
    });
  });
  return {
    output: () => text,
    waitFor(pattern, from = 0, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const settle = (outcome: () => void) => {
          waiters.delete(check);
          clearTimeout(timer);
          outcome();
        };
        const check = () => {
          const match = text.slice(from).match(pattern);
          if (match) settle(() => resolve(match));
          else if (done) settle(() => reject(new Error(`the local run exited before printing ${pattern}; it printed:\n${text}`)));
        };
        const timer = setTimeout(
          () => settle(() => reject(new Error(`the local run printed no ${pattern} within ${timeoutMs} ms; it printed:\n${text}`))),
          timeoutMs,
        );
        waiters.add(check);
        check();
      });
    },
    type: (line) => void child.stdin!.write(`${line}\n`),
    exited,
    signal: (name) => void child.kill(name),
    async groupGone(withinMs = 5_000) {
      const alive = () => {
        try {
          process.kill(-child.pid!, 0);
          return true;
        } catch {
          return false;
        }
      };
      const deadline = Date.now() + withinMs;
      while (alive()) {
        if (Date.now() > deadline) return false;
        await new Promise((ok) => setTimeout(ok, 50));
      }
      return true;
    },
    kill() {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    },
  };
}
