import { isProviderId } from '../../provider-ids.ts';
import { recentActivities } from '../../stores/recent-activities.ts';
import type { ConnectDeps } from '../connect-deps.ts';
import { isProblemCode } from '../connect-errors.ts';
import { grantedSinks, isSinkId, type SinkId, sinkIds } from '../google/sinks.ts';
import { type ConnectResponse, page } from '../http-types.ts';
import { dashboardPage, type TrackerRow } from '../pages/dashboard.ts';
import type { Html } from '../pages/html.ts';
import { landingPage } from '../pages/landing.ts';
import { isNoticeCode, noticeText, problemText, withTracker } from '../pages/messages.ts';
import { noticeBox } from '../pages/notice.ts';
import { sinkStatus } from '../workout-status.ts';
import type { RequestContext } from './context.ts';

/** The message a redirect asked for (`?notice=` / `?problem=`), from fixed texts only: nothing is reflected. */
export function noticeFromQuery(deps: ConnectDeps, q: URLSearchParams): Html | undefined {
  const tracker = q.get('tracker');
  const label = tracker && isProviderId(tracker) ? deps.trackers.get(tracker)?.label : undefined;
  const problem = q.get('problem');
  if (isProblemCode(problem))
    return noticeBox(problem === 'backfill_not_queued' ? 'warn' : 'problem', withTracker(problemText[problem], label));
  const notice = q.get('notice');
  if (isNoticeCode(notice))
    return noticeBox(
      notice === 'tracker_disconnected_locally' || notice.endsWith('_granted') ? 'warn' : 'ok',
      withTracker(noticeText[notice], label),
    );
  return undefined;
}

const when = (ms: number | undefined) => (ms === undefined ? '' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

/** `/`: the landing page signed out; signed in, the person's Google state, trackers and recent workouts. */
export async function home(deps: ConnectDeps, ctx: RequestContext): Promise<ConnectResponse> {
  const notice = noticeFromQuery(deps, ctx.req.query);
  const labels = [...deps.trackers.values()].map((t) => t.label);
  if (!ctx.session) return page(200, landingPage({ ...(notice ? { notice } : {}), trackerNames: labels }), ctx.setCookies);
  const userId = ctx.session.userId;
  const [profile, links, activities] = await Promise.all([
    deps.profiles.get(userId),
    deps.links.listForUser(userId),
    recentActivities(deps.db, userId, deps.config.recentWorkouts),
  ]);
  const sinks = (profile?.sinks ?? []).filter(isSinkId);
  const trackers: TrackerRow[] = [...deps.trackers.values()].map((t) => {
    // Of several accounts at one tracker, the one that needs attention first, then the active one.
    const mine = links.filter((l) => l.provider === t.id).sort((a, b) => rank(a.status) - rank(b.status))[0];
    return {
      id: t.id,
      label: t.label,
      ...(mine
        ? {
            link: { docId: mine.docId, providerUserId: mine.providerUserId, status: mine.status, canImport: deps.backfill.canImport(t.id) },
          }
        : {}),
    };
  });
  const workouts = activities.map((a) => ({
    tracker: (isProviderId(a.provider) ? deps.trackers.get(a.provider)?.label : undefined) ?? a.provider,
    activityId: a.activityId,
    when: when(a.startMs ?? a.updatedAtMs),
    sinks: Object.fromEntries(sinkIds.map((s) => [s, sinkStatus(a, s, sinks.includes(s))])) as Record<
      SinkId,
      ReturnType<typeof sinkStatus>
    >,
  }));
  const google = {
    state: profile?.hasGoogleToken && profile.googleStatus === 'active' ? ('active' as const) : ('needs_reauth' as const),
    sinks,
    healthGranted: grantedSinks(profile?.googleScopes ?? []).includes('google-health'),
    ...(profile?.healthStatus ? { healthStatus: profile.healthStatus } : {}),
  };
  return page(
    200,
    dashboardPage({ email: ctx.session.email, csrf: ctx.session.csrf, ...(notice ? { notice } : {}), google, trackers, workouts }),
    ctx.setCookies,
  );
}

const rank = (s: string) => (s === 'needs_reauth' ? 0 : s === 'active' ? 1 : 2);
