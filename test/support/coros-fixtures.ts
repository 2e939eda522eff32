// COROS push bodies from test/fixtures/coros/ (fields from providers.md §2.11), the settings tests configure, and
// a way to give each test its own user and workout ids.
import { readFileSync } from 'node:fs';

export const COROS_OPEN_ID = '2d6f3c1e9a7b4f10b8e5c4a3d2f1e0c9';
export const COROS_RUN_LABEL_ID = '428930245739184128';
export const COROS_TRIATHLON_LABEL_ID = '428951117384646656';
export const COROS_CLIENT_ID = 'f1e2d3c4b5a60718293a4b5c6d7e8f90';
export const COROS_CLIENT_SECRET = 'coros-client-secret-Zt4Qm8Lw2Xv6';
export const COROS_CLIENT_SECRET_PREVIOUS = 'coros-client-secret-old-Hp3Ny7Rc';
export const COROS_PATH_SECRET = 'cp-8JdW3sQn6Tz1Vb5Mk9Rf';
export const corosEnv = {
  COROS_CLIENT_ID,
  COROS_WEBHOOK_SECRET: COROS_CLIENT_SECRET,
  COROS_WEBHOOK_SECRET_PREVIOUS: COROS_CLIENT_SECRET_PREVIOUS,
  COROS_PATH_SECRET,
};
export const corosHeaders = (secret = COROS_CLIENT_SECRET) => ({ 'content-type': 'application/json', client: COROS_CLIENT_ID, secret });

export type CorosFixture = 'sport-data' | 'triathlon' | 'batch';

/** A fixture's text with literals (open id, label ids) replaced, so concurrent tests never share a user or a session. */
export function corosBody(name: CorosFixture, replace: Record<string, string> = {}): string {
  let text = readFileSync(new URL(`../fixtures/coros/${name}.json`, import.meta.url), 'utf8');
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  return text;
}
