import { type Firestore, Timestamp } from '@google-cloud/firestore';
import { kindOfFitType } from '../activity/kinds.ts';
import { AppError, errorCode, isRetryable } from '../errors.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { isProviderId, type ProviderId } from '../provider-ids.ts';
import type { FitReadBack, FitSessionRead } from '../sinks/google-fit/fit-read-back.ts';
import type { SinkId } from '../sinks/session-sink.ts';
import type { Candidate } from '../sync/member-state.ts';
import type { ActivityRef, MemberRecord } from '../sync/records.ts';
import { sessionIdOfKey } from '../sync/session-id.ts';
import { withGoogleToken } from '../sync/sink-writes.ts';
import { type SyncCoreDeps, syncMember } from '../sync/sync-member.ts';
import { type SyncResult, syncSession } from '../sync/sync-session.ts';
import { emptyMember, ownSessionKey } from '../sync/sync-store.ts';
import type { UserContext } from '../sync/user-directory.ts';
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

/** A session as fitsync's records know it: its key and its workouts. */
interface RecordedSession {
  key: string;
  members: MemberRecord[];
  /** When it starts, if any record knows. */
  startMs: number | null;
}

/** Before Fit launched (2014) no Fit session can start: the floor when a record does not say when its workout was. */
const FIT_EPOCH_MS = Date.UTC(2014, 0, 1);

/**
 * Copies every session fitsync wrote to a person's Google Fit into their other chosen sinks (the Google Health API),
 * each exactly once, through the same per-workout records as live events: a workout already in the target is left
 * alone, a rerun after a crash continues from the last finished window, and one workout the target refuses for good
 * is reported, never fatal. A session whose content fitsync kept is copied from its records, with no Fit call, so
 * the move works after Fit REST is switched off; the rest (written before fitsync kept contents) is read back from
 * Fit, because not every tracker can list its history (Garmin cannot, Polar lists 30 days). If Fit cannot be read,
 * those are reported as `fit_unavailable` and everything else is still copied.
 */
export async function migrateUser(
  deps: MigrationDeps,
  userId: string,
  targets: readonly SinkId[],
  onProgress: (s: MigrationState) => void = () => undefined,
): Promise<MigrationState> {
  const col = deps.db.collection('migrations');
  const onlySinks = targets.filter((s) => s !== 'google-fit');
  const bySession = recordedSessions(await deps.store.forUser(userId));
  const starts = [...bySession.values()].map((g) => g.startMs);
  const known = starts.filter((v): v is number => v !== null);
  const previous = (await firestoreCall(() => col.doc(userId).get())).data() as MigrationState | undefined;
  const now = deps.clock.now();
  // Only a run that was cut off resumes; after a finished one (done, or with failures) everything is looked at again.
  const resume = previous?.state === 'running' && sameTargets(previous.targets, onlySinks);
  // A record that does not say when its workout was can only be found in Fit: the windows then start at Fit's launch.
  const firstMs =
    known.length === starts.length && known.length ? Math.min(...known) - 86_400_000 : known.length || starts.length ? FIT_EPOCH_MS : now;
  const state: MigrationState = resume
    ? previous
    : {
        userId,
        targets: [...onlySinks],
        state: 'running',
        cursorMs: firstMs,
        endMs: now,
        found: 0,
        copied: 0,
        skipped: 0,
        failed: 0,
        failures: [],
      };
  state.state = 'running';
  const save = () => firestoreCall(() => col.doc(userId).set({ ...state, updatedAt: Timestamp.fromMillis(deps.clock.now()) }));
  await save();
  onProgress(state);
  const user = await deps.users.get(userId);
  const seen = new Set<string>();
  let fitUnreadable: string | undefined;
  const copy = async (id: string, run: () => Promise<'copied' | 'skipped'>) => {
    seen.add(id);
    state.found++;
    try {
      if ((await run()) === 'copied') state.copied++;
      else state.skipped++;
    } catch (err) {
      if (isRetryable(err)) {
        await save(); // finished windows stay finished; this one is repeated on the next run
        throw err;
      }
      fail(state, id, errorCode(err));
    }
  };
  while (state.cursorMs < state.endMs && onlySinks.length) {
    const window: TimeWindow = { startMs: state.cursorMs, endMs: Math.min(state.cursorMs + WINDOW_MS, state.endMs) };
    // What fitsync kept whole needs no Fit call.
    for (const [id, group] of bySession) {
      if (seen.has(id) || !hasContent(group) || group.startMs === null || group.startMs < window.startMs || group.startMs >= window.endMs)
        continue;
      await copy(id, () => copyRecorded(deps, user, group, onlySinks));
    }
    if (!fitUnreadable) {
      try {
        const sessions = await deps.retry(() =>
          withGoogleToken(deps.googleAccess, userId, (token) => deps.readBack.sessions(token, window)),
        );
        for (const s of sessions) {
          if (seen.has(s.id) || s.startMs < window.startMs) continue; // a session spanning windows is copied from the window it starts in
          const group = bySession.get(s.id);
          if (!group && s.applicationName !== deps.applicationName) continue; // another app's session
          await copy(s.id, () => copyOne(deps, user, s, group, onlySinks));
        }
      } catch (err) {
        if (isRetryable(err)) {
          await save();
          throw err;
        }
        fitUnreadable = errorCode(err);
      }
    }
    state.cursorMs = window.endMs;
    await save();
    onProgress(state);
  }
  // Fit could not be read: the sessions only Fit holds whole are reported, each by id.
  if (fitUnreadable) {
    for (const [id, group] of bySession) {
      if (seen.has(id) || hasContent(group) || !group.members.some((m) => m.presence === 'present')) continue;
      state.found++;
      fail(state, id, 'fit_unavailable');
    }
  }
  state.state = state.failed ? 'failed' : 'done';
  await save();
  onProgress(state);
  return state;
}

/** Fit holds one session per id; fitsync's records know it by key (a record from before keys: its own). */
function recordedSessions(members: readonly MemberRecord[]): Map<string, RecordedSession> {
  const bySession = new Map<string, RecordedSession>();
  for (const m of members) {
    const key = m.sessionKey ?? ownSessionKey(m);
    const id = sessionIdOfKey(key);
    const group = bySession.get(id) ?? { key, members: [], startMs: null };
    group.members.push(m);
    if (m.startMs !== null && m.presence === 'present') group.startMs = Math.min(group.startMs ?? m.startMs, m.startMs);
    bySession.set(id, group);
  }
  // A session whose workouts are all gone starts when its records last said.
  for (const group of bySession.values())
    group.startMs ??= group.members.reduce<number | null>(
      (min, m) => (m.startMs === null ? min : Math.min(min ?? m.startMs, m.startMs)),
      null,
    );
  return bySession;
}

const hasContent = (group: RecordedSession) => group.members.some((m) => m.presence === 'present' && m.session);

function fail(state: MigrationState, sessionId: string, reasonCode: string): void {
  state.failed++;
  if (state.failures.length < MAX_FAILURES_KEPT) state.failures.push({ sessionId, reasonCode });
}

/** A session whose content fitsync kept: written from its records, as every sink should hold it. */
async function copyRecorded(
  deps: MigrationDeps,
  user: UserContext,
  group: RecordedSession,
  onlySinks: readonly SinkId[],
): Promise<'copied' | 'skipped'> {
  const r = await syncSession(deps, { user, sessionKey: group.key, eventKey: `migration:${user.userId}`, onlySinks });
  return outcomeOfCopy(r, onlySinks);
}

async function copyOne(
  deps: MigrationDeps,
  user: UserContext,
  s: FitSessionRead,
  group: RecordedSession | undefined,
  onlySinks: readonly SinkId[],
): Promise<'copied' | 'skipped'> {
  const eventKey = `migration:${user.userId}`;
  const copy = { onlySinks, heldBy: ['google-fit'] as const };
  const members = group?.members ?? [];
  let r: SyncResult;
  if (group && members.some((m) => m.presence === 'present' && m.session)) {
    // fitsync kept the session's content: the session is written from its members, as every sink should hold it.
    r = await syncSession(deps, { user, sessionKey: group.key, eventKey, ...copy });
  } else {
    if (members.length && !members.some((m) => m.presence === 'present')) return 'skipped'; // gone at the tracker; Fit kept a stale copy
    // Written before fitsync kept contents: what Fit holds is the best account of it.
    const member = members[0] ?? emptyOf(s.id);
    if (!member) return 'skipped';
    const candidate: Candidate = {
      presence: 'present',
      session: sessionFromFit(s, member.provider, user),
      sourceVersionMs: member.sourceVersionMs,
      observedAtMs: deps.clock.now(),
      contentHash: null,
    };
    r = await syncMember(deps, { user, ref: member, member, candidate, eventKey, reasonCode: 'migrated', ...copy });
  }
  return outcomeOfCopy(r, onlySinks);
}

function outcomeOfCopy(r: SyncResult, onlySinks: readonly SinkId[]): 'copied' | 'skipped' {
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
  return ref ? { ...emptyMember(ref), sessionKey: ownSessionKey(ref) } : undefined;
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
  // A generic workout is known by its sender too, which the id does not name.
  if (dash < 0 || !isProviderId(provider) || provider === 'generic') return undefined;
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
