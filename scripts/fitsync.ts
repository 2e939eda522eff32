import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createWorkerDeps } from '../functions/compose-worker.ts';
import { parseWorkerConfig } from '../shared/config.ts';
import { AppError } from '../shared/errors.ts';
import { describeError, createLogger } from '../shared/log.ts';
import { isProviderId } from '../shared/providers/ids.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { linkUser, parseLinkRequest } from '../shared/ops/link-user.ts';
import { Collections } from '../shared/stores/collections.ts';
import { requestBackfill } from '../shared/ops/request-backfill.ts';
import { jobTable, watchJobs } from './cli/backfill-progress.ts';

/**
 * The operator command. Reads the same environment as the worker (GOOGLE_CLOUD_PROJECT, emulator hosts, secret
 * names, topics) and works through the same stores and the same backfill jobs.
 *
 *   fitsync link --file <path|-> [--no-backfill]
 *   fitsync status --user <userId>
 *   fitsync backfill (--user <userId> | --all) [--tracker <id>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--no-wait]
 *   fitsync backfill-status [--user <userId>]
 *
 * Tokens are never taken on the command line, where `ps` and shell history would keep them.
 */
const usage = `usage: fitsync link --file <path|-> [--no-backfill]
       fitsync status --user <userId>
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
} as const;

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function day(value: string | undefined, fallbackMs: number, name: string): number {
  if (value === undefined) return fallbackMs;
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d\d-\d\d$/.test(value) || Number.isNaN(ms)) throw new UsageError(`--${name} must be YYYY-MM-DD`);
  return ms;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values: o } = parseArgs({ args: rest, options, strict: true });
  const config = parseWorkerConfig(process.env, workerModules);
  const deps = createWorkerDeps(config, { log: createLogger({ level: 'WARNING', write: (l) => process.stderr.write(`${l}\n`) }) });
  const now = deps.clock.now();
  try {
    if (command === 'link' && o.file) {
      const req = parseLinkRequest(JSON.parse(await readInput(o.file)));
      for (const line of await linkUser(deps.data, req)) console.log(line);
      if (!o['no-backfill'] && config.backfill.onLinkDays > 0 && req.trackers?.length) {
        const jobIds = [];
        for (const t of req.trackers) {
          jobIds.push(...(await requestBackfill(deps, { userId: req.userId, tracker: t.tracker, window: { startMs: now - config.backfill.onLinkDays * 86_400_000, endMs: now }, origin: 'link' })));
        }
        if (jobIds.length) console.log(`first backfill of ${config.backfill.onLinkDays} days queued: ${jobIds.join(', ')}`);
      }
      return 0;
    }
    if (command === 'status' && o.user) {
      const user = await deps.data.users.get(o.user);
      const links = await deps.links.listForUser(o.user);
      const recent = (await deps.data.db.collection(Collections.activities).where('userId', '==', o.user).get()).docs;
      console.log(`user ${o.user}: Google ${user ? user.googleStatus : 'not linked'}${user?.googleStatusReason ? ` (${user.googleStatusReason})` : ''}`);
      for (const l of links) console.log(`  link ${l.docId}: ${l.status}${l.statusReason ? ` (${l.statusReason})` : ''}`);
      console.table(recent.map((d) => ({ activity: d.id, state: d.get('state'), session: d.get('sessionId'), lastError: d.get('lastErrorCode') ?? '', attempts: d.get('attempts') })));
      return 0;
    }
    if (command === 'backfill' && (o.user || o.all) && !(o.user && o.all)) {
      if (o.tracker !== undefined && !isProviderId(o.tracker)) throw new UsageError(`unknown tracker ${o.tracker}`);
      const window = { startMs: day(o.from, now - config.backfill.onLinkDays * 86_400_000, 'from'), endMs: o.to ? day(o.to, now, 'to') + 86_400_000 : now };
      const jobIds = await requestBackfill(deps, { ...(o.user ? { userId: o.user } : {}), ...(o.tracker ? { tracker: o.tracker as never } : {}), window, origin: 'operator' });
      console.log(`${jobIds.length} backfill job(s) queued for ${new Date(window.startMs).toISOString()} → ${new Date(window.endMs).toISOString()}`);
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
    console.error(err instanceof AppError || err instanceof UsageError || err instanceof SyntaxError ? err.message : JSON.stringify(describeError(err)));
    process.exit(1);
  },
);
