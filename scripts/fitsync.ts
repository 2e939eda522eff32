import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createWorkerDeps } from '../functions/compose-worker.ts';
import { parseWorkerConfig } from '../shared/config.ts';
import { AppError } from '../shared/errors.ts';
import { createLogger, describeError } from '../shared/log.ts';
import { linkUser, parseLinkRequest } from '../shared/ops/link-user.ts';
import { requestBackfill } from '../shared/ops/request-backfill.ts';
import { isProviderId } from '../shared/provider-ids.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { isSinkId, type SinkId, sinkIds } from '../shared/sinks/session-sink.ts';
import { jobTable, watchJobs } from './cli/backfill-progress.ts';
import { migrateUsers } from './cli/migrate-sinks.ts';
import { activityTable, userStatus } from './cli/user-status.ts';

/**
 * The operator command. Reads the same environment as the worker (GOOGLE_CLOUD_PROJECT, emulator hosts, secret
 * names, topics) and works through the same stores and the same backfill jobs.
 *
 *   fitsync link --file <path|-> [--no-backfill]
 *   fitsync status --user <userId>
 *   fitsync sinks (--user <userId> | --all) --set google-health[,google-fit] [--migrate]
 *   fitsync backfill (--user <userId> | --all) [--tracker <id>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--no-wait]
 *   fitsync backfill-status [--user <userId>]
 *
 * Tokens are never taken on the command line, where `ps` and shell history would keep them.
 */
const usage = `usage: fitsync link --file <path|-> [--no-backfill]
       fitsync status --user <userId>
       fitsync sinks (--user <userId> | --all) --set google-fit|google-health[,…] [--migrate]
       fitsync backfill (--user <userId> | --all) [--tracker <id>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--no-wait]
       fitsync backfill-status [--user <userId>]`;

const options = {
  file: { type: 'string' },
  user: { type: 'string' },
  all: { type: 'boolean' },
  tracker: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'no-wait': { type: 'boolean' },
  'no-backfill': { type: 'boolean' },
  set: { type: 'string' },
  migrate: { type: 'boolean' },
} as const;

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseSinks(value: string): SinkId[] {
  const sinks = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = sinks.filter((v) => !isSinkId(v));
  if (!sinks.length || bad.length) throw new UsageError(`--set takes ${sinkIds.join(', ')} (comma-separated), got ${value}`);
  return [...new Set(sinks)] as SinkId[];
}

function day(value: string | undefined, fallbackMs: number, name: string): number {
  if (value === undefined) return fallbackMs;
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d\d-\d\d$/.test(value) || Number.isNaN(ms)) throw new UsageError(`--${name} must be YYYY-MM-DD`);
  return ms;
}

class UsageError extends Error {}

/** JSON.parse, but a failure tells only where: V8's message quotes the text it failed on, here a token. */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    throw new UsageError(`${what} is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values: o } = parseArgs({ args: rest, options, strict: true });
  const config = parseWorkerConfig(process.env, workerModules);
  const deps = createWorkerDeps(config, { log: createLogger({ level: 'WARNING', write: (l) => process.stderr.write(`${l}\n`) }) });
  const now = deps.clock.now();
  try {
    if (command === 'link' && o.file) {
      const req = parseLinkRequest(parseJson(await readInput(o.file), '--file'));
      for (const line of await linkUser(deps.data, req)) console.log(line);
      if (!o['no-backfill'] && config.backfill.onLinkDays > 0 && req.trackers?.length) {
        const jobIds = [];
        for (const t of req.trackers) {
          jobIds.push(
            ...(await requestBackfill(deps, {
              userId: req.userId,
              tracker: t.tracker,
              window: { startMs: now - config.backfill.onLinkDays * 86_400_000, endMs: now },
              origin: 'link',
            })),
          );
        }
        if (jobIds.length) console.log(`first backfill of ${config.backfill.onLinkDays} days queued: ${jobIds.join(', ')}`);
      }
      return 0;
    }
    if (command === 'status' && o.user) {
      for (const line of await userStatus(deps, o.user)) console.log(line);
      console.table(await activityTable(deps, o.user));
      return 0;
    }
    if (command === 'sinks' && (o.user || o.all) && !(o.user && o.all) && o.set) {
      const sinks = parseSinks(o.set);
      const userIds = o.user ? [o.user] : await deps.data.users.listIds();
      for (const userId of userIds) await deps.data.users.setSinks(userId, sinks);
      console.log(`${userIds.length} user(s): workouts now go to ${sinks.join(' and ')}`);
      if (!o.migrate) return 0;
      const summary = await migrateUsers(deps, config, userIds, sinks, process.stdout);
      console.table(summary.rows);
      return summary.failed > 0 ? 1 : 0;
    }
    if (command === 'backfill' && (o.user || o.all) && !(o.user && o.all)) {
      if (o.tracker !== undefined && !isProviderId(o.tracker)) throw new UsageError(`unknown tracker ${o.tracker}`);
      const window = {
        startMs: day(o.from, now - config.backfill.onLinkDays * 86_400_000, 'from'),
        endMs: o.to ? day(o.to, now, 'to') + 86_400_000 : now,
      };
      const jobIds = await requestBackfill(deps, {
        ...(o.user ? { userId: o.user } : {}),
        ...(o.tracker ? { tracker: o.tracker as never } : {}),
        window,
        origin: 'operator',
      });
      console.log(
        `${jobIds.length} backfill job(s) queued for ${new Date(window.startMs).toISOString()} → ${new Date(window.endMs).toISOString()}`,
      );
      if (!jobIds.length || o['no-wait']) return 0;
      const final = await watchJobs(deps.jobs, jobIds, process.stdout);
      console.table(jobTable(final));
      return final.some((j) => j.state === 'failed') ? 1 : 0;
    }
    if (command === 'backfill-status') {
      console.table(jobTable(await deps.jobs.list(o.user ? { userId: o.user } : {})));
      return 0;
    }
    console.error(usage);
    return 2;
  } finally {
    await deps.data.db.terminate();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof AppError || err instanceof UsageError ? err.message : JSON.stringify(describeError(err)));
    process.exit(1);
  },
);
