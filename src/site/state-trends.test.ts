import { describe, expect, it } from 'vitest';
import { findIndicator } from '../catalog/index.js';
import { trendSvg, type StateTrend, type TrendPoint } from './state-trends.js';

const indicator = findIndicator('mx.homicide.victims');
if (!indicator) throw new Error('catalog lacks mx.homicide.victims');
const p = (period: string, value: number, partial = false): TrendPoint => ({ period, value, flags: partial ? ['partial-period'] : [] });
const trend = (state: TrendPoint[], national: TrendPoint[]): StateTrend => ({ indicator, unit: 'víctimas', measure: 'rate', state, national, lastMonth: null, through: '2025-06' });
const polylines = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`<polyline class="${cls}"[^>]*points="([^"]+)"`, 'g'))].map((m) => (m[1] ?? '').split(' ').length);

describe('state profile trend charts', () => {
  it('never joins a partial period: it is a hollow dot apart from the line', () => {
    const svg = trendSvg('es', trend([p('2022', 50), p('2023', 52), p('2024', 51), p('2025', 20, true)], [p('2022', 25), p('2023', 24), p('2024', 23), p('2025', 11, true)]), 'Chihuahua').__raw;
    expect(polylines(svg, 'state')).toEqual([3]);
    expect(polylines(svg, 'national')).toEqual([3]);
    expect(svg.match(/data-partial=""/g)).toHaveLength(2);
    expect(svg).toContain('2025: 20 (periodo parcial)');
  });

  it('leaves a missing year as a gap, not a line through it', () => {
    const svg = trendSvg('en', trend([p('2019', 3), p('2020', 4), p('2023', 5), p('2024', 6)], []), 'Chihuahua').__raw;
    expect(polylines(svg, 'state')).toEqual([2, 2]);
    expect(svg).not.toContain('class="national"');
    expect(svg).toMatch(/aria-label="[^"]*Chihuahua, 2019–2024"/);
  });

  it('names fiscal years as such in the axis labels', () => {
    const svg = trendSvg('es', trend([p('FY2022', 3), p('FY2023', 4)], []), 'Sonora').__raw;
    expect(svg).toContain('>AF2022<');
    expect(svg).toContain('>AF2023<');
  });
});
