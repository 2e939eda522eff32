import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { kindOfFitType } from '../activity/kinds.ts';
import { AppError, errorCode, isRetryable } from '../errors.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { isProviderId, type ProviderId } from '../provider-ids.ts';
import type { FitReadBack, FitSessionRead } from '../sinks/google-fit/fit-read-back.ts';
import type { SinkId } from '../sinks/session-sink.ts';
import type { ActivityHead } from '../sync/activity-head.ts';
import { emptyHead, type ActivityRef } from '../sync/activity-heads.ts';
import type { SyncCoreDeps } from '../sync/sync-core-deps.ts';
import { syncActivity, type Candidate } from '../sync/sync-activity.ts';
import type { UserContext } from '../sync/user-directory.ts';
import { withGoogleToken } from '../sync/sink-writes.ts';
import { toWorkoutSession } from '../sync/workout-session.ts';
import type { TimeWindow } from '../types.ts';

/** `migrations/{userId}`: how far copying a person's Google Fit history into their other sinks has come. */
export interface MigrationState {
  userId: string;
  targets: SinkId[];
  state: 'running' | 'done' | 'failed';
  /** Every window before this instant is done (resume point after a crash). */
  cursorMs: number;
  endMs: number;
  found: number;
  copied: number;
  skipped: number;
  failed: number;
  /** The first failures, for the report. */
  failures: Array<{ sessionId: string; reasonCode: string }>;
}

export interface MigrationDeps extends SyncCoreDeps {
  db: Firestore;
  readBack: FitReadBack;
  /** The `application.name` fitsync writes sessions with (FIT_APPLICATION_NAME). */
  applicationName: string;
}

const WINDOW_MS = 30 * 86_400_000;
const MAX_FAILURES_KEPT = 50;

/**
 * Copies every session fitsync wrote to a person's Google Fit into their other chosen sinks (the Google Health API),
 * each exactly once, through the same per-workout records as live events: a workout already in the target is left
 * alone, a rerun after a crash continues from the last finished window, and one workout the target refuses for good
 * is reported, never fatal. Sessions are read back from Fit because not every tracker can list its history (Garmin
 * cannot, Polar lists 30 days); the record's own copy of the session is used where fitsync kept one.
 */
export async function migrateUser(
  deps: MigrationDeps,
  userId: string,
  targets: readonly SinkId[],
  onProgress: (s: MigrationState) => void = () => undefined,
): Promise<MigrationState> {
  const col = deps.db.collection('migrations');
  const onlySinks = targets.filter((s) => s !== 'google-fit');
  const heads = await deps.heads.forUser(userId);
  const bySession = new Map(heads.map((h) => [h.sessionId, h]));
  const starts = heads.map((h) => h.startMs).filter((v): v is number => v !== null);
  const previous = (await firestoreCall(() => col.doc(userId).get())).data() as MigrationState | undefined;
  const now = deps.clock.now();
  const resume = previous && previous.state !== 'done' && sameTargets(previous.targets, onlySinks);
  const state: MigrationState = resume
    ? previous
    : { userId, targets: [...onlySinks], state: 'running', cursorMs: starts.length ? Math.min(...starts) - 86_400_000 : now, endMs: now, found: 0, copied: 0, skipped: 0, failed: 0, failures: [] };
  state.state = 'running';
  const save = () => firestoreCall(() => col.doc(userId).set({ ...state, updatedAt: Timestamp.fromMillis(deps.clock.now()) }));
  await save();
  onProgress(state);
  const user = await deps.users.get(userId);
  const seen = new Set<string>();
  while (state.cursorMs < state.endMs && onlySinks.length) {
    const window: TimeWindow = { startMs: state.cursorMs, endMs: Math.min(state.cursorMs + WINDOW_MS, state.endMs) };
    const sessions = await deps.retry(() => withGoogleToken(deps.googleAccess, userId, (token) => deps.readBack.sessions(token, window)));
    for (const s of sessions) {
      if (seen.has(s.id) || s.startMs < window.startMs) continue; // a session spanning windows is copied from the window it starts in
      seen.add(s.id);
      const head = bySession.get(s.id);
      if (!head && s.applicationName !== deps.applicationName) continue; // another app's session
      state.found++;
      try {
        const outcome = await copyOne(deps, user, s, head, onlySinks);
        if (outcome === 'copied') state.copied++;
        else state.skipped++;
      } catch (err) {
        if (isRetryable(err)) {
          await save(); // finished windows stay finished; this one is repeated on the next run
          throw err;
        }
        state.failed++;
        if (state.failures.length < MAX_FAILURES_KEPT) state.failures.push({ sessionId: s.id, reasonCode: errorCode(err) });
      }
    }
    state.cursorMs = window.endMs;
    await save();
    onProgress(state);
  }
  state.state = state.failed ? 'failed' : 'done';
  await save();
  onProgress(state);
  return state;
}

async function copyOne(deps: MigrationDeps, user: UserContext, s: FitSessionRead, head: ActivityHead | undefined, onlySinks: readonly SinkId[]): Promise<'copied' | 'skipped'> {
  if (head && head.presence !== 'present') return 'skipped'; // the tracker no longer has it; Fit kept a stale copy
  const ref = head ? { provider: head.provider, activityId: head.activityId, providerUserId: head.providerUserId } : refFromSessionId(s.id);
  if (!ref) return 'skipped';
  const current = head ?? emptyHead(ref);
  const candidate: Candidate = current.session
    ? { presence: 'present', session: current.session, sourceVersionMs: current.sourceVersionMs, observedAtMs: current.observedAtMs, contentHash: current.contentHash }
    : { presence: 'present', session: sessionFromFit(s, ref.provider, user), sourceVersionMs: current.sourceVersionMs, observedAtMs: deps.clock.now(), contentHash: null };
  const r = await syncActivity(deps, { user, ref, head: current, candidate, eventKey: `migration:${user.userId}`, reasonCode: 'migrated', onlySinks, heldBy: ['google-fit'] });
  if (r.retry !== undefined) throw r.retry;
  for (const sink of onlySinks) {
    const x = r.sinks[sink];
    if (x === undefined || x === 'unchanged' || x.kind === 'ok') continue;
    throw x.kind === 'skipped' ? new MigrationRefused(x.code, x.message) : x.error;
  }
  return r.wrote ? 'copied' : 'skipped';
}

class MigrationRefused extends AppError {
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `<provider>-<id>` session ids name their workout; hashed ones (`<provider>-h<hex>`) name it only through a record. */
function refFromSessionId(sessionId: string): ActivityRef | undefined {
  const dash = sessionId.indexOf('-');
  const provider = sessionId.slice(0, dash);
  if (dash < 0 || !isProviderId(provider)) return undefined;
  return { provider: provider as ProviderId, activityId: sessionId.slice(dash + 1), providerUserId: '' };
}

/** A session Fit holds (written before fitsync kept contents), as a sink-neutral session. */
function sessionFromFit(s: FitSessionRead, provider: ProviderId, user: UserContext) {
  const kind = kindOfFitType(s.activityType) ?? 'other';
  const session = toWorkoutSession(
    {
      provider,
      activityId: s.id,
      providerUserId: '',
      sportType: kind,
      name: s.name,
      description: s.description,
      startMs: s.startMs,
      endMs: s.endMs,
      ...(s.activeMs !== undefined ? { activeMs: s.activeMs } : {}),
    },
    kind,
    user.timeZone ? { timeZone: user.timeZone } : {},
  );
  return { ...session, id: s.id };
}

const sameTargets = (a: readonly SinkId[], b: readonly SinkId[]) => a.length === b.length && a.every((s) => b.includes(s));
