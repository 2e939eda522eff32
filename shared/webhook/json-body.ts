import { PayloadError } from '../errors.ts';

/** The raw body as a JSON object, or a PayloadError saying why not (400 at the edge). */
export function parseJsonObject(rawBody: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new PayloadError('body must be a JSON object');
  return body as Record<string, unknown>;
}
