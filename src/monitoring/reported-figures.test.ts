import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';

const figure = (id: string) => {
  const f = loadCatalog().monitoring.reported.find((r) => r.id === id);
  if (!f) throw new Error(`no reported figure ${id}`);
  return f;
};

describe('cited figures say what they are (issue 11, item 8)', () => {
  it('CDC: the release of 17 Nov 2021 gave 100,306; 100,950 is the later revised predicted value', () => {
    const f = figure('us-overdoses-2021-04');
    expect(f.explanation.en).toContain('17 Nov 2021 gave 100,306');
    expect(f.explanation.en).toMatch(/100,950, the revised predicted value/);
    expect(f.explanation.es).toContain('17 nov 2021 dio 100 306');
  });

  it('the 3,957 women are INEGI death records: a different source, not a cut-off', () => {
    const f = figure('women-murdered-2020');
    expect(f.reasons).toContain('source');
    expect(f.reasons).not.toContain('cut-off');
    expect(f.explanation.en).toMatch(/INEGI's death records/);
    expect(f.explanation.es).toMatch(/registros de defunción del INEGI/);
  });

  it('the 36,773 homicides text says SESNSP data are victims, not that SESNSP counts investigation files', () => {
    const f = figure('homicides-2020');
    expect(f.explanation.en).not.toMatch(/count(s)? investigation files/);
    expect(f.explanation.es).not.toMatch(/cuentan carpetas/);
    expect(f.explanation.en).toMatch(/counts victims \(persons\)/);
    expect(f.explanation.es).toMatch(/cuenta víctimas \(personas\)/);
  });
});
