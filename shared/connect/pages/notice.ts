import { type Html, html } from './html.ts';

/** A message at the top of a page; `role=status` (or `alert` for problems) so screen readers announce it. */
export function noticeBox(kind: 'ok' | 'problem' | 'warn', text: string): Html {
  return html`<div class="notice ${kind}" role="${kind === 'problem' ? 'alert' : 'status'}">${text}</div>`;
}
