import { describe, expect, it } from 'vitest';
import { inRange, periodDate, readState, writeState, type ViewState } from './view-state.js';
import { mapsOf } from '../measure.js';

const defaults: ViewState = { geo: ['00'], from: null, to: null, freq: 'year', view: 'chart', map: 'states', year: '2024', measure: null, annualise: false, ytd: false, scale: 'linear', by: null };

describe('URL state', () => {
  it('round-trips a view through the URL and keeps defaults out of it', () => {
    const state: ViewState = { geo: ['00', '25', '09'], from: '2015', to: '2024', freq: 'month', view: 'map', map: 'hex', year: '2020', measure: 'count', annualise: false, ytd: false, scale: 'linear', by: null };
    const search = writeState(state, defaults);
    expect(search).toBe('?geo=00,25,09&from=2015&to=2024&freq=month&view=map&map=hex&year=2020&measure=count');
    expect(readState(search, defaults, ['year', 'month'])).toEqual(state);
    expect(writeState(defaults, defaults)).toBe('');
  });

  it('keeps the measure (count or rate) and annualisation in the URL, and junk out', () => {
    const rate: ViewState = { ...defaults, freq: 'month', measure: 'rate', annualise: true };
    expect(writeState(rate, defaults)).toBe('?freq=month&measure=rate&annualise=true');
    expect(readState('?freq=month&measure=rate&annualise=true', defaults, ['year', 'month'])).toEqual(rate);
    expect(readState('?measure=percent&annualise=yes', defaults, ['year'])).toEqual(defaults);
  });

  it('keeps the same-months comparison (ytd) in the URL', () => {
    const search = writeState({ ...defaults, ytd: true }, defaults);
    expect(search).toBe('?ytd=true');
    expect(readState(search, defaults, ['year']).ytd).toBe(true);
    // The plain HTML form's checkbox sends "on".
    expect(readState('?ytd=on', defaults, ['year']).ytd).toBe(true);
  });

  it('reads the municipal map only for an indicator that has it', () => {
    expect(readState('?view=map&map=municipal', defaults, ['year']).map).toBe('municipal');
    expect(mapsOf(false)).toEqual(['states', 'hex']);
    expect(readState('?view=map&map=municipal', defaults, ['year'], [], mapsOf(false)).map).toBe('states');
    expect(readState('?view=map&map=hex', defaults, ['year'], [], mapsOf(false)).map).toBe('hex');
    expect(readState('?view=map&map=municipal', defaults, ['year'], [], mapsOf(true)).map).toBe('municipal');
  });

  it('keeps the log scale and a breakdown the indicator offers in the URL, and other breakdowns out', () => {
    const state: ViewState = { ...defaults, scale: 'log', by: 'sex' };
    const search = writeState(state, defaults);
    expect(search).toBe('?scale=log&by=sex');
    expect(readState(search, defaults, ['year'], ['sex', 'age'])).toEqual(state);
    expect(readState('?by=weight&scale=cubic', defaults, ['year'], ['sex'])).toEqual(defaults);
    expect(readState('?by=sex', defaults, ['year'], [])).toEqual(defaults);
    // A breakdown is of whole periods: the same-months comparison is dropped with it.
    expect(readState('?by=sex&ytd=true', defaults, ['year'], ['sex']).ytd).toBe(false);
  });

  it('accepts repeated geo parameters from the plain HTML form, and ignores junk', () => {
    const s = readState('?geo=00&geo=14&view=pie&freq=week&from=20x&year=abcd', defaults, ['year']);
    expect(s).toEqual({ ...defaults, geo: ['00', '14'] });
    expect(readState('?freq=month', defaults, ['year']).freq).toBe('year');
  });

  it('filters periods of any frequency by a year or month range', () => {
    expect(inRange('2020', '2015', '2020')).toBe(true);
    expect(inRange('2021-01', '2015', '2020')).toBe(false);
    expect(inRange('2020-12', '2015', '2020')).toBe(true);
    expect(inRange('12m-ending-2021-04', '2021-04', null)).toBe(true);
    expect(periodDate('12m-ending-2021-04').toISOString()).toBe('2021-04-01T00:00:00.000Z');
  });
});
