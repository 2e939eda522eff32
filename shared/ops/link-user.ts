import { PayloadError } from '../errors.ts';
import { isProviderId, type ProviderId, providerIds } from '../provider-ids.ts';
import { isSinkId, type SinkId, sinkIds } from '../sinks/session-sink.ts';
import { linkDocId } from '../stores/collections.ts';
import type { LinksStore } from '../stores/links-store.ts';
import type { UsersStore } from '../stores/users-store.ts';
import { isTimeZone } from '../time/utc-offset.ts';
import { userAad } from '../tokens/google-access.ts';
import type { TokenCipher } from '../tokens/token-cipher.ts';
import { linkAad } from '../tokens/tracker-access.ts';
import type { TrackerTokens } from '../types.ts';

/**
 * What an operator supplies to link a person (README "Linking a user"):
 * `{ "userId": "alice", "google": { "refreshToken": "1//…" },
 *    "trackers": [{ "tracker": "strava", "trackerUserId": "134815", "accessToken": "…", "refreshToken": "…",
 *                   "expiresAt": 1763632800 }] }`
 * `expiresAt` is unix seconds. Tokens are optional for trackers that push whole workouts and for `generic`; a
 * tracker without a refresh grant (Polar) gives only `accessToken`, and no `expiresAt` means it does not expire.
 * Either part may be given alone to update just that part.
 */
export interface LinkRequest {
  userId: string;
  /** `sinks`: where this person's workouts go (default FITSYNC_DEFAULT_SINKS); `timeZone`: IANA zone for trackers without offsets. */
  google?: { refreshToken: string; sinks?: SinkId[]; timeZone?: string; scopes?: string[] };
  trackers?: TrackerLinkRequest[];
}

export interface TrackerLinkRequest {
  tracker: ProviderId;
  trackerUserId: string;
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: number;
}

function trackerProblems(t: Partial<TrackerLinkRequest> | undefined, i: number): string[] {
  const at = `trackers[${i}]`;
  if (!t || typeof t !== 'object') return [`${at} must be an object`];
  const out: string[] = [];
  if (!isProviderId(t.tracker)) out.push(`${at}.tracker must be one of ${providerIds.join(', ')}`);
  if (typeof t.trackerUserId !== 'string' && typeof t.trackerUserId !== 'number') out.push(`${at}.trackerUserId is required`);
  if ((t.refreshToken !== undefined || t.expiresAt !== undefined) && typeof t.accessToken !== 'string')
    out.push(`${at}: refreshToken and expiresAt need an accessToken`);
  if (t.expiresAt !== undefined && typeof t.expiresAt !== 'number') out.push(`${at}.expiresAt must be unix seconds`);
  return out;
}

export function parseLinkRequest(value: unknown): LinkRequest {
  const v = value as Partial<LinkRequest> | null;
  if (!v || typeof v !== 'object') throw new PayloadError('link request must be a JSON object');
  const problems: string[] = [];
  if (typeof v.userId !== 'string' || !/^[A-Za-z0-9_.@-]{1,128}$/.test(v.userId)) problems.push('userId: 1–128 of A-Z a-z 0-9 _ . @ -');
  if (v.google !== undefined && (typeof v.google?.refreshToken !== 'string' || !v.google.refreshToken))
    problems.push('google.refreshToken missing');
  const sinks = v.google?.sinks;
  if (sinks !== undefined && (!Array.isArray(sinks) || !sinks.length || !sinks.every(isSinkId)))
    problems.push(`google.sinks must list one or more of ${sinkIds.join(', ')}`);
  const scopes = v.google?.scopes;
  if (
    scopes !== undefined &&
    (!Array.isArray(scopes) || !scopes.every((x) => typeof x === 'string' && /^https:\/\/www\.googleapis\.com\/auth\/[\w.]+$/.test(x)))
  )
    problems.push('google.scopes must list Google OAuth scope URLs');
  const tz = v.google?.timeZone;
  if (tz !== undefined && (typeof tz !== 'string' || !isTimeZone(tz)))
    problems.push('google.timeZone must be an IANA time zone such as Europe/Berlin');
  if (v.trackers !== undefined && !Array.isArray(v.trackers)) problems.push('trackers must be an array');
  (Array.isArray(v.trackers) ? v.trackers : []).forEach((t, i) => {
    problems.push(...trackerProblems(t, i));
  });
  if (!v.google && !v.trackers?.length) problems.push('give google, trackers, or both');
  if (problems.length) throw new PayloadError(`invalid link request: ${problems.join('; ')}`);
  return { ...v, trackers: v.trackers?.map((t) => ({ ...t, trackerUserId: String(t.trackerUserId) })) } as LinkRequest;
}

/** Firestore's latest representable time: a token that does not expire. */
const neverExpires = Date.parse('9999-12-31T23:59:59Z');

/** Seals the tokens and writes them through the same stores the worker reads. */
export async function linkUser(deps: { users: UsersStore; links: LinksStore; cipher: TokenCipher }, req: LinkRequest): Promise<string[]> {
  const done: string[] = [];
  if (req.google) {
    await deps.users.putGoogleToken(req.userId, await deps.cipher.seal(req.google.refreshToken, userAad(req.userId)));
    done.push(`users/${req.userId}: Google refresh token stored`);
    if (req.google.sinks) {
      await deps.users.setSinks(req.userId, req.google.sinks);
      done.push(`users/${req.userId}: workouts go to ${req.google.sinks.join(' and ')}`);
    }
    if (req.google.timeZone) await deps.users.setTimeZone(req.userId, req.google.timeZone);
    if (req.google.scopes) await deps.users.setGoogleScopes(req.userId, req.google.scopes);
  }
  for (const t of req.trackers ?? []) {
    const docId = linkDocId(t.tracker, t.trackerUserId);
    const tokens: TrackerTokens | undefined = t.accessToken
      ? {
          accessToken: t.accessToken,
          refreshToken: t.refreshToken ?? '',
          expiresAtMs: t.expiresAt !== undefined ? t.expiresAt * 1000 : neverExpires,
        }
      : undefined;
    await deps.links.put(
      {
        provider: t.tracker,
        providerUserId: t.trackerUserId,
        userId: req.userId,
        status: 'active',
        tokensSealed: tokens ? await deps.cipher.seal(JSON.stringify(tokens), linkAad({ docId })) : null,
      },
      tokens?.expiresAtMs ?? null,
    );
    done.push(`links/${docId}: ${t.tracker} user ${t.trackerUserId} linked to ${req.userId}${tokens ? '' : ' (no tokens)'}`);
  }
  return done;
}
