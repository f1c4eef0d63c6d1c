import { describe, expect, it } from 'vitest';
import { InputError } from '../domain/index.js';
import { loadIntakeContacts } from './intake-contacts.js';

describe('the families\' contacts file', () => {
  it('reads the receiving organisation and the alternatives', () => {
    const contacts = loadIntakeContacts('contacts.yaml', `receiving:
  name: Casa del Migrante
  phone: "+52 55 5555 0101"
  hours: { es: "lunes a viernes", en: "Monday to Friday" }
alternatives:
  - name: Línea de apoyo
    web: https://example.org/
`);
    expect(contacts.receiving?.hours?.es).toBe('lunes a viernes');
    expect(contacts.alternatives).toHaveLength(1);
  });

  it('names the file, line, column and value of a mistake', () => {
    const text = `alternatives:\n  - name: Línea\n    web: not a url\n`;
    let error: unknown;
    try {
      loadIntakeContacts('contacts.yaml', text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ file: 'contacts.yaml', line: 3, column: '10', value: 'not a url' });
    expect((error as Error).message).toMatch(/contacts\.yaml, line 3.*alternatives\.0\.web/);
  });
});
