import { describe, expect, it } from 'vitest';
import { formatPeriod, parsePeriod, parsePeriodRange, PeriodError } from './period.js';

describe('periods', () => {
  it('parses and formats month, year and 12-month-ending periods', () => {
    for (const text of ['2020', '2020-03', '12m-ending-2021-04']) expect(formatPeriod(parsePeriod(text))).toBe(text);
    expect(parsePeriod('2020-03')).toEqual({ freq: 'month', year: 2020, month: 3 });
    expect(parsePeriod('12m-ending-2021-04')).toEqual({ freq: 'r12', year: 2021, month: 4 });
  });

  it('refuses what is not a period', () => {
    for (const bad of ['2020-13', '2020-00', '20', '2020/03', 'last year', '', '0000', '0999-01', 'FY0202', '12m-ending-0001-01']) expect(() => parsePeriod(bad)).toThrow(PeriodError);
  });

  it('parses ranges, single periods and open ends, and refuses reversed ranges', () => {
    expect(parsePeriodRange('2015..2024')).toEqual({ from: { freq: 'year', year: 2015 }, to: { freq: 'year', year: 2024 } });
    expect(parsePeriodRange('2020')).toEqual({ from: { freq: 'year', year: 2020 }, to: { freq: 'year', year: 2020 } });
    expect(parsePeriodRange('..2024').from).toBeNull();
    expect(parsePeriodRange('2019-06..').to).toBeNull();
    expect(() => parsePeriodRange('2024..2015')).toThrow(/ends before it starts/);
    expect(() => parsePeriodRange('2015..2016..2017')).toThrow(PeriodError);
    expect(parsePeriodRange('2020..2020-06').to).toEqual({ freq: 'month', year: 2020, month: 6 });
  });
});
