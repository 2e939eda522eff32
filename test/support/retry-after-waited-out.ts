// The worker waits out a 429 that names a short Retry-After inline, whichever upstream sends it (a tracker's API
// or Fit itself): the call is answered 429 once, asked again, answered 200, and the workout reaches Fit once.
// One check for every such test, so each only says which call fails and how the workout arrives.
import type { ExecutionContext } from 'ava';
import type { GoogleStandIn } from './google-stand-in.ts';
import type { StandInServer } from './http-server.ts';

export async function assertRetryAfterWaitedOut(
  t: ExecutionContext,
  o: {
    /** The stand-in that answers the call 429 once. */
    upstream: StandInServer;
    /** The call's path (and method, where the path alone does not name it). */
    path: string;
    method?: string;
    /** Delivers the event whose processing makes the call. */
    deliver: () => Promise<unknown>;
    google: GoogleStandIn;
    /** Whose Fit sessions the workout lands in. */
    fitUser: string;
  },
): Promise<void> {
  o.upstream.failNext(1, { status: 429, retryAfter: '1', match: { pathPrefix: o.path, ...(o.method ? { method: o.method } : {}) } });
  await o.deliver();
  t.deepEqual(
    o.upstream.requests.filter((r) => r.path === o.path && (!o.method || r.method === o.method)).map((r) => r.status),
    [429, 200],
  );
  t.is(o.google.sessions(o.fitUser).length, 1);
}
