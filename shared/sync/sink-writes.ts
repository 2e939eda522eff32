import { AppError, errorCode, isRetryable, UpstreamError } from '../errors.ts';
import { describeError, type Logger } from '../log.ts';
import { type MatchSettings, sameActivity } from '../merge/match-rule.ts';
import { type SessionSink, type SinkHandle, type SinkId, SinkUnavailableError, SinkUserStateError } from '../sinks/session-sink.ts';
import type { GoogleAccess } from '../tokens/google-access.ts';
import type { TimeWindow, WorkoutSession } from '../types.ts';
import type { Presence, SinkState } from './records.ts';
import type { SinkAvailability } from './sink-availability.ts';
import type { UserContext, UserDirectory } from './user-directory.ts';

/** Everything a sink write needs. `retry` is the inline retry policy (shared/http/retry.ts) for the core's own calls. */
export interface SinkWriteDeps {
  sinks: Partial<Record<SinkId, SessionSink>>;
  googleAccess: GoogleAccess;
  availability: SinkAvailability;
  users: UserDirectory;
  retry: <T>(fn: () => Promise<T>) => Promise<T>;
  log: Logger;
  /** The rule a workout already in a sink from another source must meet to count as this one (merge/match-rule.ts). */
  merge: MatchSettings;
}

/** What one sink should hold for an activity after this write. */
export interface SinkTargetState {
  presence: Presence;
  session: WorkoutSession | null;
  sessionId: string;
  /** The interval last written (for removing figures stored by time). */
  window?: TimeWindow;
}

export type SinkWriteResult =
  | { kind: 'ok'; handle: SinkHandle }
  | { kind: 'retry'; error: unknown }
  | { kind: 'failed'; error: unknown }
  | { kind: 'skipped'; code: string; message: string };

/**
 * Writes one target state to one sink for one person: a full upsert, or a removal. The sink is not called when its
 * API is known to be gone or when it refuses this person until they act; such refusals and a vanished API are
 * recorded (on the person, or for everyone) the first time they are seen. A Google refresh token refused for good
 * (ReauthRequiredError) is thrown: it stops every sink of this person.
 */
export async function writeToSink(
  deps: SinkWriteDeps,
  user: UserContext,
  sinkId: SinkId,
  target: SinkTargetState,
  known: SinkHandle | undefined,
  standing?: SinkState,
): Promise<SinkWriteResult> {
  const sink = deps.sinks[sinkId];
  if (!sink) return { kind: 'skipped', code: 'sink_not_configured', message: `${sinkId} is not configured in this deployment` };
  const blocked = user.blocked[sinkId];
  if (blocked) return { kind: 'skipped', code: blocked, message: `${sinkId} refuses this person until they reconnect` };
  if (!(await deps.availability.isAvailable(sinkId)))
    return { kind: 'skipped', code: `${sinkId.replace('-', '_')}_unavailable`, message: `${sinkId} is unavailable` };
  if (standing?.state === 'skipped' && standing.errorCode === 'already_in_sink') {
    // The sink held this workout from another source when fitsync first came to write it: it stays that source's.
    return {
      kind: 'skipped',
      code: 'already_in_sink',
      message: standing.errorMessage ?? `${sinkId} holds this workout from another source`,
    };
  }
  const mayLook = sink.listForeign && sink.foreignReadScope && user.googleScopes?.includes(sink.foreignReadScope);
  const session = target.session;
  const write = async (token: string): Promise<SinkHandle> => {
    if (target.presence !== 'present' || !session) {
      await sink.remove(token, {
        sessionId: target.sessionId,
        ...(target.window ? { window: target.window } : {}),
        ...(known ? { known } : {}),
      });
      return {}; // nothing of it left there
    }
    if (standing === undefined && user.checkSinks && mayLook) {
      const existing = await lookForIt(deps, sink, token, session);
      if (existing) throw new AlreadyInSink(`${sinkId} already holds this workout from ${existing.source} (${existing.id})`);
    }
    return sink.upsert(token, session, known);
  };
  try {
    // No retry of the whole write here: a sink retries each of its calls (a write is several), honouring Retry-After.
    return { kind: 'ok', handle: await withGoogleToken(deps.googleAccess, user.userId, write) };
  } catch (err) {
    if (err instanceof AlreadyInSink) return { kind: 'skipped', code: 'already_in_sink', message: err.message };
    if (err instanceof SinkUserStateError) {
      await deps.users.block(user.userId, sinkId, err.code);
      deps.log.warn('sink refuses this person until they reconnect', { sink: sinkId, userId: user.userId, reasonCode: err.code });
      return { kind: 'skipped', code: err.code, message: err.message };
    }
    if (err instanceof SinkUnavailableError) {
      await deps.availability.markUnavailable(sinkId, err.code, err.message);
      deps.log.error('sink API unavailable; no longer calling it', { sink: sinkId, reasonCode: err.code, err: describeError(err) });
      return { kind: 'skipped', code: err.code, message: err.message };
    }
    if (err instanceof AppError && err.code === 'google_reauth_required') throw err;
    // Not a refusal the sink planned for (a bug on data nobody expected): logged with its stack for Error Reporting.
    if (!(err instanceof AppError))
      deps.log.error('sink write failed unexpectedly', { sink: sinkId, userId: user.userId, reasonCode: errorCode(err), err });
    return isRetryable(err) ? { kind: 'retry', error: err } : { kind: 'failed', error: err };
  }
}

/** The sink holds the workout from another source: recorded, not written. */
class AlreadyInSink extends Error {}

/**
 * Looks in the sink for the same workout from another source before fitsync's first write there. Looking is a
 * courtesy: a refusal that concerns the person or the sink (no Health profile, the API gone) is the answer the write
 * would get too, so it is raised; any other failure only means fitsync writes as it would have.
 */
async function lookForIt(deps: SinkWriteDeps, sink: SessionSink, token: string, session: WorkoutSession) {
  const tolerance = deps.merge.startToleranceMs;
  try {
    const foreign = await sink.listForeign!(token, session, {
      startMs: session.startMs - tolerance,
      endMs: session.startMs + tolerance + 1,
    });
    return foreign.find((f) => sameActivity(f, session, deps.merge));
  } catch (err) {
    if (err instanceof SinkUserStateError || err instanceof SinkUnavailableError || (err instanceof UpstreamError && err.status === 401))
      throw err;
    deps.log.info('could not look for the workout in the sink first', { sink: sink.id, err });
    return undefined;
  }
}

/** A cached Google access token refused with 401 is dropped and the call made once more with a fresh one. */
export async function withGoogleToken<T>(google: GoogleAccess, userId: string, op: (token: string) => Promise<T>): Promise<T> {
  try {
    return await op(await google.accessToken(userId));
  } catch (err) {
    if (!(err instanceof UpstreamError && err.status === 401)) throw err;
    google.invalidate(userId);
    return op(await google.accessToken(userId));
  }
}

export const resultCode = (r: SinkWriteResult): string | null =>
  r.kind === 'ok' ? null : r.kind === 'skipped' ? r.code : errorCode(r.error);
