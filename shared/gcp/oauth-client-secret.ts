import { AppError } from '../errors.ts';
import type { OAuthClient } from '../http/oauth-client.ts';
import type { SecretSource } from './secret-source.ts';

export class OAuthClientSecretError extends AppError {
  readonly code = 'oauth_client_secret_invalid';
  readonly retryable = true; // an operator fixes the secret; events wait
}

/**
 * An OAuth client stored in Secret Manager as JSON: `{"client_id": "...", "client_secret": "..."}`, or the file
 * Google Cloud console downloads (`{"web": {...}}` / `{"installed": {...}}`).
 */
export function oauthClientFrom(secrets: SecretSource, name: string): () => Promise<OAuthClient> {
  return async () => {
    const { value } = await secrets.get(name);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new OAuthClientSecretError(`secret ${name} is not JSON`);
    }
    const body = (parsed.web ?? parsed.installed ?? parsed) as { client_id?: unknown; client_secret?: unknown };
    if (typeof body.client_id !== 'string' || typeof body.client_secret !== 'string') {
      throw new OAuthClientSecretError(`secret ${name} needs client_id and client_secret`);
    }
    return { clientId: body.client_id, clientSecret: body.client_secret };
  };
}
