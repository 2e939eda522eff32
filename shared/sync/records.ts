import { createHash } from 'node:crypto';
import type { ActivityKind } from '../activity/kinds.ts';
import type { ProviderId } from '../provider-ids.ts';
import type { SinkHandle, SinkId } from '../sinks/session-sink.ts';
import type { WorkoutSession } from '../types.ts';

/**
 * What the tracker says of a workout, as far as fitsync last knew:
 * - `present`: it exists with this content;
 * - `deleted`: the tracker said so in a delete event (sticky: a stale create can never bring it back; only a newer
 *   version from a sender that versions its workouts can);
 * - `gone`: fitsync saw it missing (a 404 on fetch, absent from a listed window): a later sighting may bring it back.
 */
export type Presence = 'present' | 'deleted' | 'gone';

/** How one sink stands with one session. */
export type SinkOutcome = 'synced' | 'deleted' | 'retrying' | 'failed' | 'skipped';

export interface SinkState {
  /** The session revision this sink is known to hold; null when it holds none of them. */
  rev: number | null;
  state: SinkOutcome | null;
  /** What the sink answered for the session last time (its own name for it, the figures it wrote beside it). */
  handle: SinkHandle | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
}

/** A state that can be compared with another (version-order.ts). */
export interface ActivityVersion {
  presence: Presence;
  /** The tracker's own version of the workout (its last-modified time), when it gives one. */
  sourceVersionMs: number | null;
  /** When fitsync observed this state, on its own clock (a fetch, a list, a webhook's arrival). */
  observedAtMs: number;
  /** Identifies the content (null for a deletion or a record written before contents were kept). */
  contentHash: string | null;
}

export interface ActivityRef {
  provider: ProviderId;
  activityId: string;
  providerUserId: string;
}

/**
 * `activities/{docId}`: one tracker's workout, as that tracker last described it, and the session it is part of.
 * Workouts of several trackers that are the same real workout share one session (shared/merge/).
 */
export interface MemberRecord extends ActivityVersion, ActivityRef {
  docId: string;
  exists: boolean;
  userId: string | null;
  /** The key of the session this workout is written as (session-id.ts sessionKeyFor); null until it has one. */
  sessionKey: string | null;
  /**
   * The revision of its session this record was last committed with. A record read apart from its session's head
   * (in parallel with it, or before it) belongs with that head only when the two agree (sync-session.ts).
   */
  sessionRev: number | null;
  /** This tracker's own account of the workout, as a sink-neutral session (null unless present). */
  session: WorkoutSession | null;
  kind: ActivityKind | null;
  startMs: number | null;
  endMs: number | null;
}

/**
 * `sessions/{key}`: what every sink should hold for one real workout — the merge of its members' accounts — with
 * a compare-and-set revision (stores/cas.ts) and each sink's standing. The id never changes once written.
 */
export interface SessionHead extends ActivityVersion {
  /** The record's key; the sinks see `sessionIdOfKey(key)`, which never changes once written. */
  key: string;
  userId: string | null;
  /** Compare-and-set revision; undefined while the document does not exist. */
  rev: number | undefined;
  /** `activities/*` ids of the workouts merged into this session, as of the last commit. */
  members: string[];
  /** The session as it should be in every sink (null unless present). */
  session: WorkoutSession | null;
  /** The interval last written, kept after a deletion (sinks that store figures by time need it to remove them). */
  startMs: number | null;
  endMs: number | null;
  sinks: Partial<Record<SinkId, SinkState>>;
  attempts: number;
}

export const contentHashOf = (session: WorkoutSession) => createHash('sha256').update(JSON.stringify(session)).digest('hex').slice(0, 24);
