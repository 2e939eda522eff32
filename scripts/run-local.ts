import { startLocalServices } from './local/local-services.ts';
import { runDemo } from './local/run-demo.ts';
import { parseRunOptions, type RunOptions, runUsage } from './local/run-options.ts';
import { serveUntilStopped } from './local/serve.ts';

/**
 * `npm run start:local`: fitsync's whole pipeline on this machine, no Google account needed (scripts/local/ has the
 * pieces). The demo ends by itself; `--serve` then keeps everything up for clicking through the connect page.
 * Pointing fitsync at real Google is only configuration (README "Configuration").
 */
const say = (line = '') => process.stdout.write(`${line}\n`);

let options: RunOptions;
try {
  options = parseRunOptions(process.argv.slice(2), process.env);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${runUsage}\n`);
  process.exit(2);
}

const services = await startLocalServices();
try {
  const { stack, webhook, worker, connectUrl } = services;
  say('fitsync local run');
  say(`  Firestore emulator ............ ${stack.firestore.host}`);
  say(`  Secret Manager (gRPC) ......... ${stack.secretManager.host}`);
  say(`  Pub/Sub (REST+gRPC, push) ..... ${stack.pubsub.host}`);
  say(`  LOCAL STAND-IN Google OAuth+Fit ${stack.google.url}`);
  say(`  LOCAL STAND-IN Google Health .. ${stack.health.url}`);
  say(`  LOCAL STAND-IN Strava API ..... ${stack.strava.url}`);
  say(`  LOCAL STAND-IN consent pages .. Google ${services.consent.google.url}, Strava ${services.consent.trackers.get('strava')?.url}`);
  say(`  webhook (functions-framework) . ${webhook.url}/strava`);
  say(`  worker  (functions-framework) . ${worker.url} (push target of fitsync-events and fitsync-backfill)`);
  say(`  connect (functions-framework) . ${connectUrl}/`);

  await runDemo(services, say, (rows) => console.table(rows));

  if (options.serve) {
    await serveUntilStopped(services, say);
  } else {
    say();
    say(`The connect page ran at ${connectUrl}/ meanwhile; \`npm run start:local -- --serve\` keeps it up to click through.`);
  }
} finally {
  await services.stop();
}
