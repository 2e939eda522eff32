import type { ConnectConfig } from './connect-config.ts';

/**
 * Headers on every answer. The CSP allows no script at all, styles only from our own stylesheet, forms only to
 * ourselves and to the authorization pages they lead to (Chrome checks a form's redirects against form-action),
 * and no framing (clickjacking). HSTS only over HTTPS: on a plain-HTTP local run it would be meaningless.
 */
export function securityHeaders(config: ConnectConfig, authorizeOrigins: readonly string[]): Record<string, string> {
  const formTargets = ["'self'", ...new Set(authorizeOrigins)].join(' ');
  return {
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${formTargets}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // No URL of ours reaches another site. (`no-referrer` would also make browsers send `Origin: null` on our own
    // forms, which the CSRF check refuses; the callbacks, whose URLs carry codes, answer with no-referrer.)
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(config.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
