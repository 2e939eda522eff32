import { createHash } from 'node:crypto';
import type { SinkHandle, SinkId } from '../sinks/session-sink.ts';
import type { ProviderId, WorkoutSession } from '../types.ts';

/**
 * What the tracker says of a workout, as far as fitsync last knew:
 * - `present`: it exists with this content;
 * - `deleted`: the tracker said so in a delete event (sticky: a stale create can never bring it back; only a newer
 *   version from a sender that versions its workouts can);
 * - `gone`: fitsync saw it missing (a 404 on fetch, absent from a listed window): a later sighting may bring it back.
 */
export type Presence = 'present' | 'deleted' | 'gone';

/** How one sink stands with one activity. */
export type SinkOutcome = 'synced' | 'deleted' | 'retrying' | 'failed' | 'skipped';

export interface SinkState {
  /** The activity revision this sink is known to hold; null when it holds none of them. */
  rev: number | null;
  state: SinkOutcome | null;
  /** What the sink answered for the session last time (its own name for it, the figures it wrote beside it). */
  handle: SinkHandle | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
}

/** A state of an activity that can be compared with another (version-order.ts). */
export interface ActivityVersion {
  presence: Presence;
  /** The tracker's own version of the workout (its last-modified time), when it gives one. */
  sourceVersionMs: number | null;
  /** When fitsync observed this state, on its own clock (a fetch, a list, a webhook's arrival). */
  observedAtMs: number;
  /** Identifies the content (null for a deletion or a record written before contents were kept). */
  contentHash: string | null;
}

/** `activities/{docId}`: one tracker workout's desired state and every sink's standing with it. */
export interface ActivityHead extends ActivityVersion {
  docId: string;
  provider: ProviderId;
  activityId: string;
  providerUserId: string;
  userId: string | null;
  sessionId: string;
  /** Compare-and-set revision (stores/cas.ts); undefined only for records written before revisions existed. */
  rev: number | undefined;
  /** The session as it should be in every sink (null unless present, or unknown for old records). */
  session: WorkoutSession | null;
  /** The interval last written, kept after a deletion (sinks that store figures by time need it to remove them). */
  startMs: number | null;
  endMs: number | null;
  sinks: Partial<Record<SinkId, SinkState>>;
  attempts: number;
}

export const contentHashOf = (session: WorkoutSession) => createHash('sha256').update(JSON.stringify(session)).digest('hex').slice(0, 24);
