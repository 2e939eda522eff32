// A loopback HTTP proxy in front of a stand-in that lets one chosen request reach it and then keeps the answer: the
// write is applied, the caller never learns it. With the caller killed at that moment, a test stages the worst
// crash there is for a sink write, deterministically (no timing): after the write, before anything recorded it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forward, type LoopbackProxy, relay, serveProxy } from './loopback-proxy.ts';

export interface AnswerHoldingProxy extends LoopbackProxy {
  /** Resolves once the chosen request has been answered by the stand-in and its answer held back. */
  held: Promise<void>;
}

/**
 * Forwards everything to `target`. The matching request after `relayCount` relayed ones (`matches` on method and
 * path) is forwarded and answered upstream, but its answer is never relayed: the connection is left hanging until
 * the caller goes away or the proxy stops.
 */
export async function startAnswerHoldingProxy(
  target: string,
  o: { relayCount: number; matches: (method: string, path: string) => boolean },
): Promise<AnswerHoldingProxy> {
  const upstream = new URL(target);
  let relayed = 0;
  let holding = false;
  let markHeld!: () => void;
  const held = new Promise<void>((ok) => (markHeld = ok));
  const hanging = new Set<ServerResponse>();
  const proxy = await serveProxy(
    (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const chosen = !holding && o.matches(req.method ?? 'GET', path) && relayed === o.relayCount;
      if (chosen) holding = true;
      forward(upstream, req, res, (answer) => {
        if (chosen) {
          answer.resume(); // the stand-in has applied the write; its answer goes nowhere
          answer.on('end', () => markHeld());
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        if (!holding && o.matches(req.method ?? 'GET', path) && answer.statusCode === 200) relayed++;
        relay(answer, res);
      });
    },
    () => {
      for (const res of hanging) res.destroy();
    },
  );
  return { ...proxy, held };
}
