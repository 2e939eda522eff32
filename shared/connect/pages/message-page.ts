import { type Html, html } from './html.ts';
import { layout } from './layout.ts';

/** A page that only says what happened, with one way on. */
export function messagePage(p: { title: string; notice: Html; link?: { href: string; text: string } }): Html {
  return layout({
    title: p.title,
    body: html`${p.notice}<h1>${p.title}</h1><p><a class="button" href="${p.link?.href ?? '/'}">${p.link?.text ?? 'Back to fitsync'}</a></p>`,
  });
}
