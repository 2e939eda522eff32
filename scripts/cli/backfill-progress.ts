import type { BackfillJob, JobStore } from '../../shared/backfill/job-store.ts';

const settled = (j: BackfillJob) => j.state === 'done' || j.state === 'failed' || j.state === 'paused';

function bar(done: number, total: number, width = 24): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function progressLine(jobs: BackfillJob[]): string {
  const sum = (k: 'found' | 'written' | 'skipped' | 'failed' | 'unreadable') => jobs.reduce((n, j) => n + j[k], 0);
  const finished = jobs.filter(settled).length;
  return `${bar(finished, jobs.length)} ${finished}/${jobs.length} jobs  found ${sum('found')}  written ${sum('written')}  skipped ${sum('skipped')}  failed ${sum('failed')}  unreadable ${sum('unreadable')}`;
}

/** Polls the jobs until each is done, failed or paused, drawing a progress bar; returns the final job states. */
export async function watchJobs(jobs: JobStore, jobIds: readonly string[], out: NodeJS.WriteStream, pollMs = 1000): Promise<BackfillJob[]> {
  const tty = out.isTTY === true;
  let last = '';
  for (;;) {
    const current = await jobs.list({ jobIds });
    const line = progressLine(current);
    if (tty) out.write(`\r${line}`);
    else if (line !== last) out.write(`${line}\n`);
    last = line;
    if (current.every(settled)) {
      if (tty) out.write('\n');
      return current;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function jobTable(jobs: BackfillJob[]): Array<Record<string, string | number>> {
  return jobs.map((j) => ({
    job: j.jobId,
    tracker: j.provider,
    user: j.userId,
    window: `${new Date(j.window.startMs).toISOString().slice(0, 10)} → ${new Date(j.window.endMs).toISOString().slice(0, 10)}`,
    state: j.state === 'paused' && j.resumeAtMs ? `paused until ${new Date(j.resumeAtMs).toISOString().slice(11, 16)}Z` : j.state,
    pages: j.pages,
    found: j.found,
    written: j.written,
    skipped: j.skipped,
    failed: j.failed,
    unreadable: j.unreadable,
    reason: j.reasonCode ?? '',
  }));
}
