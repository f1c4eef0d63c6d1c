const TEXT = {
  es: {
    title: 'Observa — observatorio de la cooperación en seguridad México–Estados Unidos',
    intro: 'Datos oficiales del Entendimiento Bicentenario: cada cifra con su fuente, su versión y sus advertencias de calidad.',
    api: 'API de datos',
    links: [['Indicadores', '/api/v1/indicators?lang=es'], ['Víctimas de homicidio por año (JSON)', '/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2015..2025&lang=es'],
      ['Tasa de homicidio por estado, 2024 (CSV)', '/api/v1/indicators/mx.homicide.rate/data.csv?geo=level:state&period=2024&lang=es'],
      ['El Entendimiento como datos', '/api/v1/framework'], ['Fuentes y versiones importadas', '/api/v1/sources'], ['Documento OpenAPI', '/api/v1/openapi.json']],
    other: ['English', '/?lang=en'],
  },
  en: {
    title: 'Observa — observatory of U.S.–Mexico security cooperation',
    intro: 'Official statistics on the Bicentennial Framework: every number with its source, its release and its quality flags.',
    api: 'Data API',
    links: [['Indicators', '/api/v1/indicators?lang=en'], ['Homicide victims by year (JSON)', '/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2015..2025&lang=en'],
      ['Homicide rate by state, 2024 (CSV)', '/api/v1/indicators/mx.homicide.rate/data.csv?geo=level:state&period=2024&lang=en'],
      ['The Framework as data', '/api/v1/framework'], ['Sources and imported releases', '/api/v1/sources'], ['OpenAPI document', '/api/v1/openapi.json']],
    other: ['Español', '/?lang=es'],
  },
} as const;

/** A small bilingual entry page until the web observatory lands; language from the browser unless chosen. */
export function landingPage(acceptLanguage: string, chosen?: string): string {
  const lang = chosen === 'en' || chosen === 'es' ? chosen : /^\s*en\b/i.test(acceptLanguage) ? 'en' : 'es';
  const t = TEXT[lang];
  const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(t.title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}a{color:#0b5394}</style></head>
<body><h1>Observa</h1><p>${esc(t.title)}</p><p>${esc(t.intro)}</p><h2>${esc(t.api)}</h2><ul>
${t.links.map(([label, href]) => `<li><a href="${href.replaceAll('&', '&amp;')}">${esc(label)}</a></li>`).join('\n')}
</ul><p><a href="${t.other[1]}" lang="${lang === 'es' ? 'en' : 'es'}">${t.other[0]}</a></p></body></html>`;
}
