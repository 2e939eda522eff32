/**
 * The one stylesheet, served from /static/connect.css (the CSP allows styles from 'self' only). System fonts,
 * a single column that fits a phone, text contrast above WCAG AA (4.5:1) on every background used, and a
 * visible focus ring for keyboard users.
 */
export const stylesheet = `
:root{--ink:#1b1f24;--muted:#4a5360;--line:#c9d1da;--bg:#f6f8fa;--card:#fff;--accent:#0b5cad;--accent-ink:#fff;--ok:#176b37;--warn:#8a4b00;--bad:#a4161a}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
header.site{background:var(--card);border-bottom:1px solid var(--line)}
header.site .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--ink)}
.wrap{max-width:46rem;margin:0 auto;padding:1rem}
main h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:0 0 .75rem}
section.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.notice{border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem;border:1px solid}
.notice.ok{background:#e8f5ec;border-color:#8cc9a0;color:#0f4d27}
.notice.problem{background:#fdecec;border-color:#e59a9c;color:#7d1013}
.notice.warn{background:#fff4e0;border-color:#e7b56a;color:#6b3a00}
.button,button{display:inline-block;font:inherit;font-weight:600;padding:.55rem 1rem;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);text-decoration:none;cursor:pointer;min-height:2.75rem}
button.secondary,.button.secondary{background:var(--card);color:var(--accent)}
button.danger{background:var(--bad);border-color:var(--bad)}
button.link{background:none;border:none;color:var(--accent);padding:.55rem 0;text-decoration:underline;font-weight:400}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
fieldset{border:1px solid var(--line);border-radius:.4rem;padding:.5rem 1rem;margin:0 0 1rem}
legend{font-weight:600;padding:0 .25rem}
label.check{display:flex;gap:.6rem;align-items:flex-start;padding:.35rem 0}
label.check input{width:1.25rem;height:1.25rem;margin-top:.15rem}
.hint{color:var(--muted);font-size:.9rem}
ul.trackers{list-style:none;margin:0;padding:0}
ul.trackers li{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding:.6rem 0;border-top:1px solid var(--line)}
ul.trackers li:first-child{border-top:none}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
.actions form{margin:0}
.state{font-size:.9rem;font-weight:600;padding:.1rem .5rem;border-radius:1rem;border:1px solid currentColor;white-space:nowrap}
.state.ok{color:var(--ok)}.state.warn{color:var(--warn)}.state.bad{color:var(--bad)}.state.none{color:var(--muted)}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;padding:.5rem .4rem;border-top:1px solid var(--line);vertical-align:top}
thead th{border-top:none;color:var(--muted);font-weight:600}
.table-scroll{overflow-x:auto}
@media (max-width:34rem){thead{position:absolute;left:-9999px}table,caption,tbody,tr,td{display:block;width:100%}caption{text-align:left}tr{border-top:1px solid var(--line);padding:.4rem 0}td{border:none;padding:.15rem 0}td::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}}
footer{color:var(--muted);font-size:.85rem}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:var(--card);padding:.5rem;z-index:1}
`;
