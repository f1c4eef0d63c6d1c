import { describe, expect, it } from 'vitest';
import { MESSAGES } from './i18n.js';

describe('site messages', () => {
  it('has every key in both languages, none empty, and translated', () => {
    const es = Object.keys(MESSAGES.es).sort();
    const en = Object.keys(MESSAGES.en).sort();
    expect(en).toEqual(es);
    for (const key of es) {
      const pair = { es: MESSAGES.es[key as keyof typeof MESSAGES.es], en: MESSAGES.en[key as keyof typeof MESSAGES.en] };
      expect(pair.es.trim(), key).not.toBe('');
      expect(pair.en.trim(), key).not.toBe('');
      if (pair.en.length > 12 && key !== 'tagline') expect(pair.es, `${key} is not translated`).not.toBe(pair.en);
    }
  });
});
