import { describe, expect, it } from 'vitest';
import { RefusalDelay, isRefusal, refusalDelayOptionsFromEnv } from './refusal-delay.js';

describe('refusals of a client that keeps being refused are held', () => {
  it('holds nothing for a few mistakes, then a growing delay up to the cap, per client', () => {
    const delay = new RefusalDelay({ allowed: 3, drainPerSecond: 1, stepMs: 100, maxDelayMs: 250 }, () => 0);
    expect([1, 2, 3].map(() => delay.refused('198.51.100.1'))).toEqual([0, 0, 0]);
    expect(delay.refused('198.51.100.1')).toBe(100);
    expect(delay.refused('198.51.100.1')).toBe(200);
    expect(delay.refused('198.51.100.1')).toBe(250);
    expect(delay.refused('198.51.100.1')).toBe(250);
    // Another client is not slowed by the first one's refusals.
    expect(delay.refused('198.51.100.2')).toBe(0);
  });

  it('forgets refusals as time passes, so a person who stopped is answered at once again', () => {
    let now = 0;
    const delay = new RefusalDelay({ allowed: 2, drainPerSecond: 1, stepMs: 100, maxDelayMs: 2_000 }, () => now);
    for (let i = 0; i < 10; i++) delay.refused('2001:db8::5');
    expect(delay.outstanding('2001:db8::5')).toBe(10);
    now += 9_000;
    expect(delay.outstanding('2001:db8::5')).toBe(1);
    expect(delay.refused('2001:db8::5')).toBe(0);
  });

  it('counts refusals, not answers or stale links, and reads its settings from the environment', () => {
    expect([400, 401, 413, 429].every(isRefusal)).toBe(true);
    expect([200, 304, 404, 500, 503].some(isRefusal)).toBe(false);
    expect(refusalDelayOptionsFromEnv({ OBSERVA_REFUSALS_ALLOWED: '5', OBSERVA_REFUSAL_MAX_DELAY_MS: '0' })).toMatchObject({ allowed: 5, maxDelayMs: 0 });
    expect(() => refusalDelayOptionsFromEnv({ OBSERVA_REFUSALS_ALLOWED: 'many' })).toThrow(/OBSERVA_REFUSALS_ALLOWED: "many"/);
  });
});
