import { UpstreamError } from '../errors.ts';
import { scrubSent } from '../log.ts';
import { parseRetryAfter } from './retry-after.ts';

interface GaxiosLike {
  message?: string;
  code?: unknown;
  status?: number;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/** The `error.message` of Google's JSON error envelope, or the OAuth `error` code, when present. */
export function googleErrorMessage(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as { error?: unknown; error_description?: unknown };
  if (typeof d.error === 'string') return typeof d.error_description === 'string' ? `${d.error}: ${d.error_description}` : d.error;
  if (d.error && typeof d.error === 'object') {
    const m = (d.error as { message?: unknown }).message;
    return typeof m === 'string' ? m : undefined;
  }
  return undefined;
}

/**
 * Turns a googleapis/gaxios failure into an UpstreamError. Branches on `response.status`, never on
 * `instanceof GaxiosError`, which is false for an error of another gaxios copy (the dependency tree holds two). The
 * original error is not kept as `cause`: its `config.data` can hold a refresh token. `sent`: the credentials the
 * request carried, taken out of the answer's text, which may quote them back.
 */
export function fromGaxiosError(service: string, err: unknown, nowMs: number, sent: ReadonlyArray<string | undefined> = []): UpstreamError {
  const e = (err ?? {}) as GaxiosLike;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : 'network';
    return new UpstreamError(
      service,
      code === 'network' ? 'network' : code,
      `${service} request failed: ${scrubSent(e.message ?? code, sent)}`,
      { retryable: true },
    );
  }
  const retryAfterMs = parseRetryAfter(header(e.response?.headers, 'retry-after'), nowMs);
  const detail = googleErrorMessage(e.response?.data) ?? e.message ?? `HTTP ${status}`;
  return new UpstreamError(
    service,
    status,
    `${service} answered ${status}: ${scrubSent(detail, sent)}`,
    retryAfterMs === undefined ? {} : { retryAfterMs },
  );
}
