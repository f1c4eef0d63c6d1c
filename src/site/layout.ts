import { t, type SiteLang } from '../web/index.js';
import { html, jsonScript, raw, type Raw } from './html.js';
import { siteSettings } from './site-settings.js';

/** The bundles app.js imports when a page needs them (scripts/build-web.js builds one per name, /assets/{name}.js). */
export const SCRIPT_MODULES = ['chart', 'map', 'both-sides', 'border-map', 'search'] as const;
export type ScriptModule = typeof SCRIPT_MODULES[number];

export interface PageShell {
  readonly lang: SiteLang;
  readonly title: string;
  /** Path without the language prefix, e.g. `/indicators/mx.homicide.rate` (used by the language switch). */
  readonly path: string;
  readonly main: Raw;
  readonly description?: string;
  /** Configuration for the client script; pages without one ship no JavaScript. */
  readonly client?: Record<string, unknown>;
  /** Data files the script will fetch first (a map's layer): asked for with the page's script, not after it runs. */
  readonly preload?: readonly string[];
  /** The drawing module(s) the script imports for the first view (`/assets/map.js`…, see scripts/build-web.js). */
  readonly modules?: readonly ScriptModule[];
}

const NAV: readonly [string, Parameters<typeof t>[1]][] = [
  ['/', 'navHome'],
  ['/framework/', 'navFramework'],
  ['/scorecard/', 'navScorecard'],
  ['/indicators/', 'navIndicators'],
  ['/states/', 'navStates'],
  ['/assistance/', 'navAssistance'],
  ['/timeline/', 'navTimeline'],
  ['/figures/', 'navFigures'],
  ['/both-sides/', 'navBothSides'],
  ['/data/', 'navData'],
  ['/search/', 'navSearch'],
];

/** The families' form where this server takes reports; where it does not, the configured alternatives (if any). */
function intakeFooter(lang: SiteLang): Raw | string {
  const { intakeOpen, contacts } = siteSettings();
  if (intakeOpen) return html`<p class="intake-link"><a href="${href(lang, '/report-kidnapping/')}">${t(lang, 'reportKidnapping')}</a></p>`;
  if (contacts.alternatives.length > 0) return html`<p class="intake-link"><a href="${href(lang, '/report-kidnapping/')}">${t(lang, 'supportForFamilies')}</a></p>`;
  return '';
}

/** Links are relative to the site root so the baked site works from any static server. */
export function href(lang: SiteLang, path: string): string {
  return `/${lang}${path.startsWith('/') ? path : `/${path}`}`;
}

export function page(p: PageShell): string {
  const other: SiteLang = p.lang === 'es' ? 'en' : 'es';
  const current = (path: string) => (path === '/' ? p.path === '/' : p.path.startsWith(path));
  // The same links twice: a row on wide screens, behind one "Menu" button (no script needed) on phones; CSS shows one.
  const links = html`<ul>
    ${NAV.map(([path, key]) => html`<li><a href="${href(p.lang, path)}"${raw(current(path) ? ' aria-current="page"' : '')}>${t(p.lang, key)}</a></li>`)}
  </ul>`;
  return `<!doctype html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · Observa</title>
<meta name="description" content="${p.description ?? t(p.lang, 'tagline')}">
<link rel="alternate" hreflang="${other}" href="${href(other, p.path)}">
<link rel="stylesheet" href="/assets/site.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${(p.preload ?? []).map((url) => html`<link rel="preload" href="${url}" as="fetch" crossorigin="anonymous">`)}
${p.client ? (p.modules ?? []).map((name) => html`<link rel="modulepreload" href="/assets/${name}.js">`) : ''}
</head>
<body>
<a class="skip" href="#main">${t(p.lang, 'skip')}</a>
<header class="site-header">
  <a class="brand" href="${href(p.lang, '/')}"><strong>Observa</strong> <span>${t(p.lang, 'tagline')}</span></a>
  <nav class="nav-wide" aria-label="${t(p.lang, 'siteName')}">${links}</nav>
  <details class="menu"><summary>${t(p.lang, 'menu')}</summary><nav aria-label="${t(p.lang, 'siteName')}">${links}</nav></details>
  <a class="lang-switch" id="lang-switch" lang="${other}" hreflang="${other}" href="${href(other, p.path)}">${t(p.lang, 'otherLanguage')}</a>
</header>
<main id="main" tabindex="-1">
${p.main}
</main>
<footer class="site-footer"><p>${t(p.lang, 'footerNote')}</p>${intakeFooter(p.lang)}<p><a href="${href(p.lang, '/evidence/sources/')}">${t(p.lang, 'evidenceSourcesTitle')}</a></p></footer>
${p.client ? jsonScript('page-config', { lang: p.lang, ...p.client }) : ''}
${p.client ? raw('<script type="module" src="/assets/app.js"></script>') : ''}
</body>
</html>`.__raw}`;
}
