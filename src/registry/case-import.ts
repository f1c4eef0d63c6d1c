import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { InputError, raggedRows, readCsvTable } from '../domain/index.js';
import type { CaseInput, InputProblem } from '../domain/index.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import type { CaseAccess} from './cases.js';
import { assertOrganisationsExist, insertVersion, parseCaseWrite } from './cases.js';
import { enforce, ForbiddenError, iso, nextId, nowOf, ready, requireUser } from './context.js';
import type { RegistryContext } from './context.js';
import type { Principal } from './policy.js';

// CSV import of cases: every row checked first, then one transaction (all or nothing).

/** The columns of a case CSV; `shared_with` holds organisation ids separated by `;`. */
export const CASE_CSV_COLUMNS = [
  'type', 'state', 'municipality', 'occurred_on', 'occurred_precision', 'reported_on', 'reported_precision', 'visibility', 'shared_with',
  'summary_es', 'summary_en',
] as const;
const REQUIRED_CASE_COLUMNS = ['type', 'state', 'occurred_on', 'occurred_precision', 'visibility'] as const;

/** zod paths of a case body → the CSV column a user can fix. */
const COLUMN_OF: Record<string, string> = {
  type: 'type', state: 'state', municipality: 'municipality', occurredOn: 'occurred_on', 'occurredOn.value': 'occurred_on',
  'occurredOn.precision': 'occurred_precision', reportedOn: 'reported_on', 'reportedOn.value': 'reported_on',
  'reportedOn.precision': 'reported_precision', visibility: 'visibility', sharedWithOrganisations: 'shared_with',
  summaryPublic: 'summary_es', 'summaryPublic.es': 'summary_es', 'summaryPublic.en': 'summary_en',
};

export interface CaseImportSummary {
  readonly file: string;
  readonly cases: number;
  readonly firstId: number | null;
  readonly lastId: number | null;
}

/**
 * Imports cases owned by the importing user's organisation from a CSV file (UTF-8, header line). Problems name the
 * file, line, column, value and what was expected; one bad row and nothing is written.
 */
export async function importCases(ctx: RegistryContext, principal: Principal, path: string): Promise<CaseImportSummary> {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError([{ file, expected: 'an existing, readable CSV file' }]);
  }
  return importCasesText(ctx, principal, text, file);
}

/** The same import from CSV text (an upload). */
export async function importCasesText(ctx: RegistryContext, principal: Principal, csvText: string, file: string): Promise<CaseImportSummary> {
  await ready(ctx);
  const user = requireUser(principal);
  const table = readCsvTable(csvText, file);
  const header = table.header;
  const problems: InputProblem[] = [];
  for (const c of REQUIRED_CASE_COLUMNS) if (!header.includes(c)) problems.push({ file, line: 1, column: c, expected: `a column named "${c}" (columns: ${CASE_CSV_COLUMNS.join(', ')})` });
  for (const h of header) if (!(CASE_CSV_COLUMNS as readonly string[]).includes(h)) problems.push({ file, line: 1, column: h, expected: `only the columns ${CASE_CSV_COLUMNS.join(', ')} (no personal data in a case file)` });
  if (problems.length > 0) throw new InputError(problems);
  if (table.rows.length === 0) throw new InputError([{ file, line: 2, expected: 'at least one case row after the header' }]);

  const parsed: { line: number; input: CaseInput; access: z.infer<typeof CaseAccess> }[] = [];
  const ragged = raggedRows(table, file);
  problems.push(...ragged);
  const raggedLines = new Set(ragged.map((p) => p.line));
  for (const { cells: record, line } of table.rows) {
    if (raggedLines.has(line)) continue;
    const cell = (name: string) => {
      const v = record[header.indexOf(name)]?.trim() ?? '';
      return v === '' ? undefined : v;
    };
    const summary = cell('summary_es') ?? cell('summary_en');
    const body = {
      type: cell('type'), state: cell('state'), ...(cell('municipality') ? { municipality: cell('municipality') } : {}),
      occurredOn: { value: cell('occurred_on'), precision: cell('occurred_precision') },
      ...(cell('reported_on') ? { reportedOn: { value: cell('reported_on'), precision: cell('reported_precision') } } : {}),
      owningOrganisationId: user.organisationId,
      ...(summary ? { summaryPublic: { es: cell('summary_es') ?? summary, en: cell('summary_en') ?? summary } } : {}),
      visibility: cell('visibility'),
      ...(cell('shared_with') ? { sharedWithOrganisations: (cell('shared_with') ?? '').split(';').map((o) => o.trim()).filter((o) => o !== '') } : {}),
    };
    try {
      const { input, access } = parseCaseWrite(body);
      enforce(principal, 'case.create', { owningOrganisationId: input.owningOrganisationId, sharedWithOrganisations: access.sharedWithOrganisations, assignedUserIds: [], visibility: access.visibility });
      parsed.push({ line, input, access });
    } catch (error) {
      if (error instanceof z.ZodError) {
        for (const issue of error.issues) {
          const column = COLUMN_OF[issue.path.join('.')] ?? (issue.path.join('.') || '(row)');
          problems.push({ file, line, column, value: cell(column) ?? '', expected: issue.message });
        }
      } else if (error instanceof ForbiddenError) {
        throw error;
      } else {
        problems.push({ file, line, expected: (error as Error).message });
      }
    }
  }
  if (problems.length > 0) throw new InputError(problems);

  const at = nowOf(ctx);
  const ids = await registryWrite(ctx.store, async (tx) => {
    await assertOrganisationsExist(tx, [...new Set(parsed.flatMap((p) => [p.input.owningOrganisationId, ...p.access.sharedWithOrganisations]))]);
    const created: number[] = [];
    for (const p of parsed) {
      const id = await nextId(tx, 'registry_case_seq');
      await insertVersion(tx, id, 1, p.input, p.access, user.userId, at);
      await audit(tx, at, user.userId, 'case.create', `case:${id}`, { version: 1, visibility: p.access.visibility, import: file, line: p.line });
      await tx.run('INSERT INTO case_assignment (case_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))', [id, user.userId, user.userId, iso(at)]);
      created.push(id);
    }
    await audit(tx, at, user.userId, 'case.import', `file:${file}`, { cases: created.length });
    return created;
  });
  return { file, cases: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null };
}
