import { defineWorkerModule } from '../modules.ts';
import { createOuraApi, type OuraApiSettings } from './api.ts';

export const ouraWorkerModule = defineWorkerModule<OuraApiSettings>({
  id: 'oura',
  readConfig: (r) => ({
    apiBase: r.url('OURA_API_BASE', 'https://api.ouraring.com'),
    tokenUrl: r.url('OURA_TOKEN_URL', 'https://api.ouraring.com/oauth/token'),
    oauthClientSecret: r.string('OURA_OAUTH_CLIENT_SECRET', 'fitsync-oura-oauth-client'),
    limitPer5Min: r.int('OURA_RATE_LIMIT_5MIN', 5000, 1, 10_000_000),
  }),
  create: createOuraApi,
});
