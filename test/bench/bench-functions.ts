import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliMain, freePort, loopbackOnly } from '../support/functions-cli.ts';

const exitOnSigterm = fileURLToPath(new URL('./exit-on-sigterm.cjs', import.meta.url));

/**
 * Starting functions the way Cloud Functions starts them (functions-framework CLI on a bundle), for benchmarks:
 * output discarded, as a platform's log pipe takes it without back-pressure, and nothing else in the way.
 */
export interface BenchFunction {
  name: string;
  source: string;
  target: string;
  signature: 'http' | 'cloudevent';
}

export const trivialFunction: BenchFunction = {
  name: 'trivial function',
  source: 'test/bench/trivial',
  target: 'trivial',
  signature: 'http',
};
export const webhookFunction: BenchFunction = { name: 'webhook', source: 'dist/webhook', target: 'webhook', signature: 'http' };
/** BENCH_WORKER_SOURCE=<dir> measures another build of the worker (e.g. an older commit's) in the same run. */
export const workerFunction: BenchFunction = {
  name: 'worker',
  source: process.env.BENCH_WORKER_SOURCE ?? 'dist/worker',
  target: 'worker',
  signature: 'cloudevent',
};

export interface Spawned {
  child: ChildProcess;
  url: string;
  /** performance.now() just before the process was spawned. */
  spawnedAt: number;
  /** Resident memory now, from /proc. */
  rssMiB(): number;
  /** CPU time the process has used so far (user + system), in µs, from /proc (10 ms resolution). */
  cpuMicros(): number;
  /** The last lines the process wrote to stdout and stderr, when started with `keepOutput`. */
  lastLines(): string[];
  stop(): void;
}

/** `keepOutput`: keep the last lines the process writes (to explain a failed run), at the cost of reading them. */
export async function spawnFunction(f: BenchFunction, env: Record<string, string>, o: { keepOutput?: boolean } = {}): Promise<Spawned> {
  const port = await freePort();
  const spawnedAt = performance.now();
  // BENCH_CPU_PROFILE=<dir>: each function writes a V8 CPU profile there when it is stopped (for finding hot spots).
  const profileDir = process.env.BENCH_CPU_PROFILE;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--require', exitOnSigterm] : [];
  const child = spawn(
    process.execPath,
    [
      ...profiling,
      '--require',
      loopbackOnly,
      cliMain,
      `--target=${f.target}`,
      `--source=${f.source}`,
      `--signature-type=${f.signature}`,
      `--port=${port}`,
    ],
    {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      stdio: o.keepOutput ? ['ignore', 'pipe', 'pipe'] : 'ignore',
    },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 50));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    spawnedAt,
    rssMiB: () => rssMiB(child.pid!),
    cpuMicros: () => cpuMicros(child.pid!),
    lastLines: () => [...lines],
    // A profiled process must exit by itself to write its profile; others are killed outright.
    stop: () => void child.kill(profileDir ? 'SIGTERM' : 'SIGKILL'),
  };
}

/** utime + stime, fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** Polls until the function answers anything, or throws after `timeoutMs`. */
export async function untilAnswering(url: string, timeoutMs = 20_000): Promise<void> {
  const started = performance.now();
  for (;;) {
    try {
      await (await fetch(`${url}/healthz`, { method: 'HEAD' })).arrayBuffer();
      return;
    } catch {
      if (performance.now() - started > timeoutMs) throw new Error(`${url} did not start`);
      await new Promise((ok) => setTimeout(ok, 10));
    }
  }
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
