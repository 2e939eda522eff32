import type { ActivityKind } from '../activity/kinds.ts';
import { AppError } from '../errors.ts';
import type { TimeWindow, WorkoutSession } from '../types.ts';

/** Where a person's workouts can go. A person chooses one or both (`users/{id}.sinks`). */
export const sinkIds = ['google-fit', 'google-health'] as const;
export type SinkId = (typeof sinkIds)[number];
export const isSinkId = (v: unknown): v is SinkId => (sinkIds as readonly unknown[]).includes(v);

/**
 * What a sink remembers about a session it wrote, returned by `upsert`, stored by the core per activity and per sink
 * (plain JSON, Firestore-ready) and handed back as `known` on the next upsert or remove. `{}` means "nothing beyond
 * the session id".
 */
export interface SinkHandle {
  /** Google Health: the exercise's name when the server chose it instead of the one fitsync asked for. */
  remoteName?: string;
  /** Google Fit: the figures written beside the session (Fit keeps them by time, not by session). */
  points?: WrittenPoints;
  /**
   * Set by the core, never returned by a sink: figures another write of the same session may have left (a writer that
   * lost a race wrote them under a window that is no longer the session's); cleared along with `points`.
   */
  stale?: WrittenPoints[];
}

/** The window a sink wrote time-indexed points over and the series that hold them, so they can be removed exactly. */
export interface WrittenPoints {
  window: TimeWindow;
  series: string[];
}

/**
 * What to remove: the session id, the window it was last written with (when the core knows it) and what the sink
 * answered for it. A sink uses `known` first; `window` is the fallback for sessions written before handles existed.
 */
export interface SinkTarget {
  sessionId: string;
  window?: TimeWindow;
  known?: SinkHandle;
}

/**
 * A sink behind one port: Google Fit today, the Google Health API as its successor. Both calls are idempotent:
 * `upsert` creates or fully replaces the session with this id (never a second copy), `remove` of an absent session
 * succeeds. Errors are AppErrors: UpstreamError (retryable for 408/429/5xx/network), SinkUserStateError (the person
 * must act: no Health profile, a missing scope), SinkUnavailableError (the API itself is gone).
 */
export interface SessionSink {
  readonly id: SinkId;
  /** `known` is what this sink answered for the session before, if anything. Returns what to remember for next time. */
  upsert(accessToken: string, session: WorkoutSession, known?: SinkHandle): Promise<SinkHandle>;
  remove(accessToken: string, target: SinkTarget): Promise<void>;
  /**
   * Workouts another source (the person's watch, phone or another app) wrote into their store that start inside the
   * window, where this sink can read them with the person's grant; the core then does not add a copy of one of them.
   */
  listForeign?(accessToken: string, around: WorkoutSession, window: TimeWindow): Promise<ForeignWorkout[]>;
  /** The Google scope `listForeign` needs; the core looks only for people who granted it. */
  readonly foreignReadScope?: string;
}

export interface ForeignWorkout {
  /** The sink's own id for it. */
  id: string;
  /** Who wrote it, as far as the sink says. */
  source: string;
  kind: ActivityKind;
  startMs: number;
  endMs: number;
}

/**
 * The sink refuses this person until they act (reconnect with a scope, create a Google Health profile): recorded on
 * the user and shown, never retried, and the sink is not called again for them until they reconnect.
 */
export class SinkUserStateError extends AppError {
  readonly retryable = false;
  constructor(
    readonly sink: SinkId,
    readonly code: string,
    message: string,
  ) {
    super(message, { sink });
  }
}

/** The sink's API no longer answers as an API (Fit REST switched off): the sink is marked unavailable for everyone. */
export class SinkUnavailableError extends AppError {
  readonly retryable = false;
  readonly code: string;
  constructor(
    readonly sink: SinkId,
    message: string,
  ) {
    super(message, { sink });
    this.code = `${sink.replace('-', '_')}_unavailable`;
  }
}
