import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createDataDeps } from '../functions/compose-worker.ts';
import { systemClock } from '../shared/clock.ts';
import { parseWorkerConfig } from '../shared/config.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { AppError } from '../shared/errors.ts';
import { describeError } from '../shared/log.ts';
import { linkUser, parseLinkRequest } from '../shared/ops/link-user.ts';

/**
 * The operator command. Reads the same environment as the worker (GOOGLE_CLOUD_PROJECT, emulator hosts,
 * secret names) and writes through the same stores.
 *
 *   npm run fitsync -- link --file link.json     (or --file - to read standard input)
 *   npm run fitsync -- status --user alice
 *
 * Tokens are never taken on the command line, where `ps` and shell history would keep them.
 */
const usage = `usage: fitsync link --file <path|->
       fitsync status --user <userId>`;

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { file: { type: 'string' }, user: { type: 'string' } }, strict: true });
  const config = parseWorkerConfig(process.env, workerModules);
  const data = createDataDeps(config, systemClock);
  try {
    if (command === 'link' && values.file) {
      const req = parseLinkRequest(JSON.parse(await readInput(values.file)));
      for (const line of await linkUser(data, req)) console.log(line);
      return 0;
    }
    if (command === 'status' && values.user) {
      const user = await data.users.get(values.user);
      const links = (await data.db.collection('links').where('userId', '==', values.user).get()).docs;
      const recent = (await data.db.collection('activities').where('userId', '==', values.user).get()).docs;
      console.log(`user ${values.user}: Google ${user ? user.googleStatus : 'not linked'}${user?.googleStatusReason ? ` (${user.googleStatusReason})` : ''}`);
      for (const l of links) console.log(`  link ${l.id}: ${l.get('status')}${l.get('statusReason') ? ` (${l.get('statusReason')})` : ''}`);
      console.table(recent.map((d) => ({ activity: d.id, state: d.get('state'), session: d.get('sessionId'), lastError: d.get('lastErrorCode') ?? '', attempts: d.get('attempts') })));
      return 0;
    }
    console.error(usage);
    return 2;
  } finally {
    await data.db.terminate();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof AppError || err instanceof SyntaxError ? err.message : JSON.stringify(describeError(err)));
    process.exit(1);
  },
);
