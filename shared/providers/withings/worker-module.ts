import { defineWorkerModule } from '../modules.ts';
import { createWithingsApi } from './api.ts';

export interface WithingsApiSettings {
  apiBase: string;
  tokenUrl: string;
  /** Secret Manager secret holding `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
  /**
   * Withings' Public API plan allows 120 requests per minute per application (Withings' API-plans page, as mirrored
   * by api-evangelist). Enterprise plans allow more.
   */
  limitPerMinute: number;
}

export const withingsWorkerModule = defineWorkerModule<WithingsApiSettings>({
  id: 'withings',
  readConfig: (r) => ({
    apiBase: r.url('WITHINGS_API_BASE', 'https://wbsapi.withings.net'),
    tokenUrl: r.url('WITHINGS_TOKEN_URL', 'https://wbsapi.withings.net/v2/oauth2'),
    oauthClientSecret: r.string('WITHINGS_OAUTH_CLIENT_SECRET', 'fitsync-withings-oauth-client'),
    limitPerMinute: r.int('WITHINGS_RATE_LIMIT_PER_MINUTE', 120, 1, 1_000_000),
  }),
  create: (s, io) =>
    createWithingsApi({
      apiBase: s.apiBase,
      tokenUrl: s.tokenUrl,
      client: io.oauthClient(s.oauthClientSecret),
      fetchJson: io.fetchJson,
      clock: io.clock,
      rateLimits: [{ windowMs: 60_000, limit: s.limitPerMinute }],
    }),
});
