import { defineWorkerModule } from '../modules.ts';
import { createStravaApi } from './api.ts';

export interface StravaApiSettings {
  apiBase: string;
  tokenUrl: string;
  oauthClientSecret: string;
  /** Strava's Standard-tier app limits (https://developers.strava.com/docs/rate-limits/): 200 requests per 15 minutes, 2,000 per day. */
  limitPer15Min: number;
  limitPerDay: number;
}

export const stravaWorkerModule = defineWorkerModule<StravaApiSettings>({
  id: 'strava',
  readConfig: (r) => ({
    apiBase: r.url('STRAVA_API_BASE', 'https://www.strava.com/api/v3'),
    tokenUrl: r.url('STRAVA_TOKEN_URL', 'https://www.strava.com/oauth/token'),
    oauthClientSecret: r.string('STRAVA_OAUTH_CLIENT_SECRET', 'fitsync-strava-oauth-client'),
    limitPer15Min: r.int('STRAVA_RATE_LIMIT_15MIN', 200, 1, 1_000_000),
    limitPerDay: r.int('STRAVA_RATE_LIMIT_DAILY', 2000, 1, 10_000_000),
  }),
  create: (s, io) =>
    createStravaApi({
      apiBase: s.apiBase,
      tokenUrl: s.tokenUrl,
      client: io.oauthClient(s.oauthClientSecret),
      fetchJson: io.fetchJson,
      clock: io.clock,
      rateLimits: [
        { windowMs: 15 * 60_000, limit: s.limitPer15Min },
        { windowMs: 24 * 3600_000, limit: s.limitPerDay },
      ],
    }),
});
