/**
 * What an `ava --tap` run really did, counted line by line from its TAP stream instead of taken from its summary.
 * ava 7's summary cannot be trusted on a red run: its TAP reporter throws while reporting a timeout or a
 * process.exit() in a test, so the stream just stops (no plan, no totals, the rest of the suite never reported);
 * a test file that never exits makes ava fail with "# fail 0"; tests that never ran have no line of their own.
 * `verdict` turns each of these into failures, so the closing "N passed, M failed" line never reads green when
 * anything failed, timed out, crashed or did not run.
 */

export interface TapCounts {
  /** `ok` lines without a SKIP directive. */
  passed: number;
  /** `not ok` lines without a TODO directive: failed tests and hooks, crashed files, tests cut off by an exit. */
  failed: number;
  skipped: number;
  todo: number;
  /** The plan `1..N` (ava writes it at the end): passed, failed, skipped and todo tests, counting the ones that never ran as failed. */
  planned: number | undefined;
  /** ava's closing `# fail N`: failed and never-run tests, crashed files and todo tests. */
  reportedFail: number | undefined;
  bailedOut: boolean;
  /** Titles of the first failed lines. */
  failures: string[];
  /** How many failed lines are not in `failures` (the list is bounded). */
  moreFailures: number;
}

/** How many failure titles a tally keeps: enough for a recap, bounded whatever the run prints. */
export const failureTitlesKept = 30;

const testLine = /^(not ok|ok)\b(?:\s+\d+)?(?:\s+-)?\s*(.*)$/;
const directive = /\s*#\s*(SKIP|TODO)\b.*$/i;
const plan = /^1\.\.(\d+)\b/;
const closingFail = /^# fail (\d+)$/;

export class TapTally {
  private readonly counts: TapCounts = {
    passed: 0,
    failed: 0,
    skipped: 0,
    todo: 0,
    planned: undefined,
    reportedFail: undefined,
    bailedOut: false,
    failures: [],
    moreFailures: 0,
  };

  /** One line of the stream, without its line break. */
  line(text: string): void {
    const c = this.counts;
    const test = testLine.exec(text);
    if (test) {
      const [, status, description = ''] = test;
      const kind = directive.exec(description)?.[1]?.toUpperCase();
      const title = description.replace(directive, '');
      if (status === 'ok') {
        if (kind === 'SKIP') c.skipped++;
        else c.passed++;
      } else if (kind === 'TODO') {
        c.todo++;
      } else {
        c.failed++;
        if (c.failures.length < failureTitlesKept) c.failures.push(title);
        else c.moreFailures++;
      }
      return;
    }
    const planned = plan.exec(text);
    if (planned && c.planned === undefined) {
      c.planned = Number(planned[1]);
      return;
    }
    // ava's totals come right after its plan; a test's log line ("#   …") or a hook's comment never matches.
    const fail = closingFail.exec(text);
    if (fail && c.planned !== undefined) {
      c.reportedFail = Number(fail[1]);
      return;
    }
    if (text.startsWith('Bail out!')) c.bailedOut = true;
  }

  snapshot(): TapCounts {
    return { ...this.counts, failures: [...this.counts.failures] };
  }
}

/** How the ava process ended, as the runner saw it. */
export interface RunEnd {
  /** ava's exit code; null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  /** Why the runner stopped ava, when it did (its deadline passed, the runner was interrupted). */
  stoppedBecause?: string | undefined;
  /** What ava's standard error said about an abrupt end (see `stderrHint`). */
  hints?: readonly string[];
}

export interface Verdict {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  /** Why the run is red beyond its failed tests, one sentence each. */
  problems: string[];
  failures: string[];
  moreFailures: number;
  green: boolean;
}

export function verdict(counts: TapCounts, end: RunEnd): Verdict {
  const problems: string[] = [];
  let failed = counts.failed;
  const finished = counts.reportedFail !== undefined;

  if (finished) {
    // ava counts tests that never ran (their file crashed or was stopped) as failed, without a line of their own.
    const avaFailed = counts.reportedFail! - counts.todo;
    if (avaFailed > failed) {
      problems.push(
        `${avaFailed - failed} test(s) never ran or failed without a result line (ava counts them in its "# fail ${counts.reportedFail}")`,
      );
      failed = avaFailed;
    }
  }
  if (end.stoppedBecause) {
    problems.push(`${end.stoppedBecause}; ava was stopped and what had not reported yet is counted as one failure`);
    failed += 1;
  } else if (!finished) {
    problems.push(
      `ava's report ended before its totals (${exitDescription(end)}): it crashed or was killed, and whatever was still running or not yet started is counted as one failure`,
    );
    failed += 1;
  }
  problems.push(...(end.hints ?? []));
  if (counts.bailedOut) {
    problems.push('ava bailed out');
    if (failed === 0) failed = 1;
  }
  if (failed === 0 && (end.exitCode !== 0 || end.signal)) {
    problems.push(
      `ava ${exitDescription(end)} although no test failed: a test file did not exit after its tests (something it started, such as a server, timer or child process, kept it alive), or ava itself failed`,
    );
    failed = 1;
  }
  if (failed === 0 && counts.passed + counts.skipped + counts.todo === 0) {
    problems.push('no test ran');
    failed = 1;
  }
  return {
    passed: counts.passed,
    failed,
    skipped: counts.skipped,
    todo: counts.todo,
    problems,
    failures: counts.failures,
    moreFailures: counts.moreFailures,
    green: failed === 0 && end.exitCode === 0 && !end.signal,
  };
}

function exitDescription(end: RunEnd): string {
  return end.signal ? `was ended by ${end.signal}` : `exited with code ${end.exitCode}`;
}

/** The line CI reads: always the last line of the run. */
export function summaryLine(v: Pick<Verdict, 'passed' | 'failed'>): string {
  return `${v.passed} passed, ${v.failed} failed`;
}

/** The lines before the summary: what failed and why the run is red, and what was skipped. */
export function recap(v: Verdict): string[] {
  const lines = v.failures.map((title) => `# failed: ${title}`);
  if (v.moreFailures > 0) lines.push(`# failed: … and ${v.moreFailures} more`);
  lines.push(...v.problems.map((p) => `# problem: ${p}`));
  if (v.skipped + v.todo > 0) lines.push(`# ${v.skipped} skipped, ${v.todo} todo`);
  return lines;
}

/**
 * What one line of ava's standard error says about an abrupt end. ava's TAP reporter throws from these two
 * methods, and its stack trace is all that is left of the report.
 */
export function stderrHint(line: string): string | undefined {
  if (line.includes('TapReporter.writeTimeout')) {
    return "ava's timeout passed with tests still pending (no test finished within it, see ava.config.js), and ava's TAP reporter crashed listing them";
  }
  if (line.includes('TapReporter.writeProcessExit')) {
    return "a test file called process.exit(), and ava's TAP reporter crashed reporting its pending tests";
  }
  return undefined;
}
