import { describe, expect, it } from 'vitest';
import { classBreaks, classColors, classOf, NO_DATA_FILL, SEQUENTIAL } from './scale.js';

function classCounts(values: readonly number[], breaks: readonly number[]): number[] {
  return Array.from({ length: breaks.length + 1 }, (_, i) => values.filter((v) => classOf(v, breaks) === i).length);
}

/** Breaks strictly increase and every class holds at least one value. */
function expectHonest(values: readonly number[], breaks: readonly number[]): void {
  breaks.slice(1).forEach((b, i) => expect(b).toBeGreaterThan(breaks[i] as number));
  for (const c of classCounts(values, breaks)) expect(c).toBeGreaterThan(0);
}

describe('classBreaks', () => {
  it('returns no breaks for empty, all-equal or non-finite input', () => {
    expect(classBreaks([])).toEqual([]);
    expect(classBreaks([7, 7, 7, 7])).toEqual([]);
    expect(classBreaks([Number.NaN, Infinity, 3])).toEqual([]);
  });

  it('splits two distinct values with one nice break between them', () => {
    const breaks = classBreaks([12.34, 12.34, 56.78]);
    expect(breaks).toEqual([50]);
    expect(classOf(12.34, breaks)).toBe(0);
    expect(classOf(56.78, breaks)).toBe(1);
  });

  it('uses fewer classes than asked when there are fewer distinct values', () => {
    const values = [1, 2, 3, 1, 2, 3];
    const breaks = classBreaks(values, 5);
    expect(breaks).toHaveLength(2);
    expectHonest(values, breaks);
  });

  it('rounds quantile breaks to nice numbers on skewed data without empty classes', () => {
    const values = [0, 0, 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 15000];
    const breaks = classBreaks(values, 5);
    expect(breaks).toHaveLength(4);
    expectHonest(values, breaks);
    for (const b of breaks) expect(String(b).replace(/^0\.0*|\./g, '').replace(/0+$/, '').length).toBeLessThanOrEqual(2);
  });

  it('handles non-negative counts, long tails and tiny rates', () => {
    const counts = Array.from({ length: 32 }, (_, i) => (i * i * 37) % 1001);
    expectHonest(counts, classBreaks(counts));
    const rates = [0.0012, 0.0013, 0.0019, 0.0021, 0.004, 0.0041, 0.0099];
    const breaks = classBreaks(rates, 3);
    expect(breaks).toHaveLength(2);
    expectHonest(rates, breaks);
    expect(breaks.every((b) => b > 0 && b < 0.01)).toBe(true);
  });

  it('copes with negative values and values that sit exactly on nice numbers', () => {
    const values = [-5, -1, 0, 10, 20, 30, 40, 50];
    const breaks = classBreaks(values, 4);
    expectHonest(values, breaks);
    const tenths = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    expectHonest(tenths, classBreaks(tenths, 6));
    expect(classBreaks(tenths, 6)).toHaveLength(5);
  });

  it('is deterministic whatever the input order', () => {
    const v = [5, 3, 99, 42, 17, 8, 61, 2];
    expect(classBreaks([...v].reverse())).toEqual(classBreaks(v));
  });
});

describe('classOf', () => {
  it('assigns by half-open intervals [break_i-1, break_i)', () => {
    const breaks = [10, 20];
    expect(classOf(-3, breaks)).toBe(0);
    expect(classOf(9.99, breaks)).toBe(0);
    expect(classOf(10, breaks)).toBe(1);
    expect(classOf(20, breaks)).toBe(2);
    expect(classOf(1e9, breaks)).toBe(2);
    expect(classOf(5, [])).toBe(0);
    expect(classOf(Number.NaN, breaks)).toBe(-1);
  });
});

describe('palette', () => {
  it('is light to dark and spreads over the requested number of classes', () => {
    const lum = (hex: string) => {
      const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    SEQUENTIAL.slice(1).forEach((c, i) => expect(lum(c)).toBeLessThan(lum(SEQUENTIAL[i] as string) - 10));
    expect(SEQUENTIAL.length).toBeGreaterThanOrEqual(5);
    expect(classColors(0)).toEqual([]);
    expect(classColors(1)).toHaveLength(1);
    const five = classColors(5);
    expect(new Set(five).size).toBe(5);
    expect(five[0]).toBe(SEQUENTIAL[0]);
    expect(five[4]).toBe(SEQUENTIAL[SEQUENTIAL.length - 1]);
    expect(SEQUENTIAL).not.toContain(NO_DATA_FILL);
  });
});
