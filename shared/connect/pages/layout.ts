import { type Html, html } from './html.ts';

/**
 * Every page's frame: language, viewport for phones, one h1 per page, a skip link so keyboard users reach the
 * content first, and the stylesheet. No script anywhere: the CSP allows none.
 */
export function layout(p: { title: string; body: Html; signedInAs?: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${p.title} · fitsync</title>
<link rel="stylesheet" href="/static/connect.css">
</head>
<body>
<a class="skip hint" href="#main">Skip to content</a>
<header class="site"><div class="wrap"><a class="brand" href="/">fitsync</a>${p.signedInAs ?? ''}</div></header>
<main id="main" class="wrap">
${p.body}
</main>
<footer class="wrap">fitsync copies the workouts your trackers record to Google, once each. <a href="/">Home</a></footer>
</body>
</html>
`;
}
