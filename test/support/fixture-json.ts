// Every tracker's fixtures are JSON files under test/fixtures/<tracker>/: one reader for them, so a path or an
// encoding is decided once.
import { readFileSync } from 'node:fs';

/**
 * The text of `test/fixtures/<path>.json` (e.g. `coros/sport-data`), each key of `replace` replaced by its value
 * wherever it stands: how tests give a fixture ids of their own, so concurrent tests never share a user or a session.
 */
export function fixtureText(path: string, replace: Record<string, string> = {}): string {
  let text = readFileSync(new URL(`../fixtures/${path}.json`, import.meta.url), 'utf8');
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  return text;
}

/** `test/fixtures/<path>.json` parsed, a fresh object each call (tests change them freely), top-level fields overridden. */
export const fixtureObject = (path: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...(JSON.parse(fixtureText(path)) as Record<string, unknown>),
  ...overrides,
});

/** A notification fixture with top-level fields overridden, as the exact bytes the tracker sends (and signs). */
export const fixtureBody = (path: string, overrides: Record<string, unknown> = {}): Buffer =>
  Buffer.from(JSON.stringify(fixtureObject(path, overrides)));
