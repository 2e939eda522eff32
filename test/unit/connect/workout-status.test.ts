import test from 'ava';
import { html } from '../../../shared/connect/pages/html.ts';
import { reasonInWords } from '../../../shared/connect/workout-reasons.ts';
import { sinkStatus } from '../../../shared/connect/workout-status.ts';

const base = { provider: 'strava', activityId: '1' };

test('per-sink fields win; records from before them describe Google Fit; absent is not yet known', (t) => {
  t.like(sinkStatus({ ...base, fitState: 'synced', state: 'failed' }, 'google-fit', true), { label: 'Synced', tone: 'ok', reason: '' });
  t.like(sinkStatus({ ...base, state: 'retrying', lastErrorCode: 'google_fit_429' }, 'google-fit', true), {
    label: 'Retrying',
    reason: 'Google Fit was busy; retrying',
  });
  t.like(sinkStatus({ ...base, state: 'retrying', lastErrorCode: 'google_fit_429' }, 'google-health', true), { label: 'Not yet synced' });
  t.like(sinkStatus(base, 'google-health', false), { label: 'Not sent' });
  t.like(sinkStatus({ ...base, healthState: 'skipped', healthErrorCode: 'scope_missing' }, 'google-health', true), {
    label: 'Skipped',
    reason: 'Google Health not allowed: grant it below',
  });
  t.like(sinkStatus({ ...base, fitState: 'failed', fitErrorCode: 'tracker_reauth_required' }, 'google-fit', true), {
    tone: 'bad',
    reason: 'Tracker access expired: reconnect the tracker',
  });
});

test('reason codes in words, unknown ones shown as they are', (t) => {
  t.is(reasonInWords('google_health_503'), 'Google Health was unavailable; retrying');
  t.is(reasonInWords('google_fit_400'), 'Google Fit refused it (HTTP 400)');
  t.is(reasonInWords('strava_timeout'), 'strava was unavailable; retrying');
  t.is(reasonInWords('something_new'), 'Failed (something_new)');
  t.is(reasonInWords(undefined), '');
});

test('html escapes everything it interpolates', (t) => {
  const evil = '<script>alert("x")</script>&\'';
  t.is(
    html`<p title="${evil}">${evil}</p>`.text,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
  );
  t.is(html`<ul>${['a', html`<b>b</b>`]}</ul>`.text, '<ul>a<b>b</b></ul>');
});
