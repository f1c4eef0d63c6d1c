import { JSDOM } from 'jsdom';

/**
 * The structure of a report page as text: sections, headings, table columns, figures and list sizes, without the
 * numbers. The golden-file test compares it, so a change of layout is a reviewed change while new data is not.
 */
export function reportOutline(page: string): string {
  const { document } = new JSDOM(page).window;
  const lines: string[] = [`html lang=${document.documentElement.lang} title=${document.title.replace(/\d{4}/, 'YYYY')}`];
  const walk = (el: Element, depth: number) => {
    for (const child of Array.from(el.children)) {
      const tag = child.tagName.toLowerCase();
      const pad = '  '.repeat(depth);
      if (tag === 'section' || tag === 'header' || tag === 'main' || tag === 'nav' || tag === 'article') {
        lines.push(`${pad}${tag}${child.id ? `#${child.id}` : ''}${child.className ? `.${child.className}` : ''}`);
        walk(child, depth + 1);
      } else if (/^h[1-3]$/.test(tag)) {
        lines.push(`${pad}${tag} ${(child.textContent ?? '').replace(/\s+/g, ' ').replace(/\d{4}/g, 'YYYY').trim()}`);
      } else if (tag === 'table') {
        const heads = Array.from(child.querySelectorAll('thead th')).map((th) => th.textContent?.trim());
        lines.push(`${pad}table.${child.className || 'plain'} [${heads.join(' | ')}]${heads.length === 0 ? ` rows=${child.querySelectorAll('tr').length}` : ''}`);
      } else if (tag === 'figure') {
        lines.push(`${pad}figure svg=${child.querySelector('svg') ? 'inline' : 'none'} role=${child.querySelector('svg')?.getAttribute('role') ?? ''}`);
      } else if (tag === 'ul' || tag === 'ol') {
        lines.push(`${pad}${tag}`);
      } else if (tag === 'dl') {
        lines.push(`${pad}dl [${Array.from(child.querySelectorAll('dt')).map((d) => d.textContent?.trim()).join(' | ')}]`);
      }
    }
  };
  walk(document.body, 0);
  return `${lines.join('\n')}\n`;
}
