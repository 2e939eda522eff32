// The error answer of an OAuth 2.0 token endpoint, as RFC 6749 §5.2 defines it
// (https://www.rfc-editor.org/rfc/rfc6749#section-5.2): an `error` code the RFC names (`invalid_client`,
// `invalid_grant`, `unsupported_grant_type`, …) and the server's own `error_description`. The stand-ins that speak
// plain OAuth answer with it, each in its vendor's words.
import type { Reply } from './http-server.ts';

export function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}
