// The bounded fuzz run of `npm test`: a few hundred mutants per endpoint. `npm run fuzz` runs the long one.
import test from 'ava';
import { seedFrom } from '../support/seeded-random.ts';
import { fuzzWebhooks, reportTable } from './fuzz-webhooks.ts';

test('every endpoint answers every mutant of its fixtures below 500, and publishes only events the worker takes', async (t) => {
  const seed = seedFrom('FUZZ_SEED');
  t.log(`FUZZ_SEED=${seed} reproduces this run`);
  const report = await fuzzWebhooks({ seed, perEndpoint: 300 });
  t.log(`\n${reportTable(report)}`);
  for (const e of report.endpoints) {
    t.is(e.requests, 300, e.tracker);
    t.true((e.statuses[200] ?? 0) > 0, `${e.tracker}: some requests got through to the tracker's events`);
    t.deepEqual(e.failures, [], `${e.tracker} (FUZZ_SEED=${seed})`);
  }
});
