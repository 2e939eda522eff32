import { defineWorkerModule } from '../modules.ts';
import { createGarminApi, type GarminApiSettings } from './api.ts';

/**
 * Garmin pushes whole activity summaries, so live events need no Garmin API; the API side exists for backfill (the
 * backfill request, whose results arrive as pushes) and the token refresh it needs. The token URL default is the
 * OAuth 2.0 token endpoint public Garmin clients use (diauth.garmin.com).
 */
export const garminWorkerModule = defineWorkerModule<GarminApiSettings>({
  id: 'garmin',
  readConfig: (r) => ({
    apiBase: r.url('GARMIN_API_BASE', 'https://apis.garmin.com'),
    tokenUrl: r.url('GARMIN_TOKEN_URL', 'https://diauth.garmin.com/di-oauth2-service/oauth/token'),
    oauthClientSecret: r.string('GARMIN_OAUTH_CLIENT_SECRET', 'fitsync-garmin-oauth-client'),
  }),
  create: createGarminApi,
});
