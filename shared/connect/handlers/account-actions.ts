import type { TrackerLink } from '../../stores/links-store.ts';
import { erasePerson } from '../../stores/person-erasure.ts';
import { userAad } from '../../tokens/google-access.ts';
import type { ConnectDeps } from '../connect-deps.ts';
import { ConnectProblem } from '../connect-errors.ts';
import { connectStatesCollection } from '../flow-states.ts';
import { grantedSinks, parseSinks } from '../google/sinks.ts';
import { type ConnectResponse, page, redirect } from '../http-types.ts';
import { deleteConfirmPage } from '../pages/delete-confirm.ts';
import { clearSessionCookie, homeWith, type RequestContext } from './context.ts';
import { startGoogleSignIn } from './google-sign-in.ts';
import { disconnectLink } from './tracker-disconnect.ts';

/** The person's own link named by a form's `link` field (`<tracker>:<account>`), or a refusal. */
async function ownLink(deps: ConnectDeps, ctx: RequestContext, userId: string): Promise<TrackerLink> {
  const docId = ctx.form.get('link') ?? '';
  // Looked up among the person's own links: a document id may hold a hashed account id (stores/collections.ts).
  const link = (await deps.links.listForUser(userId)).find((l) => l.docId === docId);
  if (!link) throw new ConnectProblem('not_your_link', `link ${docId.slice(0, 80)} is not this person's`);
  return link;
}

export async function disconnect(deps: ConnectDeps, ctx: RequestContext, userId: string): Promise<ConnectResponse> {
  const link = await ownLink(deps, ctx, userId);
  const told = await disconnectLink(deps, link, 'user_disconnected');
  return redirect(homeWith('notice', told ? 'tracker_disconnected' : 'tracker_disconnected_locally', link.provider), ctx.setCookies);
}

export async function importRecent(deps: ConnectDeps, ctx: RequestContext, userId: string): Promise<ConnectResponse> {
  const link = await ownLink(deps, ctx, userId);
  if (link.status !== 'active' || !deps.backfill.canImport(link.provider))
    throw new ConnectProblem('not_your_link', `link ${link.docId} cannot be imported`);
  try {
    await deps.backfill.request(userId, link.provider);
  } catch (err) {
    deps.log.error('backfill not queued', { provider: link.provider, userId, reasonCode: 'backfill_not_queued', err });
    throw new ConnectProblem('backfill_not_queued', 'the import could not be queued', { retryable: true });
  }
  return redirect(homeWith('notice', 'backfill_queued', link.provider), ctx.setCookies);
}

/** Saves where workouts go; a destination whose scopes Google has not granted is asked for first. */
export async function saveSinks(deps: ConnectDeps, ctx: RequestContext, userId: string): Promise<ConnectResponse> {
  const chosen = parseSinks(ctx.form.getAll('sinks'));
  const granted = grantedSinks((await deps.profiles.get(userId))?.googleScopes ?? []);
  if (chosen.some((s) => !granted.includes(s))) return startGoogleSignIn(deps, ctx, { sinks: chosen, replaceSinks: true, consent: false });
  await deps.profiles.setSinks(userId, chosen);
  deps.log.info('sinks saved', { userId, sinks: chosen });
  return redirect(homeWith('notice', 'sinks_saved'), ctx.setCookies);
}

export async function deleteConfirm(deps: ConnectDeps, ctx: RequestContext, userId: string): Promise<ConnectResponse> {
  const links = (await deps.links.listForUser(userId)).filter((l) => l.status !== 'revoked');
  const labels = [...new Set(links.map((l) => deps.trackers.get(l.provider)?.label ?? l.provider))];
  return page(200, deleteConfirmPage({ email: ctx.session?.email ?? '', csrf: ctx.session?.csrf ?? '', trackers: labels }), ctx.setCookies);
}

/**
 * "Delete my data": revokes at every tracker and at Google (best effort, each failure logged), then deletes every
 * document fitsync holds about the person, the user record last, and signs them out.
 */
export async function deleteEverything(deps: ConnectDeps, ctx: RequestContext, userId: string): Promise<ConnectResponse> {
  if (ctx.form.get('confirm') !== 'yes') throw new ConnectProblem('delete_not_confirmed', 'the deletion was not confirmed');
  const links = await deps.links.listForUser(userId);
  for (const link of links) await disconnectLink(deps, link, 'user_deleted');
  const user = await deps.users.get(userId);
  if (user?.googleRefreshTokenSealed) {
    try {
      await deps.google.revoke(await deps.cipher.open(user.googleRefreshTokenSealed, userAad(userId)));
    } catch (err) {
      deps.log.warn('Google revocation failed; deleting anyway', { userId, reasonCode: 'google_revoke_failed', err });
    }
  }
  const counts = await erasePerson(deps.db, {
    userId,
    trackerAccounts: links,
    extraCollections: ['backfillJobs', connectStatesCollection],
  });
  deps.log.info('person deleted', { userId, counts });
  clearSessionCookie(deps, ctx);
  return redirect(homeWith('notice', 'deleted'), ctx.setCookies);
}

export function signOut(deps: ConnectDeps, ctx: RequestContext): ConnectResponse {
  clearSessionCookie(deps, ctx);
  return redirect(homeWith('notice', 'signed_out'), ctx.setCookies);
}
