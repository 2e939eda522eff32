// The check every suite ends with: no token, secret or code it handed out or was shown reaches a log line. One
// helper, so every suite checks the same way and a failure names the same thing (a short prefix, never the secret).

import type { IncomingHttpHeaders } from 'node:http';
import type { ExecutionContext } from 'ava';
import { forbiddenForms } from './secret-forms.ts';

/** Values shorter than this in a token request's form are its grant type, scope or action, not a secret. */
const SHORTEST_SECRET = 13;

/**
 * Asserts that `logText` carries none of `secrets`, in any form (secret-forms.ts). An empty log fails too: it would prove
 * nothing, and usually means the suite captured the wrong stream.
 */
export function assertNoSecretInLog(t: ExecutionContext, logText: string, secrets: Iterable<string>): void {
  t.true(logText.length > 0, 'the log is empty, so it proves nothing');
  for (const secret of secrets)
    t.false(
      forbiddenForms(secret).some((form) => logText.includes(form)),
      `log leaks ${secret.slice(0, 6)}…, in some form`,
    );
}

/** The credentials a stand-in was shown in Authorization headers, the scheme (`Bearer`, or any in `schemes`) cut off. */
export function presentedCredentials(
  requests: Iterable<{ headers: IncomingHttpHeaders }>,
  schemes: readonly string[] = ['Bearer'],
): string[] {
  const scheme = new RegExp(`^(${schemes.join('|')}) `);
  return [...requests].map((r) => String(r.headers.authorization ?? '').replace(scheme, '')).filter(Boolean);
}

/** The values posted in the form bodies of the requests to `path` (a token endpoint) long enough to be secrets. */
export function tokenFormValues(requests: Iterable<{ path: string; body: string }>, path: string): string[] {
  return [...requests]
    .filter((r) => r.path === path)
    .flatMap((r) => [...new URLSearchParams(r.body).values()])
    .filter((v) => v.length >= SHORTEST_SECRET);
}
