import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { kindOfFitType } from '../activity/kinds.ts';
import { AppError, errorCode, isRetryable } from '../errors.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { isProviderId, type ProviderId } from '../providers/ids.ts';
import type { FitReadBack, FitSessionRead } from '../sinks/google-fit/fit-read-back.ts';
import type { SinkId } from '../sinks/session-sink.ts';
import type { Candidate } from '../sync/member-state.ts';
import type { ActivityRef, MemberRecord } from '../sync/records.ts';
import { syncMember, type SyncCoreDeps } from '../sync/sync-member.ts';
import { syncSession, type SyncResult } from '../sync/sync-session.ts';
import { emptyMember } from '../sync/sync-store.ts';
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
  const members = await deps.store.forUser(userId);
  const bySession = new Map<string, MemberRecord[]>();
  for (const m of members) if (m.sessionId) bySession.set(m.sessionId, [...(bySession.get(m.sessionId) ?? []), m]);
  const starts = members.map((m) => m.startMs).filter((v): v is number => v !== null);
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
      const mine = bySession.get(s.id) ?? [];
      if (!mine.length && s.applicationName !== deps.applicationName) continue; // another app's session
      state.found++;
      try {
        const outcome = await copyOne(deps, user, s, mine, onlySinks);
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

async function copyOne(deps: MigrationDeps, user: UserContext, s: FitSessionRead, members: readonly MemberRecord[], onlySinks: readonly SinkId[]): Promise<'copied' | 'skipped'> {
  const eventKey = `migration:${user.userId}`;
  const copy = { onlySinks, heldBy: ['google-fit'] as const };
  let r: SyncResult;
  if (members.some((m) => m.presence === 'present' && m.session)) {
    // fitsync kept the session's content: the session is written from its members, as every sink should hold it.
    r = await syncSession(deps, { user, sessionId: s.id, eventKey, ...copy });
  } else {
    if (members.length && !members.some((m) => m.presence === 'present')) return 'skipped'; // gone at the tracker; Fit kept a stale copy
    // Written before fitsync kept contents: what Fit holds is the best account of it.
    const member = members[0] ?? emptyOf(s.id);
    if (!member) return 'skipped';
    const candidate: Candidate = { presence: 'present', session: sessionFromFit(s, member.provider, user), sourceVersionMs: member.sourceVersionMs, observedAtMs: deps.clock.now(), contentHash: null };
    r = await syncMember(deps, { user, ref: member, member, candidate, eventKey, reasonCode: 'migrated', ...copy });
  }
  if (r.retry !== undefined) throw r.retry;
  for (const sink of onlySinks) {
    const x = r.sinks[sink];
    if (x === undefined || x === 'unchanged' || x.kind === 'ok') continue;
    throw x.kind === 'skipped' ? new MigrationRefused(x.code, x.message) : x.error;
  }
  return r.wrote ? 'copied' : 'skipped';
}

/** The record of a session fitsync wrote before it kept records of its own, when its id names the workout. */
function emptyOf(sessionId: string): MemberRecord | undefined {
  const ref = refFromSessionId(sessionId);
  return ref ? { ...emptyMember(ref), sessionId } : undefined;
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
