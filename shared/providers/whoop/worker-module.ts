import { defineWorkerModule } from '../modules.ts';
import { createWhoopApi, type WhoopApiSettings } from './api.ts';

export const whoopWorkerModule = defineWorkerModule<WhoopApiSettings>({
  id: 'whoop',
  readConfig: (r) => ({
    apiBase: r.url('WHOOP_API_BASE', 'https://api.prod.whoop.com'),
    tokenUrl: r.url('WHOOP_TOKEN_URL', 'https://api.prod.whoop.com/oauth/oauth2/token'),
    oauthClientSecret: r.string('WHOOP_OAUTH_CLIENT_SECRET', 'fitsync-whoop-oauth-client'),
    limitPerMinute: r.int('WHOOP_RATE_LIMIT_PER_MINUTE', 100, 1, 10_000_000),
    limitPerDay: r.int('WHOOP_RATE_LIMIT_DAILY', 10_000, 1, 100_000_000),
  }),
  create: createWhoopApi,
});
