import { describe, expect, it } from 'vitest';
import { placeEventMarkers } from './chart.js';

describe('placeEventMarkers', () => {
  it('keeps distant events apart and merges close ones into one marker', () => {
    const m = placeEventMarkers([{ n: 1, x: 100 }, { n: 2, x: 105 }, { n: 3, x: 300 }], 800);
    expect(m.map((k) => k.numbers)).toEqual([[1, 2], [3]]);
    expect(m[0]?.x).toBeCloseTo(102.5);
  });
  it('never returns overlapping markers, even for a crowded run near the edge', () => {
    const events = Array.from({ length: 9 }, (_, i) => ({ n: i + 1, x: 370 + i * 3 }));
    const m = placeEventMarkers(events, 390);
    m.slice(1).forEach((k, i) => {
      const before = m[i] as (typeof m)[number];
      expect(k.x - k.width / 2).toBeGreaterThanOrEqual(before.x + before.width / 2);
    });
    for (const k of m) expect(k.x + k.width / 2).toBeLessThanOrEqual(390);
    expect(m.flatMap((k) => k.numbers).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
