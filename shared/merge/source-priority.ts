import { isProviderId, type ProviderId, providerIds } from '../provider-ids.ts';

/**
 * Which tracker's account of a merged workout wins, first to last. By default the recording device's own cloud
 * (it has the device's data first-hand), then Strava (a copy, often renamed and described by the person), then
 * services that import or are fed by others, and ring and band auto-detections last (their times and kinds are
 * guesses). A person can set their own order (`users/{id}.sourcePriority`); trackers they leave out follow in this
 * order.
 */
export const defaultSourcePriority: readonly ProviderId[] = [
  'garmin',
  'coros',
  'suunto',
  'polar',
  'wahoo',
  'strava',
  'withings',
  'generic',
  'whoop',
  'oura',
];

export function sourcePriority(chosen: readonly unknown[] | undefined): ProviderId[] {
  const mine = (chosen ?? []).filter(isProviderId);
  const rest = defaultSourcePriority.filter((p) => !mine.includes(p));
  const all = [...new Set([...mine, ...rest])];
  return all.length === providerIds.length ? all : [...all, ...providerIds.filter((p) => !all.includes(p))];
}

export const rankOf = (priority: readonly ProviderId[], provider: ProviderId) => {
  const i = priority.indexOf(provider);
  return i < 0 ? priority.length : i;
};
