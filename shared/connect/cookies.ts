/** The cookies of a request, by name; a malformed pair is skipped, the first of a repeated name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!out.has(name) && /^[\w.~-]{0,4096}$/.test(value)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAgeSec: number;
  secure: boolean;
}

/**
 * One Set-Cookie value: always HttpOnly, Path=/, SameSite=Lax (sent on the top-level redirect back from Google
 * or a tracker, never on a cross-site POST), Secure when served over HTTPS.
 */
export function setCookie(name: string, value: string, o: CookieOptions): string {
  return [`${name}=${value}`, 'Path=/', `Max-Age=${o.maxAgeSec}`, 'HttpOnly', 'SameSite=Lax', ...(o.secure ? ['Secure'] : [])].join('; ');
}

/**
 * Cookie names. Over HTTPS they carry the `__Host-` prefix, which browsers accept only with Secure, Path=/ and
 * no Domain, so no sibling subdomain can plant or shadow them.
 */
export function cookieNames(https: boolean) {
  const prefix = https ? '__Host-' : '';
  return { session: `${prefix}fitsync-session`, flow: `${prefix}fitsync-flow` };
}
