// `npm run fuzz`: ≥ 10,000 mutants per endpoint (FUZZ_PER_ENDPOINT to change), seeded (FUZZ_SEED to reproduce).

import { seedFrom } from '../support/seeded-random.ts';
import { fuzzWebhooks, reportTable } from './fuzz-webhooks.ts';

const perEndpoint = Number(process.env.FUZZ_PER_ENDPOINT ?? 10_000);
if (!Number.isInteger(perEndpoint) || perEndpoint < 1) throw new Error('FUZZ_PER_ENDPOINT must be a positive integer');
const seed = seedFrom('FUZZ_SEED');
process.stdout.write(`fuzzing every webhook endpoint: ${perEndpoint} requests each, FUZZ_SEED=${seed}\n`);
const started = performance.now();
const report = await fuzzWebhooks({ seed, perEndpoint });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `\n${reportTable(report)}\n\n${report.endpoints.length * perEndpoint} requests in ${seconds} s; ${report.failures} failures\n`,
);
for (const e of report.endpoints) for (const f of e.failures) process.stdout.write(`FAIL ${f}\n`);
process.exitCode = report.failures ? 1 : 0;
