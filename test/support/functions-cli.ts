import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PubSubStandIn, startPubSubStandIn } from './grpc-pubsub.ts';
import { STRAVA_SUBSCRIPTION_ID } from './strava-fixtures.ts';

const require = createRequire(import.meta.url);
// The package exports no path to its CLI; main.js sits beside the resolved index.js (build/src/).
export const cliMain = join(dirname(require.resolve('@google-cloud/functions-framework')), 'main.js');
export const loopbackOnly = fileURLToPath(new URL('./loopback-only.cjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningFunction {
  url: string;
  /** The process id, for reading its memory from /proc. */
  pid: number;
  /** Every line the process wrote to stdout and stderr. */
  output: string[];
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL), as an instance that dies mid-request. */
  crash(): Promise<void>;
}

/** A port nothing listens on right now, on loopback. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address() as { port: number };
  await new Promise((ok) => srv.close(ok));
  return port;
}

/**
 * Starts a built bundle with the functions-framework CLI (`functions-framework --source=dist/<fn> --target=<fn>`),
 * as Cloud Functions runs it, and resolves once it listens. The process reports its own port (loopback-only.cjs, over
 * the IPC channel), so no request is needed to find out, and a port taken by another process meanwhile can only make
 * this process exit, never make another server answer for it.
 */
export async function startFunction(o: {
  target: string;
  source: string;
  signatureType?: 'http' | 'cloudevent';
  env: Record<string, string>;
  timeoutMs?: number;
  /** A port chosen beforehand (freePort), for a function whose own URL is part of its configuration. */
  port?: number;
}): Promise<RunningFunction> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      loopbackOnly,
      cliMain,
      `--target=${o.target}`,
      `--source=${o.source}`,
      `--signature-type=${o.signatureType ?? 'http'}`,
      `--port=${o.port ?? 0}`,
    ],
    { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...o.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${o.target} did not start within ${o.timeoutMs ?? 15_000} ms:\n${output.join('\n')}`));
    }, o.timeoutMs ?? 15_000);
    child.on('message', (m: unknown) => {
      if (m && typeof m === 'object' && typeof (m as { fitsyncListening?: unknown }).fitsyncListening === 'number') {
        clearTimeout(timer);
        ok((m as { fitsyncListening: number }).fitsyncListening);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${o.target} exited during start (${code ?? signal}):\n${output.join('\n')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Builds the bundles (`npm run build`) when one of these is missing from dist/, as after a fresh clone. */
export function ensureBundles(names: readonly string[]): void {
  if (names.every((name) => existsSync(join(repoRoot, 'dist', name, 'index.js')))) return;
  execFileSync(process.execPath, ['--import=tsx', 'scripts/build.ts'], { cwd: repoRoot, stdio: 'ignore' });
}

export interface RunningBundles {
  webhook: RunningFunction;
  worker: RunningFunction;
  stop(): Promise<void>;
}

/**
 * The deployed shape on loopback: builds the bundles if dist/ lacks them, starts `webhook` and `worker` under the
 * functions-framework CLI with `env`, and makes the Pub/Sub server push the events topic to the worker.
 */
export async function startBundles(
  pubsub: { pushTo(topic: string, url: string): void },
  env: Record<string, string>,
): Promise<RunningBundles> {
  ensureBundles(['webhook', 'worker']);
  const [webhook, worker] = await Promise.all([
    startFunction({ target: 'webhook', source: 'dist/webhook', env }),
    startFunction({ target: 'worker', source: 'dist/worker', signatureType: 'cloudevent', env }),
  ]);
  pubsub.pushTo('fitsync-events', worker.url);
  return { webhook, worker, stop: async () => void (await Promise.allSettled([webhook.stop(), worker.stop()])) };
}

export interface RunningWebhook {
  webhook: RunningFunction;
  pubsub: PubSubStandIn;
  stop(): Promise<void>;
}

/**
 * The built webhook bundle alone under the functions-framework CLI, publishing to a Pub/Sub stand-in of its own,
 * with Strava enabled; `env` adds trackers and settings.
 */
export async function startWebhookBundle(projectId: string, env: Record<string, string>): Promise<RunningWebhook> {
  const pubsub = await startPubSubStandIn({ projectId });
  try {
    const webhook = await startFunction({
      target: 'webhook',
      source: 'dist/webhook',
      env: {
        GOOGLE_CLOUD_PROJECT: projectId,
        PUBSUB_EMULATOR_HOST: pubsub.host,
        STRAVA_VERIFY_TOKEN: `${projectId}-verify-token`,
        STRAVA_SUBSCRIPTION_ID: String(STRAVA_SUBSCRIPTION_ID),
        ...env,
      },
    });
    return { webhook, pubsub, stop: async () => void (await Promise.allSettled([webhook.stop(), pubsub.stop()])) };
  } catch (err) {
    await pubsub.stop();
    throw err;
  }
}
