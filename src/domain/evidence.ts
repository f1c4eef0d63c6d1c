import { z } from 'zod';
import { NodeId, SourceRef } from './framework.js';
import { ReportedFigure } from './monitoring.js';
import { IsoDate, Text } from './text.js';

// ---------------------------------------------------------------------------------------------------------------------
// The evidence ledger: entries about any Framework node (goal, area, objective, action), append-only, reviewed before
// they are published. Catalog entries (src/catalog/data/evidence.yaml) were reviewed in git and are approved as loaded.
// ---------------------------------------------------------------------------------------------------------------------

/** The completion scale of the Open Government Partnership's Independent Reporting Mechanism. */
export const CompletionStatus = z.enum(['not-started', 'limited', 'substantial', 'complete', 'unclear']);
export type CompletionStatus = z.infer<typeof CompletionStatus>;

export const COMPLETION_LABELS: Record<CompletionStatus, Text> = {
  'not-started': { es: 'no iniciada', en: 'not started' },
  limited: { es: 'avance limitado', en: 'limited' },
  substantial: { es: 'avance sustancial', en: 'substantial' },
  complete: { es: 'completa', en: 'complete' },
  unclear: { es: 'no está claro', en: 'unclear' },
};

/** Who says so: a government's claim is a claim, never a verified result. */
export const EvidenceKind = z.enum(['government-claim', 'independent-assessment', 'observa-judgement']);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, Text> = {
  'government-claim': { es: 'Declaración del gobierno', en: 'Government claim' },
  'independent-assessment': { es: 'Evaluación independiente', en: 'Independent assessment' },
  'observa-judgement': { es: 'Juicio de Observa', en: "Observa's judgement" },
};

/** `catalog`: from evidence.yaml (reviewed in git); `request`: submitted through the API or the CLI. */
export const EvidenceOrigin = z.enum(['catalog', 'request']);
export type EvidenceOrigin = z.infer<typeof EvidenceOrigin>;

/** `withdrawn`: a catalog entry replaced by a newer version of itself or removed from the catalog (the row stays). */
export const ReviewState = z.enum(['pending', 'approved', 'rejected', 'withdrawn']);
export type ReviewState = z.infer<typeof ReviewState>;

export const REVIEW_STATE_LABELS: Record<ReviewState, Text> = {
  pending: { es: 'pendiente de revisión', en: 'pending review' },
  approved: { es: 'aprobada', en: 'approved' },
  rejected: { es: 'rechazada', en: 'rejected' },
  withdrawn: { es: 'retirada', en: 'withdrawn' },
};

/** Roles of API tokens: editors submit, reviewers decide (and submit), admins do both. */
export const TokenRole = z.enum(['editor', 'reviewer', 'admin']);
export type TokenRole = z.infer<typeof TokenRole>;

/** A source address from the public record: https only (an http page can be altered on its way to the reader). */
export const HttpsUrl = z.url({ protocol: /^https$/, message: 'expected an https:// address of the source' });

/** A note is written in one language or both; the page shows the other language's text with a marker when one is missing. */
export const EvidenceNote = z
  .strictObject({ es: z.string().trim().min(1).max(4000).optional(), en: z.string().trim().min(1).max(4000).optional() })
  .refine((n) => n.es !== undefined || n.en !== undefined, { message: 'a note needs Spanish (es) or English (en) text' });
export type EvidenceNote = z.infer<typeof EvidenceNote>;

/** What a client sends to add an entry: the ledger assigns id, time, submitter, origin and review state. */
export const EvidenceInput = z.strictObject({
  /** Any Framework node: a goal ("2"), an area ("2.1"), an objective ("2.1.a") or an action ("2.1.c.1"). */
  node: NodeId,
  status: CompletionStatus,
  /** The date the evidence refers to (a statement, a report, an event), not the date it was recorded. */
  date: IsoDate,
  kind: EvidenceKind,
  publisher: z.string().trim().min(1).max(300),
  title: z.string().trim().min(1).max(500),
  source: HttpsUrl,
  note: EvidenceNote,
  /** Who wrote the entry (a person); the token that submitted it is recorded separately. */
  author: z.string().trim().min(1).max(200),
  /** The ledger id of an entry this one disputes (an assessment contradicting a claim): both stand side by side. */
  disputes: z.number().int().positive().optional(),
});
export type EvidenceInput = z.infer<typeof EvidenceInput>;

export const EvidenceReview = z.strictObject({
  state: ReviewState,
  /** The reviewing token's name; `catalog` for entries reviewed in git. */
  reviewer: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type EvidenceReview = z.infer<typeof EvidenceReview>;

export const EvidenceEntry = EvidenceInput.extend({
  id: z.number().int().positive(),
  origin: EvidenceOrigin,
  /** The entry's id in evidence.yaml (catalog entries only). */
  catalogId: z.string().nullable(),
  recordedAt: z.string(),
  /** The name of the token that submitted it (`catalog` for catalog entries). */
  submittedBy: z.string(),
  review: EvidenceReview,
});
export type EvidenceEntry = z.infer<typeof EvidenceEntry>;

/** A reviewer's decision; a rejection needs its reason, which the ledger keeps. */
export const EvidenceDecision = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: z.string().trim().min(1).max(2000).optional() })
  .refine((d) => d.decision === 'approve' || d.reason !== undefined, { message: 'a rejection needs a reason', path: ['reason'] });
export type EvidenceDecision = z.infer<typeof EvidenceDecision>;

// ---------------------------------------------------------------------------------------------------------------------
// The evidence catalog file (src/catalog/data/evidence.yaml): the format of its header comment
// ---------------------------------------------------------------------------------------------------------------------

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a slug of lowercase letters, digits and hyphens');

export const CatalogEvidenceEntry = z.strictObject({
  id: Slug,
  node: NodeId,
  date: IsoDate,
  status: CompletionStatus,
  kind: EvidenceKind,
  publisher: z.string().trim().min(1),
  title: z.string().trim().min(1),
  source: HttpsUrl,
  /** Both languages: catalog entries are read by everyone. */
  note: Text,
  /** The id (slug) of the catalog entry this one disputes. */
  disputes: Slug.optional(),
});
export type CatalogEvidenceEntry = z.infer<typeof CatalogEvidenceEntry>;

const HttpsSourceRef = SourceRef.extend({ url: HttpsUrl });

/** A figure published by a government or an assessor: a reported figure about a Framework node. */
export const EvidenceFigure = ReportedFigure.extend({ node: NodeId, source: HttpsSourceRef });
export type EvidenceFigure = z.infer<typeof EvidenceFigure>;

/** A benchmark or target a government published, about a node or an indicator. `source` is an address or {title, url, date}. */
export const EvidenceTarget = z
  .strictObject({
    node: NodeId.optional(),
    indicator: z.string().min(1).optional(),
    value: z.number(),
    period: z.string().min(1),
    unit: Text.optional(),
    note: Text.optional(),
    source: z.union([HttpsUrl, HttpsSourceRef]),
  })
  .refine((t) => t.node !== undefined || t.indicator !== undefined, { message: 'a target names a node or an indicator' });
export type EvidenceTarget = z.infer<typeof EvidenceTarget>;

/** Where the governments promised benchmarks they did not publish: cited by the scorecard when no target exists. */
export const BenchmarksPromise = z.strictObject({
  node: NodeId,
  date: IsoDate,
  publisher: z.string().trim().min(1),
  title: z.string().trim().min(1),
  source: HttpsUrl,
  note: Text,
});
export type BenchmarksPromise = z.infer<typeof BenchmarksPromise>;

export const EvidenceCatalog = z.strictObject({
  entries: z.array(CatalogEvidenceEntry).default([]),
  figures: z.array(EvidenceFigure).default([]),
  targets: z.array(EvidenceTarget).default([]),
  benchmarks_promise: BenchmarksPromise.optional(),
});
export type EvidenceCatalog = z.infer<typeof EvidenceCatalog>;

/** The sign put before a reported value: ≥ at least, ≤ at most, ≈ about. */
export function qualifierPrefix(q: ReportedFigure['qualifier']): string {
  return q === 'at-least' ? '≥ ' : q === 'at-most' ? '≤ ' : q === 'about' ? '≈ ' : '';
}
