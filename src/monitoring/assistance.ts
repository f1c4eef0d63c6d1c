import { AssistanceLine, type AssistanceAccount, type FundingStage } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';

export interface StoredAssistanceLine extends AssistanceLine {
  readonly origin: 'catalog' | 'import';
  readonly releaseId: number | null;
}

/** Every assistance line: the catalog's published figures and imported ForeignAssistance.gov lines, oldest year first. */
export async function listAssistance(tx: ReadTx, filter: { account?: AssistanceAccount; stage?: FundingStage; through?: number } = {}): Promise<StoredAssistanceLine[]> {
  const rows = await tx.all<{ origin: 'catalog' | 'import'; release_id: number | null; doc: string }>(
    `SELECT origin, release_id, doc::VARCHAR AS doc FROM assistance_line ORDER BY id`,
  );
  return rows
    .map((r) => ({ ...AssistanceLine.parse(JSON.parse(r.doc)), origin: r.origin, releaseId: r.release_id === null ? null : Number(r.release_id) }))
    .filter((l) => (filter.account === undefined || l.account === filter.account) && (filter.stage === undefined || l.stage === filter.stage))
    .filter((l) => filter.through === undefined || l.fyFrom <= filter.through)
    .sort((a, b) => a.fyFrom - b.fyFrom || a.fyTo - b.fyTo || a.id.localeCompare(b.id));
}

/**
 * Sums by fiscal year, account and stage of the lines that are not published totals. Totals over several accounts or
 * years overlap the split lines (a source's $3.5B includes the FY2009 supplemental), so adding them would double count.
 */
export function pipelineByYear(lines: readonly AssistanceLine[]): { fiscalYear: number; account: AssistanceAccount; stage: FundingStage; amountUsd: number; lines: number }[] {
  const sums = new Map<string, { fiscalYear: number; account: AssistanceAccount; stage: FundingStage; amountUsd: number; lines: number }>();
  for (const l of lines) {
    if (l.isTotal) continue;
    const key = `${l.fyFrom}|${l.account}|${l.stage}`;
    const s = sums.get(key) ?? { fiscalYear: l.fyFrom, account: l.account, stage: l.stage, amountUsd: 0, lines: 0 };
    s.amountUsd += l.amountUsd;
    s.lines += 1;
    sums.set(key, s);
  }
  return [...sums.values()].sort((a, b) => a.fiscalYear - b.fiscalYear || a.account.localeCompare(b.account) || a.stage.localeCompare(b.stage));
}
