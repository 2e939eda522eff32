import type { LinksStore, TrackerLink } from '../../shared/stores/links-store.ts';

export interface LinkWatch {
  /** Stops polling; resolves once a link being handled is done. */
  stop(): Promise<void>;
}

/**
 * Calls `onLink` once for each Strava account newly connected to a person (an active link it has not seen with that
 * person), one at a time. It polls: the local Firestore emulator holds a handful of links, and a second's delay is
 * nothing next to a person clicking through consent pages.
 */
export function watchNewStravaLinks(
  links: LinksStore,
  o: {
    skip: (link: TrackerLink) => boolean;
    onLink: (link: TrackerLink) => Promise<void>;
    onError: (err: unknown) => void;
    intervalMs?: number;
  },
): LinkWatch {
  const seen = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      for (const link of await links.listActive('strava')) {
        const key = `${link.docId} ${link.userId}`;
        if (stopped || seen.has(key) || o.skip(link)) continue;
        seen.add(key);
        await o.onLink(link);
      }
    } catch (err) {
      o.onError(err);
    }
    if (!stopped)
      timer = setTimeout(() => {
        running = poll();
      }, o.intervalMs ?? 1000);
  };
  let running = poll();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
