import { describe, expect, it } from 'vitest';
import { assess, freshness, periodYears } from './scorecard.js';

describe('progress classes (Open SDG method)', () => {
  const base = { period: '2021', value: 100 };
  it('is on track when the observed yearly change reaches 95% of the required one, or the target is met', () => {
    // Target 50 by 2031 (10 years) needs about −6.7%/yr; observed 100 → 75 in 3 years is about −9.1%/yr.
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 75 }, target: { period: '2031', value: 50 } }).progress).toBe('on-track');
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 40 }, target: { period: '2031', value: 50 } }).progress).toBe('on-track');
    expect(assess({ direction: 'higher-is-better', baseline: base, latest: { period: '2024', value: 130 }, target: { period: '2025', value: 120 } }).progress).toBe('on-track');
  });
  it('is some progress when moving the right way too slowly, off track when not moving or moving the wrong way', () => {
    const slow = assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 95 }, target: { period: '2031', value: 50 } });
    expect(slow.progress).toBe('some-progress');
    expect(slow.progressRatio).toBeGreaterThan(0);
    expect(slow.progressRatio).toBeLessThan(0.95);
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 110 }, target: { period: '2031', value: 50 } }).progress).toBe('off-track');
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 100 }, target: { period: '2031', value: 50 } }).progress).toBe('off-track');
    expect(assess({ direction: 'higher-is-better', baseline: base, latest: { period: '2024', value: 90 }, target: { period: '2031', value: 150 } }).progress).toBe('off-track');
  });
  it('handles zeros with a linear rate instead of a compound one', () => {
    const a = assess({ direction: 'lower-is-better', baseline: { period: '2021', value: 10 }, latest: { period: '2023', value: 0 }, target: { period: '2025', value: 0 } });
    expect(a.progress).toBe('on-track');
    const b = assess({ direction: 'higher-is-better', baseline: { period: '2021', value: 0 }, latest: { period: '2023', value: 4 }, target: { period: '2025', value: 20 } });
    expect(b.progress).toBe('some-progress');
  });
  it('says no target without one, and no data without a baseline value or a later value', () => {
    const t = assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 80 }, target: null });
    expect(t).toMatchObject({ progress: 'no-target', trend: 'improving' });
    expect(t.yearlyChangePct).toBeCloseTo(-7.17, 2);
    expect(assess({ direction: 'lower-is-better', baseline: null, latest: { period: '2024', value: 80 }, target: null }).progress).toBe('no-data');
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: null, target: { period: '2030', value: 1 } }).progress).toBe('no-data');
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: base, target: null }).progress).toBe('no-data');
  });
  it('judges the trend against the desired direction, with a ±1%/yr band, and not at all for neutral indicators', () => {
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 110 }, target: null }).trend).toBe('worsening');
    expect(assess({ direction: 'higher-is-better', baseline: base, latest: { period: '2024', value: 110 }, target: null }).trend).toBe('improving');
    expect(assess({ direction: 'lower-is-better', baseline: base, latest: { period: '2024', value: 101 }, target: null }).trend).toBe('little-change');
    expect(assess({ direction: 'neutral', baseline: base, latest: { period: '2024', value: 150 }, target: null }).trend).toBe('not-applicable');
  });
  it('reads periods as fractional years (12-month-ending periods end in their month)', () => {
    expect(periodYears('2021')).toBe(2021);
    expect(periodYears('12m-ending-2021-12')).toBe(2021);
    expect(periodYears('2021-06')).toBe(2020.5);
    expect(periodYears('FY2021')).toBe(2021);
    expect(periodYears('nonsense')).toBeNaN();
  });
});

describe('freshness', () => {
  const asOf = new Date(Date.UTC(2026, 10, 29));
  it('allows one publication interval plus the usual lag', () => {
    expect(freshness({ year: 2026, month: 8 }, 'monthly', asOf)).toEqual({ freshness: 'fresh', ageMonths: 3 });
    expect(freshness({ year: 2026, month: 7 }, 'monthly', asOf)).toEqual({ freshness: 'stale', ageMonths: 4 });
    expect(freshness({ year: 2024, month: 0 }, 'yearly', asOf).freshness).toBe('fresh');
    expect(freshness({ year: 2023, month: 0 }, 'yearly', asOf).freshness).toBe('stale');
    expect(freshness({ year: 2020, month: 0 }, 'decennial', asOf).freshness).toBe('fresh');
    expect(freshness({ year: 2020, month: 0 }, 'irregular', asOf).freshness).toBe('irregular');
    expect(freshness(null, 'monthly', asOf)).toEqual({ freshness: 'no-data', ageMonths: null });
  });
});
