/**
 * Runs ava with --tap (arguments are passed on) and ends with one line "N passed, M failed" that counts what
 * really ran (scripts/tap-tally.ts), also when a test times out, a file crashes or ava itself dies. The exit
 * code is 0 only for a green run.
 *
 * ava runs in its own process group, so that the whole run (ava, its workers and whatever the tests started)
 * can be stopped at once: at the deadline (TEST_DEADLINE_SECONDS, default 1800, a backstop for a run that
 * hangs where ava's own timeout cannot see it), on SIGINT/SIGTERM/SIGHUP, and after ava exits, when anything
 * the tests started is still running. Everything ava prints goes through here, so nothing it or its leftovers
 * print can come after the summary line.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type RunEnd, recap, stderrHint, summaryLine, TapTally, verdict } from './tap-tally.ts';

/** How long ava may take to stop after SIGTERM, and its leftovers to exit after it, before SIGKILL. */
const graceMs = 10_000;
/** How long ava's output may stay open after ava exited (something it started holds the pipe). */
const drainMs = 5_000;

function deadlineSeconds(): number {
  const raw = process.env.TEST_DEADLINE_SECONDS ?? '1800';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    process.stdout.write(
      `# problem: TEST_DEADLINE_SECONDS must be a whole number of seconds above 0, got "${raw}"\n${summaryLine({ passed: 0, failed: 1 })}\n`,
    );
    process.exit(1);
  }
  return seconds;
}

/** ava's command line script, as its package.json names it (ava exports no package.json to resolve directly). */
function avaCli(): string {
  for (let dir = dirname(createRequire(import.meta.url).resolve('ava')); dir !== dirname(dir); dir = dirname(dir)) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; bin?: { ava?: string } };
    if (pkg.name === 'ava' && pkg.bin?.ava) return join(dir, pkg.bin.ava);
  }
  throw new Error("ava's package.json was not found above its entry point");
}

/**
 * Whether a process of the group is still running. Exited processes whose parent died stay as zombies until
 * init reaps them, which some container inits do only now and then; they count as gone. Linux tells the two
 * apart in /proc; elsewhere any member counts.
 */
function groupAlive(pgid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .some((pid) => {
        try {
          // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so read after the last ')'.
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return Number(pgrp) === pgid && state !== 'Z';
        } catch {
          return false; // exited while we looked
        }
      });
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when every process of the group has exited, or after `ms`; whether the group is gone. */
async function groupGone(pgid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (!groupAlive(pgid)) return true;
    await sleep(100);
  }
  return !groupAlive(pgid);
}

/** Calls `onLine` with each line of a stream; resolves when it ends, or `drainMs` after `exited` resolves. */
function eachLine(stream: Readable, onLine: (line: string) => void, exited: Promise<unknown>): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  const closed = new Promise<void>((resolve) => lines.once('close', resolve));
  return Promise.race([closed, exited.then(() => sleep(drainMs))]).then(() => {
    lines.close();
    stream.destroy();
  });
}

async function main(): Promise<void> {
  const deadline = deadlineSeconds();
  const ava = spawn(process.execPath, [avaCli(), '--tap', ...process.argv.slice(2)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tally = new TapTally();
  const hints = new Set<string>();
  let stoppedBecause: string | undefined;

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    ava.once('exit', (code, signal) => resolve({ code, signal }));
    ava.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  // The group ava leads; without a pid ava never started and there is nothing to signal.
  const pgid = ava.pid ?? 0;

  const stop = (why: string, signal: NodeJS.Signals) => {
    stoppedBecause ??= why;
    if (!pgid) return;
    signalGroup(pgid, signal);
    setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs).unref();
  };
  const deadlineTimer = setTimeout(
    () => stop(`the run did not finish within TEST_DEADLINE_SECONDS=${deadline}`, 'SIGTERM'),
    deadline * 1000,
  );
  const onSignal = (signal: NodeJS.Signals) => stop(`the run was interrupted (${signal})`, signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const out = eachLine(
    ava.stdout!,
    (line) => {
      process.stdout.write(`${line}\n`);
      tally.line(line);
    },
    exited,
  );
  const err = eachLine(
    ava.stderr!,
    (line) => {
      process.stderr.write(`${line}\n`);
      const hint = stderrHint(line);
      if (hint) hints.add(hint);
    },
    exited,
  );

  const ended = await exited;
  clearTimeout(deadlineTimer);
  const notes: string[] = [];
  if (ended.error) notes.push(`# problem: ava could not be started: ${ended.error.message}`);
  // What ava left running (the workers of a crashed ava, processes a test started) may hold its output open.
  if (pgid && !(await groupGone(pgid, 2_000))) {
    signalGroup(pgid, 'SIGTERM');
    if (!(await groupGone(pgid, graceMs))) signalGroup(pgid, 'SIGKILL');
    notes.push('# note: processes of the run were still running after ava exited; they were stopped');
  }
  await Promise.all([out, err]);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);

  const end: RunEnd = { exitCode: ended.code, signal: ended.signal, stoppedBecause, hints: [...hints] };
  const result = verdict(tally.snapshot(), end);
  process.stdout.write(`${[...notes, ...recap(result), summaryLine(result)].join('\n')}\n`);
  process.exitCode = result.green ? 0 : 1;
}

await main();
