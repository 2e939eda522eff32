import { type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { sourcePriority } from '../merge/source-priority.ts';
import { isProviderId, type ProviderId } from '../provider-ids.ts';
import { isSinkId, type SinkId } from '../sinks/session-sink.ts';
import { Collections } from '../stores/collections.ts';
import type { TrackerLink } from '../stores/links-store.ts';
import { isTimeZone } from '../time/utc-offset.ts';
import { sinkField } from './sync-store.ts';

/** What the sync core needs to know of a person: where their workouts go, and what blocks a sink for them. */
export interface UserContext {
  userId: string;
  /** The sinks the person chose (`users/{id}.sinks`), else the deployment's default. */
  sinks: readonly SinkId[];
  /** IANA zone for workouts whose tracker gives no UTC offset. */
  timeZone?: string;
  /** Sinks that refuse this person until they act, with the reason code (e.g. google_health_account_not_linked). */
  blocked: Partial<Record<SinkId, string>>;
  /** Whose account of a merged workout wins, first to last (`users/{id}.sourcePriority`, else the default order). */
  priority: readonly ProviderId[];
  /**
   * Whether this person's workouts from different trackers are matched and merged: they have two or more trackers
   * linked (`forLink` reads that from the tracker link the event came through, which is always fresh), and did not
   * turn merging off (`users/{id}.mergeWorkouts: false`).
   */
  merges: boolean;
  /** Look in a sink for the same workout from another source before fitsync's first write there (default on). */
  checkSinks: boolean;
  /** The Google scopes the person granted, when known (the connect flow records them). */
  googleScopes?: readonly string[];
}

/** The person as seen through the tracker link an event or job came through: its list of the person's trackers is fresh. */
export function forLink(user: UserContext, link: Pick<TrackerLink, 'userProviders'>): UserContext {
  return link.userProviders ? { ...user, merges: user.merges && link.userProviders.length > 1 } : user;
}

export interface UserDirectory {
  get(userId: string): Promise<UserContext>;
  /** Records that a sink refuses this person (`users/{id}.<fit|health>Status`), so it is not called for them again. */
  block(userId: string, sink: SinkId, reasonCode: string): Promise<void>;
}

/** Reason codes are `<sink>_<status>` (google_health_account_not_linked); `users/{id}.healthStatus` keeps the status. */
const codePrefix = (sink: SinkId) => `${sink.replace('-', '_')}_`;

/**
 * Reads `users/{id}` once per `ttlMs` per instance (the common path costs no read), bounded to `maxEntries` people.
 * A blocked sink is unblocked by the connect flow when the person reconnects (it writes `<sink>Status: active`).
 */
export function createUserDirectory(
  db: Firestore,
  clock: Clock,
  o: { defaultSinks: readonly SinkId[]; ttlMs?: number; maxEntries?: number },
): UserDirectory {
  const col = db.collection(Collections.users);
  const ttl = o.ttlMs ?? 60_000;
  const max = o.maxEntries ?? 10_000;
  const cache = new Map<string, { at: number; value: UserContext }>();
  const load = (userId: string) =>
    firestoreCall(async (): Promise<UserContext> => {
      const d = (await col.doc(userId).get()).data() ?? {};
      const chosen = Array.isArray(d.sinks) ? (d.sinks as unknown[]).filter(isSinkId) : [];
      const blocked: Partial<Record<SinkId, string>> = {};
      for (const sink of ['google-fit', 'google-health'] as const) {
        const status = d[`${sinkField[sink]}Status`];
        if (typeof status === 'string' && status !== 'active') blocked[sink] = `${codePrefix(sink)}${status}`;
      }
      const tz = typeof d.timeZone === 'string' && isTimeZone(d.timeZone) ? d.timeZone : undefined;
      const trackers = Array.isArray(d.trackers) ? (d.trackers as unknown[]).filter(isProviderId) : [];
      const scopes = Array.isArray(d.googleScopes)
        ? (d.googleScopes as unknown[]).filter((s): s is string => typeof s === 'string')
        : undefined;
      return {
        userId,
        sinks: chosen.length ? chosen : o.defaultSinks,
        blocked,
        ...(tz ? { timeZone: tz } : {}),
        priority: sourcePriority(Array.isArray(d.sourcePriority) ? d.sourcePriority : undefined),
        // Without a link at hand (operator commands), the person's own record says how many trackers they linked.
        merges: d.mergeWorkouts !== false && (trackers.length > 1 || trackers.length === 0),
        checkSinks: d.checkSinksFirst !== false,
        ...(scopes ? { googleScopes: scopes } : {}),
      };
    });
  return {
    async get(userId) {
      const hit = cache.get(userId);
      if (hit && clock.now() - hit.at < ttl) return hit.value;
      const value = await load(userId);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(userId, { at: clock.now(), value });
      return value;
    },
    block: (userId, sink, reasonCode) =>
      firestoreCall(async () => {
        const p = sinkField[sink];
        await col.doc(userId).set(
          {
            [`${p}Status`]: reasonCode.replace(codePrefix(sink), ''),
            [`${p}StatusReason`]: reasonCode,
            updatedAt: Timestamp.fromMillis(clock.now()),
          },
          { merge: true },
        );
        cache.delete(userId);
      }),
  };
}
