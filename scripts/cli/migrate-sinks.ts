import { fitness } from 'googleapis/build/src/apis/fitness/index.js';
import type { WorkerDeps } from '../../functions/compose-worker.ts';
import type { WorkerConfig } from '../../shared/config.ts';
import { errorCode } from '../../shared/errors.ts';
import { type MigrationState, migrateUser } from '../../shared/ops/migrate-sinks.ts';
import { createFitReadBack } from '../../shared/sinks/google-fit/fit-read-back.ts';
import type { SinkId } from '../../shared/sinks/session-sink.ts';

function bar(done: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * `fitsync sinks … --migrate`: copies each person's Google Fit history into their other sinks, drawing a progress bar
 * (time covered so far) and returning one summary row per person. A person whose run stops on a transient failure is
 * reported and can be resumed by running the command again.
 */
export async function migrateUsers(
  deps: WorkerDeps,
  config: WorkerConfig,
  userIds: readonly string[],
  targets: readonly SinkId[],
  out: NodeJS.WriteStream,
) {
  const readBack = createFitReadBack({
    fitness: fitness({ version: 'v1' }),
    rootUrl: config.fitApiRoot,
    timeoutMs: config.httpTimeoutMs,
    clock: deps.clock,
  });
  const rows: Array<Record<string, string | number>> = [];
  let failed = 0;
  for (const userId of userIds) {
    let first: number | undefined;
    const draw = (s: MigrationState) => {
      first ??= s.cursorMs;
      const line = `${userId} ${bar(s.cursorMs - first, s.endMs - first)} found ${s.found}  copied ${s.copied}  skipped ${s.skipped}  failed ${s.failed}`;
      out.write(out.isTTY ? `\r${line}` : `${line}\n`);
    };
    try {
      const s = await migrateUser({ ...deps, db: deps.data.db, readBack, applicationName: config.application.name }, userId, targets, draw);
      if (out.isTTY) out.write('\n');
      failed += s.failed;
      rows.push({
        user: userId,
        state: s.state,
        found: s.found,
        copied: s.copied,
        skipped: s.skipped,
        failed: s.failed,
        failures: s.failures.map((f) => `${f.sessionId}: ${f.reasonCode}`).join('; '),
      });
    } catch (err) {
      if (out.isTTY) out.write('\n');
      failed++;
      rows.push({
        user: userId,
        state: 'stopped (run again to resume)',
        found: '',
        copied: '',
        skipped: '',
        failed: '',
        failures: errorCode(err),
      });
    }
  }
  return { rows, failed };
}
