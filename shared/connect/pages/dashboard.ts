import { type SinkId, sinkIds, sinkLabels } from '../google/sinks.ts';
import type { SinkStatus } from '../workout-status.ts';
import { type Html, html } from './html.ts';
import { layout } from './layout.ts';

export interface TrackerRow {
  id: string;
  label: string;
  /** Absent: never connected. */
  link?: { docId: string; providerUserId: string; status: 'active' | 'needs_reauth' | 'revoked'; canImport: boolean };
}

export interface WorkoutRow {
  tracker: string;
  activityId: string;
  when: string;
  sinks: Record<SinkId, SinkStatus>;
}

export interface DashboardView {
  email: string;
  csrf: string;
  notice?: Html;
  google: { state: 'active' | 'needs_reauth'; sinks: readonly SinkId[]; healthStatus?: string; healthGranted: boolean };
  trackers: readonly TrackerRow[];
  workouts: readonly WorkoutRow[];
}

const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

export function signedInHeader(email: string, csrf: string): Html {
  return html`<form method="post" action="/signout" class="actions"><span class="hint">${email ? `Signed in as ${email}` : 'Signed in'}</span>${csrfField(csrf)}<button type="submit" class="link">Sign out</button></form>`;
}

function googleSection(v: DashboardView): Html {
  const reconnect =
    v.google.state === 'needs_reauth'
      ? html`<div class="notice warn" role="status">Google no longer accepts fitsync’s access, so nothing is being written. <a class="button" href="/auth/google/start?${v.google.sinks.map((s) => `sinks=${s}`).join('&')}">Reconnect Google</a></div>`
      : '';
  const health = v.google.sinks.includes('google-health')
    ? v.google.healthStatus === 'account_not_linked'
      ? html`<p class="notice warn" role="status">Google Health has no profile for your account yet. Open the Google Health app once to set it up; fitsync retries by itself.</p>`
      : v.google.healthStatus === 'scope_missing' || !v.google.healthGranted
        ? html`<p class="notice warn" role="status">Google Health is chosen but not allowed at Google. <a class="button secondary" href="/auth/google/start?sinks=google-health">Allow Google Health</a></p>`
        : ''
    : '';
  return html`<section class="card" aria-labelledby="google-h">
<h2 id="google-h">Google</h2>
${reconnect}${health}
<form method="post" action="/sinks">
${csrfField(v.csrf)}
<fieldset>
<legend>Send my workouts to</legend>
${sinkIds.map((s) => html`<label class="check"><input type="checkbox" name="sinks" value="${s}"${v.google.sinks.includes(s) ? html` checked` : ''}> <span>${sinkLabels[s]}</span></label>`)}
<p class="hint">Adding a destination takes you to Google to allow it.</p>
</fieldset>
<button type="submit" class="secondary">Save destinations</button>
</form>
</section>`;
}

function trackerActions(t: TrackerRow, csrf: string): Html {
  const connect = (label: string) =>
    html`<form method="post" action="/connect/${t.id}">${csrfField(csrf)}<button type="submit">${label}</button></form>`;
  if (!t.link || t.link.status === 'revoked') return connect(`Connect ${t.label}`);
  const disconnect = html`<form method="post" action="/disconnect">${csrfField(csrf)}<input type="hidden" name="link" value="${t.link.docId}"><button type="submit" class="secondary">Disconnect<span class="hint"> ${t.label}</span></button></form>`;
  if (t.link.status === 'needs_reauth') return html`${connect(`Reconnect ${t.label}`)}${disconnect}`;
  const importButton = t.link.canImport
    ? html`<form method="post" action="/import">${csrfField(csrf)}<input type="hidden" name="link" value="${t.link.docId}"><button type="submit" class="secondary">Import recent workouts</button></form>`
    : '';
  return html`${importButton}${disconnect}`;
}

function trackerState(t: TrackerRow): Html {
  if (!t.link) return html`<span class="state none">Not connected</span>`;
  if (t.link.status === 'revoked') return html`<span class="state none">Disconnected</span>`;
  if (t.link.status === 'needs_reauth') return html`<span class="state warn">Needs reconnecting</span>`;
  return html`<span class="state ok">Connected</span>`;
}

function trackersSection(v: DashboardView): Html {
  return html`<section class="card" aria-labelledby="trackers-h">
<h2 id="trackers-h">Trackers</h2>
<ul class="trackers">
${v.trackers.map(
  (t) =>
    html`<li><div><strong>${t.label}</strong> ${trackerState(t)}${t.link && t.link.status !== 'revoked' ? html`<div class="hint">Account ${t.link.providerUserId}</div>` : ''}</div><div class="actions">${trackerActions(t, v.csrf)}</div></li>`,
)}
</ul>
</section>`;
}

function sinkCell(s: SinkStatus, label: string): Html {
  return html`<td data-label="${label}"><span class="state ${s.tone}">${s.label}</span>${s.reason ? html`<div class="hint">${s.reason}</div>` : ''}</td>`;
}

function workoutsSection(v: DashboardView): Html {
  const body = v.workouts.length
    ? html`<div class="table-scroll"><table>
<caption class="hint">Most recent first. “Not yet synced” means fitsync has not finished with it yet.</caption>
<thead><tr><th scope="col">Workout</th><th scope="col">When</th>${sinkIds.map((s) => html`<th scope="col">${sinkLabels[s]}</th>`)}</tr></thead>
<tbody>
${v.workouts.map((w) => html`<tr><td data-label="Workout">${w.tracker} ${w.activityId}</td><td data-label="When">${w.when}</td>${sinkIds.map((s) => sinkCell(w.sinks[s], sinkLabels[s]))}</tr>`)}
</tbody></table></div>`
    : html`<p>No workouts yet. Once a tracker is connected, new workouts and the last 30 days appear here.</p>`;
  return html`<section class="card" aria-labelledby="workouts-h"><h2 id="workouts-h">Recent workouts</h2>${body}</section>`;
}

export function dashboardPage(v: DashboardView): Html {
  return layout({
    title: 'Your fitsync',
    signedInAs: signedInHeader(v.email, v.csrf),
    body: html`${v.notice ?? ''}
<h1>Your fitsync</h1>
${googleSection(v)}
${trackersSection(v)}
${workoutsSection(v)}
<section class="card" aria-labelledby="data-h"><h2 id="data-h">Your data</h2><p>fitsync keeps your access at Google and your trackers, sealed, and a record of each workout it handled.</p><a class="button secondary" href="/delete">Delete my data…</a></section>`,
  });
}
