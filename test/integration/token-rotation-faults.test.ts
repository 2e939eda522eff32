// A rotating refresh token is spent the moment the tracker answers. These tests put a transient fault at the worst
// moments — Secret Manager when the new pair must be sealed, Firestore when it must be stored, another instance
// refreshing meanwhile — and check that the link stays healthy and nothing is lost, for Strava and WHOOP alike.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Timestamp } from '@google-cloud/firestore';
import test, { type ExecutionContext } from 'ava';
import { createWorkerDeps } from '../../functions/compose-worker.ts';
import { linkBackfillWindow } from '../../shared/backfill/link-window.ts';
import { systemClock } from '../../shared/clock.ts';
import type { ProviderId } from '../../shared/provider-ids.ts';
import { createStravaWebhook } from '../../shared/providers/strava/webhook.ts';
import { createWhoopWebhook } from '../../shared/providers/whoop/webhook.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { capturingLogger } from '../support/fakes.ts';
import { gatedClock } from '../support/gates.ts';
import { inboundRequest } from '../support/inbound-request.ts';
import { STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN, type Stack, startStack } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { WHOOP_CLIENT, whoopHeaders, whoopNotification, whoopWorkout } from '../support/whoop-fixtures.ts';
import { startWhoopStandIn, type WhoopStandIn } from '../support/whoop-stand-in.ts';
import { workerProbes } from '../support/worker-probes.ts';

let stack: Stack;
let whoop: WhoopStandIn;
const log = capturingLogger();
let next = 1;

test.before(async () => {
  [stack, whoop] = await Promise.all([startStack(), startWhoopStandIn(WHOOP_CLIENT)]);
  stack.putOAuthClient('whoop', WHOOP_CLIENT);
});

test.after.always(async () => {
  await Promise.allSettled([stack?.stop(), whoop?.stop()]);
});

/** A fresh worker instance (empty caches), optionally with its clock moved ahead. */
function instance(aheadMs = 0) {
  const clock = gatedClock(systemClock);
  clock.advance(aheadMs);
  const config = stack.workerConfig({ FITSYNC_TRACKERS: 'strava,whoop', WHOOP_API_BASE: whoop.url, WHOOP_TOKEN_URL: whoop.tokenUrl });
  const deps = createWorkerDeps(config, { log, clock });
  return { deps, clock, ...workerProbes(deps) };
}
type Instance = ReturnType<typeof instance>;

/** One linked tracker account whose access token has expired, with a workout waiting at the tracker. */
interface Member {
  provider: ProviderId;
  userId: string;
  trackerUserId: string;
  /** A new event naming the workout (each call a new dedupe key). */
  event(): TrackerEvent;
  refreshCalls(): number;
  sessions(): unknown[];
}

const stravaWebhook = createStravaWebhook({
  verifyToken: STRAVA_VERIFY_TOKEN,
  subscriptionId: String(STRAVA_SUBSCRIPTION_ID),
  signatureToleranceSec: 300,
});
const whoopWebhook = createWhoopWebhook({ secrets: [WHOOP_CLIENT.clientSecret], signatureToleranceSec: 300 });

async function stravaMember(): Promise<Member> {
  const athleteId = 810000 + next++;
  const user = await stack.linkStravaUser({
    userId: `rotation-${athleteId}`,
    athleteId,
    clock: systemClock,
    stravaExpiresAt: Math.floor(Date.now() / 1000) - 60,
  });
  const activityId = 53000000000 + next++;
  stack.strava.putActivity(athleteId, stravaActivity({ id: activityId, athlete: { id: athleteId, resource_state: 1 } }));
  return {
    provider: 'strava',
    userId: user.userId,
    trackerUserId: String(athleteId),
    event: () => {
      const body = Buffer.from(
        JSON.stringify(
          stravaWebhookEvent({
            object_id: activityId,
            owner_id: athleteId,
            aspect_type: 'update',
            event_time: Math.floor(Date.now() / 1000) + next++,
          }),
        ),
      );
      return stravaWebhook.toEvents(inboundRequest(body), new Date().toISOString())[0]!;
    },
    refreshCalls: () => stack.strava.requests.filter((r) => r.path === '/oauth/token' && r.body.includes(user.stravaRefreshToken)).length,
    sessions: () => stack.google.sessions(user.userId),
  };
}

async function whoopMember(): Promise<Member> {
  const memberId = 30_000 + next++;
  const tag = randomBytes(6).toString('hex');
  const tokens = { accessToken: `whoop-access-${tag}`, refreshToken: `whoop-refresh-${tag}` };
  const expiresAt = Math.floor(Date.now() / 1000) - 60;
  whoop.addMember({ userId: memberId, ...tokens, expiresAt });
  const userId = `rotation-whoop-${memberId}`;
  await stack.link({ userId, clock: systemClock, trackers: [{ tracker: 'whoop', trackerUserId: String(memberId), ...tokens, expiresAt }] });
  const workoutId = randomUUID();
  whoop.putWorkout(memberId, whoopWorkout('scored', { id: workoutId, user_id: memberId }));
  return {
    provider: 'whoop',
    userId,
    trackerUserId: String(memberId),
    event: () => {
      const body = whoopNotification('workout-updated', { user_id: memberId, id: workoutId, trace_id: randomUUID() });
      const req = inboundRequest(body, { headers: whoopHeaders(body, Date.now()) });
      return whoopWebhook.toEvents(req, new Date().toISOString())[0]!;
    },
    refreshCalls: () =>
      whoop.requests.filter((r) => r.path === new URL(whoop.tokenUrl).pathname && r.body.includes(tokens.refreshToken)).length,
    sessions: () => stack.google.sessions(userId),
  };
}

const members: Array<[string, () => Promise<Member>]> = [
  ['Strava', stravaMember],
  ['WHOOP', whoopMember],
];

const linkDoc = async (w: Instance, m: Member) =>
  (await w.deps.data.db.collection('links').doc(`${m.provider}:${m.trackerUserId}`).get()).data()!;

/** After the tracker answers a refresh, the next `commits` Firestore commits fail (INTERNAL reaches the caller). */
function failCommitsAfterRefresh(w: Instance, provider: ProviderId, commits: number) {
  const api = w.deps.apis[provider]!;
  const refresh = api.refreshTokens!.bind(api);
  Object.assign(api, {
    refreshTokens: async (...args: Parameters<typeof refresh>) => {
      const pair = await refresh(...args);
      stack.firestore.faults.failNext('Commit', commits, 13);
      return pair;
    },
  });
}

for (const [name, makeMember] of members) {
  test.serial(`${name}: a store of the rotated pair that fails a few times is retried, and the same delivery syncs`, async (t) => {
    const m = await makeMember();
    const w = instance();
    failCommitsAfterRefresh(w, m.provider, 3);
    await w.deliver(m.event());
    t.is(m.refreshCalls(), 1);
    t.is(m.sessions().length, 1);
    t.like(await linkDoc(w, m), { status: 'active' });
  });

  test.serial(`${name}: Secret Manager unavailable for the sealing key — no refresh is spent, and the next delivery syncs`, async (t) => {
    const m = await makeMember();
    const w = instance();
    stack.secretManager.failWhen((method, resource) =>
      method === 'AccessSecretVersion' && resource.endsWith('/versions/latest') ? 14 : null,
    );
    try {
      await t.throwsAsync(w.deliver(m.event()));
    } finally {
      stack.secretManager.failWhen(null);
    }
    t.is(m.refreshCalls(), 0, 'the refresh token was not spent while its answer could not be sealed');
    t.like(await linkDoc(w, m), { status: 'active' });
    await w.deliver(m.event());
    t.is(m.refreshCalls(), 1);
    t.is(m.sessions().length, 1);
    t.like(await linkDoc(w, m), { status: 'active' });
  });

  test.serial(
    `${name}: Firestore fails while the rotated pair is stored — the pair is kept, stored on the next delivery, never refreshed twice`,
    async (t) => {
      const m = await makeMember();
      const w = instance();
      const generation = (await linkDoc(w, m)).tokenGeneration as number;
      // Every attempt to store the new pair fails: 5 right after the refresh, then one per inline retry of the fetch.
      failCommitsAfterRefresh(w, m.provider, 7);
      await t.throwsAsync(w.deliver(m.event()), { message: /token_store_unavailable/ });
      t.is(m.refreshCalls(), 1);
      t.like(await linkDoc(w, m), { status: 'active', tokenGeneration: generation });
      await w.deliver(m.event());
      t.is(m.refreshCalls(), 1, 'the pair kept in memory was stored, not refreshed again');
      t.is(m.sessions().length, 1);
      t.like(await linkDoc(w, m), { status: 'active', tokenGeneration: generation + 1 });
    },
  );
}

/**
 * Instance A refreshes the member's Strava token but cannot store the rotated pair (Firestore fails). Instance B, a
 * minute later, finds A's refresh lease expired unreleased and the stored refresh token dead (A rotated it), so Strava
 * refuses it — but that refusal is not proof the link is broken while A may still store its pair: B retries.
 */
async function refusedWhileUnsaved(t: ExecutionContext, m: Member) {
  const a = instance();
  failCommitsAfterRefresh(a, 'strava', 7);
  await t.throwsAsync(a.deliver(m.event()), { message: /token_store_unavailable/ });
  const b = instance(60_000);
  await t.throwsAsync(b.deliver(m.event()), { message: /token_refresh_unsettled/ });
  return { a, b };
}

test.serial(
  'Strava: another instance that finds the refused token while an answer may be unsaved retries instead of revoking the link',
  async (t) => {
    const m = await stravaMember();
    const { a, b } = await refusedWhileUnsaved(t, m);
    t.like(await linkDoc(b, m), { status: 'active' });
    await a.deliver(m.event()); // A stores its pair
    await b.deliver(m.event()); // B now reads the new generation
    t.like(await linkDoc(b, m), { status: 'active' });
    t.is(m.sessions().length, 1);
  },
);

test.serial('Strava: two instances refreshing the same expired link at once spend the refresh token once', async (t) => {
  const m = await stravaMember();
  const [a, b] = [instance(), instance()];
  await Promise.all([a.deliver(m.event()), b.deliver(m.event())]);
  t.is(m.refreshCalls(), 1);
  t.like(await linkDoc(a, m), { status: 'active' });
});

test.serial(
  'Strava: an instance that dies holding the only copy of a rotated pair — the link is marked only after the grace, and reconnecting catches up from the break',
  async (t) => {
    const m = await stravaMember();
    // Instance A is gone with the pair; nothing can bring that refresh token back.
    const { b } = await refusedWhileUnsaved(t, m);
    t.like(await linkDoc(b, m), { status: 'active', brokenSince: null });
    // An hour on (the grace a cut-off holder has to store its pair), the refusal is believed: the person must reconnect.
    const c = instance(60_000 + 3_600_000 + 60_000);
    await c.deliver(m.event());
    const broken = await linkDoc(c, m);
    t.like(broken, { status: 'needs_reauth', statusReason: 'tracker_reauth_required' });
    const brokenSinceMs = (broken.brokenSince as Timestamp).toMillis();
    t.true(Math.abs(brokenSinceMs - c.clock.now()) < 5_000);

    // The person reconnects through the connect page: the link reports when it broke, and the import it queues starts
    // before then, so the workouts whose events were acknowledged meanwhile are fetched again.
    const claim = await c.deps.links.claim(
      { provider: 'strava', providerUserId: m.trackerUserId, userId: m.userId, tokensSealed: broken.tokensSealed as string },
      null,
    );
    t.deepEqual(claim, { kind: 'linked', brokenSinceMs });
    const window = linkBackfillWindow(
      c.clock.now() + 90 * 86_400_000,
      30,
      claim.kind === 'linked' ? (claim.brokenSinceMs ?? undefined) : undefined,
    );
    t.true(window.startMs < brokenSinceMs, 'a reconnection three months later still reaches back to the break');
    t.like(await linkDoc(c, m), { status: 'active', brokenSince: null });
  },
);
