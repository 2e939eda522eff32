import { PayloadError } from '../errors.ts';
import type { LinksStore } from '../stores/links-store.ts';
import type { UsersStore } from '../stores/users-store.ts';
import { userAad } from '../tokens/google-access.ts';
import type { TokenCipher } from '../tokens/token-cipher.ts';
import { linkAad } from '../tokens/tracker-access.ts';
import type { TrackerTokens } from '../types.ts';
import { linkDocId } from '../stores/collections.ts';

/**
 * What an operator supplies to link a person (README "Linking a user"):
 * `{ "userId": "alice", "google": { "refreshToken": "1//…" },
 *    "strava": { "athleteId": 134815, "accessToken": "…", "refreshToken": "…", "expiresAt": 1763632800 } }`
 * `expiresAt` is Strava's unix-seconds `expires_at`. Either part may be given alone to update just that part.
 */
export interface LinkRequest {
  userId: string;
  google?: { refreshToken: string };
  strava?: { athleteId: number | string; accessToken: string; refreshToken: string; expiresAt: number };
}

export function parseLinkRequest(value: unknown): LinkRequest {
  const v = value as Partial<LinkRequest> | null;
  const problems: string[] = [];
  if (!v || typeof v !== 'object') throw new PayloadError('link request must be a JSON object');
  if (typeof v.userId !== 'string' || !/^[A-Za-z0-9_.@-]{1,128}$/.test(v.userId)) problems.push('userId: 1–128 of A-Z a-z 0-9 _ . @ -');
  if (v.google !== undefined && (typeof v.google?.refreshToken !== 'string' || !v.google.refreshToken)) problems.push('google.refreshToken missing');
  if (v.strava !== undefined) {
    const s = v.strava;
    if (!/^\d+$/.test(String(s?.athleteId ?? ''))) problems.push('strava.athleteId must be the numeric athlete id');
    if (typeof s?.accessToken !== 'string' || typeof s?.refreshToken !== 'string') problems.push('strava.accessToken and strava.refreshToken are required');
    if (typeof s?.expiresAt !== 'number') problems.push('strava.expiresAt must be unix seconds');
  }
  if (!v.google && !v.strava) problems.push('give google, strava, or both');
  if (problems.length) throw new PayloadError(`invalid link request: ${problems.join('; ')}`);
  return v as LinkRequest;
}

/** Seals the tokens and writes them through the same stores the worker reads. */
export async function linkUser(deps: { users: UsersStore; links: LinksStore; cipher: TokenCipher }, req: LinkRequest): Promise<string[]> {
  const done: string[] = [];
  if (req.google) {
    await deps.users.putGoogleToken(req.userId, await deps.cipher.seal(req.google.refreshToken, userAad(req.userId)));
    done.push(`users/${req.userId}: Google refresh token stored`);
  }
  if (req.strava) {
    const athleteId = String(req.strava.athleteId);
    const tokens: TrackerTokens = { accessToken: req.strava.accessToken, refreshToken: req.strava.refreshToken, expiresAtMs: req.strava.expiresAt * 1000 };
    const docId = linkDocId('strava', athleteId);
    await deps.links.put(
      { provider: 'strava', providerUserId: athleteId, userId: req.userId, status: 'active', tokensSealed: await deps.cipher.seal(JSON.stringify(tokens), linkAad({ docId })) },
      tokens.expiresAtMs,
    );
    done.push(`links/${docId}: Strava athlete linked to ${req.userId}`);
  }
  return done;
}
