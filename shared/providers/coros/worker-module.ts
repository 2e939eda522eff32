import { defineWorkerModule } from '../modules.ts';
import { type CorosApiSettings, createCorosApi } from './api.ts';

/**
 * COROS pushes whole workouts, so live events need no COROS API; the API side exists for backfill (the sport list)
 * and the token refresh it needs. Defaults are COROS's production host (OAuth at
 * https://open.coros.com; COROS's test host is opentest.coros.com).
 */
export const corosWorkerModule = defineWorkerModule<CorosApiSettings>({
  id: 'coros',
  readConfig: (r) => ({
    apiBase: r.url('COROS_API_BASE', 'https://open.coros.com'),
    tokenUrl: r.url('COROS_TOKEN_URL', 'https://open.coros.com/oauth2/refresh-token'),
    oauthClientSecret: r.string('COROS_OAUTH_CLIENT_SECRET', 'fitsync-coros-oauth-client'),
  }),
  create: createCorosApi,
});
