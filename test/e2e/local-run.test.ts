import test from 'ava';
import { type LocalRunProcess, startLocalRun } from '../support/local-run-process.ts';

/**
 * `npm run start:local` without --serve, as CI-like use runs it: the whole pipeline comes up on loopback, one demo
 * person per sink is linked with the operator command, their Strava events are replayed, and the run prints what
 * Google Fit and Google Health hold, then ends by itself.
 */
const running = new Set<LocalRunProcess>();
test.after.always(() => {
  for (const run of running) run.kill();
});

/** The rows of the console.table printed under a heading, as lines. */
const tableUnder = (output: string, heading: string) => {
  const at = output.indexOf(heading);
  if (at < 0) return [];
  const lines = output
    .slice(at + heading.length)
    .split('\n')
    .slice(1);
  const end = lines.findIndex((l) => !/^[│┌├└]/.test(l));
  return end < 0 ? lines : lines.slice(0, end);
};

test('the demo ends by itself and shows what each sink holds', async (t) => {
  t.timeout(180_000, 'starting the emulator, three functions and two operator commands on a busy machine');
  const run = startLocalRun([]);
  running.add(run);
  t.is(await run.exited, 0, run.output());
  t.true(await run.groupGone(), 'the functions it started have stopped with it');
  const output = run.output();

  t.regex(output, /connect \(functions-framework\) \. http:\/\/127\.0\.0\.1:\d+\//);
  t.regex(output, /users\/demo-fit-user: workouts go to google-fit/);
  t.regex(output, /users\/demo-health-user: workouts go to google-health/);
  t.regex(output, /Strava subscription handshake → 200/);
  t.notRegex(output, /→ [45]\d\d/, 'every replayed event was accepted');

  const fit = tableUnder(output, 'Google Fit sessions of demo-fit-user (LOCAL STAND-IN Fit server):').join('\n');
  t.regex(fit, /'strava-17000000001' │ 'Morning Run'\s+│ '8 RUNNING'/);
  t.regex(fit, /'strava-17000000002' │ 'Commute \(rainy\)' │ '1 BIKING'/, 'the update renamed it and changed its type');
  t.notRegex(fit, /17000000003/, 'the deleted workout is gone');
  t.notRegex(fit, /1700000001\d/, 'nothing of the other person');

  const health = tableUnder(output, 'Google Health exercises of demo-health-user (LOCAL STAND-IN Health server):').join('\n');
  t.regex(health, /'strava-17000000011' │ 'Hill repeats'\s+│ 'RUNNING'/);
  t.regex(health, /'strava-17000000012' │ 'Gravel loop \(muddy\)' │ 'OUTDOOR_BIKE'/);
  t.notRegex(health, /17000000013/, 'the deleted workout is gone');
  t.notRegex(health, /1700000000\d/, 'nothing of the other person');

  t.regex(output, /Pub\/Sub deliveries to worker: \d+, dead letters: 0/);
  t.regex(output, /npm run start:local -- --serve/);
  t.notRegex(output, /1\/\/|ya29\.|demo-strava-(access|refresh)-/, 'no token reaches the output');
});

test('an unknown argument stops it before anything starts, with the usage', async (t) => {
  t.timeout(60_000);
  const run = startLocalRun(['--serv']);
  running.add(run);
  t.is(await run.exited, 2);
  t.regex(run.output(), /unknown argument\(s\): --serv[\s\S]*Usage: npm run start:local \[-- --serve\]/);
});
