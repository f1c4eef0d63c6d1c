import { t, type SiteLang } from '../web/index.js';
import { html, jsonScript, raw, type Raw } from './html.js';

export interface PageShell {
  readonly lang: SiteLang;
  readonly title: string;
  /** Path without the language prefix, e.g. `/indicators/mx.homicide.rate` (used by the language switch). */
  readonly path: string;
  readonly main: Raw;
  readonly description?: string;
  /** Configuration for the client script; pages without one ship no JavaScript. */
  readonly client?: Record<string, unknown>;
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

/** Links are relative to the site root so the baked site works from any static server. */
export function href(lang: SiteLang, path: string): string {
  return `/${lang}${path.startsWith('/') ? path : `/${path}`}`;
}

export function page(p: PageShell): string {
  const other: SiteLang = p.lang === 'es' ? 'en' : 'es';
  const current = (path: string) => (path === '/' ? p.path === '/' : p.path.startsWith(path));
  return `<!doctype html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · Observa</title>
<meta name="description" content="${p.description ?? t(p.lang, 'tagline')}">
<link rel="alternate" hreflang="${other}" href="${href(other, p.path)}">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a class="skip" href="#main">${t(p.lang, 'skip')}</a>
<header class="site-header">
  <a class="brand" href="${href(p.lang, '/')}"><strong>Observa</strong> <span>${t(p.lang, 'tagline')}</span></a>
  <nav aria-label="${t(p.lang, 'siteName')}"><ul>
    ${NAV.map(([path, key]) => html`<li><a href="${href(p.lang, path)}"${raw(current(path) ? ' aria-current="page"' : '')}>${t(p.lang, key)}</a></li>`)}
  </ul></nav>
  <a class="lang-switch" id="lang-switch" lang="${other}" hreflang="${other}" href="${href(other, p.path)}">${t(p.lang, 'otherLanguage')}</a>
</header>
<main id="main" tabindex="-1">
${p.main}
</main>
<footer class="site-footer"><p>${t(p.lang, 'footerNote')}</p><p><a href="${href(p.lang, '/report-kidnapping/')}">${t(p.lang, 'reportKidnapping')}</a> · <a href="${href(p.lang, '/evidence/sources/')}">${t(p.lang, 'evidenceSourcesTitle')}</a></p></footer>
${p.client ? jsonScript('page-config', { lang: p.lang, ...p.client }) : ''}
${p.client ? raw('<script type="module" src="/assets/app.js"></script>') : ''}
</body>
</html>`.__raw}`;
}
