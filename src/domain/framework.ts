import { z } from 'zod';
import { IsoDate, Text } from './text.js';

/** How sure we are of an item's text: read in the official text, taken from a press/think-tank summary, or reconstructed. */
export const Confidence = z.enum(['confirmed', 'from-summaries', 'reconstructed']);
export type Confidence = z.infer<typeof Confidence>;

export const SourceRef = z.strictObject({
  title: z.string().min(1),
  url: z.url(),
  date: IsoDate.optional(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const MeridaPillarId = z.enum(['P1', 'P2', 'P3', 'P4']);
export type MeridaPillarId = z.infer<typeof MeridaPillarId>;

export const MeridaPillar = z.strictObject({
  id: MeridaPillarId,
  title: Text,
  summary: Text,
  confidence: Confidence,
  sources: z.array(SourceRef).min(1),
});
export type MeridaPillar = z.infer<typeof MeridaPillar>;

/** continuity: carried over from Mérida; new: absent from Mérida; elevated: present in Mérida, now a stand-alone joint objective. */
export const MeridaRelation = z.enum(['continuity', 'new', 'elevated']);

export const MeridaMapping = z.strictObject({
  pillars: z.array(MeridaPillarId),
  relation: MeridaRelation,
  note: Text,
});

export const Agencies = z.strictObject({
  /** stated: a source names them; inferred: follows from the agency's statutory role; not-published: nothing known. */
  basis: z.enum(['stated', 'inferred', 'not-published']),
  us: z.array(z.string().min(1)),
  mx: z.array(z.string().min(1)),
});

/** How the agencies of a node are known, as pages say it. */
export const AGENCY_BASIS_LABELS: Record<z.infer<typeof Agencies>['basis'], Text> = {
  stated: { es: 'según la fuente', en: 'as stated by the source' },
  inferred: { es: 'inferido de sus atribuciones legales', en: 'inferred from their statutory roles' },
  'not-published': { es: 'no publicado', en: 'not published' },
};

export const NodeKind = z.enum(['goal', 'area', 'objective', 'action']);
export type NodeKind = z.infer<typeof NodeKind>;

export const NodeId = z.string().regex(/^[1-9](\.[0-9a-z]+)*$/, 'expected an id like 1, 1.3 or 1.3.a');

export const DatedNote = z.strictObject({ date: IsoDate, text: Text });

export const FrameworkNode = z.strictObject({
  id: NodeId,
  kind: NodeKind,
  parent: NodeId.nullable(),
  title: Text,
  /** The commitment as the sources word it (paraphrased); "not published" where they are silent. */
  text: Text,
  confidence: Confidence,
  sources: z.array(SourceRef).min(1),
  agencies: Agencies,
  merida: MeridaMapping,
  /** Deliverables and milestones the sources report for this item, each dated. */
  milestones: z.array(DatedNote).default([]),
});
export type FrameworkNode = z.infer<typeof FrameworkNode>;

export const EventKind = z.enum(['adoption', 'action-plan', 'dialogue', 'committee', 'working-group', 'statement', 'other']);

export const FrameworkEvent = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  date: IsoDate,
  kind: EventKind,
  title: Text,
  text: Text,
  confidence: Confidence,
  sources: z.array(SourceRef).min(1),
});
export type FrameworkEvent = z.infer<typeof FrameworkEvent>;

export const Framework = z
  .strictObject({
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}(\.\d+)?$/),
    name: Text,
    adopted: IsoDate,
    actionPlanAdopted: IsoDate,
    /** The counts SRE published for the Action Plan; the catalog may hold fewer nodes where the text is not public. */
    publishedCounts: z.strictObject({ goals: z.number().int(), areas: z.number().int(), objectives: z.number().int(), actions: z.number().int() }),
    coverageNote: Text,
    meridaPillars: z.array(MeridaPillar).length(4),
    nodes: z.array(FrameworkNode).min(3),
    events: z.array(FrameworkEvent).min(1),
  })
  .superRefine((fw, ctx) => {
    const ids = new Map<string, FrameworkNode>();
    fw.nodes.forEach((n, i) => {
      if (ids.has(n.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id ${n.id}` });
      ids.set(n.id, n);
    });
    const parentKind: Record<NodeKind, NodeKind | null> = { goal: null, area: 'goal', objective: 'area', action: 'objective' };
    fw.nodes.forEach((n, i) => {
      const expected = parentKind[n.kind];
      if (expected === null) {
        if (n.parent !== null) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'parent'], message: 'a goal has no parent' });
        return;
      }
      const p = n.parent === null ? undefined : ids.get(n.parent);
      if (!p) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'parent'], message: `unknown parent ${String(n.parent)}` });
      else if (p.kind !== expected) {
        ctx.addIssue({ code: 'custom', path: ['nodes', i, 'parent'], message: `a ${n.kind} must sit under a ${expected}, not a ${p.kind}` });
      }
    });
    if (fw.nodes.filter((n) => n.kind === 'goal').length !== fw.publishedCounts.goals) {
      ctx.addIssue({ code: 'custom', path: ['nodes'], message: 'the number of goals differs from publishedCounts.goals' });
    }
  });
export type Framework = z.infer<typeof Framework>;

export const KIND_LABELS: Record<NodeKind, Text> = {
  goal: { es: 'meta', en: 'goal' },
  area: { es: 'área de cooperación', en: 'cooperation area' },
  objective: { es: 'objetivo conjunto', en: 'joint objective' },
  action: { es: 'acción', en: 'action' },
};

export const CONFIDENCE_LABELS: Record<Confidence, Text> = {
  confirmed: { es: 'confirmado en la fuente oficial', en: 'confirmed in the official source' },
  'from-summaries': { es: 'tomado de resúmenes', en: 'from summaries' },
  reconstructed: { es: 'reconstruido, sin confirmar', en: 'reconstructed, unconfirmed' },
};

export const RELATION_LABELS: Record<z.infer<typeof MeridaRelation>, Text> = {
  continuity: { es: 'continuidad', en: 'continuity' },
  new: { es: 'nuevo', en: 'new' },
  elevated: { es: 'elevado a objetivo propio', en: 'elevated to its own objective' },
};
