import { sha256Hex } from '../random.ts';

/**
 * The fitsync user id of a Google account: derived from the ID token's `sub`, which Google never changes and
 * never reuses (https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload), and
 * never from the address, which can change hands. Hashed, so ids have one shape and reveal nothing.
 */
export const userIdForGoogleSub = (sub: string) => `g-${sha256Hex(`google:${sub}`).slice(0, 32)}`;
