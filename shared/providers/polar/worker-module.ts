import { defineWorkerModule } from '../modules.ts';
import { createPolarApi, type PolarApiSettings } from './api.ts';

/**
 * Polar needs no token endpoint and no OAuth client in the worker: AccessLink tokens have no refresh grant
 * (api.ts), so POLAR_TOKEN_URL and POLAR_OAUTH_CLIENT_SECRET would configure nothing.
 */
export const polarWorkerModule = defineWorkerModule<PolarApiSettings>({
  id: 'polar',
  readConfig: (r) => ({
    apiBase: r.url('POLAR_API_BASE', 'https://www.polaraccesslink.com'),
    limitPer15Min: r.int('POLAR_RATE_LIMIT_15MIN', 500, 1, 10_000_000),
    limitPerDay: r.int('POLAR_RATE_LIMIT_DAILY', 5000, 1, 100_000_000),
  }),
  create: createPolarApi,
});
