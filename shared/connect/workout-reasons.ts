/**
 * A worker reason code in words for the status page. Codes come from the worker's ledger (README "Delivery
 * semantics"); `<service>_<status>` codes are described by their service and status class. Unknown codes are
 * shown as they are, so nothing is hidden.
 */
const known: Record<string, string> = {
  ok: 'Written',
  google_reauth_required: 'Google access expired: reconnect Google',
  tracker_reauth_required: 'Tracker access expired: reconnect the tracker',
  workout_not_found: 'Deleted at the tracker',
  tracker_deleted: 'Deleted at the tracker',
  older_version: 'A newer version was already written',
  window_reconciled: 'Written',
  payload_invalid: 'The tracker sent data fitsync could not read',
  token_unreadable: 'Stored access could not be opened: reconnect',
  token_key_invalid: 'fitsync is being repaired; it will retry',
  account_not_linked: 'No Google Health profile: set one up, then it is retried',
  health_account_not_linked: 'No Google Health profile: set one up, then it is retried',
  scope_missing: 'Google Health not allowed: grant it below',
  health_scope_missing: 'Google Health not allowed: grant it below',
  user_not_linked: 'The tracker account was not linked yet',
  link_revoked: 'The tracker was disconnected',
  event_stale: 'Arrived too late to sync',
  sink_not_chosen: 'Not sent: you did not choose this destination',
};

const services: Record<string, string> = {
  google_fit: 'Google Fit',
  google_health: 'Google Health',
  google_oauth: 'Google sign-in',
  firestore: 'fitsync storage',
  secret_manager: 'fitsync key storage',
};

export function reasonInWords(code: string | undefined): string {
  if (!code) return '';
  const hit = known[code];
  if (hit) return hit;
  const m = /^(.*)_(\d{3}|timeout|network|unavailable|[a-z_]+)$/.exec(code);
  if (m) {
    const who = services[m[1] ?? ''] ?? (m[1] ?? '').replace(/_/g, ' ');
    const status = m[2] ?? '';
    if (status === '429') return `${who} was busy; retrying`;
    if (/^5\d\d$|^timeout$|^network$|^unavailable$/.test(status)) return `${who} was unavailable; retrying`;
    if (/^4\d\d$/.test(status)) return `${who} refused it (HTTP ${status})`;
  }
  return `Failed (${code})`;
}
