import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { InputError, IntakeContacts, type InputProblem } from '../domain/index.js';

/** The setting that names the contacts file (YAML: `receiving` and `alternatives`; README, "Case registry"). */
export const INTAKE_CONTACTS_ENV = 'OBSERVA_INTAKE_CONTACTS';

/** The families' contacts file, validated; a problem names the file, line, column, value and what was expected. */
export function loadIntakeContacts(file: string, text = readFileSync(file, 'utf8')): IntakeContacts {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (offset: number | undefined) => (offset === undefined ? {} : { line: lines.linePos(offset).line, column: String(lines.linePos(offset).col) });
  if (doc.errors.length > 0) throw new InputError(doc.errors.map((e) => ({ file, ...at(e.pos[0]), expected: `valid YAML (${e.message.split('\n')[0] ?? ''})` })));
  const parsed = IntakeContacts.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  throw new InputError(
    parsed.error.issues.map((issue): InputProblem => {
      const node = doc.getIn(issue.path as (string | number)[], true);
      const value = isNode(node) ? String(node.toJSON()) : undefined;
      return { file, ...at(isNode(node) ? node.range?.[0] : undefined), ...(value === undefined ? {} : { value }), expected: `${issue.path.join('.') || 'the file'}: ${issue.message}` };
    }),
  );
}

/** The contacts named by the environment, or none. */
export function intakeContactsFromEnv(env: Record<string, string | undefined> = process.env): IntakeContacts {
  const file = env[INTAKE_CONTACTS_ENV];
  return file ? loadIntakeContacts(file) : { alternatives: [] };
}
