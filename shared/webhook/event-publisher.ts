import type { TrackerEvent } from '../types.ts';

/** Hands accepted events to the worker (Pub/Sub in production). Resolves only once every event is stored. */
export interface EventPublisher {
  publish(events: readonly TrackerEvent[]): Promise<void>;
}
