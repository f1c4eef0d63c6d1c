export { createToken, listTokens, revokeToken, verifyToken, type CreatedToken, type TokenHolder, type TokenInfo } from './tokens.js';
export { addEvidence, currentStatus, listEvidence, requireRole, type EvidenceFilter } from './evidence.js';
export { listPending, reviewEvidence } from './evidence-review.js';
export { evidenceSources, type EvidenceSource } from './evidence-sources.js';
export {
  SCORECARD_METHOD, ScorecardCache, assess, computeScorecard, freshness, periodYears, type Assessment, type IndicatorScore, type NodeScore, type Scorecard, type ScoredValue,
  type ScorecardOptions,
} from './scorecard.js';
export { reportedFigures, type ReportedComparison } from './reported.js';
export { listAssistance, pipelineByYear, type StoredAssistanceLine } from './assistance.js';
