import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakedBundledSite, loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { siteUrls } from './bake.js';

/*
 * Every page the bake writes, in both languages: no English sentences on Spanish pages (and the reverse), no raw
 * codes (period keys such as 12m-ending-2024-10, ISO timestamps, untranslated catalog tags such as "(inferred)"), and
 * no operator commands. Text inside an element marked with another `lang` (the language switch, a title quoted in its
 * original language) is that language's and is skipped.
 */
const WORDS = {
  en: new Set(['the', 'and', 'of', 'with', 'from', 'for', 'is', 'are', 'was', 'were', 'this', 'that', 'by', 'not', 'to', 'which', 'has', 'have', 'in', 'on', 'or', 'it', 'its', 'be', 'no']),
  es: new Set(['el', 'la', 'los', 'las', 'y', 'de', 'del', 'con', 'por', 'para', 'que', 'se', 'una', 'un', 'es', 'son', 'en', 'al', 'su', 'sus', 'o', 'lo', 'no', 'como', 'más']),
};
const RAW_CODES: readonly [RegExp, string][] = [
  [/\b\d{1,2}m-ending-\d{4}-\d{2}\b/, 'a raw period key'],
  [/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'an ISO timestamp'],
  [/\bobserva (ingest|evidence|assistance|token|org|user|publish)\b/, 'an operator command'],
  [/OBSERVA_[A-Z_]+/, 'a server setting'],
];
const RAW_ON = { es: [[/\((inferred|estimated|provisional|partial)\)/i, 'an English catalog tag']] as [RegExp, string][], en: [] as [RegExp, string][] };

/** Texts of the page in its own language: element text runs and the attributes people read. */
function textsOf(html: string, lang: 'es' | 'en'): string[] {
  const { document } = new JSDOM(html).window;
  const texts: string[] = [];
  const walk = (el: Element) => {
    const own = el.getAttribute('lang');
    if (own && !own.startsWith(lang)) return;
    // A cited work's title stays as published (<cite>), whatever the page's language.
    if (['SCRIPT', 'STYLE', 'CODE', 'TEMPLATE', 'CITE'].includes(el.tagName)) return;
    for (const attr of ['title', 'aria-label', 'placeholder', 'alt']) {
      const v = el.getAttribute(attr);
      if (v) texts.push(v);
    }
    let run = '';
    for (const node of el.childNodes) {
      if (node.nodeType === 3) run += node.textContent ?? '';
      else if (node.nodeType === 1) {
        const child = node as Element;
        // Inline elements belong to the sentence around them.
        if (['A', 'STRONG', 'EM', 'ABBR', 'SPAN', 'TIME', 'SMALL', 'B', 'I'].includes(child.tagName) && !child.getAttribute('lang') && !child.querySelector('cite, [lang]')) run += child.textContent ?? '';
        else walk(child);
      }
    }
    if (run.trim()) texts.push(run.replace(/\s+/g, ' ').trim());
  };
  walk(document.documentElement);
  return texts;
}

function problemsOf(text: string, lang: 'es' | 'en'): string[] {
  const found: string[] = [];
  for (const [re, what] of [...RAW_CODES, ...RAW_ON[lang]]) if (re.test(text)) found.push(`${what}: "${text.slice(0, 120)}"`);
  const words = text.toLowerCase().match(/[a-záéíóúñü]+/g) ?? [];
  const other = lang === 'es' ? 'en' : 'es';
  const hits = (l: 'es' | 'en') => words.filter((w) => WORDS[l].has(w) && !WORDS[l === 'es' ? 'en' : 'es'].has(w)).length;
  if (hits(other) >= 3 && hits(other) > hits(lang)) found.push(`${other === 'en' ? 'English' : 'Spanish'} text: "${text.slice(0, 120)}"`);
  return found;
}

let t: TempStore;
let baked: string;
beforeAll(async () => {
  t = await loadedStore();
  // The run's one bake of the bundled store (shared with the bake suites): the pages as a static host serves them.
  baked = (await bakedBundledSite()).dir;
}, 600_000);
afterAll(async () => {
  await t?.cleanup();
});

describe('language leaks over every page of the bake', () => {
  it('the helper finds what it should', () => {
    expect(problemsOf('Values for the period 12m-ending-2024-10 are provisional', 'es').length).toBe(2);
    expect(problemsOf('Tasa de homicidios (inferred)', 'es')).toHaveLength(1);
    expect(problemsOf('Los valores del periodo son provisionales y se revisan cada mes', 'en')).toHaveLength(1);
    expect(problemsOf('U.S. Customs and Border Protection', 'es')).toEqual([]);
  });

  for (const lang of ['es', 'en'] as const) {
    it(`${lang} pages are in ${lang === 'es' ? 'Spanish' : 'English'} with no raw codes`, async () => {
      const pages = (await siteUrls(t.store)).filter((u) => u.startsWith(`/${lang}/`) && u.endsWith('/'));
      expect(pages.length).toBeGreaterThan(100);
      const problems = new Map<string, string[]>();
      for (const url of pages) {
        for (const text of textsOf(readFileSync(join(baked, url, 'index.html'), 'utf8'), lang)) {
          for (const p of problemsOf(text, lang)) problems.set(p, [...(problems.get(p) ?? []), url]);
        }
      }
      const report = [...problems].map(([p, urls]) => `${p} — ${urls.length} page(s), e.g. ${urls[0]}`);
      expect(report).toEqual([]);
    }, 600_000);
  }
});
