import { defineWorkerModule } from '../modules.ts';
import { createWahooApi, type WahooApiSettings } from './api.ts';

/**
 * Wahoo pushes whole summaries, so live events need no Wahoo API; the API side exists for backfill (the workout list)
 * and the token refresh it needs. Rate limits: Wahoo's production tier, 200 requests per 5 minutes, 1,000 per hour
 * and 5,000 per day per app (Wahoo's rate-limit table as mirrored by api-evangelist; sandbox apps
 * get 25/100/250, so set the variables lower for one). Token requests do not count there and are not counted here.
 */
export const wahooWorkerModule = defineWorkerModule<WahooApiSettings>({
  id: 'wahoo',
  readConfig: (r) => ({
    apiBase: r.url('WAHOO_API_BASE', 'https://api.wahooligan.com'),
    tokenUrl: r.url('WAHOO_TOKEN_URL', 'https://api.wahooligan.com/oauth/token'),
    oauthClientSecret: r.string('WAHOO_OAUTH_CLIENT_SECRET', 'fitsync-wahoo-oauth-client'),
    rateLimits: [
      { windowMs: 5 * 60_000, limit: r.int('WAHOO_RATE_LIMIT_5MIN', 200, 1, 1_000_000) },
      { windowMs: 3600_000, limit: r.int('WAHOO_RATE_LIMIT_HOURLY', 1000, 1, 10_000_000) },
      { windowMs: 24 * 3600_000, limit: r.int('WAHOO_RATE_LIMIT_DAILY', 5000, 1, 100_000_000) },
    ],
  }),
  create: createWahooApi,
});
