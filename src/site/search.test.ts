import { describe, expect, it } from 'vitest';
import { search } from '../web/index.js';
import { searchIndex } from './pages.js';

/** The site's own index (catalog titles and texts in both languages): what people type finds the right page. */
describe('search over the site\'s index', () => {
  const cases: readonly [lang: 'es' | 'en', query: string, expected: string][] = [
    ['es', 'secuestros', '/es/indicators/mx.kidnapping.victims/'],
    ['es', 'desaparecidos', '/es/indicators/mx.disappeared.persons/'],
    ['es', 'tasa de homicidios', '/es/indicators/mx.homicide.rate/'],
    ['es', 'feminicidos', '/es/indicators/mx.women_murdered.victims/'],
    ['en', 'kidnaping', '/en/indicators/mx.kidnapping.victims/'],
    ['en', 'guns', '/en/indicators/mx.homicide.firearm_share/'],
    ['en', 'missing persons', '/en/indicators/mx.disappeared.persons/'],
    ['es', 'guardia nacional', '/es/indicators/mx.guardia_nacional.personnel/'],
    ['en', 'Michoacan', '/en/states/16/'],
  ];

  it('a title that is exactly the words typed comes first', () => {
    expect(search(searchIndex('en'), 'feminicidio')[0]?.href).toBe('/en/indicators/mx.femicide.victims/');
    expect(search(searchIndex('es'), 'secuestros')[0]?.href).toBe('/es/indicators/mx.kidnapping.victims/');
  });
  for (const [lang, query, expected] of cases) {
    it(`"${query}" (${lang}) finds ${expected} among the first five`, () => {
      const found = search(searchIndex(lang), query).map((e) => e.href);
      expect(found.slice(0, 5)).toContain(expected);
    });
  }

  it('"Merida" finds the Framework pages that continue the Mérida Initiative', () => {
    const found = search(searchIndex('es'), 'Merida');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((e) => e.kind === 'framework' || e.kind === 'indicator')).toBe(true);
  });

  it('a word nothing has gives nothing; an empty query gives nothing', () => {
    expect(search(searchIndex('en'), 'unicornio xylophone')).toEqual([]);
    expect(search(searchIndex('en'), '  ')).toEqual([]);
  });
});
