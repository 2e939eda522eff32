import { Agent, request } from 'node:http';
import type { TrackerEvent } from '../../shared/types.ts';
import { PUBSUB_PUBLISHED_TYPE, pushBody, topicSource } from '../support/cloud-event.ts';

/** One Pub/Sub push to a CloudEvent function: its binary-mode headers and body, as Eventarc delivers it. */
export interface Push {
  headers: Record<string, string>;
  body: string;
}

let nextMessageId = 1;

export function pushOf(event: TrackerEvent, o: { projectId: string; topic: string }): Push {
  const messageId = `bench-${process.pid}-${nextMessageId++}`;
  const publishTime = new Date().toISOString();
  const body = JSON.stringify(
    pushBody({ projectId: o.projectId, topic: o.topic, data: Buffer.from(JSON.stringify(event)), attributes: {}, messageId, publishTime }),
  );
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'ce-id': messageId,
      'ce-specversion': '1.0',
      'ce-type': PUBSUB_PUBLISHED_TYPE,
      'ce-source': topicSource(o.projectId, o.topic),
      'ce-time': publishTime,
    },
  };
}

/** The push of a Strava "activity created" notification as the webhook publishes it: the worker fetches the activity. */
export function stravaCreatePush(o: { athleteId: number; activityId: string; projectId: string }): Push {
  const now = new Date().toISOString();
  const event: TrackerEvent = {
    type: 'tracker-event',
    v: 1,
    provider: 'strava',
    kind: 'activity.upsert',
    providerUserId: String(o.athleteId),
    activityId: o.activityId,
    occurredAt: now,
    receivedAt: now,
    dedupeKey: `strava:activity:${o.activityId}:create:${Date.now()}`,
  };
  return pushOf(event, { projectId: o.projectId, topic: 'fitsync-events' });
}

export interface PushRun {
  /** From the first push sent to the last answer received. */
  ms: number;
  /** Each push's time from sent to answered, in the order they were answered. */
  latencies: number[];
  /** Answers by HTTP status ('error' for a connection failure). */
  statuses: Record<string, number>;
}

/**
 * Delivers `pushes` to `url` with at most `concurrency` in flight, each next one as soon as an answer frees a slot:
 * what a push subscription does to an instance whose concurrency setting is `concurrency`.
 */
export async function deliver(url: string, pushes: readonly Push[], concurrency: number): Promise<PushRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let next = 0;
  const once = (p: Push) =>
    new Promise<string>((resolve) => {
      const req = request(url, { method: 'POST', agent, headers: p.headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', () => resolve('error'));
      });
      req.on('error', () => resolve('error'));
      req.end(p.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, pushes.length) }, async () => {
      while (next < pushes.length) {
        const sent = performance.now();
        const status = await once(pushes[next++]!);
        latencies.push(performance.now() - sent);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const ms = performance.now() - started;
  agent.destroy();
  return { ms, latencies, statuses };
}
