import { describe, expect, it } from 'vitest';
import { GeoCode, levelOf, padStateCode, parentOf } from './geo.js';

describe('geo codes', () => {
  it('knows the level and parent of INEGI codes', () => {
    const code = (s: string) => GeoCode.parse(s);
    expect([levelOf(code('00')), levelOf(code('09')), levelOf(code('14039')), levelOf(code('US'))]).toEqual(['country', 'state', 'municipality', 'country']);
    expect([parentOf(code('00')), parentOf(code('09')), parentOf(code('14039'))]).toEqual([null, '00', '14']);
  });

  it('refuses codes outside INEGI’s catalogue shape', () => {
    for (const bad of ['33', '0', '1', '140391', 'MX', '34001', '']) expect(GeoCode.safeParse(bad).success, bad).toBe(false);
  });

  it('pads state codes published without their leading zero', () => {
    expect([padStateCode(7), padStateCode('9'), padStateCode(' 14 ')]).toEqual(['07', '09', '14']);
  });
});

describe('spreadsheet-safe CSV text', () => {
  it('prefixes formula starts with an apostrophe and leaves other text alone', async () => {
    const { spreadsheetSafe } = await import('./text.js');
    expect(['=HYPERLINK("x")', '+1', '-cmd', '@SUM(A1)', '\tx', 'Ciudad de México', '2024'].map(spreadsheetSafe))
      .toEqual(['\'=HYPERLINK("x")', "'+1", "'-cmd", "'@SUM(A1)", "'\tx", 'Ciudad de México', '2024']);
  });
});

describe('U.S. border geography (CBP regions and areas of responsibility)', () => {
  it('places regions under US and areas under their region', () => {
    const code = (c: string) => GeoCode.parse(c);
    expect([levelOf(code('US-SWB')), levelOf(code('US-SWB-USBP-TCA')), levelOf(code('US-CI-OFO-NYC'))]).toEqual(['region', 'area', 'area']);
    expect([parentOf(code('US-SWB')), parentOf(code('US-SWB-USBP-TCA')), parentOf(code('US-NB-OFO-SEA'))]).toEqual(['US', 'US-SWB', 'US-NB']);
    expect(GeoCode.safeParse('US-SWB-XX-TCA').success).toBe(false);
  });
});
