// ava's run-wide watchdog (ava.config.js `timeout`) only works when it outlasts every t.timeout() in the suite: ava 7
// skips a firing inside a t.timeout()'s period and does not arm itself again, so a shorter watchdog can leave a hung
// test running until the runner's deadline. This reads every t.timeout() in the tests and holds them under it.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { perScriptRun } from '../infra/stand-in.ts';

const testRoot = fileURLToPath(new URL('../', import.meta.url));

/** ava.config.js's `timeout` as written there (a JavaScript file the compiler has no types for). */
function watchdog(): string {
  const config = readFileSync(new URL('../../ava.config.js', import.meta.url), 'utf8');
  const match = /^\s*timeout: '([^']+)',$/m.exec(config);
  if (!match) throw new Error('ava.config.js sets no timeout');
  return match[1]!;
}

/** Every TypeScript file of the suite and its support code; the runner's own fixtures run under their own config. */
function suiteFiles(dir = testRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : suiteFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** ava's duration strings as this project writes them: a whole number of ms, s or m. */
function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(value);
  if (!match) throw new Error(`not a duration in ms, s or m: ${value}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
}

const literalMs = (text: string) => (/^\d[\d_]*$/.test(text) ? Number(text.replaceAll('_', '')) : undefined);

/** The milliseconds one t.timeout() argument stands for: a literal, or a constant of the same file set to one. */
function timeoutArgumentMs(argument: string, source: string): number | undefined {
  const literal = literalMs(argument);
  if (literal !== undefined) return literal;
  const constant = new RegExp(`const ${argument} = ([\\d_]+);`).exec(source);
  return constant ? literalMs(constant[1]!) : undefined;
}

/** The longest time the infra tests ask for: allowScriptRuns(t, runs) gives perScriptRun × (runs + 1). */
function longestScriptRunsMs(sources: Map<string, string>): number {
  const runs = [...sources.values()].flatMap((source) => [...source.matchAll(/allowScriptRuns\(t, (\d+)\)/g)].map((m) => Number(m[1])));
  return perScriptRun * (Math.max(0, ...runs) + 1);
}

/** What the watchdog must leave after the longest t.timeout(), for that test's failure to be reported. */
const MARGIN_MS = 30_000;

test("every t.timeout() in the suite is shorter than ava's watchdog", (t) => {
  const configured = watchdog();
  const watchdogMs = durationMs(configured);
  const sources = new Map(suiteFiles().map((file) => [relative(testRoot, file), readFileSync(file, 'utf8')]));
  const unreadable: string[] = [];
  const tooLong: string[] = [];
  let longest = 0;
  const check = (where: string, ms: number) => {
    if (ms + MARGIN_MS > watchdogMs) tooLong.push(`${where}: ${ms} ms`);
    longest = Math.max(longest, ms);
  };
  // A helper that computes its timeout is checked by the longest it can compute, not by its expression.
  const computed: Record<string, (sources: Map<string, string>) => number> = { 'infra/stand-in.ts': longestScriptRunsMs };
  for (const [file, bound] of Object.entries(computed)) check(file, bound(sources));
  for (const [file, source] of sources) {
    if (file in computed) continue;
    for (const call of source.matchAll(/\bt\.timeout\(([^,)]+)/g)) {
      const argument = call[1]!.trim();
      const ms = timeoutArgumentMs(argument, source);
      if (ms === undefined) unreadable.push(`${file}: ${argument}`);
      else check(file, ms);
    }
  }
  t.deepEqual(unreadable, [], 'write each t.timeout() as a number, or a constant of its file, so it can be checked here');
  t.deepEqual(tooLong, [], `each must end at least ${MARGIN_MS} ms before the watchdog (${configured})`);
  t.true(longest >= 60_000, 'the scan found the long end-to-end timeouts it is meant to check');
});

test('durations read as ava reads them', (t) => {
  t.is(durationMs('60s'), 60_000);
  t.is(durationMs('11m'), 660_000);
  t.is(durationMs('250ms'), 250);
  t.throws(() => durationMs('1h'), { message: /not a duration/ });
});
