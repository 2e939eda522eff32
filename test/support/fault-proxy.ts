// A loopback HTTP proxy in front of a stand-in that answers a share of requests itself with 429 (with or without
// Retry-After) or 503, as an overloaded Google or tracker API does, and forwards the rest unchanged. The stand-ins
// stay untouched; fitsync is pointed at the proxy, exactly as it is pointed at the real services.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forward, type LoopbackProxy, relay, serveProxy } from './loopback-proxy.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface FaultProxy extends LoopbackProxy {
  /** Share of requests answered with a fault (0 forwards everything). */
  setRate(rate: number): void;
  /** Faults answered so far, by status. */
  injected: Record<number, number>;
  forwarded: number;
  /**
   * The next request that `matches` is forwarded and applied upstream, but its answer is never passed on: resolves
   * once it was applied (the moment to kill the caller, as an instance that dies between a write and its record).
   */
  holdNextAnswer(matches: (method: string, path: string) => boolean): Promise<void>;
}

export async function startFaultProxy(target: string, random: SeededRandom, rate = 0): Promise<FaultProxy> {
  const upstream = new URL(target);
  const injected: Record<number, number> = {};
  const state = { rate, forwarded: 0 };
  let hold: { matches: (method: string, path: string) => boolean; applied: () => void } | undefined;
  const proxy = await serveProxy((req: IncomingMessage, res: ServerResponse) => {
    if (hold?.matches(req.method ?? '', req.url ?? '')) {
      const { applied } = hold;
      hold = undefined;
      forward(upstream, req, res, (answer) => {
        answer.resume();
        applied();
      });
      return;
    }
    if (random.chance(state.rate)) {
      const status = random.chance(0.5) ? 429 : 503;
      injected[status] = (injected[status] ?? 0) + 1;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status === 429 && random.chance(0.5)) headers['retry-after'] = '1';
      req.resume();
      res.writeHead(status, headers).end(
        JSON.stringify({
          error: { code: status, message: 'injected fault', status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE' },
        }),
      );
      return;
    }
    state.forwarded++;
    forward(upstream, req, res, (answer) => relay(answer, res));
  });
  return {
    ...proxy,
    setRate: (r) => {
      state.rate = r;
    },
    injected,
    holdNextAnswer: (matches) => new Promise<void>((applied) => (hold = { matches, applied })),
    get forwarded() {
      return state.forwarded;
    },
  };
}
