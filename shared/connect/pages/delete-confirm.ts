import { signedInHeader } from './dashboard.ts';
import { type Html, html } from './html.ts';
import { layout } from './layout.ts';

/** The confirmation step before "delete my data". */
export function deleteConfirmPage(p: { email: string; csrf: string; trackers: readonly string[]; notice?: Html }): Html {
  return layout({
    title: 'Delete my data',
    signedInAs: signedInHeader(p.email, p.csrf),
    body: html`${p.notice ?? ''}
<h1>Delete my data</h1>
<section class="card">
<p>This deletes everything fitsync holds about you and ends its access:</p>
<ul>
<li>fitsync’s access at Google is revoked (workouts already written stay in your Google account).</li>
${p.trackers.length ? html`<li>Your connected trackers (${p.trackers.join(', ')}) are disconnected, and fitsync’s access there is revoked where the tracker allows it.</li>` : ''}
<li>Your workout records, import jobs and settings at fitsync are deleted.</li>
</ul>
<p>This cannot be undone. You can sign in again later as a new user.</p>
<form method="post" action="/delete">
<input type="hidden" name="csrf" value="${p.csrf}">
<label class="check"><input type="checkbox" name="confirm" value="yes" required> <span>I understand: delete everything fitsync holds about me.</span></label>
<div class="actions"><button type="submit" class="danger">Delete everything</button><a class="button secondary" href="/">Cancel</a></div>
</form>
</section>`,
  });
}
