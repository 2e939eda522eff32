// What the worker tests keep asking: deliver an event as Pub/Sub would, and read back what Firestore recorded.
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { WorkerDeps } from '../../functions/compose-worker.ts';
import { type PubSubMessageData, toCloudEventFunction } from '../../functions/worker-cloud-event.ts';
import { activityDocId } from '../../shared/stores/collections.ts';
import { eventDocId } from '../../shared/stores/sync-ledger.ts';
import type { ProviderId, TrackerEvent } from '../../shared/types.ts';
import { type PubsubCloudEventOptions, pubsubCloudEvent } from './cloud-event.ts';

export interface WorkerProbes {
  /** Delivers a message as a Pub/Sub push would (a redelivery reuses `messageId`); resolves or throws like the function. */
  deliver(payload: unknown, o?: PubsubCloudEventOptions): Promise<void>;
  /** `events/{…}` of an event, or undefined. */
  eventDoc(event: Pick<TrackerEvent, 'dedupeKey'>): Promise<Record<string, unknown> | undefined>;
  /** `activities/{provider}:{activityId}` (generic workouts are keyed by sender too), or undefined. */
  activityDoc(provider: ProviderId, activityId: string | number, providerUserId?: string): Promise<Record<string, unknown> | undefined>;
  /** `sessions/{id}` of the session a workout is written as (revision, each sink's standing and handle), or undefined. */
  sessionOf(provider: ProviderId, activityId: string | number, providerUserId?: string): Promise<Record<string, unknown> | undefined>;
}

export function workerProbes(deps: WorkerDeps): WorkerProbes {
  const fn = toCloudEventFunction(deps);
  const db = deps.data.db;
  return {
    deliver: (payload, o) => fn(pubsubCloudEvent(payload, o) as CloudEvent<PubSubMessageData>),
    eventDoc: async (event) => (await db.collection('events').doc(eventDocId(event.dedupeKey)).get()).data(),
    activityDoc: async (provider, activityId, providerUserId = '') =>
      (
        await db
          .collection('activities')
          .doc(activityDocId(provider, String(activityId), providerUserId))
          .get()
      ).data(),
    async sessionOf(provider, activityId, providerUserId = '') {
      const member = (
        await db
          .collection('activities')
          .doc(activityDocId(provider, String(activityId), providerUserId))
          .get()
      ).data();
      return typeof member?.sessionKey === 'string' ? (await db.collection('sessions').doc(member.sessionKey).get()).data() : undefined;
    },
  };
}
