import type { Clock } from '../clock.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { FetchJson } from '../http/fetch-json.ts';
import type { OAuthClient } from '../http/oauth-client.ts';
import type { Logger } from '../log.ts';
import type { ProviderId } from '../provider-ids.ts';
import type { WebhookAdapter } from '../webhook/inbound-request.ts';
import { withCheckedEvents } from './checked-events.ts';
import type { TrackerApi } from './tracker-api.ts';

/**
 * How a tracker plugs into the `webhook` function: it reads its own settings (only when enabled in
 * FITSYNC_TRACKERS) and builds its pure WebhookAdapter. Adding a tracker adds one line to webhook-registry.ts.
 */
export interface WebhookModule<C = unknown> {
  readonly id: ProviderId;
  readConfig(r: ConfigReader): C;
  create(settings: C): WebhookAdapter;
}

/** What a worker-side adapter may use; all I/O comes in here, so adapters stay testable. */
export interface TrackerIo {
  fetchJson: FetchJson;
  clock: Clock;
  log: Logger;
  /** OAuth client credentials kept as JSON in the named Secret Manager secret (cached per instance). */
  oauthClient(secretName: string): () => Promise<OAuthClient>;
  /** A plain-text secret (an API key a tracker wants besides OAuth), cached per instance. */
  secret(secretName: string): Promise<string>;
}

/** How a tracker plugs into the `worker` function and the operator CLI. One line in worker-registry.ts. */
export interface WorkerModule<C = unknown> {
  readonly id: ProviderId;
  readConfig(r: ConfigReader): C;
  create(settings: C, io: TrackerIo): TrackerApi;
}

/**
 * Keep each module's settings type checked where it is written. A webhook module's adapter comes with its events
 * checked against the worker's decoder (checked-events.ts).
 */
export const defineWebhookModule = <C>(m: WebhookModule<C>): WebhookModule =>
  ({ ...m, create: (settings: C) => withCheckedEvents(m.create(settings)) }) as WebhookModule;
export const defineWorkerModule = <C>(m: WorkerModule<C>): WorkerModule => m as WorkerModule;
