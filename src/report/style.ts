/** The report's stylesheet, inlined so report.html is one self-contained file; print rules shape the PDF. */
export const REPORT_CSS = `
:root { --ink: #1f2328; --muted: #5b636b; --line: #d0d7de; --accent: #1d4e89; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 1.9rem; margin: 0.2rem 0 0.4rem; color: var(--accent); }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--accent); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
.brand { font-weight: bold; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); margin: 0; }
.period { font-size: 1.2rem; margin: 0 0 1rem; }
.muted { color: var(--muted); font-size: 0.85em; }
code { font-size: 0.85em; word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; font-size: 0.85em; }
table.grid thead th { background: #eef2f6; }
table.small td, table.small th { font-size: 0.75em; }
table.kv th { text-align: left; width: 13rem; padding: 0.15rem 0.5rem 0.15rem 0; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
tr.k-goal td { font-weight: bold; background: #f6f8fa; }
tr.k-area td { font-weight: bold; }
article.goal, article.indicator { break-inside: avoid; border-left: 3px solid var(--accent); padding-left: 0.8rem; margin: 1rem 0; }
figure { margin: 0.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.8em; }
nav ol { columns: 2; }
a { color: var(--accent); }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  header.cover { break-after: page; }
  section { break-before: auto; }
  h2, h3 { break-after: avoid; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
