// Every tracker's fixtures are JSON files under test/fixtures/<tracker>/: one reader for them, so a path or an
// encoding is decided once.
import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * The notification fixtures of `test/fixtures/<dir>/`: every JSON file directly in it (answers of a tracker's API live
 * under `api/`), by name without `.json`, in file-name order so a sequence of them always replays alike.
 */
export function fixtureNamesIn<Name extends string = string>(dir: string): Name[] {
  return readdirSync(new URL(`../fixtures/${dir}/`, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((file) => file.slice(0, -'.json'.length) as Name);
}

/**
 * A tracker's notification fixtures (`fixtureNamesIn`), so a fixture added to its folder joins every test that goes
 * through them all. `Name` is the vocabulary tests choose from; each comes as the exact bytes the tracker sends,
 * top-level fields overridden.
 */
export function notificationFixtures<Name extends string>(tracker: string) {
  const names: readonly Name[] = fixtureNamesIn<Name>(tracker);
  const notification = (name: Name, overrides: Record<string, unknown> = {}): Buffer => fixtureBody(`${tracker}/${name}`, overrides);
  return { names, notification };
}
