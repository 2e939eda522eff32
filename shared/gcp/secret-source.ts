import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { Clock } from '../clock.ts';
import { fromGrpcError } from './grpc-error.ts';

export interface SecretValue {
  value: Buffer;
  /** The version number Secret Manager resolved (for `latest`, the current one). */
  version: string;
}

/** Read-only access to named secrets. `version` defaults to `latest`. */
export interface SecretSource {
  get(name: string, version?: string): Promise<SecretValue>;
}

/**
 * Secret Manager with a per-instance cache: pinned versions are immutable and cached for the life of the
 * instance; `latest` is re-read after `latestTtlMs` so a rotation is picked up without a redeploy.
 * NOT_FOUND / PERMISSION_DENIED / FAILED_PRECONDITION are retryable: an operator can fix them and the events wait.
 */
export function createSecretManagerSource(o: {
  client: SecretManagerServiceClient;
  projectId: string;
  clock: Clock;
  timeoutMs: number;
  latestTtlMs?: number;
}): SecretSource {
  const ttl = o.latestTtlMs ?? 5 * 60_000;
  const cache = new Map<string, { at: number; value: Promise<SecretValue> }>();
  const fetchVersion = async (name: string, version: string): Promise<SecretValue> => {
    try {
      const [res] = await o.client.accessSecretVersion(
        { name: `projects/${o.projectId}/secrets/${name}/versions/${version}` },
        // One attempt: `maxRetries` would rewrite the client's shared retry settings in google-gax 5, and the
        // default retries UNAVAILABLE for ~100 s. Pub/Sub redelivery is the retry.
        { timeout: o.timeoutMs, retry: null },
      );
      const data = res.payload?.data;
      const value = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data ?? new Uint8Array());
      return { value, version: res.name?.split('/').pop() ?? version };
    } catch (err) {
      throw fromGrpcError('secret_manager', err, [5, 7, 9]);
    }
  };
  return {
    get(name, version = 'latest') {
      const key = `${name}@${version}`;
      const hit = cache.get(key);
      const now = o.clock.now();
      if (hit && (version !== 'latest' || now - hit.at < ttl)) return hit.value;
      const value = fetchVersion(name, version);
      cache.set(key, { at: now, value });
      value.catch(() => cache.delete(key)); // never cache a failure
      return value;
    },
  };
}
