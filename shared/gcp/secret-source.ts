import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { Clock } from '../clock.ts';
import { UpstreamError } from '../errors.ts';
import type { KeepAliveClient } from '../http/keep-alive-client.ts';
import { fromGoogleRestAnswer } from './google-rest-error.ts';
import { fromGrpcError } from './grpc-error.ts';
import type { AccessTokens } from './metadata-access-token.ts';

export interface SecretValue {
  value: Buffer;
  /** The version number Secret Manager resolved (for `latest`, the current one). */
  version: string;
}

/** Read-only access to named secrets. `version` defaults to `latest`. */
export interface SecretSource {
  get(name: string, version?: string): Promise<SecretValue>;
}

/** Reads one version of one secret from Secret Manager, uncached. */
type VersionReader = (name: string, version: string) => Promise<SecretValue>;

/**
 * NOT_FOUND, PERMISSION_DENIED and FAILED_PRECONDITION (a missing secret, a missing grant, a disabled version) are
 * retried like transient failures: an operator can fix them and the events wait (the dead-letter policy bounds it).
 */
const OPERATOR_FIXABLE = [5, 7, 9];

/**
 * A per-instance cache in front of Secret Manager: pinned versions are immutable and cached for the life of the
 * instance; `latest` is re-read after `latestTtlMs` so a rotation is picked up without a redeploy. Concurrent reads
 * of one version share one request; a failure is never cached.
 */
function cachedSource(read: VersionReader, clock: Clock, latestTtlMs = 5 * 60_000): SecretSource {
  const cache = new Map<string, { at: number; value: Promise<SecretValue> }>();
  return {
    get(name, version = 'latest') {
      const key = `${name}@${version}`;
      const hit = cache.get(key);
      const now = clock.now();
      if (hit && (version !== 'latest' || now - hit.at < latestTtlMs)) return hit.value;
      const value = read(name, version);
      cache.set(key, { at: now, value });
      value.catch(() => cache.delete(key));
      return value;
    },
  };
}

/** Starts reading these secrets' latest versions into the source's cache; failures are left to whoever reads next. */
export function prefetchSecrets(source: SecretSource, names: readonly string[]): void {
  for (const name of names) source.get(name).catch(() => undefined);
}

/**
 * Secret Manager's REST API (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access)
 * over fitsync's keep-alive HTTP client: one GET per version read, no client library to load at a cold start.
 * `endpoint` is https://secretmanager.googleapis.com (or a regional endpoint), or an emulator's `http://host:port`
 * without `tokens`. A refused token (401) is forgotten and the read retried later.
 */
export function createRestSecretSource(o: {
  projectId: string;
  endpoint: string;
  tokens?: AccessTokens;
  client: KeepAliveClient;
  clock: Clock;
  timeoutMs: number;
  latestTtlMs?: number;
}): SecretSource {
  const base = o.endpoint.replace(/\/+$/, '');
  const read: VersionReader = async (name, version) => {
    const url = new URL(
      `${base}/v1/projects/${encodeURIComponent(o.projectId)}/secrets/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}:access`,
    );
    const token = o.tokens ? await o.tokens.get(o.timeoutMs) : undefined;
    const res = await o.client.send('secret_manager', {
      method: 'GET',
      url,
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      timeoutMs: o.timeoutMs,
    });
    if (res.status !== 200) {
      if (res.status === 401) o.tokens?.invalidate();
      throw fromGoogleRestAnswer('secret_manager', res, [...OPERATOR_FIXABLE, 16]);
    }
    let answer: { name?: unknown; payload?: { data?: unknown } };
    try {
      answer = JSON.parse(res.body.toString('utf8')) as typeof answer;
    } catch {
      answer = {};
    }
    const data = answer.payload?.data;
    if (typeof data !== 'string')
      throw new UpstreamError('secret_manager', 'bad_answer', `Secret Manager answered ${name} without a payload`, { retryable: true });
    return {
      value: Buffer.from(data, 'base64'),
      version: typeof answer.name === 'string' ? (answer.name.split('/').pop() ?? version) : version,
    };
  };
  return cachedSource(read, o.clock, o.latestTtlMs);
}

/** The same source over the gRPC client library (@google-cloud/secret-manager), for functions that carry it anyway. */
export function createSecretManagerSource(o: {
  client: SecretManagerServiceClient;
  projectId: string;
  clock: Clock;
  timeoutMs: number;
  latestTtlMs?: number;
}): SecretSource {
  const read: VersionReader = async (name, version) => {
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
      throw fromGrpcError('secret_manager', err, OPERATOR_FIXABLE);
    }
  };
  return cachedSource(read, o.clock, o.latestTtlMs);
}
