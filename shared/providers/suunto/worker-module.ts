import { defineWorkerModule } from '../modules.ts';
import { createSuuntoApi } from './api.ts';

export interface SuuntoApiSettings {
  apiBase: string;
  tokenUrl: string;
  /** Secret Manager secret holding `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
  /** Secret Manager secret holding the API-zone subscription key (plain text), sent as Ocp-Apim-Subscription-Key. */
  subscriptionKeySecret: string;
}

export const suuntoWorkerModule = defineWorkerModule<SuuntoApiSettings>({
  id: 'suunto',
  readConfig: (r) => ({
    apiBase: r.url('SUUNTO_API_BASE', 'https://cloudapi.suunto.com'),
    tokenUrl: r.url('SUUNTO_TOKEN_URL', 'https://cloudapi-oauth.suunto.com/oauth/token'),
    oauthClientSecret: r.string('SUUNTO_OAUTH_CLIENT_SECRET', 'fitsync-suunto-oauth-client'),
    subscriptionKeySecret: r.string('SUUNTO_SUBSCRIPTION_KEY_SECRET', 'fitsync-suunto-subscription-key'),
  }),
  create: (s, io) =>
    createSuuntoApi({
      apiBase: s.apiBase,
      tokenUrl: s.tokenUrl,
      client: io.oauthClient(s.oauthClientSecret),
      subscriptionKey: () => io.secret(s.subscriptionKeySecret),
      fetchJson: io.fetchJson,
      clock: io.clock,
    }),
});
