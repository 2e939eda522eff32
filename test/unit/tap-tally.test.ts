// scripts/tap-tally.ts over TAP that ava 7 really printed: test/fixtures/tap/ holds what `ava --tap` wrote on
// standard output (<run>.stdout) and, where it said something there, standard error (<run>.stderr) for runs of
// the files in test/fixtures/ava-run/ (paths shortened to /repo/). Every way a run goes wrong must end red, with
// counts of what really ran.

import { readFile } from 'node:fs/promises';
import test from 'ava';
import { failureTitlesKept, type RunEnd, recap, stderrHint, summaryLine, TapTally, verdict } from '../../scripts/tap-tally.ts';

const sample = (file: string) => readFile(new URL(`../fixtures/tap/${file}`, import.meta.url), 'utf8');

function tally(tap: string) {
  const t = new TapTally();
  for (const line of tap.split('\n')) t.line(line);
  return t.snapshot();
}

/** A recorded run, as the runner would judge it with ava's exit. */
async function replay(name: string, end: Omit<RunEnd, 'hints'>) {
  const stderr = await sample(`${name}.stderr`).catch(() => '');
  const hints = [
    ...new Set(
      stderr
        .split('\n')
        .map(stderrHint)
        .filter((h) => h !== undefined),
    ),
  ];
  return verdict(tally(await sample(`${name}.stdout`)), { ...end, hints });
}

const exited = (code: number): Omit<RunEnd, 'hints'> => ({ exitCode: code, signal: null });

test('a green run: every ok line counts, and only a zero exit is green', async (t) => {
  const v = await replay('green', exited(0));
  t.is(summaryLine(v), '2 passed, 0 failed');
  t.true(v.green);
  t.deepEqual(v.problems, []);
  t.deepEqual(recap(v), []);
});

test('failed assertions, a file that throws at import and an unhandled rejection each count as failed', async (t) => {
  const v = await replay('failures', exited(1));
  t.is(summaryLine(v), '3 passed, 5 failed');
  t.false(v.green);
  t.is(v.skipped, 1);
  t.is(v.todo, 1, 'a todo test is not a failure');
  t.deepEqual(v.failures, [
    'fails.fixture › fails an assertion',
    'Error: this file throws while it is imported',
    'test/fixtures/ava-run/throws-at-import.fixture.ts exited with a non-zero exit code: 1',
    'Error: nobody handles this rejection',
    'test/fixtures/ava-run/unhandled-rejection.fixture.ts exited with a non-zero exit code: 1',
  ]);
  t.deepEqual(v.problems, [], "the lines and ava's totals agree");
  t.true(recap(v).includes('# 1 skipped, 1 todo'));
});

test('tests that never ran count as failed, from the plan and the totals', async (t) => {
  // --fail-fast --serial: the test after the failing one never ran and has no line; ava counts it in "# fail".
  const v = await replay('remaining', exited(1));
  t.is(summaryLine(v), '0 passed, 2 failed');
  t.regex(v.problems.join('\n'), /1 test\(s\) never ran/);
});

test('a test file that never exits is a failure even though ava reports "# fail 0"', async (t) => {
  const counts = tally(await sample('never-exits.stdout'));
  t.is(counts.reportedFail, 0);
  const v = verdict(counts, { exitCode: 1, signal: null });
  t.is(summaryLine(v), '2 passed, 1 failed');
  t.false(v.green);
  t.regex(v.problems.join('\n'), /exited with code 1 although no test failed: a test file did not exit/);
});

test("process.exit() in a test: ava's report stops after its first line, and the run is red", async (t) => {
  const v = await replay('process-exit', exited(1));
  t.is(summaryLine(v), '0 passed, 1 failed');
  t.regex(v.problems.join('\n'), /report ended before its totals \(exited with code 1\)/);
  t.regex(v.problems.join('\n'), /called process\.exit\(\)/);
});

test("ava's timeout: the tests that reported count, the crash of its reporter is one more failure", async (t) => {
  const v = await replay('timeout', exited(1));
  t.is(summaryLine(v), '2 passed, 2 failed');
  t.deepEqual(v.failures, ['fails.fixture › fails an assertion']);
  t.regex(v.problems.join('\n'), /report ended before its totals/);
  t.regex(v.problems.join('\n'), /timeout passed with tests still pending/);
});

test('a clean report is still red when ava exited non-zero, died of a signal or was stopped by the runner', async (t) => {
  const counts = tally(await sample('green.stdout'));
  for (const end of [
    { exitCode: 1, signal: null },
    { exitCode: null, signal: 'SIGKILL' },
    { exitCode: 0, signal: null, stoppedBecause: 'the run did not finish within TEST_DEADLINE_SECONDS=5' },
  ] satisfies RunEnd[]) {
    const v = verdict(counts, end);
    t.false(v.green, JSON.stringify(end));
    t.is(summaryLine(v), '2 passed, 1 failed', JSON.stringify(end));
  }
  const stopped = verdict(counts, { exitCode: null, signal: 'SIGTERM', stoppedBecause: 'the run was interrupted (SIGINT)' });
  t.is(stopped.problems[0], 'the run was interrupted (SIGINT); ava was stopped and what had not reported yet is counted as one failure');
});

test('a run in which no test ran is red', (t) => {
  const v = verdict(tally('TAP version 13\n\n1..0\n# tests 0\n# pass 0\n# fail 0\n'), { exitCode: 0, signal: null });
  t.is(summaryLine(v), '0 passed, 1 failed');
  t.deepEqual(v.problems, ['no test ran']);
});

test('only top-level TAP lines count: logs, hook comments and diagnostics that look like TAP do not', (t) => {
  const counts = tally(
    [
      'TAP version 13',
      '# fail 7', // a hook or log comment before the plan, not ava's totals
      'ok 1 - first',
      '#   ok 2 - a t.log() line',
      'not ok 2 - second',
      '  ---',
      '    message: |-',
      '      not ok 3 - text inside a diagnostic',
      '  ...',
      'ok 3 - a title with # in it',
      '',
      '1..3',
      '# tests 3',
      '# pass 2',
      '# fail 1',
    ].join('\n'),
  );
  t.like(counts, { passed: 2, failed: 1, skipped: 0, todo: 0, planned: 3, reportedFail: 1, bailedOut: false });
  t.deepEqual(counts.failures, ['second']);
  t.true(tally('TAP version 13\nBail out! ava gave up\n').bailedOut);
  t.true(verdict(tally('ok 1 - a\n1..1\n# fail 0\nBail out!\n'), { exitCode: 0, signal: null }).failed > 0);
});

test('the failure list is bounded, and says how many it left out', (t) => {
  const lines = Array.from({ length: failureTitlesKept + 70 }, (_, i) => `not ok ${i + 1} - failure ${i + 1}`);
  const v = verdict(tally(lines.join('\n')), { exitCode: 1, signal: null });
  t.is(v.failures.length, failureTitlesKept);
  t.is(v.failed, failureTitlesKept + 71, 'every failed line counts, plus the missing totals');
  t.true(recap(v).includes('# failed: … and 70 more'));
});

test('the summary is one line, "N passed, M failed", with nothing after it', (t) => {
  t.is(summaryLine({ passed: 463, failed: 0 }), '463 passed, 0 failed');
  t.regex(summaryLine({ passed: 0, failed: 12 }), /^\d+ passed, \d+ failed$/);
  t.is(stderrHint('    at TapReporter.writeTest (file:///repo/node_modules/ava/lib/reporters/tap.js:101:21)'), undefined);
});
