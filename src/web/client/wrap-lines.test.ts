import { describe, expect, it } from 'vitest';
import { wrapLines } from './svg.js';

describe('wrapLines (titles, notes and citations inside charts and maps)', () => {
  it('wraps at spaces', () => {
    expect(wrapLines('uno dos tres cuatro cinco seis', 80, 10)).toEqual(['uno dos tres', 'cuatro cinco', 'seis']);
  });

  it('cuts a URL longer than a line after / ? & =, so a phone shows all of it and no space is added', () => {
    const url = 'http://127.0.0.1:38507/en/indicators/mx.disappeared.persons/?view=map&map=municipal&year=2024';
    // A 390 px map: 374 px of text at 11 px, about 59 characters a line.
    const lines = wrapLines(`Observa, «Disappeared and not located persons» ${url}`, 374, 11);
    const max = Math.floor(374 / (11 * 0.57));
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(max);
    const urlLines = lines.slice(lines.findIndex((l) => l.startsWith('http://')));
    expect(urlLines.join('')).toBe(url);
    expect(urlLines.slice(0, -1).every((l) => /[/?&=,-]$/.test(l))).toBe(true);
  });
});
