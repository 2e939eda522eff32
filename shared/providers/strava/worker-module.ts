import { defineWorkerModule } from '../modules.ts';
import { createStravaApi } from './api.ts';

export interface StravaApiSettings {
  apiBase: string;
  tokenUrl: string;
  oauthClientSecret: string;
}

export const stravaWorkerModule = defineWorkerModule<StravaApiSettings>({
  id: 'strava',
  readConfig: (r) => ({
    apiBase: r.url('STRAVA_API_BASE', 'https://www.strava.com/api/v3'),
    tokenUrl: r.url('STRAVA_TOKEN_URL', 'https://www.strava.com/oauth/token'),
    oauthClientSecret: r.string('STRAVA_OAUTH_CLIENT_SECRET', 'fitsync-strava-oauth-client'),
  }),
  create: (s, io) =>
    createStravaApi({ apiBase: s.apiBase, tokenUrl: s.tokenUrl, client: io.oauthClient(s.oauthClientSecret), fetchJson: io.fetchJson, clock: io.clock }),
});
