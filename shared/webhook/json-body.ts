import { PayloadError } from '../errors.ts';

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The raw body (or text already taken from it) as a JSON object, or a PayloadError saying why not (400 at the edge). */
export function parseJsonObject(raw: Buffer | string): JsonObject {
  let body: unknown;
  try {
    body = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new PayloadError('body is not valid JSON');
  }
  if (!isJsonObject(body)) throw new PayloadError('body must be a JSON object');
  return body;
}
