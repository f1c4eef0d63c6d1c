import { describe, expect, it } from 'vitest';
import { periodLabel, timestampLabel } from './i18n.js';

describe('periods and instants as people read them', () => {
  it('formats period keys in es-MX and en-US, never the raw key', () => {
    expect(periodLabel('es', '12m-ending-2024-10')).toBe('12 meses a oct 2024');
    expect(periodLabel('en', '12m-ending-2024-10')).toBe('12 months to Oct 2024');
    expect(periodLabel('es', '2024-05')).toBe('may 2024');
    expect(periodLabel('en', '2024-05')).toBe('May 2024');
    expect(periodLabel('es', 'FY2024')).toBe('AF2024');
    expect(periodLabel('en', 'FY2024')).toBe('FY2024');
    expect(periodLabel('es', '2024')).toBe('2024');
  });

  it('an ISO instant becomes a date and time in UTC', () => {
    expect(timestampLabel('en', '2026-12-01T02:50:26Z')).toBe('Dec 1, 2026, 2:50 AM UTC');
    expect(timestampLabel('es', '2026-12-01T02:50:26Z')).toMatch(/^1 dic 2026, 2:50 a\.\s?m\. UTC$/);
  });
});
