import { sinkIds, sinkLabels } from '../google/sinks.ts';
import { type Html, html } from './html.ts';
import { layout } from './layout.ts';

/** The signed-out page: what fitsync does, and sign-in with Google with the destinations to allow. */
export function landingPage(p: { notice?: Html; trackerNames: readonly string[] }): Html {
  return layout({
    title: 'Sign in',
    body: html`${p.notice ?? ''}
<h1>Your workouts, in Google, once each</h1>
<section class="card">
<p>fitsync copies every workout your trackers record (${p.trackerNames.join(', ')}) to Google Fit or Google Health, with its type, times and name, seconds after you save it.</p>
<form method="get" action="/auth/google/start">
<fieldset>
<legend>Where should your workouts go?</legend>
${sinkIds.map((s) => html`<label class="check"><input type="checkbox" name="sinks" value="${s}"${s === 'google-fit' ? html` checked` : ''}> <span>${sinkLabels[s]}</span></label>`)}
<p class="hint">Google asks you to allow writing workouts there. You can change this later.</p>
</fieldset>
<button type="submit">Sign in with Google</button>
</form>
</section>`,
  });
}
