/**
 * Every tracker fitsync knows by name. A tracker is usable once its folder under providers/ registers modules in
 * providers/webhook-registry.ts / worker-registry.ts; `generic` is fitsync's own signed endpoint. The names live
 * here, below every layer, because stores, events and the activity rules speak of trackers too.
 * (Fitbit is absent on purpose: its Web API was turned down on 2 Nov 2026.)
 */
export const providerIds = ['strava', 'garmin', 'polar', 'oura', 'whoop', 'wahoo', 'suunto', 'coros', 'withings', 'generic'] as const;

export type ProviderId = (typeof providerIds)[number];

export const isProviderId = (v: unknown): v is ProviderId => (providerIds as readonly unknown[]).includes(v);
