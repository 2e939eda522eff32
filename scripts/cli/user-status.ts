import type { WorkerDeps } from '../../functions/compose-worker.ts';
import { sinkIds } from '../../shared/sinks/session-sink.ts';
import { Collections } from '../../shared/stores/collections.ts';
import { sinkField } from '../../shared/sync/sync-store.ts';

/** The person, their sinks and their tracker links, as `fitsync status` prints them. */
export async function userStatus(deps: WorkerDeps, userId: string): Promise<string[]> {
  const user = await deps.data.users.get(userId);
  const ctx = await deps.users.get(userId);
  const links = await deps.links.listForUser(userId);
  const lines = [
    `user ${userId}: Google ${user ? user.googleStatus : 'not linked'}${user?.googleStatusReason ? ` (${user.googleStatusReason})` : ''}`,
  ];
  for (const sink of sinkIds) {
    const chosen = ctx.sinks.includes(sink);
    const blocked = ctx.blocked[sink];
    const available = await deps.availability.isAvailable(sink);
    lines.push(
      `  sink ${sink}: ${chosen ? 'chosen' : 'not chosen'}${blocked ? `, refuses this person (${blocked})` : ''}${available ? '' : ', unavailable for everyone'}`,
    );
  }
  for (const l of links) lines.push(`  link ${l.docId}: ${l.status}${l.statusReason ? ` (${l.statusReason})` : ''}`);
  return lines;
}

/** One row per workout: its state overall and in each sink, with the reason when it is not there. */
export async function activityTable(deps: WorkerDeps, userId: string): Promise<Array<Record<string, unknown>>> {
  const docs = (await deps.data.db.collection(Collections.activities).where('userId', '==', userId).get()).docs;
  return docs
    .sort((a, b) => Number(b.get('startMs') ?? 0) - Number(a.get('startMs') ?? 0))
    .map((d) => {
      const row: Record<string, unknown> = {
        activity: d.id,
        start: typeof d.get('startMs') === 'number' ? new Date(d.get('startMs')).toISOString().slice(0, 16) : '',
        state: d.get('state'),
        session: d.get('sessionId'),
      };
      for (const sink of sinkIds) {
        const p = sinkField[sink];
        const st = d.get(`${p}State`);
        row[sink] = st ? `${st}${d.get(`${p}ErrorCode`) ? ` (${d.get(`${p}ErrorCode`)})` : ''}` : '';
      }
      const mergedWith = (d.get('mergedWith') as string[] | undefined) ?? [];
      if (mergedWith.length) row.mergedWith = mergedWith.join(', ');
      row.lastError = d.get('lastErrorCode') ?? '';
      return row;
    });
}
