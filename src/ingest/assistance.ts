import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import { AssistanceLine, InputError, raggedRows, readCsvTable, type AssistanceAccount, type FundingStage, type InputProblem, type MeridaPillarId } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { inspectFile } from './file-inspection.js';

export const ASSISTANCE_SOURCE = 'foreignassistance-gov';
const ADAPTER_VERSION = 'foreignassistance-gov/1';

/** The columns of ForeignAssistance.gov's complete-data CSV that the import reads; other columns are ignored. */
export const FA_REQUIRED_COLUMNS = [
  'Country Code', 'Country Name', 'Funding Account ID', 'Funding Account Name', 'US Sector Name', 'Transaction Type Name', 'Fiscal Year',
  'Current Dollar Amount',
] as const;

const STAGES: Record<string, FundingStage> = {
  obligations: 'obligation', obligation: 'obligation', obligated: 'obligation',
  disbursements: 'disbursement', disbursement: 'disbursement', disbursed: 'disbursement', spent: 'disbursement', expenditures: 'disbursement',
  appropriations: 'appropriation', appropriated: 'appropriation', appropriation: 'appropriation',
  allocations: 'allocation', allocated: 'allocation', 'planned': 'request', requests: 'request', requested: 'request', request: 'request',
};

/** Accounts by their ForeignAssistance.gov name (the ids differ between agencies' Treasury symbols). */
export function accountOf(name: string): AssistanceAccount {
  const n = name.toLowerCase();
  if (n.includes('narcotics control and law enforcement')) return 'INCLE';
  if (n.includes('foreign military financing')) return 'FMF';
  if (n.includes('military education and training')) return 'IMET';
  if (n.includes('economic support fund')) return 'ESF';
  if (n.includes('counter-drug') || n.includes('counterdrug') || n.includes('counter-narcotics') || n.includes('drug interdiction')) return 'DOD-CN';
  return 'OTHER';
}

/** U.S. sectors mapped to Mérida pillars and Framework goals (Observa's mapping, stated as such on every imported line). */
const SECTOR_MAP: { match: RegExp; pillars: MeridaPillarId[]; goals: string[] }[] = [
  { match: /narcotic|drug/i, pillars: ['P1'], goals: ['2', '3'] },
  { match: /rule of law|human rights|justice|civilian police|good governance|anti-corruption/i, pillars: ['P2'], goals: ['1', '3'] },
  { match: /border|trade/i, pillars: ['P3'], goals: ['2'] },
  { match: /conflict|violence|peace|community|youth/i, pillars: ['P4'], goals: ['1'] },
  { match: /health|substance|addiction/i, pillars: ['P4'], goals: ['1'] },
];

export interface AssistanceImportSummary {
  readonly file: string;
  readonly sha256: string;
  readonly status: 'new' | 'unchanged' | 'dry-run';
  readonly releaseId: number | null;
  readonly rows: number;
  readonly mexicoRows: number;
  readonly otherCountryRows: number;
  readonly lines: number;
  readonly fiscalYears: readonly number[];
}

interface Row { line: number; record: Record<string, string> }

/**
 * U.S. dollars as ForeignAssistance.gov writes them: optional sign and `$`, digits with or without thousands commas in
 * groups of three, a decimal point. A decimal comma (`1250000,50`) does not match, so it is never read as 125,000,050.
 */
const US_AMOUNT = /^-?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/**
 * Imports a ForeignAssistance.gov CSV export: Mexico's rows, summed by fiscal year, account, transaction type and sector,
 * as assistance lines. Every row is checked first; one bad row stops the import and nothing is written.
 */
export async function importAssistance(store: Store, path: string, options: { dryRun?: boolean } = {}): Promise<AssistanceImportSummary> {
  const file = basename(path);
  const inspection = await inspectFile(path, ['utf-8', 'latin-1']);
  const [already] = await store.all<{ id: number; summary: string }>(
    `SELECT id, summary::VARCHAR AS summary FROM release WHERE source_id = ? AND sha256 = ? ORDER BY id LIMIT 1`, [ASSISTANCE_SOURCE, inspection.sha256],
  );
  if (already) return { ...(JSON.parse(already.summary) as AssistanceImportSummary), file, status: 'unchanged', releaseId: Number(already.id) };

  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString(inspection.encoding === 'utf-8' ? 'utf8' : 'latin1');
  const table = readCsvTable(text, file);
  const header = table.header;
  // A column named twice would be read from whichever copy came last.
  const duplicated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (duplicated.length > 0) {
    throw new InputError([...new Set(duplicated)].map((c) => ({ file, line: 1, column: c, expected: `each column named once; "${c}" is named ${header.filter((h) => h === c).length} times` })));
  }
  const missing = FA_REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputError(missing.map((c) => ({ file, line: 1, column: c, expected: `a column named "${c}" (ForeignAssistance.gov complete-data layout)` })));
  }
  const ragged = raggedRows(table, file);
  if (ragged.length > 0) throw new InputError(ragged);
  // Two exports pasted together: every amount would be counted twice.
  const repeatedHeader = table.rows.filter((r) => r.cells.every((c, i) => c.trim() === header[i]));
  if (repeatedHeader.length > 0) {
    throw new InputError(repeatedHeader.slice(0, 5).map((r) => ({ file, line: r.line, expected: 'a data row; this line is the header repeated (two exports pasted together?): import each file on its own' })));
  }
  const rows: Row[] = table.rows.map((r) => ({ line: r.line, record: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])) }));

  const problems: InputProblem[] = [];
  const sums = new Map<string, { fy: number; account: AssistanceAccount; accountName: string; stage: FundingStage; sector: string; amount: number; rows: number }>();
  let mexicoRows = 0;
  for (const { line, record } of rows) {
    const country = `${record['Country Code'] ?? ''}|${record['Country Name'] ?? ''}`;
    if (!/^(MEX|MX)\|/i.test(country) && !/\|Mexico$/i.test(country)) continue;
    mexicoRows += 1;
    const fyText = (record['Fiscal Year'] ?? '').trim();
    const fy = Number(fyText);
    if (!/^\d{4}$/.test(fyText) || fy < 1990 || fy > 2100) problems.push({ file, line, column: 'Fiscal Year', value: fyText, expected: 'a fiscal year such as 2023' });
    const amountText = (record['Current Dollar Amount'] ?? '').trim();
    const amount = US_AMOUNT.test(amountText) ? Number(amountText.replace(/[$,]/g, '')) : Number.NaN;
    if (!Number.isFinite(amount)) {
      problems.push({
        file, line, column: 'Current Dollar Amount', value: amountText,
        expected: 'an amount in U.S. dollars, such as 1250000, 1,250,000 or -300.50 (a decimal point; a comma only between groups of three digits)',
      });
    }
    const typeText = (record['Transaction Type Name'] ?? '').trim();
    const stage = STAGES[typeText.toLowerCase()];
    if (!stage) problems.push({ file, line, column: 'Transaction Type Name', value: typeText, expected: 'Obligations, Disbursements, Appropriations, Allocations or Requests' });
    const accountName = (record['Funding Account Name'] ?? '').trim();
    if (accountName === '') problems.push({ file, line, column: 'Funding Account Name', value: accountName, expected: 'the name of the funding account' });
    if (problems.length > 0 || !stage) continue;
    const sector = (record['US Sector Name'] ?? '').trim();
    const account = accountOf(accountName);
    const key = [fy, accountName, stage, sector].join('|');
    const s = sums.get(key) ?? { fy, account, accountName, stage, sector, amount: 0, rows: 0 };
    s.amount += amount;
    s.rows += 1;
    sums.set(key, s);
  }
  if (problems.length > 0) throw new InputError(problems);
  if (mexicoRows === 0) throw new InputError([{ file, column: 'Country Code', expected: 'at least one row for Mexico (MEX); the file has none' }]);

  const lines: AssistanceLine[] = [];
  for (const s of [...sums.values()].sort((a, b) => a.fy - b.fy || a.accountName.localeCompare(b.accountName) || a.stage.localeCompare(b.stage) || a.sector.localeCompare(b.sector))) {
    const mapped = SECTOR_MAP.filter((p) => p.match.test(s.sector));
    lines.push(AssistanceLine.parse({
      id: `fa-${inspection.sha256.slice(0, 8)}-${lines.length + 1}`,
      program: s.fy >= 2022 ? 'bicentennial' : s.fy >= 2008 ? 'merida' : 'pre-merida',
      account: s.account,
      accountName: s.accountName,
      fyFrom: s.fy,
      fyTo: s.fy,
      stage: s.stage,
      // Net amounts can be negative (de-obligations); a negative total for a line is kept as 0 with a note.
      amountUsd: Math.max(0, Math.round(s.amount * 100) / 100),
      isTotal: false,
      recipient: { es: 'México', en: 'Mexico' },
      goals: [...new Set(mapped.flatMap((p) => p.goals))].sort(),
      pillars: [...new Set(mapped.flatMap((p) => p.pillars))].sort(),
      note: {
        es: `ForeignAssistance.gov, sector «${s.sector || 'sin sector'}», ${s.rows} filas sumadas${s.amount < 0 ? `; la suma neta fue negativa (${s.amount.toFixed(2)})` : ''}. Pilares y metas asignados por Observa según el sector.`,
        en: `ForeignAssistance.gov, sector "${s.sector || 'no sector'}", ${s.rows} rows summed${s.amount < 0 ? `; the net sum was negative (${s.amount.toFixed(2)})` : ''}. Pillars and goals assigned by Observa from the sector.`,
      },
      confidence: 'confirmed',
      source: { title: `ForeignAssistance.gov export ${file} (sha256 ${inspection.sha256.slice(0, 12)})`, url: 'https://foreignassistance.gov/data' },
    }));
  }
  const summary: AssistanceImportSummary = {
    file, sha256: inspection.sha256, status: options.dryRun ? 'dry-run' : 'new', releaseId: null, rows: rows.length, mexicoRows,
    otherCountryRows: rows.length - mexicoRows, lines: lines.length, fiscalYears: [...new Set(lines.map((l) => l.fyFrom))],
  };
  if (options.dryRun) return summary;
  const releaseId = await store.write(async (tx) => {
    const [next] = await tx.all<{ id: number }>(`SELECT nextval('release_id_seq') AS id`);
    const id = Number(next?.id);
    const years = summary.fiscalYears;
    await tx.run(`INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, 0, now(), ?, ?, ?, ?, ?)`, [
      id, ASSISTANCE_SOURCE, file, inspection.sha256, inspection.byteSize, rows.length, ADAPTER_VERSION, inspection.encoding,
      years.length > 0 ? `FY${Math.min(...years)}` : null, years.length > 0 ? `FY${Math.max(...years)}` : null, JSON.stringify({ ...summary, releaseId: id }),
    ]);
    // A newer export replaces earlier imported lines of the fiscal years it covers (ForeignAssistance.gov revises past years).
    if (years.length > 0) {
      await tx.run(`DELETE FROM assistance_line WHERE origin = 'import' AND json_extract(doc, '$.fyFrom')::INTEGER IN (${years.map(Number).join(', ')})`);
    }
    for (const l of lines) await tx.run(`INSERT INTO assistance_line VALUES (?, 'import', ?, ?)`, [l.id, id, JSON.stringify(l)]);
    return id;
  });
  return { ...summary, releaseId };
}
