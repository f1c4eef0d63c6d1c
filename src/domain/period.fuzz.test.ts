import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GeoCode, levelOf, padStateCode, parentOf } from './geo.js';
import { formatPeriod, parsePeriod, parsePeriodRange, PeriodError, periodMonthKey, type Period } from './period.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const year = fc.integer({ min: 1000, max: 9999 });
const month = fc.integer({ min: 1, max: 12 });
const period: fc.Arbitrary<Period> = fc.oneof(
  year.map((y) => ({ freq: 'year' as const, year: y })),
  fc.tuple(year, month).map(([y, m]) => ({ freq: 'month' as const, year: y, month: m })),
  fc.tuple(year, month).map(([y, m]) => ({ freq: 'r12' as const, year: y, month: m })),
);

describe('periods under property tests', () => {
  it('format ∘ parse is the identity on every valid period', () => {
    fc.assert(
      fc.property(period, (p) => {
        expect(parsePeriod(formatPeriod(p))).toEqual(p);
      }),
      { numRuns: RUNS },
    );
  });

  it('anything else is refused with a PeriodError, never another exception', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (text) => {
        try {
          const p = parsePeriod(text);
          // A fiscal year may be written in either case (fy2023); it is written back as FY2023.
          expect(formatPeriod(p)).toBe(p.freq === 'fy' ? text.trim().toUpperCase() : text.trim());
        } catch (error) {
          expect(error).toBeInstanceOf(PeriodError);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('a range never ends before it starts', () => {
    fc.assert(
      fc.property(period, period, (a, b) => {
        const text = `${formatPeriod(a)}..${formatPeriod(b)}`;
        try {
          const { from, to } = parsePeriodRange(text);
          const key = periodMonthKey;
          expect(key(from as Period, false)).toBeLessThanOrEqual(key(to as Period, true));
        } catch (error) {
          expect(error).toBeInstanceOf(PeriodError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('geo codes under property tests', () => {
  const state = fc.integer({ min: 1, max: 32 }).map((n) => String(n).padStart(2, '0'));
  it('every state and municipality code parses, with the right level and parent', () => {
    fc.assert(
      fc.property(state, fc.integer({ min: 0, max: 999 }), (s, m) => {
        const muni = `${s}${String(m).padStart(3, '0')}`;
        expect(levelOf(GeoCode.parse(s))).toBe('state');
        expect(parentOf(GeoCode.parse(s))).toBe('00');
        expect(levelOf(GeoCode.parse(muni))).toBe('municipality');
        expect(parentOf(GeoCode.parse(muni))).toBe(s);
        expect(padStateCode(padStateCode(Number(s)))).toBe(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('codes outside the catalogue shape are refused', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 7 }), (text) => {
        const valid = /^(00|0[1-9]|[12]\d|3[0-2]|99|(0[1-9]|[12]\d|3[0-2]|99)\d{3}|US)$/.test(text);
        expect(GeoCode.safeParse(text).success).toBe(valid);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
