import { describe, expect, it } from 'vitest';
import { fiscalYearLabel, periodLabel } from '../i18n.js';
import { MAX_DISTINCT_SERIES, SERIES_COLORS, SERIES_DASHES, lineRuns, logEligibility, logTickLabelled, magnitudeSpan, periodStep, seriesStyles } from './chart-style.js';

describe('series styles', () => {
  it('gives every series of up to 42 its own colour and dash pair', () => {
    for (const n of [1, 8, 9, 33, 42]) {
      const styles = seriesStyles(n);
      expect(styles).toHaveLength(n);
      expect(new Set(styles.map((s) => `${s.color}|${s.dash}`)).size).toBe(n);
    }
  });

  it('the first six differ in colour and in dash; two series sharing a colour never share a dash', () => {
    const six = seriesStyles(6);
    expect(new Set(six.map((s) => s.color)).size).toBe(6);
    expect(new Set(six.map((s) => s.dash)).size).toBe(6);
    const all = seriesStyles(MAX_DISTINCT_SERIES);
    for (const color of SERIES_COLORS) {
      const dashes = all.filter((s) => s.color === color).map((s) => s.dash);
      expect(new Set(dashes).size).toBe(dashes.length);
    }
    expect(MAX_DISTINCT_SERIES).toBe(SERIES_COLORS.length * SERIES_DASHES.length);
  });

  it('no series is drawn dotted like the projected-population stretch (short dashes only)', () => {
    for (const dash of SERIES_DASHES.filter((d) => d !== 'none')) expect(Math.max(...dash.split(',').map(Number))).toBeGreaterThanOrEqual(6);
  });

  it('refuses more series than it can tell apart (the page draws small multiples)', () => {
    expect(() => seriesStyles(MAX_DISTINCT_SERIES + 1)).toThrow(/small multiples/);
  });
});

describe('log scale eligibility', () => {
  it('is off over a zero or a negative value, and with nothing to draw', () => {
    expect(logEligibility([3, 40, 5000])).toBe('ok');
    expect(logEligibility([0, 40, 5000])).toBe('zero');
    expect(logEligibility([-1, 0, 40])).toBe('negative');
    expect(logEligibility([])).toBe('empty');
    expect(logEligibility([Number.NaN])).toBe('empty');
  });

  it('measures the orders of magnitude a series spans', () => {
    expect(magnitudeSpan([2, 20, 2000])).toBeCloseTo(3, 10);
    expect(magnitudeSpan([0, 5])).toBe(0);
    expect(magnitudeSpan([7])).toBe(0);
  });

  it('labels only 1, 2 and 5 times a power of ten on a log axis', () => {
    expect([1, 2, 5, 10, 20, 50, 100, 0.2, 5000].every(logTickLabelled)).toBe(true);
    expect([3, 4, 6, 7, 8, 9, 30, 400, 0].some(logTickLabelled)).toBe(false);
    expect(logTickLabelled(0.30000000000000004)).toBe(false);
    expect(logTickLabelled(0.1 + 0.1)).toBe(true);
  });
});

describe('fiscal-year labels', () => {
  it('names a U.S. fiscal year as such in each language, never as a bare year', () => {
    expect(fiscalYearLabel('en', 2023)).toBe('FY2023');
    expect(fiscalYearLabel('es', 2023)).toBe('AF2023');
    expect(periodLabel('es', 'FY2024')).toBe('AF2024');
    expect(periodLabel('en', 'FY2024')).toBe('FY2024');
  });
});

describe('line runs', () => {
  const p = (period: string, flags: string[] = []) => ({ period, flags });

  it('orders periods on their own ladder', () => {
    expect(periodStep('2024-01') - periodStep('2023-12')).toBe(1);
    expect(periodStep('FY2024') - periodStep('FY2023')).toBe(1);
    expect(periodStep('12m-ending-2024-02') - periodStep('12m-ending-2024-01')).toBe(1);
  });

  it('breaks a line at a missing month when asked (a breakdown is not zero-filled), and always at a partial period', () => {
    const points = [p('2024-01'), p('2024-02'), p('2024-04'), p('2024-05'), p('2024-06', ['partial-period'])];
    expect(lineRuns(points, true).map((x) => x.run)).toEqual([0, 0, 1, 1]);
    expect(lineRuns(points, false).map((x) => x.run)).toEqual([0, 0, 0, 0]);
    const withPartial = [p('2020'), p('2021', ['partial-period']), p('2022')];
    expect(lineRuns(withPartial, false).map((x) => [x.period, x.run])).toEqual([['2020', 0], ['2022', 1]]);
  });
});
