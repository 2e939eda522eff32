import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cliMain, freePort, loopbackOnly } from '../support/functions-cli.ts';

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

export const trivialFunction: BenchFunction = { name: 'trivial function', source: 'test/bench/trivial', target: 'trivial', signature: 'http' };
export const webhookFunction: BenchFunction = { name: 'webhook', source: 'dist/webhook', target: 'webhook', signature: 'http' };

export interface Spawned {
  child: ChildProcess;
  url: string;
  /** performance.now() just before the process was spawned. */
  spawnedAt: number;
  /** Resident memory now, from /proc. */
  rssMiB(): number;
  /** CPU time the process has used so far (user + system), in µs, from /proc (10 ms resolution). */
  cpuMicros(): number;
  stop(): void;
}

export async function spawnFunction(f: BenchFunction, env: Record<string, string>): Promise<Spawned> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['--require', loopbackOnly, cliMain, `--target=${f.target}`, `--source=${f.source}`, `--signature-type=${f.signature}`, `--port=${port}`], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: 'ignore',
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    spawnedAt,
    rssMiB: () => rssMiB(child.pid!),
    cpuMicros: () => cpuMicros(child.pid!),
    stop: () => void child.kill('SIGKILL'),
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
