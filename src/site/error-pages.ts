import { t, type SiteLang } from '../web/index.js';
import { html } from './html.js';
import { href, page } from './layout.js';

/** Texts of the error pages (es/en): what happened and what to do, never a code or a stack. */
const T = {
  400: {
    title: { es: 'La dirección tiene un valor que no entendemos', en: 'The address has a value we do not understand' },
    text: {
      es: 'Revise los valores después de «?»: los años se escriben con cuatro cifras (2024), los meses como 2024-05 y los años fiscales como FY2024.',
      en: 'Check the values after "?": years are written with four digits (2024), months as 2024-05 and fiscal years as FY2024.',
    },
  },
  404: {
    title: { es: 'Página no encontrada', en: 'Page not found' },
    text: { es: 'No hay ninguna página en esta dirección. Puede buscar lo que necesita o empezar por el inicio.', en: 'There is no page at this address. You can search for what you need or start from the home page.' },
  },
  429: {
    title: { es: 'Demasiadas consultas a la vez', en: 'Too many requests at once' },
    text: {
      es: 'Este equipo ha pedido muchas páginas o datos nuevos en poco tiempo. Espere unos segundos y vuelva a cargar la página; las páginas ya consultadas se siguen sirviendo.',
      en: 'This device has asked for many new pages or data in a short time. Wait a few seconds and reload the page; pages already visited are still served.',
    },
  },
  500: {
    title: { es: 'El servidor no pudo responder', en: 'The server could not answer' },
    text: { es: 'Algo falló de nuestro lado. Intente de nuevo en unos momentos.', en: 'Something failed on our side. Please try again in a moment.' },
  },
} as const;

/** The language of a path (`/en/…`, `/data/en/…`), else the browser's first choice, else Spanish. */
export function languageOf(path: string, acceptLanguage = ''): SiteLang {
  const m = /^\/(?:data\/)?(es|en)(?:\/|$)/.exec(path);
  if (m) return m[1] as SiteLang;
  return /^\s*en\b/i.test(acceptLanguage) ? 'en' : 'es';
}

/** Paths that answer in JSON whatever happens: the API and the data files scripts read. */
export const isMachinePath = (path: string): boolean => /^\/(api|data)(\/|$)/.test(path) || /\.(json|csv)$/.test(path) || path === '/healthz';

/** An error as a page of the site, in its layout and language, with ways to go on. */
export function errorPage(lang: SiteLang, status: 400 | 404 | 429 | 500, path: string): string {
  const text = T[status];
  const bare = path.replace(/^\/(es|en)(?=\/|$)/, '') || '/';
  const main = html`<h1>${text.title[lang]}</h1>
  <p class="lead">${text.text[lang]}</p>
  ${status === 400 ? html`<p><a href="${href(lang, bare)}">${bare === '/' ? t(lang, 'navHome') : href(lang, bare)}</a></p>` : ''}
  <form role="search" method="get" action="${href(lang, '/search/')}"><label for="q">${t(lang, 'navSearch')}</label> <input id="q" name="q" type="search" autocomplete="off"> <button type="submit">${t(lang, 'navSearch')}</button></form>
  <p><a href="${href(lang, '/')}">${t(lang, 'navHome')}</a> · <a href="${href(lang, '/indicators/')}">${t(lang, 'navIndicators')}</a></p>`;
  return page({ lang, title: text.title[lang], path: status === 404 ? '/' : bare, main });
}
