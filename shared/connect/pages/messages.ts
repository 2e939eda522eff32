import type { ProblemCode } from '../connect-errors.ts';

/** What went wrong, in words, for each problem code; `{tracker}` is the tracker's name. */
export const problemText: Record<ProblemCode, string> = {
  state_invalid: 'That sign-in link is not one fitsync started, so nothing was changed. Start again from this page.',
  state_expired: 'The authorization took longer than 15 minutes, so fitsync did not use it. Please try again.',
  state_replayed: 'That authorization was already used once, so fitsync did not use it again. Nothing was changed.',
  state_other_browser:
    'The authorization came back to a different browser than the one that started it, so fitsync did not use it. Start again in this browser.',
  google_denied: 'You did not allow fitsync at Google, so nothing was connected.',
  google_error: 'Google reported an error, so nothing was connected. Please try again.',
  google_code_refused: 'Google did not accept the authorization, so nothing was connected. Please start again.',
  google_unavailable: 'Google could not be reached just now. Nothing was changed; please try again in a minute.',
  id_token_invalid: 'Google’s answer could not be verified, so fitsync did not sign you in.',
  google_no_refresh_token: 'Google did not give fitsync lasting access. Please sign in again and allow access.',
  tracker_denied: 'You did not allow fitsync at {tracker}, so it was not connected.',
  tracker_error: '{tracker} reported an error, so it was not connected. Please try again.',
  tracker_scope_missing:
    '{tracker} was not connected: fitsync needs permission to read all your activities, including private ones. Please connect again and leave that box ticked.',
  tracker_code_refused: '{tracker} did not accept the authorization, so it was not connected. Please try again.',
  tracker_unavailable: '{tracker} could not be reached just now. Nothing was changed; please try again in a minute.',
  tracker_taken:
    'This {tracker} account is already connected to another fitsync user. One tracker account can belong to one person only; disconnect it there first.',
  tracker_unknown_user: '{tracker} did not say which account was connected, so nothing was stored. Please try again.',
  polar_consents_missing:
    'Polar refused the connection because not all of Polar’s required consents are accepted. Accept them in Polar Flow, then connect again.',
  session_required: 'Please sign in first.',
  csrf_invalid: 'That form had expired or did not come from this page, so nothing was changed. Please try again.',
  not_your_link: 'That tracker account is not connected to you, so nothing was changed.',
  delete_not_confirmed: 'Nothing was deleted: tick the box to confirm first.',
  backfill_not_queued:
    '{tracker} is connected, but importing your last 30 days could not be started. Use “Import recent workouts” below to try again.',
};

export const noticeCodes = [
  'signed_in',
  'signed_out',
  'tracker_connected',
  'tracker_disconnected',
  'tracker_disconnected_locally',
  'sinks_saved',
  'health_not_granted',
  'no_sink_granted',
  'backfill_queued',
  'deleted',
] as const;
export type NoticeCode = (typeof noticeCodes)[number];
export const isNoticeCode = (v: unknown): v is NoticeCode => (noticeCodes as readonly unknown[]).includes(v);

export const noticeText: Record<NoticeCode, string> = {
  signed_in: 'You are signed in.',
  signed_out: 'You are signed out.',
  tracker_connected: '{tracker} is connected. Your last 30 days are being imported; new workouts follow on their own.',
  tracker_disconnected: '{tracker} is disconnected and fitsync’s access there is revoked.',
  tracker_disconnected_locally:
    '{tracker} is disconnected and fitsync deleted its access, but {tracker} could not be told. To be sure, remove fitsync in your {tracker} settings.',
  sinks_saved: 'Your choice of where workouts go is saved.',
  health_not_granted: 'Google Health was not allowed at Google, so workouts go to the other places you chose only.',
  no_sink_granted: 'Google did not grant fitsync permission to write workouts. Choose where workouts go below and allow it at Google.',
  backfill_queued: 'Importing your recent {tracker} workouts has started.',
  deleted: 'Everything fitsync held about you is deleted, and its access at Google and your trackers is revoked.',
};

/** Fills `{tracker}`. */
export const withTracker = (text: string, tracker: string | undefined) => text.replaceAll('{tracker}', tracker ?? 'The tracker');
