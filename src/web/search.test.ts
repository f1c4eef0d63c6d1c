import { describe, expect, it } from 'vitest';
import { normalise, search, type SearchEntry } from './search.js';

const entry = (id: string, title: string, altTitle: string, terms = ''): SearchEntry => ({ kind: 'indicator', id, title, altTitle, href: `/${id}`, terms });
const entries = [
  entry('mx.homicide.rate', 'Homicide rate', 'Tasa de homicidio', 'includes feminicidio victims'),
  entry('mx.femicide.victims', 'Victims of femicide', 'Víctimas de feminicidio'),
  entry('16', 'Michoacán', 'Michoacán', 'Michoacán de Ocampo MX-MIC'),
];

describe('search', () => {
  it('ignores accents and case', () => {
    expect(normalise('Michoacán DE Ocampo')).toBe('michoacan de ocampo');
    expect(search(entries, 'michoacan').map((e) => e.id)).toEqual(['16']);
  });
  it('finds words of either language, title matches first', () => {
    expect(search(entries, 'feminicidio').map((e) => e.id)).toEqual(['mx.femicide.victims', 'mx.homicide.rate']);
    expect(search(entries, 'homicide rate').map((e) => e.id)).toEqual(['mx.homicide.rate']);
  });
  it('returns nothing for an empty query or words nothing has; with one word missing, the entries with the others', () => {
    expect(search(entries, '   ')).toEqual([]);
    expect(search(entries, 'unicorn xylophone')).toEqual([]);
    expect(search(entries, 'homicide unicorn').map((e) => e.id)).toEqual(['mx.homicide.rate']);
  });
  it('forgives typos, plurals and partial words', () => {
    expect(search(entries, 'feminicidos').map((e) => e.id)[0]).toBe('mx.femicide.victims');
    expect(search(entries, 'michoa').map((e) => e.id)).toEqual(['16']);
    expect(search(entries, 'homicides').map((e) => e.id)[0]).toBe('mx.homicide.rate');
  });
});
