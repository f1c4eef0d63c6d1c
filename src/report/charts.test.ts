import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { lineChartSvg } from './charts.js';

describe('report chart', () => {
  it('never joins a partial year to the complete ones: it is a hollow dot off the line', () => {
    const svg = lineChartSvg([
      { year: 2022, value: 24.6, partial: false }, { year: 2023, value: 23.3, partial: false },
      { year: 2024, value: 23.4, partial: false }, { year: 2025, value: 9.8, partial: true },
    ], [], { locale: 'en-US', title: 'Homicide rate', unit: 'per 100,000' });
    const doc = new JSDOM(svg).window.document;
    const hollow = [...doc.querySelectorAll('g[aria-label="dot"][fill="white"] circle')];
    expect(hollow).toHaveLength(1);
    const partialX = Number(hollow[0]?.getAttribute('cx'));
    const line = [...doc.querySelectorAll('g[aria-label="line"] path')].map((p) => p.getAttribute('d') ?? '').join(' ');
    const xs = [...line.matchAll(/[ML]\s*(-?[\d.]+)[ ,]/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(3);
    expect(xs.some((x) => Math.abs(x - partialX) < 0.5)).toBe(false);
  });
});
