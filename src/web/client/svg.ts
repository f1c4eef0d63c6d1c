/// <reference lib="dom" />
// SVG helpers shared by charts and maps: no Observable Plot here, so a page that only draws maps does not ship it.

const SVG_NS = 'http://www.w3.org/2000/svg';
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const INK = '#222';

/** Creates an SVG element with attributes. */
export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Greedy word wrap by an estimated average glyph width (no layout needed, works before insertion). */
export function wrapLines(text: string, width: number, fontSize: number, bold = false): string[] {
  const max = Math.max(10, Math.floor(width / (fontSize * (bold ? 0.64 : 0.57))));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    // A word longer than a line (a citation's URL on a phone) is cut into pieces that each fit, with no space added.
    for (const [i, piece] of cutLongWord(word, max).entries()) {
      if (line && (i > 0 || line.length + 1 + piece.length > max)) {
        lines.push(line);
        line = piece;
      } else line = line ? `${line} ${piece}` : piece;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Pieces of at most `max` characters, cut after the last `/ ? & = , -` that fits (else at `max`). */
function cutLongWord(word: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (rest.length > max) {
    const head = rest.slice(0, max);
    const cut = Math.max(...['/', '?', '&', '=', ',', '-'].map((c) => head.lastIndexOf(c)));
    const at = cut >= max / 3 ? cut + 1 : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  pieces.push(rest);
  return pieces;
}

/** Appends wrapped text at (x, y) (y = first baseline); returns the y below the block. */
export function svgTextBlock(parent: Element, text: string, x: number, y: number, width: number, fontSize: number, attrs: Record<string, string | number> = {}): number {
  const lh = Math.round(fontSize * 1.3);
  const lines = wrapLines(text, width, fontSize, attrs['font-weight'] === 'bold');
  const t = svgEl('text', { x, y, 'font-size': fontSize, ...attrs });
  lines.forEach((l, i) => t.append(svgEl('tspan', { x, dy: i === 0 ? 0 : lh }, l)));
  parent.append(t);
  return y + lh * Math.max(0, lines.length - 1) + Math.round(fontSize * 0.6);
}

/**
 * Standalone SVG markup of a chart or map: inlines font and colour, drops the hover tip,
 * and moves an HTML title/caption (Plot figure) into <text> so the file carries the citation.
 */
export function downloadableSvg(figure: Element): string {
  const source = figure instanceof SVGSVGElement ? figure : figure.querySelector('svg');
  if (!source) throw new Error('no svg in figure');
  const inner = source.cloneNode(true) as SVGSVGElement;
  for (const tip of Array.from(inner.querySelectorAll('[aria-label="tip"]'))) tip.remove();
  const width = Number(inner.getAttribute('width')) || source.getBoundingClientRect().width;
  const height = Number(inner.getAttribute('height')) || source.getBoundingClientRect().height;
  const title = figure === source ? null : figure.querySelector('h2')?.textContent ?? null;
  const caption = figure === source ? null : figure.querySelector('figcaption')?.textContent ?? null;

  let root = inner;
  if (title || caption) {
    root = svgEl('svg', {});
    let y = 0;
    if (title) y = svgTextBlock(root, title, 8, 22, width - 16, 16, { 'font-weight': 'bold' }) + 6;
    // Re-parent the plot's content in a translated group (a nested <svg> would pick up Plot's
    // `height: auto` class style); keep its class so Plot's scoped <style> still applies.
    const g = svgEl('g', { transform: `translate(0,${y})` });
    for (const a of ['class', 'style', 'fill', 'font-family', 'font-size', 'text-anchor']) {
      const v = inner.getAttribute(a);
      if (v !== null) g.setAttribute(a, v);
    }
    g.append(...Array.from(inner.childNodes));
    root.append(g);
    y += height;
    if (caption) y = svgTextBlock(root, caption, 8, y + 16, width - 16, 11, { fill: '#555' }) + 4;
    root.setAttribute('width', String(width));
    root.setAttribute('height', String(Math.ceil(y)));
    root.setAttribute('viewBox', `0 0 ${width} ${Math.ceil(y)}`);
  }
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('font-family', FONT);
  root.setAttribute('style', `font-family:${FONT};color:${INK};background:white;${root === inner ? inner.getAttribute('style') ?? '' : ''}`);
  root.setAttribute('fill', INK);
  root.insertBefore(svgEl('rect', { width: '100%', height: '100%', fill: 'white' }), root.firstChild);
  const markup = new XMLSerializer().serializeToString(root);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${markup}`;
}
